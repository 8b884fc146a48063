//! Booking: when a tenant can work and the appointments it has.
//!
//! * [`availability`] — the pure slot engine: rules, crews, the busy calendar,
//!   offers that fit a customer's preference.
//! * [`store`] — appointments in the database: the busy calendar, and the commit,
//!   reschedule and cancel of bookings.
//! * [`desk`] — `BookingActor` (one per tenant) serialises commits within a
//!   process; the exclusion constraint on `appointments` is the final arbiter
//!   across processes.
//! * [`link`] — a tenant's booking link (its own, else the hosted page).
//! * [`web_page`] — the hosted booking page's steps: what each shows, what
//!   each accepts, and the booking through the same desk and confirmation.

pub mod availability;
pub mod desk;
pub mod link;
pub mod store;
pub mod web_page;

pub use desk::{BookingActor, BookingDesk, Commit, CommitOutcome};
