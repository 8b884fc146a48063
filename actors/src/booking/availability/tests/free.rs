//! `free_slots`: hours, lead time, crews, buffers, blackouts, horizon.

use chrono::{Duration, NaiveDate};

use super::support::*;
use crate::booking::availability::{free_slots, AvailabilityRules, Busy, Slot};

/// Free slots on one local date for a job of `length`, at Monday 06:00.
fn on(rules: &AvailabilityRules, busy: &[Busy], length: Duration, date: NaiveDate) -> Vec<Slot> {
    free_slots(rules, busy, length, monday_morning(), date, date)
}

#[test]
fn jobs_fit_entirely_inside_the_days_hours() {
    let tue = d(2026, 12, 8);
    let cases = [
        (mins(30), 20, Some((8, 0)), Some((17, 30))),
        (hours(1), 19, Some((8, 0)), Some((17, 0))),
        (hours(4), 13, Some((8, 0)), Some((14, 0))),
        (hours(10), 1, Some((8, 0)), Some((8, 0))),
        (mins(630), 0, None, None),
    ];
    for (length, count, first, last) in cases {
        let slots = on(&rules(), &[], length, tue);
        assert_eq!(slots.len(), count, "{length}");
        let start = |slot: Option<&Slot>| slot.map(|s| s.start);
        assert_eq!(
            start(slots.first()),
            first.map(|(h, m)| at(2026, 12, 8, h, m))
        );
        assert_eq!(
            start(slots.last()),
            last.map(|(h, m)| at(2026, 12, 8, h, m))
        );
        assert!(slots.iter().all(|s| s.end - s.start == length));
    }
}

#[test]
fn a_four_hour_job_cannot_start_at_three_when_closing_at_six() {
    let slots = on(&rules(), &[], hours(4), d(2026, 12, 8));
    assert!(slots.iter().any(|s| s.start == at(2026, 12, 8, 14, 0)));
    assert!(!slots.iter().any(|s| s.start == at(2026, 12, 8, 15, 0)));
    assert!(!slots.iter().any(|s| s.start == at(2026, 12, 8, 14, 30)));
}

#[test]
fn lead_time_moves_the_first_slot() {
    let cases = [
        (Duration::zero(), at(2026, 12, 7, 8, 0)),
        (hours(3), at(2026, 12, 7, 9, 0)),
        (mins(200), at(2026, 12, 7, 9, 30)),
        (hours(24), at(2026, 12, 8, 8, 0)),
        (hours(27), at(2026, 12, 8, 9, 0)),
        (hours(-5), at(2026, 12, 7, 8, 0)),
    ];
    for (lead, first) in cases {
        let rules = AvailabilityRules {
            lead_time: lead,
            ..rules()
        };
        let slots = free_slots(
            &rules,
            &[],
            hours(1),
            monday_morning(),
            d(2026, 12, 7),
            d(2026, 12, 9),
        );
        assert_eq!(slots.first().map(|s| s.start), Some(first), "lead {lead}");
    }
}

#[test]
fn never_offers_a_time_already_past_today() {
    let now = at(2026, 12, 7, 12, 10);
    let slots = free_slots(&rules(), &[], hours(1), now, d(2026, 12, 7), d(2026, 12, 7));
    assert_eq!(
        slots.first().map(|s| s.start),
        Some(at(2026, 12, 7, 12, 30))
    );
}

#[test]
fn two_crews_take_overlapping_jobs_and_the_lowest_free_crew_is_chosen() {
    let rules = AvailabilityRules {
        crews: 2,
        ..rules()
    };
    let ten = at(2026, 12, 8, 10, 0);
    let find = |busy: &[Busy]| {
        on(&rules, busy, hours(1), d(2026, 12, 8))
            .into_iter()
            .find(|s| s.start == ten)
    };
    assert_eq!(find(&[]).map(|s| s.crew), Some(0));
    assert_eq!(find(&[busy(0, ten, hours(2))]).map(|s| s.crew), Some(1));
    assert_eq!(find(&[busy(1, ten, hours(2))]).map(|s| s.crew), Some(0));
    assert_eq!(
        find(&[busy(0, ten, hours(2)), busy(1, ten, hours(2))]),
        None
    );
}

