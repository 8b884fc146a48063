//! The agent brain: understanding customers and driving bookings.

pub mod agent;
pub mod db_tools;
pub mod engine;
pub mod identity;
pub mod llm;
pub mod nlu;
pub mod phrasing;
pub mod timing;
pub mod tools;
