//! A customer's timing in the availability engine's terms: the one mapping
//! from what was understood ([`WhenPreference`]: "next week", "saturday
//! morning", "first thing") to a [`SlotPreference`], used by the offline
//! engine and by the LLM's tool arguments alike.

use chrono::{Days, NaiveTime};

use crate::booking::availability::{DayFilter, SlotPreference, TimeWindow};
use crate::brain::nlu::{DateSpec, TimeSpec, WhenPreference};

/// The most days a range ("next week") expands to.
pub const MAX_RANGE_DAYS: u64 = 31;

/// The availability preference for `when`; `earliest` asks for the soonest
/// times even when nothing in `when` does ("as soon as possible" and "first
/// thing" always do).
pub fn slot_preference(when: &WhenPreference, earliest: bool) -> SlotPreference {
    let days = match when.date {
        DateSpec::Any | DateSpec::Asap => DayFilter::Any,
        DateSpec::ExactDate(d) => DayFilter::Date(d),
        DateSpec::Weekday(w) => DayFilter::Weekday(w),
        DateSpec::Weekend { saturday } => DayFilter::Dates(
            [Some(saturday), saturday.succ_opt()]
                .into_iter()
                .flatten()
                .collect(),
        ),
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
    SlotPreference {
        days,
        window,
        earliest: earliest || when.date == DateSpec::Asap || when.time == TimeSpec::FirstThing,
        moving: None,
    }
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, Weekday};

    use super::*;

    fn date(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, day).unwrap()
    }

    fn when(date: DateSpec, time: TimeSpec) -> WhenPreference {
        WhenPreference { date, time }
    }

    #[test]
    fn a_weekend_is_its_saturday_and_sunday() {
        let weekend = slot_preference(
            &when(DateSpec::Weekend { saturday: date(5) }, TimeSpec::Any),
            false,
        );
        assert_eq!(weekend.days, DayFilter::Dates(vec![date(5), date(6)]));
        assert!(!weekend.earliest);
    }

    #[test]
    fn a_range_is_its_days_and_stops_at_the_cap() {
        let week = slot_preference(
            &when(
                DateSpec::Range {
                    first: date(7),
                    last: date(13),
                },
                TimeSpec::Any,
            ),
            false,
        );
        assert_eq!(week.days, DayFilter::Dates((7..=13).map(date).collect()));
        let year = slot_preference(
            &when(
                DateSpec::Range {
                    first: date(1),
                    last: NaiveDate::from_ymd_opt(2027, 12, 1).unwrap(),
                },
                TimeSpec::Any,
            ),
            false,
        );
        let DayFilter::Dates(days) = year.days else {
            panic!("a range is a list of dates")
        };
        assert_eq!(days.len(), usize::try_from(MAX_RANGE_DAYS).unwrap());
    }

    #[test]
    fn first_thing_is_the_morning_and_the_soonest() {
        let first = slot_preference(
            &when(DateSpec::Weekday(Weekday::Tue), TimeSpec::FirstThing),
            false,
        );
        assert_eq!(first.days, DayFilter::Weekday(Weekday::Tue));
        assert_eq!(
            first.window,
            TimeWindow::Between(NaiveTime::MIN, NaiveTime::from_hms_opt(12, 0, 0).unwrap())
        );
        assert!(first.earliest);
        let asap = slot_preference(&when(DateSpec::Asap, TimeSpec::Any), false);
        assert!(asap.earliest);
        assert_eq!(asap.days, DayFilter::Any);
        let asked = slot_preference(&WhenPreference::default(), true);
        assert!(asked.earliest);
    }
}
