//! Turning what the customer said about timing into the availability
//! engine's [`SlotPreference`], and combining corrections with what was
//! said before.

use chrono::{Days, Duration, NaiveTime};
use chrono_tz::Tz;

use crate::booking::availability::{DayFilter, Slot, SlotPreference, TimeWindow};
use crate::brain::nlu::{DateSpec, TimeSpec, Understanding, WhenPreference};

use super::text::local;

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

/// Words that make "later" about the conversation, not the time ("text
/// you later", "i'll decide later").
const DEFERRAL_WORDS: &[&str] = &[
    "talk", "text", "call", "back", "decide", "check", "think", "confirm", "week",
];

/// "anything later?" / "do you have something earlier" while times are on
/// offer and no day or time is named: the same wish, with the time of day
/// moved past the latest (or before the earliest) time offered.
pub(super) fn beyond_offered(
    old: Option<WhenPreference>,
    u: &Understanding,
    offered: &[Slot],
    tz: Tz,
) -> Option<WhenPreference> {
    if u.when.is_specified() || offered.is_empty() {
        return None;
    }
    let words: Vec<&str> = u.normalized.split(' ').collect();
    if words.iter().any(|w| DEFERRAL_WORDS.contains(w)) {
        return None;
    }
    let times = offered.iter().map(|s| local(s.start, tz).time());
    let time = if words.contains(&"later") {
        let latest = times.max()?;
        let end = NaiveTime::from_hms_opt(23, 59, 59)?;
        let start = latest + Duration::minutes(1);
        (start < end && start > latest).then_some(TimeSpec::Window { start, end })?
    } else if words.contains(&"earlier") {
        let earliest = times.min()?;
        (earliest > NaiveTime::MIN).then_some(TimeSpec::Window {
            start: NaiveTime::MIN,
            end: earliest,
        })?
    } else {
        return None;
    };
    Some(WhenPreference {
        date: old.unwrap_or_default().date,
        time,
    })
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
        moving: None,
    }
}
