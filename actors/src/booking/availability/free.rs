//! Every free start time in a range of local dates.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::calendar::{bookable_dates, dates};
use super::crews::free_crew;
use super::day::day_candidates;
use super::rules::AvailabilityRules;
use super::slot::{Busy, Slot};

/// Every slot for a job of `duration` on the local dates `from..=to`, in
/// time order: each start on the day's grid (opening time, then every
/// `slot_step`) where the whole job fits in that day's hours, that is at
/// least the lead time after `now`, inside the horizon, not on a blackout
/// date, and with a crew free including travel buffers on both sides
/// (the lowest-numbered such crew is chosen).
///
/// Local times skipped by a DST spring-forward are not offered; local
/// times repeated by a fall-back are offered once, at their first
/// occurrence. A zero or negative `duration`, zero crews or a slot step
/// under one minute give no slots.
pub fn free_slots(
    rules: &AvailabilityRules,
    busy: &[Busy],
    duration: Duration,
    now: DateTime<Utc>,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<Slot> {
    let Some(earliest) = now.checked_add_signed(rules.effective_lead_time()) else {
        return Vec::new();
    };
    if rules.crews == 0 {
        return Vec::new();
    }
    let (today, last) = bookable_dates(rules, now);
    dates(from.max(today), to.min(last))
        .flat_map(|date| day_candidates(rules, date, duration))
        .filter(|candidate| candidate.start >= earliest)
        .filter_map(|candidate| {
            free_crew(rules, busy, candidate.start, candidate.end).map(|crew| Slot {
                start: candidate.start,
                end: candidate.end,
                crew,
            })
        })
        .collect()
}
