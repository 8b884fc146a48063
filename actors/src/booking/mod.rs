//! Booking: when a tenant can work and the appointments it has.
//!
//! * [`availability`] — the pure slot engine: rules, crews, the busy calendar,
//!   offers that fit a customer's preference.
//! * [`store`] — appointments in the database: the busy calendar, and the commit,
//!   reschedule and cancel of bookings.
//! * [`desk`] — `BookingActor` (one per tenant) serialises commits within a
//!   process; the exclusion constraint on `appointments` is the final arbiter
//!   across processes.

pub mod availability;
pub mod desk;
pub mod store;

pub use desk::{BookingActor, BookingDesk, Commit, CommitOutcome};
