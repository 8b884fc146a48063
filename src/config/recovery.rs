//! The recovery sweep's settings (`servicepro_actors::conversation::recovery`): how
//! often it runs and how old a text must be before it is taken as abandoned. Read
//! with the rest of [`Config`](super::Config).

use super::{ConfigError, Source};
use servicepro_actors::conversation::recovery::DEFAULT_BATCH;
use servicepro_actors::conversation::{RecoveryConfig, REPLY_DEADLINE};
use std::time::Duration;

/// How often the sweep runs by default.
pub const DEFAULT_SWEEP_PERIOD: Duration = Duration::from_secs(30);
/// How old an unanswered or `pending` text must be by default before the sweep takes it.
pub const DEFAULT_GRACE: Duration = Duration::from_secs(60);
/// The shortest grace accepted: longer than the webhook waits for an inline reply,
/// so a text whose webhook still waits is never taken.
pub const MIN_GRACE: Duration = Duration::from_secs(REPLY_DEADLINE.as_secs() + 2);

/// Reads `SERVICEPRO_RECOVERY_SWEEP_SECS` and `SERVICEPRO_RECOVERY_GRACE_SECS`.
pub(super) fn read(src: &Source) -> Result<RecoveryConfig, ConfigError> {
    Ok(RecoveryConfig {
        period: secs(
            src,
            "SERVICEPRO_RECOVERY_SWEEP_SECS",
            DEFAULT_SWEEP_PERIOD,
            Duration::from_secs(1),
        )?,
        grace: secs(
            src,
            "SERVICEPRO_RECOVERY_GRACE_SECS",
            DEFAULT_GRACE,
            MIN_GRACE,
        )?,
        batch: DEFAULT_BATCH,
    })
}

/// A whole number of seconds of at least `min`, or `default` when unset.
fn secs(
    src: &Source,
    key: &'static str,
    default: Duration,
    min: Duration,
) -> Result<Duration, ConfigError> {
    let Some(raw) = src.get(key) else {
        return Ok(default);
    };
    match raw.parse::<u64>().map(Duration::from_secs) {
        Ok(d) if d >= min => Ok(d),
        _ => Err(super::invalid(
            key,
            format!(
                "expected a number of seconds of at least {}, got {raw}",
                min.as_secs()
            ),
        )),
    }
}
