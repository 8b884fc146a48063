//! Appointments in the database: the busy calendar, and the commit,
//! reschedule and cancel of bookings. `BookingActor` (one per tenant)
//! serialises commits within a process; the exclusion constraint on
//! `appointments` is the final arbiter across processes.

pub mod desk;
pub mod store;

pub use desk::{BookingActor, BookingDesk, Commit, CommitOutcome};
