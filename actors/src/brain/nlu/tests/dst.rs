//! Daylight-saving edges: US spring-forward 2026-03-08 and fall-back
//! 2026-11-01, in America/Chicago.

use chrono::{TimeZone, Utc};

use super::{d, detailer, t, CHICAGO};
use crate::brain::nlu::{understand, DateSpec, TimeSpec, WhenPreference};

fn when(text: &str, now: chrono::DateTime<Utc>) -> WhenPreference {
    understand(text, &detailer(), now, CHICAGO).when
}

#[test]
fn today_follows_the_tenant_wall_clock_across_spring_forward() {
    let late_saturday = Utc.with_ymd_and_hms(2026, 3, 8, 5, 30, 0).unwrap();
    assert_eq!(when("tomorrow", late_saturday).date, DateSpec::ExactDate(d(2026, 3, 8)));
    let early_sunday = Utc.with_ymd_and_hms(2026, 3, 8, 7, 30, 0).unwrap();
    assert_eq!(when("tomorrow", early_sunday).date, DateSpec::ExactDate(d(2026, 3, 9)));
    let after_change = Utc.with_ymd_and_hms(2026, 3, 8, 8, 30, 0).unwrap();
    assert_eq!(when("today", after_change).date, DateSpec::ExactDate(d(2026, 3, 8)));
}

#[test]
fn instants_use_the_offset_of_that_day() {
    let wednesday = Utc.with_ymd_and_hms(2026, 3, 4, 15, 0, 0).unwrap();
    let saturday = when("saturday 10am", wednesday);
    assert_eq!(saturday.exact_instant(CHICAGO), Some(Utc.with_ymd_and_hms(2026, 3, 7, 16, 0, 0).unwrap()));
    let sunday = when("sunday 10am", wednesday);
    assert_eq!(sunday.exact_instant(CHICAGO), Some(Utc.with_ymd_and_hms(2026, 3, 8, 15, 0, 0).unwrap()));
    assert!(sunday.matches(Utc.with_ymd_and_hms(2026, 3, 8, 15, 0, 0).unwrap(), CHICAGO));
    assert!(!sunday.matches(Utc.with_ymd_and_hms(2026, 3, 8, 16, 0, 0).unwrap(), CHICAGO));
}

#[test]
fn a_time_in_the_spring_gap_moves_forward() {
    let early_sunday = Utc.with_ymd_and_hms(2026, 3, 8, 7, 30, 0).unwrap();
    let pref = when("today at 2:30am", early_sunday);
    assert_eq!(pref.time, TimeSpec::Exact(t(2, 30)));
    assert_eq!(pref.exact_instant(CHICAGO), Some(Utc.with_ymd_and_hms(2026, 3, 8, 8, 30, 0).unwrap()));
}

#[test]
fn a_repeated_fall_back_time_takes_the_first_occurrence() {
    let first_130 = Utc.with_ymd_and_hms(2026, 11, 1, 6, 30, 0).unwrap();
    let pref = when("today at 1:30am", first_130);
    assert_eq!(pref.date, DateSpec::ExactDate(d(2026, 11, 1)));
    assert_eq!(pref.exact_instant(CHICAGO), Some(first_130));
    let ten = when("today 10am", first_130);
    assert_eq!(ten.exact_instant(CHICAGO), Some(Utc.with_ymd_and_hms(2026, 11, 1, 16, 0, 0).unwrap()));
}

#[test]
fn today_follows_the_tenant_wall_clock_across_fall_back() {
    let halloween_night = Utc.with_ymd_and_hms(2026, 11, 1, 4, 30, 0).unwrap();
    assert_eq!(when("tomorrow", halloween_night).date, DateSpec::ExactDate(d(2026, 11, 1)));
    let second_130 = Utc.with_ymd_and_hms(2026, 11, 1, 7, 30, 0).unwrap();
    assert_eq!(when("tomorrow", second_130).date, DateSpec::ExactDate(d(2026, 11, 2)));
    assert_eq!(when("next sunday", second_130).date, DateSpec::ExactDate(d(2026, 11, 8)));
}

#[test]
fn next_weekday_rule_across_the_week() {
    let monday = Utc.with_ymd_and_hms(2026, 3, 2, 15, 0, 0).unwrap();
    assert_eq!(when("next tuesday", monday).date, DateSpec::ExactDate(d(2026, 3, 10)));
    assert_eq!(when("tuesday", monday).date, DateSpec::ExactDate(d(2026, 3, 3)));
    let friday = Utc.with_ymd_and_hms(2026, 3, 6, 15, 0, 0).unwrap();
    assert_eq!(when("next monday", friday).date, DateSpec::ExactDate(d(2026, 3, 9)));
    let sunday = Utc.with_ymd_and_hms(2026, 3, 1, 18, 0, 0).unwrap();
    assert_eq!(when("next monday", sunday).date, DateSpec::ExactDate(d(2026, 3, 2)));
    assert_eq!(when("this weekend", sunday).date, DateSpec::Weekend { saturday: d(2026, 2, 28) });
}

#[test]
fn past_dates_roll_forward() {
    let december_10 = Utc.with_ymd_and_hms(2026, 12, 10, 18, 0, 0).unwrap();
    assert_eq!(when("12/5", december_10).date, DateSpec::ExactDate(d(2027, 12, 5)));
    assert_eq!(when("dec 5", december_10).date, DateSpec::ExactDate(d(2027, 12, 5)));
    assert_eq!(when("the 5th", december_10).date, DateSpec::ExactDate(d(2027, 1, 5)));
    assert_eq!(when("12/10", december_10).date, DateSpec::ExactDate(d(2026, 12, 10)));
    let jan_31 = Utc.with_ymd_and_hms(2026, 1, 31, 18, 0, 0).unwrap();
    assert_eq!(when("the 30th", jan_31).date, DateSpec::ExactDate(d(2026, 3, 30)));
}
