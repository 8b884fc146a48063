//! The agent brain: understanding customers and driving bookings.

pub mod agent;
pub mod nlu;
pub mod tools;