#[test]
fn travel_buffer_is_kept_on_both_sides_of_an_appointment() {
    let rules = AvailabilityRules {
        travel_buffer: mins(30),
        ..rules()
    };
    let booked = [busy(0, at(2026, 12, 8, 10, 0), hours(1))];
    let starts: Vec<_> = on(&rules, &booked, hours(1), d(2026, 12, 8))
        .iter()
        .map(|s| s.start)
        .collect();
    let cases = [
        ((8, 30), true),
        ((9, 0), false),
        ((10, 30), false),
        ((11, 0), false),
        ((11, 30), true),
    ];
    for ((h, m), free) in cases {
        assert_eq!(starts.contains(&at(2026, 12, 8, h, m)), free, "{h}:{m:02}");
    }
}

#[test]
fn blackout_dates_and_closed_weekdays_have_no_slots() {
    let mut rules = rules();
    rules.blackout_dates = vec![d(2026, 12, 8)];
    rules.hours.sun = None;
    let cases = [
        (d(2026, 12, 8), 0),
        (d(2026, 12, 9), 19),
        (d(2026, 12, 13), 0),
        (d(2026, 12, 12), 19),
    ];
    for (date, count) in cases {
        assert_eq!(on(&rules, &[], hours(1), date).len(), count, "{date}");
    }
}

#[test]
fn the_horizon_ends_today_plus_horizon_days() {
    let slots = free_slots(
        &rules(),
        &[],
        hours(1),
        monday_morning(),
        d(2026, 12, 1),
        d(2027, 2, 1),
    );
    assert_eq!(slots.first().map(|s| s.start), Some(at(2026, 12, 7, 8, 0)));
    assert_eq!(slots.last().map(|s| s.start), Some(at(2026, 12, 21, 17, 0)));
    assert_eq!(slots.len(), 15 * 19);
    let short = AvailabilityRules {
        horizon_days: 0,
        ..rules()
    };
    let today_only = free_slots(
        &short,
        &[],
        hours(1),
        monday_morning(),
        d(2026, 12, 1),
        d(2027, 2, 1),
    );
    assert_eq!(today_only.len(), 19);
}

#[test]
fn an_empty_or_past_range_has_no_slots() {
    assert!(free_slots(
        &rules(),
        &[],
        hours(1),
        monday_morning(),
        d(2026, 12, 9),
        d(2026, 12, 8)
    )
    .is_empty());
    assert!(free_slots(
        &rules(),
        &[],
        hours(1),
        monday_morning(),
        d(2026, 11, 1),
        d(2026, 12, 6)
    )
    .is_empty());
}

#[test]
fn appointments_of_removed_crews_block_nobody_and_backwards_ones_still_block() {
    let ten = at(2026, 12, 8, 10, 0);
    let removed_crew = [busy(3, ten, hours(1))];
    assert_eq!(
        on(&rules(), &removed_crew, hours(1), d(2026, 12, 8)).len(),
        19
    );
    let backwards = [Busy {
        crew: 0,
        start: ten + hours(1),
        end: ten,
    }];
    let slots = on(&rules(), &backwards, hours(1), d(2026, 12, 8));
    assert_eq!(slots.len(), 16);
    assert!(!slots.iter().any(|s| s.start == ten));
}

#[test]
fn slots_come_in_time_order() {
    let rules = AvailabilityRules {
        crews: 3,
        ..rules()
    };
    let slots = free_slots(
        &rules,
        &[],
        hours(2),
        monday_morning(),
        d(2026, 12, 7),
        d(2026, 12, 10),
    );
    assert!(slots.windows(2).all(|pair| pair[0].start < pair[1].start));
}
