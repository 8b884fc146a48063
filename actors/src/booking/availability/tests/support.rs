//! Shared fixtures: a Chicago business open 8:00–18:00 every day.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::America::Chicago;

use crate::booking::availability::{AvailabilityRules, Busy};
use crate::packs::{BusinessHours, OpenHours};

/// Local date.
pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Local time of day.
pub fn t(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

/// The instant of a Chicago wall-clock time (first occurrence).
pub fn at(y: i32, m: u32, day: u32, h: u32, min: u32) -> DateTime<Utc> {
    Chicago
        .from_local_datetime(&d(y, m, day).and_time(t(h, min)))
        .earliest()
        .unwrap()
        .with_timezone(&Utc)
}

/// Hours 8:00–18:00.
pub fn eight_to_six() -> OpenHours {
    OpenHours {
        open: t(8, 0),
        close: t(18, 0),
    }
}

/// Open every day with the same hours.
pub fn every_day(hours: OpenHours) -> BusinessHours {
    BusinessHours {
        mon: Some(hours),
        tue: Some(hours),
        wed: Some(hours),
        thu: Some(hours),
        fri: Some(hours),
        sat: Some(hours),
        sun: Some(hours),
    }
}

/// One crew, no buffer, no lead time, 30-minute grid, 14-day horizon,
/// open 8–18 every day, in Chicago.
pub fn rules() -> AvailabilityRules {
    AvailabilityRules {
        time_zone: Chicago,
        hours: every_day(eight_to_six()),
        crews: 1,
        travel_buffer: Duration::zero(),
        lead_time: Duration::zero(),
        slot_step: Duration::minutes(30),
        horizon_days: 14,
        blackout_dates: Vec::new(),
    }
}

/// Minutes.
pub fn mins(n: i64) -> Duration {
    Duration::minutes(n)
}

/// Hours.
pub fn hours(n: i64) -> Duration {
    Duration::hours(n)
}

/// An appointment for `crew` from `start` lasting `length`.
pub fn busy(crew: u8, start: DateTime<Utc>, length: Duration) -> Busy {
    Busy {
        crew,
        start,
        end: start + length,
    }
}

/// Monday 2026-12-07 06:00 Chicago: "now" in most tests.
pub fn monday_morning() -> DateTime<Utc> {
    at(2026, 12, 7, 6, 0)
}
