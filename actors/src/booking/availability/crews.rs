//! Which crew, if any, is free for a job once travel buffers are counted.

use chrono::{DateTime, Duration, Utc};

use super::rules::AvailabilityRules;
use super::slot::Busy;

/// The lowest-numbered crew with no appointment within the travel buffer
/// of the job `[start, end)`, or `None` when every crew is taken (always
/// so with zero crews).
pub(super) fn free_crew(
    rules: &AvailabilityRules,
    busy: &[Busy],
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Option<u8> {
    let buffer = rules.effective_buffer();
    (0..rules.crews).find(|crew| {
        busy.iter()
            .filter(|appointment| appointment.crew == *crew)
            .all(|appointment| !conflicts(appointment, start, end, buffer))
    })
}

/// Whether an appointment, widened by the buffer on both sides, overlaps
/// the job `[start, end)`. Touching intervals do not overlap, so a job may
/// start exactly one buffer after the previous one ends.
fn conflicts(
    appointment: &Busy,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    buffer: Duration,
) -> bool {
    let (busy_start, busy_end) = appointment.ordered();
    let padded_start = busy_start
        .checked_sub_signed(buffer)
        .unwrap_or(DateTime::<Utc>::MIN_UTC);
    let padded_end = busy_end
        .checked_add_signed(buffer)
        .unwrap_or(DateTime::<Utc>::MAX_UTC);
    start < padded_end && padded_start < end
}
