//! Turning what the customer said about timing into the availability
//! engine's [`SlotPreference`], and combining corrections with what was
//! said before.

use chrono::{Days, NaiveTime};

use crate::booking::availability::{DayFilter, SlotPreference, TimeWindow};
use crate::brain::nlu::{DateSpec, TimeSpec, WhenPreference};

/// The most days a range ("next week") expands to.
const MAX_RANGE_DAYS: u64 = 31;

/// Combines a new preference with the old one: a new day replaces the old
/// day, a new time replaces the old time, and what was not mentioned is
/// kept ("saturday morning" then "actually sunday" is Sunday morning).
pub(super) fn merge(old: Option<WhenPreference>, new: WhenPreference) -> WhenPreference {
    let old = old.unwrap_or_default();
    WhenPreference {
        date: if new.date == DateSpec::Any {
            old.date
        } else {
            new.date
        },
        time: if new.time == TimeSpec::Any {
            old.time
        } else {
            new.time
        },
    }
}

/// The availability preference for a customer's wish.
pub(super) fn slot_preference(when: Option<WhenPreference>) -> SlotPreference {
    let when = when.unwrap_or_default();
    let days = match when.date {
        DateSpec::Any | DateSpec::Asap => DayFilter::Any,
        DateSpec::ExactDate(d) => DayFilter::Date(d),
        DateSpec::Weekday(w) => DayFilter::Weekday(w),
        DateSpec::Weekend { saturday } => {
            DayFilter::Dates(saturday.succ_opt().into_iter().chain([saturday]).collect())
        }
        DateSpec::Range { first, last } => DayFilter::Dates(
            (0..MAX_RANGE_DAYS)
                .filter_map(|n| first.checked_add_days(Days::new(n)))
                .take_while(|d| *d <= last)
                .collect(),
        ),
    };
    let noon = NaiveTime::from_hms_opt(12, 0, 0).unwrap_or(NaiveTime::MIN);
    let window = match when.time {
        TimeSpec::Any => TimeWindow::Any,
        TimeSpec::Exact(t) => TimeWindow::Exact(t),
        TimeSpec::Window { start, end } => TimeWindow::Between(start, end),
        TimeSpec::FirstThing => TimeWindow::Between(NaiveTime::MIN, noon),
    };
    let earliest = matches!(when.date, DateSpec::Asap) || when.time == TimeSpec::FirstThing;
    SlotPreference {
        days,
        window,
        earliest,
    }
}
