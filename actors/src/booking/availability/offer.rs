//! Choosing the few concrete times the booking agent offers a customer.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::calendar::{bookable_dates, dates, local_instant, local_time};
use super::fits::fits;
use super::free::free_slots;
use super::note::{Miss, OfferNote};
use super::preference::{SlotPreference, TimeWindow};
use super::rules::AvailabilityRules;
use super::slot::{Busy, Slot};
use super::spread::spread;

/// The times to put to the customer, and whether they are what was asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Offer {
    /// The offered slots: an exact time asked for and free first, then the
    /// slots on a day and in the window asked for, then those in a window
    /// range on other days, then the rest — each group in time order (so "the first one" is what the customer asked for).
    pub slots: Vec<Slot>,
    /// Whether the first slot matches both the days and the time asked for.
    pub matched_preference: bool,
    /// Why nothing matched; `None` exactly when `matched_preference`.
    pub note: Option<OfferNote>,
}

/// Picks up to `count` free slots within the horizon for a job of
/// `duration`, honouring `preference`.
///
/// Slots are ranked in four tiers: (1) on a day asked for and in the
/// time window, soonest first; (2) when the window is a range ("after
/// 3", "mornings"), in it on other days, ranked as in (4); (3) on a day
/// asked for but outside the window, nearest the window first; (4) on
/// other days, the nearest days on or after the first day asked for
/// first (then the nearest before it), nearest the window within a day. An exact time asked for is
/// checked even when it is off the slot grid. The picks are spread out
/// (see [`MIN_SPREAD`](super::MIN_SPREAD)): different days first
/// unless `earliest`, then at least two hours apart, closer only when
/// nothing else is left. The picks are listed with those matching the
/// preference first. Nothing is ever in the past, inside the lead time or
/// beyond the horizon.
pub fn offer(
    rules: &AvailabilityRules,
    busy: &[Busy],
    duration: Duration,
    now: DateTime<Utc>,
    preference: &SlotPreference,
    count: usize,
) -> Offer {
    let tz = rules.time_zone;
    let bookable = bookable_dates(rules, now);
    let (today, last) = bookable;
    let free = free_slots(rules, busy, duration, now, today, last);
    let all_dates: Vec<NaiveDate> = dates(today, last).collect();
    let asked = preference.days.asked_dates(&all_dates);
    let date_of = |slot: &Slot| local_time(tz, slot.start).date();
    let distance = |slot: &Slot| {
        preference
            .window
            .distance_minutes(local_time(tz, slot.start).time())
    };
    let wanted_day = |slot: &Slot| preference.days.matches(date_of(slot));

    let mut best: Vec<Slot> = free
        .iter()
        .copied()
        .filter(|slot| {
            wanted_day(slot) && preference.window.matches(local_time(tz, slot.start).time())
        })
        .collect();
    best.extend(off_grid_exact(
        rules, busy, duration, now, preference, &asked, &best,
    ));
    best.sort_by_key(|slot| slot.start);

    let mut near: Vec<Slot> = free
        .iter()
        .copied()
        .filter(|slot| {
            wanted_day(slot) && !preference.window.matches(local_time(tz, slot.start).time())
        })
        .collect();
    near.sort_by_key(|slot| (distance(slot), slot.start));

    let anchor = asked.first().copied().unwrap_or(today);
    let mut other: Vec<Slot> = free
        .iter()
        .copied()
        .filter(|slot| !wanted_day(slot))
        .collect();
    other.sort_by_key(|slot| (day_rank(anchor, date_of(slot)), distance(slot), slot.start));
    // A window ("after 3", "mornings") is kept on other days before the
    // day asked for is filled with times outside it.
    let (window_elsewhere, other): (Vec<Slot>, Vec<Slot>) =
        if matches!(preference.window, TimeWindow::Between(..)) {
            other
                .into_iter()
                .partition(|slot| preference.window.matches(local_time(tz, slot.start).time()))
        } else {
            (Vec::new(), other)
        };

    let matched_preference = !best.is_empty();
    let exact_first = matched_preference && matches!(preference.window, TimeWindow::Exact(_));
    let mut slots = spread(
        &[best, window_elsewhere, near, other],
        count,
        preference.earliest,
        tz,
    );
    let skip = usize::from(exact_first).min(slots.len());
    let asked_for = |slot: &Slot| {
        wanted_day(slot) && preference.window.matches(local_time(tz, slot.start).time())
    };
    let in_range = |slot: &Slot| {
        matches!(preference.window, TimeWindow::Between(..))
            && preference.window.matches(local_time(tz, slot.start).time())
    };
    if let Some(rest) = slots.get_mut(skip..) {
        rest.sort_by_key(|slot| (!asked_for(slot), !in_range(slot), slot.start));
    }
    let note = (!matched_preference).then(|| {
        Miss {
            rules,
            free: &free,
            duration,
            now,
            preference,
            asked: &asked,
            bookable,
        }
        .explain()
    });
    Offer {
        slots,
        matched_preference,
        note,
    }
}

/// The exact time asked for on each bookable day asked for, when it is
/// off the grid (so not among the free slots) but still fits.
fn off_grid_exact(
    rules: &AvailabilityRules,
    busy: &[Busy],
    duration: Duration,
    now: DateTime<Utc>,
    preference: &SlotPreference,
    asked: &[NaiveDate],
    on_grid: &[Slot],
) -> Vec<Slot> {
    let TimeWindow::Exact(time) = preference.window else {
        return Vec::new();
    };
    asked
        .iter()
        .filter_map(|date| local_instant(rules.time_zone, date.and_time(time)))
        .filter(|start| on_grid.iter().all(|slot| slot.start != *start))
        .filter_map(|start| {
            let crew = fits(rules, busy, start, duration, now).ok()?;
            let end = start.checked_add_signed(duration)?;
            Some(Slot { start, end, crew })
        })
        .collect()
}

/// Orders days by closeness to `anchor`: on or after it first, nearest
/// first; then the days before it, nearest first.
fn day_rank(anchor: NaiveDate, date: NaiveDate) -> (bool, i64) {
    let days = (date - anchor).num_days();
    (days < 0, days.abs())
}
