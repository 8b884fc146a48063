//! How [`AvailabilityRules`](super::AvailabilityRules) fields are written
//! to JSON: time zones by IANA name, durations in whole minutes.

use chrono::Duration;
use chrono_tz::Tz;
use serde::Serializer;

/// Writes a time zone as its IANA name (`America/Chicago`).
pub(super) fn tz_name<S: Serializer>(tz: &Tz, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(tz.name())
}

/// Writes a duration as whole minutes, negative durations as zero, so the
/// stored form reads back through the same minute fields.
pub(super) fn minutes<S: Serializer>(value: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_i64(value.num_minutes().max(0))
}
