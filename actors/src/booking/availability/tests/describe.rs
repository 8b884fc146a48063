//! `describe*`: how slots are said in texts and on calls.

use chrono::Duration;
use chrono_tz::America::{Chicago, New_York};

use super::support::*;
use crate::booking::availability::{
    describe, describe_list, describe_list_relative, describe_relative, Slot,
};

/// A one-hour slot at a Chicago wall-clock time.
fn slot(y: i32, m: u32, dd: u32, h: u32, min: u32) -> Slot {
    let start = at(y, m, dd, h, min);
    Slot {
        start,
        end: start + Duration::hours(1),
        crew: 0,
    }
}

#[test]
fn describe_says_weekday_date_and_time() {
    let cases = [
        (slot(2026, 12, 5, 10, 0), "Sat Dec 5 at 10:00 AM"),
        (slot(2026, 12, 5, 14, 30), "Sat Dec 5 at 2:30 PM"),
        (slot(2026, 12, 14, 8, 0), "Mon Dec 14 at 8:00 AM"),
        (slot(2026, 12, 31, 12, 0), "Thu Dec 31 at 12:00 PM"),
    ];
    for (slot, expected) in cases {
        assert_eq!(describe(&slot, Chicago), expected);
    }
    assert_eq!(
        describe(&slot(2026, 12, 5, 10, 0), New_York),
        "Sat Dec 5 at 11:00 AM"
    );
}

#[test]
fn describe_relative_says_today_and_tomorrow() {
    let now = at(2026, 12, 7, 21, 0);
    let cases = [
        (slot(2026, 12, 7, 22, 30), "today at 10:30 PM"),
        (slot(2026, 12, 8, 14, 30), "tomorrow at 2:30 PM"),
        (slot(2026, 12, 9, 9, 0), "Wed Dec 9 at 9:00 AM"),
        (slot(2026, 12, 6, 9, 0), "Sun Dec 6 at 9:00 AM"),
    ];
    for (slot, expected) in cases {
        assert_eq!(describe_relative(&slot, now, Chicago), expected);
    }
}

#[test]
fn relative_days_are_local_days_not_utc_days() {
    let now = at(2026, 12, 7, 20, 0);
    assert_eq!(
        describe_relative(&slot(2026, 12, 8, 8, 0), now, Chicago),
        "tomorrow at 8:00 AM"
    );
}

#[test]
fn lists_are_numbered_one_per_line() {
    let slots = [slot(2026, 12, 5, 10, 0), slot(2026, 12, 8, 14, 30)];
    assert_eq!(
        describe_list(&slots, Chicago),
        "1) Sat Dec 5 at 10:00 AM\n2) Tue Dec 8 at 2:30 PM"
    );
    assert_eq!(
        describe_list_relative(&slots, at(2026, 12, 7, 9, 0), Chicago),
        "1) Sat Dec 5 at 10:00 AM\n2) tomorrow at 2:30 PM"
    );
    assert_eq!(describe_list(&[], Chicago), "");
}
