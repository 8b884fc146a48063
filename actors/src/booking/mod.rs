//! Booking: availability, slot holds and the commit of appointments.

pub mod availability;
