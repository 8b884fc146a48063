//! Why an offer does not match what the customer asked for, so the agent
//! can say so ("Saturday is full; how about Sunday at 9?").

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::calendar::{local_time, open_hours};
use super::day::{candidate_at, day_candidates, Candidate};
use super::preference::{DayFilter, SlotPreference, TimeWindow};
use super::rules::AvailabilityRules;
use super::slot::Slot;

/// The reason the offered slots are not the ones asked for. Set exactly
/// when [`Offer::matched_preference`](super::Offer::matched_preference)
/// is false.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum OfferNote {
    /// Nothing at all is free within the horizon.
    NoAvailability,
    /// The day asked for is a closed weekday or a blackout date.
    DayClosed(NaiveDate),
    /// The day (or the time asked for on it) is in the past or inside the
    /// lead time.
    TooSoon(NaiveDate),
    /// The day asked for is past the booking horizon.
    BeyondHorizon(NaiveDate),
    /// The time asked for is outside business hours (or the job would run
    /// past closing) on every day asked for.
    OutsideHours,
    /// The day asked for is open but has no free time left.
    DayFull(NaiveDate),
    /// The day has free time, just not at the time asked for.
    TimeTaken,
}

/// What the engine knows when explaining a miss.
pub(super) struct Miss<'a> {
    /// The tenant's rules.
    pub rules: &'a AvailabilityRules,
    /// Every free slot in the horizon.
    pub free: &'a [Slot],
    /// The job's length.
    pub duration: Duration,
    /// The current instant.
    pub now: DateTime<Utc>,
    /// The customer's wish.
    pub preference: &'a SlotPreference,
    /// The dates asked for, sorted.
    pub asked: &'a [NaiveDate],
    /// The bookable local dates, first and last.
    pub bookable: (NaiveDate, NaiveDate),
}

impl Miss<'_> {
    /// The most useful reason nothing matched, checked in this order: no
    /// free time at all; the days asked for are not bookable (past, beyond
    /// the horizon, closed); the time asked for is outside hours on all of
    /// them; it is too soon on all of them; otherwise the first such day
    /// is full or just that time is taken.
    pub(super) fn explain(&self) -> OfferNote {
        if self.free.is_empty() {
            return OfferNote::NoAvailability;
        }
        let (today, last) = self.bookable;
        let open: Vec<NaiveDate> = self
            .asked
            .iter()
            .copied()
            .filter(|date| (today..=last).contains(date) && open_hours(self.rules, *date).is_some())
            .collect();
        if open.is_empty() {
            return self.unbookable_day();
        }
        let fitting: Vec<(NaiveDate, Vec<Candidate>)> = open
            .into_iter()
            .map(|date| (date, self.window_candidates(date)))
            .filter(|(_, candidates)| !candidates.is_empty())
            .collect();
        let Some((first_fitting, _)) = fitting.first() else {
            return OfferNote::OutsideHours;
        };
        let earliest = self
            .now
            .checked_add_signed(self.rules.effective_lead_time())
            .unwrap_or(DateTime::<Utc>::MAX_UTC);
        let timely = fitting
            .iter()
            .find(|(_, candidates)| candidates.iter().any(|c| c.start >= earliest));
        match timely {
            None => OfferNote::TooSoon(*first_fitting),
            Some((date, _)) if self.preference.days != DayFilter::Any && !self.has_free(*date) => {
                OfferNote::DayFull(*date)
            }
            Some(_) => OfferNote::TimeTaken,
        }
    }

    /// The note when no day asked for is open and bookable.
    fn unbookable_day(&self) -> OfferNote {
        let (today, last) = self.bookable;
        if let Some(date) = self
            .asked
            .iter()
            .find(|date| (today..=last).contains(*date))
        {
            return OfferNote::DayClosed(*date);
        }
        match self.asked.first() {
            Some(date) if *date < today => OfferNote::TooSoon(*date),
            Some(date) => OfferNote::BeyondHorizon(*date),
            None => self.next_after_horizon(),
        }
    }

    /// The first day past the horizon matching a weekday filter that has
    /// no match inside a short horizon.
    fn next_after_horizon(&self) -> OfferNote {
        let (_, last) = self.bookable;
        std::iter::successors(last.succ_opt(), |date| date.succ_opt())
            .take(7)
            .find(|date| self.preference.days.matches(*date))
            .map_or(OfferNote::NoAvailability, OfferNote::BeyondHorizon)
    }

    /// The starts on `date` in the time window that fit business hours,
    /// ignoring lead time and crews.
    fn window_candidates(&self, date: NaiveDate) -> Vec<Candidate> {
        match self.preference.window {
            TimeWindow::Exact(time) => {
                candidate_at(self.rules, date, date.and_time(time), self.duration)
                    .into_iter()
                    .collect()
            }
            window => day_candidates(self.rules, date, self.duration)
                .into_iter()
                .filter(|c| window.matches(c.local.time()))
                .collect(),
        }
    }

    /// Whether any free slot starts on local `date`.
    fn has_free(&self, date: NaiveDate) -> bool {
        self.free
            .iter()
            .any(|slot| local_time(self.rules.time_zone, slot.start).date() == date)
    }
}
