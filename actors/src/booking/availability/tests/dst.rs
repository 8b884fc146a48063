//! Daylight saving time in America/Chicago: 2026-03-08 (02:00 jumps to
//! 03:00) and 2026-11-01 (02:00 falls back to 01:00).

use chrono::{DateTime, TimeZone, Utc};

use super::support::*;
use crate::booking::availability::{fits, free_slots, AvailabilityRules, Slot};
use crate::packs::OpenHours;

/// "Now" a week before the spring change.
fn early_march() -> DateTime<Utc> {
    at(2026, 3, 1, 6, 0)
}

/// "Now" a week before the autumn change.
fn late_october() -> DateTime<Utc> {
    at(2026, 10, 25, 6, 0)
}

/// Free slots on one date, with `rules`, at `now`.
fn day(rules: &AvailabilityRules, now: DateTime<Utc>, y: i32, m: u32, dd: u32) -> Vec<Slot> {
    free_slots(rules, &[], hours(1), now, d(y, m, dd), d(y, m, dd))
}

#[test]
fn business_days_around_dst_changes_have_the_usual_local_slots() {
    let cases = [
        (early_march(), (2026, 3, 4)),
        (early_march(), (2026, 3, 8)),
        (early_march(), (2026, 3, 9)),
        (late_october(), (2026, 10, 28)),
        (late_october(), (2026, 11, 1)),
        (late_october(), (2026, 11, 2)),
    ];
    for (now, (y, m, dd)) in cases {
        let slots = day(&rules(), now, y, m, dd);
        assert_eq!(slots.len(), 19, "{y}-{m}-{dd}");
        assert_eq!(slots.first().map(|s| s.start), Some(at(y, m, dd, 8, 0)));
        assert_eq!(slots.last().map(|s| s.start), Some(at(y, m, dd, 17, 0)));
        assert!(slots.iter().all(|s| s.end - s.start == hours(1)));
    }
}

#[test]
fn local_times_are_the_same_wall_clock_on_both_sides_of_the_change() {
    let before = day(&rules(), early_march(), 2026, 3, 7);
    let after = day(&rules(), early_march(), 2026, 3, 9);
    assert_eq!(
        before.first().map(|s| s.start),
        Some(Utc.with_ymd_and_hms(2026, 3, 7, 14, 0, 0).unwrap())
    );
    assert_eq!(
        after.first().map(|s| s.start),
        Some(Utc.with_ymd_and_hms(2026, 3, 9, 13, 0, 0).unwrap())
    );
}

/// Night hours 00:00–06:00, so the change falls inside them.
fn night_rules() -> AvailabilityRules {
    AvailabilityRules {
        hours: every_day(OpenHours {
            open: t(0, 0),
            close: t(6, 0),
        }),
        ..rules()
    }
}

#[test]
fn spring_forward_skips_start_times_that_do_not_exist() {
    let rules = night_rules();
    let slots = free_slots(
        &rules,
        &[],
        mins(30),
        early_march(),
        d(2026, 3, 8),
        d(2026, 3, 8),
    );
    assert_eq!(slots.len(), 10);
    let normal = free_slots(
        &rules,
        &[],
        mins(30),
        early_march(),
        d(2026, 3, 7),
        d(2026, 3, 7),
    );
    assert_eq!(normal.len(), 12);
    let one_thirty = at(2026, 3, 8, 1, 30);
    assert!(slots.iter().any(|s| s.start == one_thirty));
    assert!(slots.iter().any(|s| s.start == at(2026, 3, 8, 3, 0)));
    assert_eq!(one_thirty + mins(30), at(2026, 3, 8, 3, 0));
}

#[test]
fn fall_back_offers_repeated_times_once_at_their_first_occurrence() {
    let rules = night_rules();
    let slots = free_slots(
        &rules,
        &[],
        mins(30),
        late_october(),
        d(2026, 11, 1),
        d(2026, 11, 1),
    );
    assert_eq!(slots.len(), 12);
    let first_one_am = Utc.with_ymd_and_hms(2026, 11, 1, 6, 0, 0).unwrap();
    let second_one_am = Utc.with_ymd_and_hms(2026, 11, 1, 7, 0, 0).unwrap();
    assert!(slots.iter().any(|s| s.start == first_one_am));
    assert!(!slots.iter().any(|s| s.start == second_one_am));
}

#[test]
fn a_job_across_the_change_is_measured_in_real_time() {
    let rules = night_rules();
    let start = at(2026, 3, 8, 1, 0);
    assert_eq!(fits(&rules, &[], start, hours(4), early_march()), Ok(0));
    assert!(fits(&rules, &[], start, hours(5), early_march()).is_err());
}
