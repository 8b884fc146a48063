//! The engine's clock, injectable so tests and scripted conversations run
//! at a fixed "now" while production reads the system time.

use chrono::{DateTime, Utc};
use std::sync::Arc;

/// A source of the current time.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// The system clock.
pub fn system_clock() -> Clock {
    Arc::new(Utc::now)
}

/// A clock stopped at `at`.
pub fn fixed_clock(at: DateTime<Utc>) -> Clock {
    Arc::new(move || at)
}
