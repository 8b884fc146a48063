//! Signups per client address (`governor` keyed GCRA): a burst of
//! `SERVICEPRO_SIGNUPS_PER_IP_PER_HOUR`, refilled evenly over the hour. A refused
//! signup is answered 429 with `Retry-After`.

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

/// Addresses tracked before idle ones are forgotten.
const MAX_TRACKED: usize = 100_000;

/// The per-address signup limiter (cheap to clone).
#[derive(Clone)]
pub struct SignupLimiter {
    limiter: Arc<DefaultKeyedRateLimiter<IpAddr>>,
}

impl SignupLimiter {
    /// `per_hour` signups per address per hour.
    pub fn new(per_hour: NonZeroU32) -> Self {
        SignupLimiter {
            limiter: Arc::new(RateLimiter::keyed(Quota::per_hour(per_hour))),
        }
    }

    /// `Ok` when `ip` may sign up now, else how long until it may.
    pub fn check(&self, ip: IpAddr) -> Result<(), Duration> {
        if self.limiter.len() > MAX_TRACKED {
            self.limiter.retain_recent();
        }
        self.limiter
            .check_key(&ip)
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }
}
