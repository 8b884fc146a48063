//! The agent brain: understanding customers and driving bookings.
