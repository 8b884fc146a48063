//! `fits`: re-validating a slot at commit time, one case per rejection.

use chrono::Duration;

use super::support::*;
use crate::booking::availability::{fits, AvailabilityRules, SlotRejection};

#[test]
fn fits_reports_each_reason_a_start_cannot_be_booked() {
    let mut rules = AvailabilityRules {
        lead_time: hours(2),
        crews: 2,
        travel_buffer: mins(15),
        ..rules()
    };
    rules.blackout_dates = vec![d(2026, 12, 10)];
    rules.hours.sun = None;
    let thu_busy = [
        busy(0, at(2026, 12, 11, 10, 0), hours(1)),
        busy(1, at(2026, 12, 11, 10, 0), hours(1)),
    ];
    let now = monday_morning();
    let cases = [
        ("free", at(2026, 12, 8, 10, 0), hours(1), Ok(0)),
        ("off the grid", at(2026, 12, 8, 10, 15), hours(1), Ok(0)),
        ("ends at closing", at(2026, 12, 8, 14, 0), hours(4), Ok(0)),
        (
            "no duration",
            at(2026, 12, 8, 10, 0),
            Duration::zero(),
            Err(SlotRejection::InvalidDuration),
        ),
        (
            "negative duration",
            at(2026, 12, 8, 10, 0),
            hours(-1),
            Err(SlotRejection::InvalidDuration),
        ),
        (
            "inside lead time",
            at(2026, 12, 7, 7, 30),
            hours(1),
            Err(SlotRejection::TooSoon),
        ),
        (
            "in the past",
            at(2026, 12, 1, 10, 0),
            hours(1),
            Err(SlotRejection::TooSoon),
        ),
        ("last horizon day", at(2026, 12, 21, 17, 0), hours(1), Ok(0)),
        (
            "past the horizon",
            at(2026, 12, 22, 8, 0),
            hours(1),
            Err(SlotRejection::BeyondHorizon),
        ),
        (
            "blackout",
            at(2026, 12, 10, 10, 0),
            hours(1),
            Err(SlotRejection::Blackout),
        ),
        (
            "runs past closing",
            at(2026, 12, 8, 15, 0),
            hours(4),
            Err(SlotRejection::OutsideHours),
        ),
        (
            "closed weekday",
            at(2026, 12, 13, 10, 0),
            hours(1),
            Err(SlotRejection::OutsideHours),
        ),
        (
            "both crews busy",
            at(2026, 12, 11, 9, 0),
            hours(1),
            Err(SlotRejection::Taken),
        ),
        (
            "after the buffer",
            at(2026, 12, 11, 11, 15),
            hours(1),
            Ok(0),
        ),
    ];
    for (name, start, length, expected) in cases {
        assert_eq!(
            fits(&rules, &thu_busy, start, length, now),
            expected,
            "{name}"
        );
    }
}

#[test]
fn before_opening_is_outside_hours() {
    let result = fits(
        &rules(),
        &[],
        at(2026, 12, 8, 7, 30),
        hours(1),
        monday_morning(),
    );
    assert_eq!(result, Err(SlotRejection::OutsideHours));
}

#[test]
fn a_third_overlapping_job_is_refused_with_two_crews() {
    let rules = AvailabilityRules {
        crews: 2,
        ..rules()
    };
    let ten = at(2026, 12, 8, 10, 0);
    let mut booked = Vec::new();
    for expected in [Ok(0), Ok(1), Err(SlotRejection::Taken)] {
        let result = fits(&rules, &booked, ten, hours(2), monday_morning());
        assert_eq!(result, expected);
        if let Ok(crew) = result {
            booked.push(busy(crew, ten, hours(2)));
        }
    }
}

#[test]
fn rejections_read_as_sentences() {
    assert_eq!(
        SlotRejection::Taken.to_string(),
        "that time is already taken"
    );
    assert_eq!(
        SlotRejection::TooSoon.to_string(),
        "that time is too soon to book"
    );
}
