//! The availability engine: which times a tenant can still take a job,
//! which few of them to offer a customer, how to say them, and whether a
//! chosen time is still free when the customer confirms. Pure functions
//! over [`AvailabilityRules`] and the tenant's existing appointments
//! ([`Busy`]); no I/O, so the booking actor, the SMS and voice agents and
//! the web booking page all get the same answers. The database remains
//! the final arbiter against double booking.
//!
//! # Rules
//!
//! * All calendar reasoning is in the tenant's local time: business hours,
//!   blackout dates, "today", the horizon and the start-time grid.
//! * A job fits a day when it starts at or after opening and ends at or
//!   before closing of that same local day. Hours that close at or before
//!   they open (overnight hours) give no slots that day.
//! * Start times are offered on a grid from the day's opening time, every
//!   `slot_step`. [`fits`] accepts any start time, on the grid or not.
//! * A start must be at least `lead_time` after now (never in the past),
//!   and on a local date no later than today plus `horizon_days`.
//! * Crews are numbered from 0. A crew is free when none of its
//!   appointments, widened by `travel_buffer` on both sides, overlaps the
//!   job; the lowest-numbered free crew is chosen.
//! * Daylight saving time: a local start time skipped by spring-forward
//!   (02:00–02:59 in America/Chicago on 2026-03-08) does not exist and is
//!   not offered; a local start time repeated by fall-back (01:00–01:59 on
//!   2026-11-01) is offered once, at its first (daylight-time)
//!   occurrence. Job lengths are real elapsed time.
//! * Degenerate input never panics: zero crews, a non-positive job
//!   duration, a slot step under a minute, or hours that close before they
//!   open give no slots; [`fits`] reports `InvalidDuration`, `Taken` or
//!   `OutsideHours` for them. Negative buffers and lead times count as
//!   zero; the horizon is capped at [`MAX_HORIZON_DAYS`].
//! * Tenants' stored rules are checked by [`AvailabilityRules::validate`]
//!   so such values are refused when they are set.

mod calendar;
mod crews;
mod day;
mod describe;
mod fits;
mod free;
mod note;
mod offer;
mod preference;
mod rules;
mod rules_serde;
mod slot;
mod spread;
mod stored;

#[cfg(test)]
mod tests;

pub use describe::{describe, describe_list, describe_list_relative, describe_relative};
pub use fits::{fits, SlotRejection};
pub use free::free_slots;
pub use note::OfferNote;
pub use offer::{offer, Offer};
pub use preference::{DayFilter, SlotPreference, TimeWindow};
pub use rules::{
    AvailabilityRules, DEFAULT_HORIZON_DAYS, DEFAULT_SLOT_STEP_MINUTES, MAX_HORIZON_DAYS,
};
pub use slot::{Busy, Slot};
pub use spread::MIN_SPREAD;
pub use stored::{RulesError, RulesOverrides};
