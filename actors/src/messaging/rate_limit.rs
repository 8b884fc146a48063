//! `RateLimitActor`: the process-wide gate every outbound text passes.
//! Keyed GCRA limiters (`governor`) per sending number (carrier pacing),
//! per recipient (no more than a few texts a minute to one person) and per
//! tenant (daily quota by plan, tighter while trialing).
//!
//! Pacing limits answer "not yet, wait this long" (the outbox waits and
//! sends later); the daily quota answers "refused" (waiting a day helps no
//! one; the refusal is stored and logged).

use actix::{Actor, AsyncContext, Context, Handler, Message, Supervised};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use servicepro_schema::{PlanTier, TenantStatus};
use std::num::NonZeroU32;
use std::time::Duration;

/// How often idle limiter keys are forgotten.
pub const FORGET_IDLE_KEYS_EVERY: Duration = Duration::from_secs(60);

/// The limits in force.
#[derive(Debug, Clone)]
pub struct RateLimits {
    /// Texts per second one sending number may carry (US long codes: about 1),
    /// evenly spaced: carriers filter bursts, so the burst allowance is one.
    pub per_number_per_second: NonZeroU32,
    /// Texts one recipient may get per minute.
    pub per_recipient_per_minute: NonZeroU32,
    /// Texts per day a trialing tenant may send.
    pub trial_per_day: NonZeroU32,
    /// Texts per day on each paid tier.
    pub per_day: [(PlanTier, NonZeroU32); 3],
}

const fn nz(n: u32) -> NonZeroU32 {
    match NonZeroU32::new(n) {
        Some(v) => v,
        None => NonZeroU32::MIN,
    }
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            per_number_per_second: nz(1),
            per_recipient_per_minute: nz(4),
            trial_per_day: nz(200),
            per_day: [
                (PlanTier::Starter, nz(500)),
                (PlanTier::Pro, nz(2_000)),
                (PlanTier::Elite, nz(5_000)),
            ],
        }
    }
}

/// May a text go now?
#[derive(Debug, Clone, Message)]
#[rtype(result = "SendDecision")]
pub struct MaySend {
    /// Sending tenant.
    pub tenant_id: String,
    /// Its tier.
    pub tier: PlanTier,
    /// Its status.
    pub status: TenantStatus,
    /// Sending number (or messaging service SID).
    pub from: String,
    /// Recipient.
    pub to: String,
    /// The recipient's token was already taken by an earlier ask for this
    /// same text (which then had to wait for the number): do not take another.
    pub recipient_cleared: bool,
}

/// The limiter's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendDecision {
    /// Send now (the tokens are taken).
    Now,
    /// The recipient has had enough for now: ask again after this long.
    After(Duration),
    /// The recipient is cleared (its token is taken) but the sending number
    /// is busy: ask again after this long with `recipient_cleared` set.
    NumberBusy(Duration),
    /// Do not send; the reason is stored with the message.
    Refused(String),
}

/// The process-wide limiter.
pub struct RateLimitActor {
    limits: RateLimits,
    per_number: DefaultKeyedRateLimiter<String>,
    per_recipient: DefaultKeyedRateLimiter<String>,
    per_tenant_trial: DefaultKeyedRateLimiter<String>,
    per_tenant: [(PlanTier, DefaultKeyedRateLimiter<String>); 3],
}

fn daily(n: NonZeroU32) -> Quota {
    Quota::with_period(Duration::from_secs(86_400) / n.get())
        .unwrap_or_else(|| Quota::per_hour(n))
        .allow_burst(n)
}

impl RateLimitActor {
    /// A limiter enforcing `limits`.
    pub fn new(limits: RateLimits) -> Self {
        let per_tenant = limits
            .per_day
            .map(|(tier, n)| (tier, RateLimiter::keyed(daily(n))));
        RateLimitActor {
            per_number: RateLimiter::keyed(
                Quota::per_second(limits.per_number_per_second).allow_burst(nz(1)),
            ),
            per_recipient: RateLimiter::keyed(Quota::per_minute(limits.per_recipient_per_minute)),
            per_tenant_trial: RateLimiter::keyed(daily(limits.trial_per_day)),
            per_tenant,
            limits,
        }
    }

