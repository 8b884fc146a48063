//! The trial scheduler: on an interval, expired trials without a subscription move
//! to `past_due`, and to `suspended` once the grace period
//! (`SERVICEPRO_TRIAL_GRACE_DAYS`) has passed too. Each move goes through the
//! tenant's actor as a guarded write (the status, the trial end and "no
//! subscription" re-checked in the `UPDATE` itself, which locks the row), so a sweep
//! is idempotent and two processes sweeping at once move each tenant once: the
//! second finds nothing to change and writes nothing, not even an audit row.
//! Paying (a subscription or a paid invoice through Stripe) reactivates in one step.

use crate::clock::Clock;
use crate::tenant::{RootWrite, TenantError, TenantRegistry};
use actix::{Actor, ActorFutureExt, AsyncContext, Context, Supervised, WrapFuture};
use chrono::{DateTime, Utc};
use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::RunQueryDsl;
use servicepro_schema::lookup::expired_trials;
use servicepro_schema::root_db::AuditEntry;
use servicepro_schema::schema::{tenant_billing, tenants};
use servicepro_schema::{DbError, DbPool, TenantId, TenantStatus};
use std::sync::Arc;
use std::time::Duration;

/// The audit actor of the scheduler's moves.
pub const ACTOR: &str = "trial-scheduler";

/// What one sweep did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Swept {
    /// Trials moved to `past_due`.
    pub past_due: usize,
    /// Tenants moved to `suspended`.
    pub suspended: usize,
}

/// Moves every expired trial due at `now` (grace `grace_days`) one step.
pub async fn sweep(
    pool: &DbPool,
    tenants: &TenantRegistry,
    now: DateTime<Utc>,
    grace_days: u16,
) -> Result<Swept, TenantError> {
    let mut swept = Swept::default();
    for (tenant, next) in expired_trials(pool, now, i32::from(grace_days)).await? {
        if step(tenants, &tenant, next, now, grace_days).await? {
            match next {
                TenantStatus::Suspended => swept.suspended += 1,
                _ => swept.past_due += 1,
            }
        }
    }
    Ok(swept)
}

/// Moves `tenant` to `next` if it is still due; false when another sweep did first.
async fn step(
    tenants: &TenantRegistry,
    tenant: &TenantId,
    next: TenantStatus,
    now: DateTime<Utc>,
    grace_days: u16,
) -> Result<bool, TenantError> {
    let from: &'static [TenantStatus] = match next {
        TenantStatus::Suspended => &[TenantStatus::Trialing, TenantStatus::PastDue],
        _ => &[TenantStatus::Trialing],
    };
    let ended_by = match next {
        TenantStatus::Suspended => now - chrono::Duration::days(i64::from(grace_days)),
        _ => now,
    };
    let id = tenant.clone();
    let write = RootWrite {
        write: Arc::new(move |root| {
            let id = id.clone();
            Box::pin(async move {
                let mut audit = AuditEntry::new(ACTOR, "tenant.status", Some(&id));
                audit.detail = serde_json::json!({ "status": next, "reason": "trial ended" });
                let tid = id.as_str().to_owned();
                root.transaction(audit, move |tx| {
                    Box::pin(async move {
                        let subscribed = tenant_billing::table
                            .filter(tenant_billing::tenant_id.eq(&tid))
                            .filter(tenant_billing::stripe_subscription_id.is_not_null())
                            .select(tenant_billing::tenant_id);
                        let n = diesel::update(tenants::table)
                            .filter(tenants::id.eq(&tid))
                            .filter(tenants::status.eq_any(from))
                            .filter(tenants::trial_ends_at.le(ended_by))
                            .filter(diesel::dsl::not(diesel::dsl::exists(subscribed)))
                            .set((tenants::status.eq(next), tenants::updated_at.eq(now)))
                            .execute(tx.conn())
                            .await?;
                        // Nothing to move: roll back, so no audit row says it moved.
                        if n == 0 {
                            return Err(DbError::NotFound);
                        }
                        Ok(())
                    })
                })
                .await
            })
        }),
    };
    match tenants.root_write(tenant, write).await {
        Ok(_) => {
            tracing::info!(tenant_id = %tenant, status = %next, "trial ended: status moved");
            Ok(true)
        }
        Err(TenantError::Db(DbError::NotFound)) => Ok(false),
        Err(e) => Err(e),
    }
}

/// The scheduler's settings.
#[derive(Debug, Clone, Copy)]
pub struct TrialSchedule {
    /// How often to sweep (`SERVICEPRO_TRIAL_SWEEP_SECS`).
    pub every: Duration,
    /// Days past the trial's end before suspension (`SERVICEPRO_TRIAL_GRACE_DAYS`).
    pub grace_days: u16,
}

/// Sweeps on an interval; a sweep still running when the next is due is not doubled.
pub struct TrialScheduler {
    pool: DbPool,
    tenants: TenantRegistry,
    clock: Clock,
    schedule: TrialSchedule,
    running: bool,
}

impl TrialScheduler {
    /// A scheduler over `tenants`, timed by `clock`.
    pub fn new(
        pool: DbPool,
        tenants: TenantRegistry,
        clock: Clock,
        schedule: TrialSchedule,
    ) -> Self {
        TrialScheduler {
            pool,
            tenants,
            clock,
            schedule,
            running: false,
        }
    }
}

impl Actor for TrialScheduler {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        ctx.run_interval(self.schedule.every, |act, ctx| {
            if act.running {
                return;
            }
            act.running = true;
            let (pool, tenants) = (act.pool.clone(), act.tenants.clone());
            let (now, grace) = ((act.clock)(), act.schedule.grace_days);
            let work = async move { sweep(&pool, &tenants, now, grace).await };
            let span = tracing::info_span!(parent: None, "trial_sweep");
            let work = tracing::Instrument::instrument(work, span);
            ctx.spawn(work.into_actor(act).map(|res, act, _| {
                act.running = false;
                match res {
                    Ok(s) if s == Swept::default() => {}
                    Ok(s) => tracing::info!(
                        past_due = s.past_due,
                        suspended = s.suspended,
                        "trials swept"
                    ),
                    Err(e) => {
                        tracing::error!(error = %e, "trial sweep failed; retried next period")
                    }
                }
            }));
        });
    }
}

impl Supervised for TrialScheduler {
    fn restarting(&mut self, _: &mut Self::Context) {
        self.running = false;
    }
}
