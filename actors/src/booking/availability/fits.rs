//! Re-checking one start time at commit time: the customer may confirm
//! minutes after the offer, and someone else may have booked since.

use chrono::{DateTime, Duration, Utc};

use super::calendar::{bookable_dates, local_time, within_hours};
use super::crews::free_crew;
use super::rules::AvailabilityRules;
use super::slot::Busy;

/// Why a start time cannot be booked, in the order [`fits`] checks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SlotRejection {
    /// The job has no length (zero or negative duration).
    #[error("the job has no duration")]
    InvalidDuration,
    /// The start is in the past or inside the lead time.
    #[error("that time is too soon to book")]
    TooSoon,
    /// The start is on a local date past the booking horizon.
    #[error("that date is too far ahead to book")]
    BeyondHorizon,
    /// The start is on one of the tenant's blackout dates.
    #[error("the business is closed that day")]
    Blackout,
    /// The job does not fit inside that day's business hours (including
    /// closed weekdays and hours that close before they open).
    #[error("the job does not fit in business hours")]
    OutsideHours,
    /// No crew is free for the job and its travel buffers (always so with
    /// zero crews).
    #[error("that time is already taken")]
    Taken,
}

/// Checks that a job of `duration` starting at `start` can still be
/// booked at `now`, and returns the lowest-numbered free crew.
///
/// The start need not lie on the slot grid (a customer may ask for
/// 10:15), and since it is an instant it may be either occurrence of a
/// local time repeated by a DST fall-back; every other rule of
/// [`free_slots`](super::free_slots) applies, so a slot it offered passes
/// unless time or other bookings have moved on.
pub fn fits(
    rules: &AvailabilityRules,
    busy: &[Busy],
    start: DateTime<Utc>,
    duration: Duration,
    now: DateTime<Utc>,
) -> Result<u8, SlotRejection> {
    if duration <= Duration::zero() {
        return Err(SlotRejection::InvalidDuration);
    }
    let earliest = now
        .checked_add_signed(rules.effective_lead_time())
        .ok_or(SlotRejection::TooSoon)?;
    if start < earliest {
        return Err(SlotRejection::TooSoon);
    }
    let local_start = local_time(rules.time_zone, start);
    let date = local_start.date();
    let (_, last) = bookable_dates(rules, now);
    if date > last {
        return Err(SlotRejection::BeyondHorizon);
    }
    if rules.is_blackout(date) {
        return Err(SlotRejection::Blackout);
    }
    let end = start
        .checked_add_signed(duration)
        .ok_or(SlotRejection::OutsideHours)?;
    let local_end = local_time(rules.time_zone, end);
    let inside = rules
        .hours
        .on(chrono::Datelike::weekday(&date))
        .is_some_and(|hours| within_hours(hours, date, local_start, local_end));
    if !inside {
        return Err(SlotRejection::OutsideHours);
    }
    free_crew(rules, busy, start, end).ok_or(SlotRejection::Taken)
}