    /// Decides for one text. Checks the recipient and the number first
    /// (pacing: wait), then the tenant's quota (refuse).
    pub fn decide(&self, req: &MaySend) -> SendDecision {
        let clock = DefaultClock::default();
        if !req.recipient_cleared {
            let to_key = format!("{}|{}", req.tenant_id, req.to);
            if let Err(not_until) = self.per_recipient.check_key(&to_key) {
                return SendDecision::After(not_until.wait_time_from(clock.now()));
            }
        }
        if let Err(not_until) = self.per_number.check_key(&req.from) {
            return SendDecision::NumberBusy(not_until.wait_time_from(clock.now()));
        }
        let tenant_limiter = if req.status == TenantStatus::Trialing {
            Some(&self.per_tenant_trial)
        } else {
            self.per_tenant
                .iter()
                .find(|(t, _)| *t == req.tier)
                .map(|(_, l)| l)
        };
        if let Some(limiter) = tenant_limiter {
            if limiter.check_key(&req.tenant_id).is_err() {
                return SendDecision::Refused(format!(
                    "daily text quota reached for tenant {} ({})",
                    req.tenant_id,
                    if req.status == TenantStatus::Trialing {
                        "trial"
                    } else {
                        req.tier.as_str()
                    }
                ));
            }
        }
        SendDecision::Now
    }

    /// The limits in force.
    pub fn limits(&self) -> &RateLimits {
        &self.limits
    }
}

impl Actor for RateLimitActor {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        ctx.run_interval(FORGET_IDLE_KEYS_EVERY, |act, _| {
            act.per_number.retain_recent();
            act.per_recipient.retain_recent();
        });
    }
}

impl Supervised for RateLimitActor {}

impl Handler<MaySend> for RateLimitActor {
    type Result = actix::MessageResult<MaySend>;

    fn handle(&mut self, msg: MaySend, _: &mut Self::Context) -> Self::Result {
        actix::MessageResult(self.decide(&msg))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(to: &str) -> MaySend {
        MaySend {
            tenant_id: "acme".into(),
            tier: PlanTier::Pro,
            status: TenantStatus::Active,
            from: "+19185550100".into(),
            to: to.into(),
            recipient_cleared: false,
        }
    }

    #[test]
    fn paces_a_number_and_a_recipient() {
        let actor = RateLimitActor::new(RateLimits::default());
        assert_eq!(actor.decide(&req("+15550001")), SendDecision::Now);
        match actor.decide(&req("+15550002")) {
            SendDecision::NumberBusy(wait) => {
                assert!(wait <= Duration::from_secs(1) && !wait.is_zero())
            }
            other => panic!("expected pacing, got {other:?}"),
        }
    }

    #[test]
    fn one_recipient_gets_a_few_per_minute() {
        let actor = RateLimitActor::new(RateLimits {
            per_number_per_second: nz(1000),
            ..RateLimits::default()
        });
        for i in 0..4 {
            let mut ask = req("+15550001");
            ask.from = format!("+1918555{i:04}");
            assert_eq!(actor.decide(&ask), SendDecision::Now);
        }
        assert!(
            matches!(actor.decide(&req("+15550001")), SendDecision::After(w) if w > Duration::from_secs(5))
        );
        assert_eq!(
            actor.decide(&req("+15550009")),
            SendDecision::Now,
            "others unaffected"
        );
    }

    #[test]
    fn trial_quota_refuses() {
        let limits = RateLimits {
            per_number_per_second: nz(1000),
            per_recipient_per_minute: nz(1000),
            trial_per_day: nz(3),
            ..RateLimits::default()
        };
        let actor = RateLimitActor::new(limits);
        let mut trial = req("+15550001");
        trial.status = TenantStatus::Trialing;
        for i in 0..3 {
            trial.from = format!("+1918555{i:04}");
            assert_eq!(actor.decide(&trial), SendDecision::Now);
        }
        trial.from = "+19185559999".to_owned();
        assert!(matches!(actor.decide(&trial), SendDecision::Refused(r) if r.contains("trial")));
    }
}
