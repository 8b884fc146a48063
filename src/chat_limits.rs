//! [`ChatLimits`]: the request limits of `POST /api/agent/messages`, per client
//! IP and per (tenant, visitor), as `governor` keyed GCRA limiters (a burst of a
//! minute's quota, refilled evenly). Keys that have refilled are forgotten every
//! [`FORGET_IDLE_KEYS_EVERY`] (`retain_recent`), so memory follows the clients
//! active in the last minute, not every client ever seen. A refusal says how long
//! to wait (the route's `Retry-After`).

use crate::config::WebChatConfig;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use servicepro_actors::conversation::web_chat::visitor::VisitorId;
use servicepro_schema::TenantId;
use std::net::IpAddr;
use std::sync::{Arc, Weak};
use std::time::Duration;

/// How often refilled keys are dropped.
pub const FORGET_IDLE_KEYS_EVERY: Duration = Duration::from_secs(60);

/// The web chat's request limiters.
pub struct ChatLimits {
    per_ip: DefaultKeyedRateLimiter<IpAddr>,
    per_visitor: DefaultKeyedRateLimiter<(TenantId, VisitorId)>,
    clock: DefaultClock,
}

impl ChatLimits {
    /// Limiters with `config`'s quotas.
    pub fn new(config: &WebChatConfig) -> Self {
        ChatLimits {
            per_ip: RateLimiter::keyed(Quota::per_minute(config.per_ip_per_minute)),
            per_visitor: RateLimiter::keyed(Quota::per_minute(config.per_visitor_per_minute)),
            clock: DefaultClock::default(),
        }
    }

    /// Counts a request from `ip`; `Err(wait)` when it is over its quota.
    pub fn check_ip(&self, ip: IpAddr) -> Result<(), Duration> {
        self.per_ip
            .check_key(&ip)
            .map_err(|not_until| not_until.wait_time_from(self.clock.now()))
    }

    /// Counts a request from `visitor` of `tenant`; `Err(wait)` when over its quota.
    pub fn check_visitor(&self, tenant: &TenantId, visitor: &VisitorId) -> Result<(), Duration> {
        self.per_visitor
            .check_key(&(tenant.clone(), visitor.clone()))
            .map_err(|not_until| not_until.wait_time_from(self.clock.now()))
    }

    /// Drops the keys whose quota has refilled (they carry no information).
    pub fn forget_idle(&self) {
        self.per_ip.retain_recent();
        self.per_ip.shrink_to_fit();
        self.per_visitor.retain_recent();
        self.per_visitor.shrink_to_fit();
    }

    /// Keys held now (IPs plus visitors).
    pub fn tracked(&self) -> usize {
        self.per_ip.len() + self.per_visitor.len()
    }

    /// Forgets idle keys every [`FORGET_IDLE_KEYS_EVERY`] for as long as the
    /// limits are alive (must run inside the actix system).
    pub fn forget_idle_periodically(limits: &Arc<ChatLimits>) {
        let weak: Weak<ChatLimits> = Arc::downgrade(limits);
        actix::spawn(async move {
            let mut tick = tokio::time::interval(FORGET_IDLE_KEYS_EVERY);
            tick.tick().await;
            loop {
                tick.tick().await;
                let Some(limits) = weak.upgrade() else { return };
                limits.forget_idle();
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::num::NonZeroU32;

    fn limits(per_minute: u32) -> ChatLimits {
        let n = NonZeroU32::new(per_minute).unwrap();
        ChatLimits::new(&WebChatConfig {
            per_ip_per_minute: n,
            per_visitor_per_minute: n,
            new_visitors_per_hour: 10,
            code_ttl: Duration::from_secs(60),
            visitor_retention: Duration::from_secs(60),
        })
    }

    #[test]
    fn a_burst_then_a_wait_and_keys_apart() {
        let limits = limits(2);
        let ip: IpAddr = "203.0.113.7".parse().unwrap();
        assert!(limits.check_ip(ip).is_ok());
        assert!(limits.check_ip(ip).is_ok());
        let wait = limits.check_ip(ip).unwrap_err();
        assert!(
            wait > Duration::ZERO && wait <= Duration::from_secs(30),
            "{wait:?}"
        );
        assert!(limits.check_ip("203.0.113.8".parse().unwrap()).is_ok());
        let tenant = TenantId::parse("acme").unwrap();
        let visitor = VisitorId::parse("visitor-0001").unwrap();
        assert!(limits.check_visitor(&tenant, &visitor).is_ok());
        assert_eq!(limits.tracked(), 3);
    }
}
