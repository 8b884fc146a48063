//! A tenant's booking rules: when and how much work it takes, seeded from
//! its industry pack and overridden from `tenant_config.booking_rules`.

use chrono::{Duration, NaiveDate};
use chrono_tz::Tz;
use serde::Serialize;

use super::rules_serde::{minutes, tz_name};
use crate::packs::{BusinessHours, PackDefaults};

/// Start times are offered on this grid unless a tenant says otherwise.
pub const DEFAULT_SLOT_STEP_MINUTES: u32 = 30;

/// How many days ahead bookings are offered unless a tenant says otherwise.
pub const DEFAULT_HORIZON_DAYS: u16 = 14;

/// The engine never looks further ahead than this, whatever the rules say,
/// so a bad setting cannot make it walk years of calendar.
pub const MAX_HORIZON_DAYS: u16 = 366;

/// Everything the availability engine needs to know about a tenant's
/// schedule. Kept free of I/O so the engine can be tested and reused by
/// the booking actor, the SMS agent and the web booking page alike.
///
/// Serialised as JSON with durations in whole minutes
/// (`travel_buffer_minutes`, `lead_time_minutes`, `slot_step_minutes`);
/// read it back with [`AvailabilityRules::from_stored`], which fills
/// whatever is missing from the tenant's pack.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AvailabilityRules {
    /// The business's time zone: hours, days and slot grid are local to it.
    #[serde(serialize_with = "tz_name")]
    pub time_zone: Tz,
    /// When jobs may run, per weekday; a missing day is closed.
    pub hours: BusinessHours,
    /// How many crews (technicians, vans) can work jobs at the same time.
    pub crews: u8,
    /// Time kept free before and after every job of the same crew, for
    /// driving between customers. Negative values count as zero.
    #[serde(rename = "travel_buffer_minutes", serialize_with = "minutes")]
    pub travel_buffer: Duration,
    /// Minimum notice between now and the start of a job. Negative values
    /// count as zero: nothing is ever offered in the past.
    #[serde(rename = "lead_time_minutes", serialize_with = "minutes")]
    pub lead_time: Duration,
    /// Granularity of offered start times, counted from the day's opening
    /// time. A step under one minute yields no slots.
    #[serde(rename = "slot_step_minutes", serialize_with = "minutes")]
    pub slot_step: Duration,
    /// How many days after today (local) can still be booked; today plus
    /// this many days are bookable. Capped at [`MAX_HORIZON_DAYS`].
    pub horizon_days: u16,
    /// Local dates the business takes no jobs (holidays, vacations).
    pub blackout_dates: Vec<NaiveDate>,
}

impl AvailabilityRules {
    /// The rules a tenant of an industry starts with, before it changes a
    /// setting: the pack's hours, crews, buffer and lead time, a 30-minute
    /// grid, a 14-day horizon and no blackout dates.
    pub fn from_pack_defaults(pack: &PackDefaults) -> Self {
        Self {
            time_zone: pack.time_zone,
            hours: pack.hours,
            crews: pack.crews,
            travel_buffer: Duration::minutes(i64::from(pack.travel_buffer_minutes)),
            lead_time: Duration::hours(i64::from(pack.lead_time_hours)),
            slot_step: Duration::minutes(i64::from(DEFAULT_SLOT_STEP_MINUTES)),
            horizon_days: DEFAULT_HORIZON_DAYS,
            blackout_dates: Vec::new(),
        }
    }

    /// Whether `date` is one of the tenant's blackout dates.
    pub fn is_blackout(&self, date: NaiveDate) -> bool {
        self.blackout_dates.contains(&date)
    }

    /// The horizon actually used by the engine (capped).
    pub(super) fn effective_horizon_days(&self) -> u16 {
        self.horizon_days.min(MAX_HORIZON_DAYS)
    }

    /// The travel buffer, never negative.
    pub(super) fn effective_buffer(&self) -> Duration {
        self.travel_buffer.max(Duration::zero())
    }

    /// The lead time, never negative.
    pub(super) fn effective_lead_time(&self) -> Duration {
        self.lead_time.max(Duration::zero())
    }
}
