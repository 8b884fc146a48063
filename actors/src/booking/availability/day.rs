//! The start times of one local day where a job fits inside business
//! hours, before lead time and crews are considered.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};

use super::calendar::{grid, local_instant, local_time, open_hours, within_hours};
use super::rules::AvailabilityRules;

/// A start time on a local day where the whole job fits in the hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Candidate {
    /// The local wall-clock start.
    pub local: NaiveDateTime,
    /// The instant the job starts.
    pub start: DateTime<Utc>,
    /// The instant the job ends.
    pub end: DateTime<Utc>,
}

/// The job starting at local `local` on `date`, if that local time exists
/// (first occurrence when repeated) and the job fits the day's hours.
/// `None` on closed and blackout days and for non-positive durations.
pub(super) fn candidate_at(
    rules: &AvailabilityRules,
    date: NaiveDate,
    local: NaiveDateTime,
    duration: Duration,
) -> Option<Candidate> {
    if duration <= Duration::zero() {
        return None;
    }
    let hours = open_hours(rules, date)?;
    let start = local_instant(rules.time_zone, local)?;
    let end = start.checked_add_signed(duration)?;
    within_hours(hours, date, local, local_time(rules.time_zone, end)).then_some(Candidate {
        local,
        start,
        end,
    })
}

/// Every grid start on `date` where the job fits the day's hours, in
/// time order.
pub(super) fn day_candidates(
    rules: &AvailabilityRules,
    date: NaiveDate,
    duration: Duration,
) -> Vec<Candidate> {
    let Some(hours) = open_hours(rules, date) else {
        return Vec::new();
    };
    grid(date, hours, rules.slot_step)
        .filter_map(|local| candidate_at(rules, date, local, duration))
        .collect()
}
