//! Self-serve signup and trial settings: how many signups one client address may
//! make, the trial's daily soft limits, and how the number-provisioning retry job
//! paces itself. Read with the rest of [`Config`](super::Config), each value
//! checked once.

use super::{ConfigError, Source};
use servicepro_actors::provisioning::Backoff;
use servicepro_actors::tenant::trial_limits::{
    TrialLimits, DEFAULT_CALL_MINUTES_PER_DAY, DEFAULT_TEXTS_PER_DAY,
};
use std::num::NonZeroU32;
use std::time::Duration;

/// Default signups one client address may make per hour.
pub const DEFAULT_SIGNUPS_PER_IP_PER_HOUR: u32 = 5;
/// Default first wait before provisioning a number again.
pub const DEFAULT_PROVISION_RETRY: Duration = Duration::from_secs(30);
/// Default longest wait between provisioning tries.
pub const DEFAULT_PROVISION_RETRY_MAX: Duration = Duration::from_secs(3600);
/// Longest wait between provisioning tries accepted.
pub const MAX_PROVISION_RETRY: Duration = Duration::from_secs(7 * 24 * 3600);
/// Default interval at which the retry job looks for due tenants.
pub const DEFAULT_PROVISION_POLL: Duration = Duration::from_secs(10);

/// Signup and trial settings.
#[derive(Debug, Clone)]
pub struct SignupConfig {
    /// Signups per client address per hour (`SERVICEPRO_SIGNUPS_PER_IP_PER_HOUR`).
    pub per_ip_per_hour: NonZeroU32,
    /// The trial's daily soft limits (`SERVICEPRO_TRIAL_TEXTS_PER_DAY`,
    /// `SERVICEPRO_TRIAL_CALL_MINUTES_PER_DAY`).
    pub trial_limits: TrialLimits,
    /// Waits between provisioning tries (`SERVICEPRO_PROVISION_RETRY_MS`, doubled per
    /// failure up to `SERVICEPRO_PROVISION_RETRY_MAX_MS`).
    pub provision_backoff: Backoff,
    /// How often the retry job looks for due tenants (`SERVICEPRO_PROVISION_POLL_MS`).
    pub provision_poll: Duration,
}

fn count(src: &Source, key: &'static str, default: u32) -> Result<u32, ConfigError> {
    match src.get(key) {
        None => Ok(default),
        Some(raw) => raw
            .parse::<u32>()
            .map_err(|_| super::invalid(key, format!("expected a whole number, got {raw}"))),
    }
}

impl SignupConfig {
    /// Reads and checks the signup variables.
    pub(super) fn read(src: &Source) -> Result<Self, ConfigError> {
        let per_ip_var = "SERVICEPRO_SIGNUPS_PER_IP_PER_HOUR";
        let per_ip_per_hour =
            NonZeroU32::new(count(src, per_ip_var, DEFAULT_SIGNUPS_PER_IP_PER_HOUR)?)
                .ok_or_else(|| super::invalid(per_ip_var, "must be at least 1"))?;
        let base = src.millis("SERVICEPRO_PROVISION_RETRY_MS", DEFAULT_PROVISION_RETRY)?;
        let max = src.millis(
            "SERVICEPRO_PROVISION_RETRY_MAX_MS",
            DEFAULT_PROVISION_RETRY_MAX,
        )?;
        if max > MAX_PROVISION_RETRY {
            return Err(super::invalid(
                "SERVICEPRO_PROVISION_RETRY_MAX_MS",
                "must be at most a week (604800000)",
            ));
        }
        if max < base {
            return Err(super::invalid(
                "SERVICEPRO_PROVISION_RETRY_MAX_MS",
                "must not be below SERVICEPRO_PROVISION_RETRY_MS",
            ));
        }
        Ok(SignupConfig {
            per_ip_per_hour,
            trial_limits: TrialLimits {
                texts_per_day: count(src, "SERVICEPRO_TRIAL_TEXTS_PER_DAY", DEFAULT_TEXTS_PER_DAY)?,
                call_minutes_per_day: count(
                    src,
                    "SERVICEPRO_TRIAL_CALL_MINUTES_PER_DAY",
                    DEFAULT_CALL_MINUTES_PER_DAY,
                )?,
            },
            provision_backoff: Backoff { base, max },
            provision_poll: src.millis("SERVICEPRO_PROVISION_POLL_MS", DEFAULT_PROVISION_POLL)?,
        })
    }
}
