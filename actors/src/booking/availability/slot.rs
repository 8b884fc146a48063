//! The two kinds of time intervals the engine deals in: work already
//! booked, and a free slot it can offer.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// An existing appointment occupying one crew. `end` is when the work
/// ends; the travel buffer is added by the engine on both sides, so
/// callers pass appointments exactly as stored.
///
/// An interval given backwards is read as running from the earlier to the
/// later instant. An interval for a crew the rules no longer have (crew
/// number not below `crews`) blocks nobody.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Busy {
    /// The crew doing the work, numbered from 0.
    pub crew: u8,
    /// When the work starts.
    pub start: DateTime<Utc>,
    /// When the work ends (without travel buffer).
    pub end: DateTime<Utc>,
}

/// A concrete time a job can be booked, and the crew that would do it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Slot {
    /// When the job starts.
    pub start: DateTime<Utc>,
    /// When the job ends (start plus its duration).
    pub end: DateTime<Utc>,
    /// The lowest-numbered crew free for the whole job and its buffers.
    pub crew: u8,
}

impl Busy {
    /// The interval in time order, whatever order it was given in.
    pub(super) fn ordered(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        if self.start <= self.end {
            (self.start, self.end)
        } else {
            (self.end, self.start)
        }
    }
}
