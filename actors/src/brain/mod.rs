//! The agent brain: understanding customers and driving bookings.
pub mod nlu;
