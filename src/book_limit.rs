//! Booking-page posts per client address (`governor` keyed GCRA): a burst of
//! [`POSTS_PER_MINUTE`], refilled evenly over the minute; past it, 429 with
//! `Retry-After`. Showing the page is not counted, only posts.

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

/// Posts one address may make per minute (a booking takes six).
pub const POSTS_PER_MINUTE: NonZeroU32 = NonZeroU32::new(30).unwrap();
/// Addresses tracked before idle ones are forgotten.
const MAX_TRACKED: usize = 100_000;

/// The per-address booking-page limiter (cheap to clone).
#[derive(Clone)]
pub struct BookLimiter {
    limiter: Arc<DefaultKeyedRateLimiter<IpAddr>>,
}

impl Default for BookLimiter {
    fn default() -> Self {
        BookLimiter {
            limiter: Arc::new(RateLimiter::keyed(Quota::per_minute(POSTS_PER_MINUTE))),
        }
    }
}

impl BookLimiter {
    /// `Ok` when `ip` may post now, else how long until it may.
    pub fn check(&self, ip: IpAddr) -> Result<(), Duration> {
        if self.limiter.len() > MAX_TRACKED {
            self.limiter.retain_recent();
        }
        self.limiter
            .check_key(&ip)
            .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }
}
