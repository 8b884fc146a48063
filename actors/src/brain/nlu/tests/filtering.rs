//! The booking engine's side: filtering offered slots with a preference
//! and resolving a slot pick against the slots actually offered.

use chrono::{NaiveDateTime, Weekday};

use super::{d, t};
use crate::brain::nlu::{DateSpec, SlotChoice, TimeSpec, WhenPreference};

fn at(day: u32, hour: u32) -> NaiveDateTime {
    d(2026, 3, day).and_time(t(hour, 0))
}

#[test]
fn a_pick_resolves_to_one_offered_slot_or_none() {
    let offered = [at(6, 10), at(7, 10), at(7, 14)];
    assert_eq!(SlotChoice::Index(2).pick(&offered), Some(1));
    assert_eq!(SlotChoice::Index(4).pick(&offered), None);
    assert_eq!(SlotChoice::Index(0).pick(&offered), None);
    assert_eq!(SlotChoice::Last.pick(&offered), Some(2));
    assert_eq!(SlotChoice::ByTime(t(14, 0)).pick(&offered), Some(2));
    assert_eq!(
        SlotChoice::ByTime(t(10, 0)).pick(&offered),
        None,
        "two 10am slots"
    );
    assert_eq!(SlotChoice::ByDay(Weekday::Fri).pick(&offered), Some(0));
    assert_eq!(
        SlotChoice::ByDay(Weekday::Sat).pick(&offered),
        None,
        "two Saturday slots"
    );
    assert_eq!(
        SlotChoice::ByDayAndTime(Weekday::Sat, t(10, 0)).pick(&offered),
        Some(1)
    );
    assert_eq!(SlotChoice::ByDate(d(2026, 3, 6)).pick(&offered), Some(0));
    assert_eq!(SlotChoice::Last.pick(&[]), None);
}

#[test]
fn preferences_filter_local_slots() {
    let saturday_morning = WhenPreference {
        date: DateSpec::ExactDate(d(2026, 3, 7)),
        time: TimeSpec::Window {
            start: t(8, 0),
            end: t(12, 0),
        },
    };
    assert!(saturday_morning.matches_local(d(2026, 3, 7), t(8, 0)));
    assert!(!saturday_morning.matches_local(d(2026, 3, 7), t(12, 0)));
    assert!(!saturday_morning.matches_local(d(2026, 3, 8), t(9, 0)));
    let weekend = DateSpec::Weekend {
        saturday: d(2026, 3, 7),
    };
    assert!(weekend.contains(d(2026, 3, 8)) && !weekend.contains(d(2026, 3, 9)));
    assert!(DateSpec::Weekday(Weekday::Tue).contains(d(2026, 3, 10)));
    assert!(DateSpec::Asap.contains(d(2030, 1, 1)));
    assert!(TimeSpec::FirstThing.matches(t(8, 0)) && !TimeSpec::FirstThing.matches(t(13, 0)));
    assert!(!WhenPreference::default().is_specified());
    assert_eq!(
        WhenPreference::default().exact_instant(super::CHICAGO),
        None
    );
}

#[test]
fn earliest_and_latest_go_by_start_not_by_list_order() {
    let offered = [at(7, 15), at(7, 11), at(6, 13)];
    assert_eq!(SlotChoice::Earliest.pick(&offered), Some(2));
    assert_eq!(SlotChoice::Latest.pick(&offered), Some(0));
    assert_eq!(SlotChoice::Earliest.pick(&[]), None);
}
