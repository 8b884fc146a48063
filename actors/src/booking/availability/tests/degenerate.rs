//! Degenerate rules and inputs: never a panic, no slots where nothing
//! makes sense.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::support::*;
use crate::booking::availability::{
    fits, free_slots, offer, AvailabilityRules, Busy, DayFilter, SlotPreference, SlotRejection,
    TimeWindow,
};
use crate::packs::OpenHours;

#[test]
fn degenerate_rules_give_no_slots_and_never_panic() {
    let backwards = OpenHours {
        open: t(18, 0),
        close: t(8, 0),
    };
    let cases: [(&str, AvailabilityRules, Duration, Option<SlotRejection>); 6] = [
        (
            "close before open",
            AvailabilityRules {
                hours: every_day(backwards),
                ..rules()
            },
            hours(1),
            Some(SlotRejection::OutsideHours),
        ),
        (
            "zero crews",
            AvailabilityRules {
                crews: 0,
                ..rules()
            },
            hours(1),
            Some(SlotRejection::Taken),
        ),
        (
            "zero duration",
            rules(),
            Duration::zero(),
            Some(SlotRejection::InvalidDuration),
        ),
        (
            "negative duration",
            rules(),
            hours(-2),
            Some(SlotRejection::InvalidDuration),
        ),
        (
            "zero step",
            AvailabilityRules {
                slot_step: Duration::zero(),
                ..rules()
            },
            hours(1),
            None,
        ),
        (
            "negative step",
            AvailabilityRules {
                slot_step: mins(-30),
                ..rules()
            },
            hours(1),
            None,
        ),
    ];
    let now = monday_morning();
    for (name, rules, length, rejection) in cases {
        assert!(
            free_slots(&rules, &[], length, now, d(2026, 12, 7), d(2026, 12, 21)).is_empty(),
            "{name}"
        );
        let offered = offer(&rules, &[], length, now, &SlotPreference::default(), 3);
        assert!(offered.slots.is_empty(), "{name}");
        let result = fits(&rules, &[], at(2026, 12, 8, 10, 0), length, now);
        match rejection {
            Some(reason) => assert_eq!(result, Err(reason), "{name}"),
            None => assert_eq!(result, Ok(0), "{name}: fits ignores the grid"),
        }
    }
}

#[test]
fn extreme_instants_durations_and_ranges_do_not_panic() {
    let huge = AvailabilityRules {
        travel_buffer: Duration::MAX,
        lead_time: Duration::MAX,
        horizon_days: u16::MAX,
        crews: u8::MAX,
        ..rules()
    };
    let busy_far = [
        Busy {
            crew: 0,
            start: DateTime::<Utc>::MIN_UTC,
            end: DateTime::<Utc>::MAX_UTC,
        },
        Busy {
            crew: 254,
            start: DateTime::<Utc>::MAX_UTC,
            end: DateTime::<Utc>::MIN_UTC,
        },
    ];
    let instants = [
        DateTime::<Utc>::MIN_UTC,
        monday_morning(),
        DateTime::<Utc>::MAX_UTC,
    ];
    let lengths = [Duration::MAX, Duration::MIN, mins(1), hours(1)];
    let preference = SlotPreference {
        days: DayFilter::Dates(vec![NaiveDate::MIN, NaiveDate::MAX]),
        window: TimeWindow::Between(t(23, 0), t(1, 0)),
        earliest: true,
        moving: None,
    };
    for rules in [rules(), huge] {
        for now in instants {
            for length in lengths {
                let slots = free_slots(
                    &rules,
                    &busy_far,
                    length,
                    now,
                    NaiveDate::MIN,
                    NaiveDate::MAX,
                );
                assert!(slots.iter().all(|s| s.start >= now));
                let _ = offer(&rules, &busy_far, length, now, &preference, 3);
                let _ = offer(
                    &rules,
                    &[],
                    length,
                    now,
                    &SlotPreference::default(),
                    usize::MAX,
                );
                let _ = fits(&rules, &busy_far, now, length, now);
            }
        }
    }
}

#[test]
fn a_huge_horizon_is_capped() {
    let rules = AvailabilityRules {
        horizon_days: u16::MAX,
        slot_step: hours(10),
        ..rules()
    };
    let slots = free_slots(
        &rules,
        &[],
        hours(1),
        monday_morning(),
        NaiveDate::MIN,
        NaiveDate::MAX,
    );
    assert_eq!(slots.len(), 367);
}
