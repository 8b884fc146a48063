//! Sign-in attempts (password tries and link requests), `governor` keyed GCRA,
//! limited twice: per client address ([`PER_IP_BURST`] then one every
//! [`PER_IP_PERIOD`]) and per e-mail address, lower-cased ([`PER_EMAIL_BURST`]
//! then one every [`PER_EMAIL_PERIOD`]) — so neither one address guessing many
//! accounts nor many addresses guessing one account gets far. A refused attempt
//! is answered 429 with `Retry-After`, whether the e-mail exists or not.

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

/// Attempts one client address may make at once.
pub const PER_IP_BURST: u32 = 20;
/// One more attempt per address this often.
pub const PER_IP_PERIOD: Duration = Duration::from_secs(30);
/// Attempts for one e-mail address at once.
pub const PER_EMAIL_BURST: u32 = 5;
/// One more attempt per e-mail this often.
pub const PER_EMAIL_PERIOD: Duration = Duration::from_secs(180);
/// Keys tracked before idle ones are forgotten.
const MAX_TRACKED: usize = 100_000;

/// The sign-in limiter (cheap to clone).
#[derive(Clone)]
pub struct SignInLimiter {
    by_ip: Arc<DefaultKeyedRateLimiter<IpAddr>>,
    by_email: Arc<DefaultKeyedRateLimiter<String>>,
}

fn quota(period: Duration, burst: u32) -> Quota {
    let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
    Quota::with_period(period)
        .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
        .allow_burst(burst)
}

impl Default for SignInLimiter {
    fn default() -> Self {
        SignInLimiter {
            by_ip: Arc::new(RateLimiter::keyed(quota(PER_IP_PERIOD, PER_IP_BURST))),
            by_email: Arc::new(RateLimiter::keyed(quota(PER_EMAIL_PERIOD, PER_EMAIL_BURST))),
        }
    }
}

impl SignInLimiter {
    /// `Ok` when `ip` may try to sign in as `email` now, else how long until it may.
    pub fn check(&self, ip: IpAddr, email: &str) -> Result<(), Duration> {
        if self.by_ip.len() > MAX_TRACKED {
            self.by_ip.retain_recent();
        }
        if self.by_email.len() > MAX_TRACKED {
            self.by_email.retain_recent();
        }
        let now = DefaultClock::default().now();
        self.by_ip
            .check_key(&ip)
            .map_err(|n| n.wait_time_from(now))?;
        self.by_email
            .check_key(&email.trim().to_lowercase())
            .map_err(|n| n.wait_time_from(now))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_email_is_limited_across_addresses_and_one_address_across_emails() {
        let l = SignInLimiter::default();
        let ip = |n: u8| IpAddr::from([10, 0, 0, n]);
        for n in 0..PER_EMAIL_BURST {
            assert!(l.check(ip(n as u8), "A@x.com").is_ok());
        }
        assert!(l.check(ip(99), "a@x.com ").is_err());
        let l = SignInLimiter::default();
        for n in 0..PER_IP_BURST {
            assert!(l.check(ip(1), &format!("{n}@x.com")).is_ok());
        }
        assert!(l.check(ip(1), "new@x.com").is_err());
        assert!(l.check(ip(2), "new@x.com").is_ok());
    }
}
