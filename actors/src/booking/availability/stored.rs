//! Reading a tenant's stored booking rules (`tenant_config.booking_rules`)
//! on top of its pack's defaults.

use chrono::{Duration, NaiveDate, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::rules::{AvailabilityRules, MAX_HORIZON_DAYS};
use crate::packs::{BusinessHours, PackDefaults};

/// The longest slot step a tenant may set: one start a day.
const MAX_SLOT_STEP_MINUTES: i64 = 24 * 60;

/// A tenant's changes to its pack's booking rules, as stored in JSON.
/// Every field is optional: a missing one keeps the pack's value, and
/// fields this version does not know are ignored, so older and newer
/// servers can read the same row.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RulesOverrides {
    /// IANA time zone name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// Weekly opening hours, replacing the pack's as a whole.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hours: Option<BusinessHours>,
    /// Number of parallel crews; zero pauses booking.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crews: Option<u8>,
    /// Minutes kept free before and after each job of a crew.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub travel_buffer_minutes: Option<u32>,
    /// Minimum notice in minutes; wins over `lead_time_hours`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lead_time_minutes: Option<u32>,
    /// Minimum notice in hours, the unit the packs use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lead_time_hours: Option<u32>,
    /// Granularity of start times in minutes (1 to 1440).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slot_step_minutes: Option<u32>,
    /// How many days ahead can be booked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub horizon_days: Option<u16>,
    /// Local dates with no jobs, replacing any earlier list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blackout_dates: Option<Vec<NaiveDate>>,
}

/// Why stored booking rules cannot be used; shown to the tenant when it
/// edits its settings, so each names the offending setting.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RulesError {
    /// The JSON does not have the shape of booking rules.
    #[error("booking rules are malformed: {0}")]
    Malformed(String),
    /// The time zone is not an IANA name.
    #[error("unknown time zone {0:?}")]
    UnknownTimeZone(String),
    /// The slot step is not between 1 and 1440 minutes.
    #[error("slot step of {0} minutes is not between 1 and 1440")]
    SlotStep(i64),
    /// The horizon is longer than the engine looks ahead.
    #[error("booking horizon of {0} days is over the {MAX_HORIZON_DAYS}-day limit")]
    Horizon(u16),
    /// A day's hours close at or before they open (overnight hours are
    /// not supported).
    #[error("hours for {0} close at or before they open")]
    Hours(Weekday),
}

impl RulesOverrides {
    /// Applies these overrides to `pack`'s defaults and checks the result.
    pub fn resolve(self, pack: &PackDefaults) -> Result<AvailabilityRules, RulesError> {
        let mut rules = AvailabilityRules::from_pack_defaults(pack);
        if let Some(name) = self.time_zone {
            rules.time_zone = name
                .parse::<Tz>()
                .map_err(|_| RulesError::UnknownTimeZone(name))?;
        }
        if let Some(hours) = self.hours {
            rules.hours = hours;
        }
        if let Some(crews) = self.crews {
            rules.crews = crews;
        }
        if let Some(buffer) = self.travel_buffer_minutes {
            rules.travel_buffer = Duration::minutes(i64::from(buffer));
        }
        match (self.lead_time_minutes, self.lead_time_hours) {
            (Some(minutes), _) => rules.lead_time = Duration::minutes(i64::from(minutes)),
            (None, Some(hours)) => rules.lead_time = Duration::hours(i64::from(hours)),
            (None, None) => {}
        }
        if let Some(step) = self.slot_step_minutes {
            rules.slot_step = Duration::minutes(i64::from(step));
        }
        if let Some(days) = self.horizon_days {
            rules.horizon_days = days;
        }
        if let Some(dates) = self.blackout_dates {
            rules.blackout_dates = dates;
        }
        rules.validate()?;
        Ok(rules)
    }
}

impl AvailabilityRules {
    /// The rules for a tenant: `stored` (the `tenant_config.booking_rules`
    /// JSON, `{}` or `null` for none) over its pack's defaults.
    pub fn from_stored(
        pack: &PackDefaults,
        stored: &serde_json::Value,
    ) -> Result<Self, RulesError> {
        if stored.is_null() {
            return RulesOverrides::default().resolve(pack);
        }
        let overrides = RulesOverrides::deserialize(stored)
            .map_err(|error| RulesError::Malformed(error.to_string()))?;
        overrides.resolve(pack)
    }

    /// Checks the rules a tenant can set: a slot step of 1 to 1440
    /// minutes, a horizon within the engine's limit and hours that close
    /// after they open. The engine itself never panics on rules that fail
    /// this; it just finds no slots where they make no sense.
    pub fn validate(&self) -> Result<(), RulesError> {
        let step = self.slot_step.num_minutes();
        if self.slot_step < Duration::minutes(1) || step > MAX_SLOT_STEP_MINUTES {
            return Err(RulesError::SlotStep(step));
        }
        if self.horizon_days > MAX_HORIZON_DAYS {
            return Err(RulesError::Horizon(self.horizon_days));
        }
        for (day, hours) in self.hours.week() {
            if hours.is_some_and(|h| h.close <= h.open) {
                return Err(RulesError::Hours(day));
            }
        }
        Ok(())
    }
}
