//! The recovery sweep: nothing accepted goes unanswered, even across a crash.
//!
//! A text is stored before anything else, and marked answered (`messages.answered_at`,
//! migration 0012) in the transaction that records its answer. A process that dies
//! between the two leaves it unanswered; an outbound text stored `pending` whose
//! process died before Twilio took it stays `pending`. [`RecoverySweep`] runs
//! [`sweep_once`] on start-up and every [`RecoveryConfig::period`]:
//!
//! 1. claims, in batches of [`RecoveryConfig::batch`], the inbound texts unanswered
//!    for longer than [`RecoveryConfig::grace`] (`servicepro_claim_unanswered`: `FOR
//!    UPDATE SKIP LOCKED`, so two processes sweeping at once never take the same
//!    text) and answers each exactly as the webhook would ([`super::inbound`], the
//!    reply through the outbox), one customer's texts in order;
//! 2. hands every outbound text still `pending` after the grace back to the outbox
//!    ([`SendStored`]); the sender's claim just before Twilio keeps it from going twice.
//!
//! At most once: a turn's answer is recorded only if its text is still unanswered, so
//! a late original turn and a sweep's turn cannot both answer (`/metrics` counts
//! `texts_recovered` and `outbox_resent`).

use super::actor::Conversations;
use super::inbound::{answer, Delivery, StoredText};
use super::store::Thread;
use crate::messaging::SendStored;
use crate::metrics::Metrics;
use crate::tenant::Freshness;
use actix::{Actor, ActorFutureExt, AsyncContext, Context, Handler, Message, WrapFuture};
use diesel::sql_types::{BigInt, Bool, Integer, Text};
use diesel_async::RunQueryDsl;
use futures_util::future::join_all;
use servicepro_schema::{DbError, TenantDb, TenantId, E164};
use std::sync::Arc;
use std::time::Duration;
use tracing::Instrument;

/// The sweep's settings.
#[derive(Debug, Clone, Copy)]
pub struct RecoveryConfig {
    /// How often the sweep runs (it also runs once at start-up).
    pub period: Duration,
    /// How old an unanswered text, or a `pending` outbound one, must be before the
    /// sweep takes it: longer than a turn in flight in a live process takes.
    pub grace: Duration,
    /// Texts claimed (and outbox rows read) per round trip.
    pub batch: u32,
}

/// Texts per batch by default.
pub const DEFAULT_BATCH: u32 = 100;

/// What one sweep did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SweepReport {
    /// Unanswered texts claimed and answered.
    pub texts_recovered: u64,
    /// Claimed texts whose answer failed (left for the next sweep).
    pub texts_failed: u64,
    /// `pending` outbound texts handed back to the outbox.
    pub outbox_resent: u64,
}

#[derive(diesel::QueryableByName)]
struct Claimed {
    #[diesel(sql_type = Text)]
    tenant_id: String,
    #[diesel(sql_type = BigInt)]
    message_id: i64,
}

/// One sweep: every unanswered text and every stale `pending` outbound text older than
/// `config.grace`, in batches.
pub async fn sweep_once(
    conversations: &Conversations,
    config: RecoveryConfig,
    metrics: &Metrics,
) -> Result<SweepReport, DbError> {
    let mut report = SweepReport::default();
    let pool = &conversations.deps().pool;
    let grace = i32::try_from(config.grace.as_secs()).unwrap_or(i32::MAX);
    let batch = i32::try_from(config.batch.max(1)).unwrap_or(i32::MAX);
    loop {
        let claimed: Vec<Claimed> = {
            let mut conn = pool.get().await?;
            diesel::sql_query(
                "SELECT tenant_id, message_id FROM servicepro_claim_unanswered($1, $2)",
            )
            .bind::<Integer, _>(grace)
            .bind::<Integer, _>(batch)
            .load(&mut *conn)
            .await?
        };
        let taken = claimed.len();
        for (ok, failed) in join_all(by_tenant(claimed).into_iter().map(|(tenant, texts)| {
            let span = tracing::info_span!(parent: None, "recovery", tenant_id = %tenant);
            recover_tenant(conversations, tenant, texts).instrument(span)
        }))
        .await
        {
            report.texts_recovered += ok;
            report.texts_failed += failed;
            metrics.texts_recovered.inc_by(ok);
        }
        if taken < batch as usize {
            break;
        }
    }
    let mut after = 0_i64;
    loop {
        let stale: Vec<Claimed> = {
            let mut conn = pool.get().await?;
            diesel::sql_query(
                "SELECT tenant_id, message_id FROM servicepro_stale_pending($1, $2, $3)",
            )
            .bind::<Integer, _>(grace)
            .bind::<BigInt, _>(after)
            .bind::<Integer, _>(batch)
            .load(&mut *conn)
            .await?
        };
        let read = stale.len();
        for row in stale {
            after = after.max(row.message_id);
            let Ok(tenant) = TenantId::parse(&row.tenant_id) else {
                continue;
            };
            let send = SendStored {
                tenant,
                message_id: row.message_id,
                from_sweep: true,
            };
            match conversations.deps().outbox.send(send).await {
                Ok(Ok(_)) => {
                    report.outbox_resent += 1;
                    metrics.outbox_resent.inc();
                }
                Ok(Err(e)) => {
                    tracing::error!(error = %e, message_id = row.message_id, "pending text not resent")
                }
                Err(e) => {
                    tracing::error!(error = %e, "outbox unavailable; pending texts wait for the next sweep")
                }
            }
        }
        if read < batch as usize {
            break;
        }
    }
    if report != SweepReport::default() {
        tracing::info!(
            texts_recovered = report.texts_recovered,
            texts_failed = report.texts_failed,
            outbox_resent = report.outbox_resent,
            "recovery sweep"
        );
    }
    Ok(report)
}

/// Claimed texts grouped by tenant, in claim order (oldest first).
fn by_tenant(claimed: Vec<Claimed>) -> Vec<(TenantId, Vec<i64>)> {
    let mut groups: Vec<(TenantId, Vec<i64>)> = Vec::new();
    for row in claimed {
        let Ok(tenant) = TenantId::parse(&row.tenant_id) else {
            tracing::error!(tenant_id = %row.tenant_id, "claimed text of an unparsable tenant id");
            continue;
        };
        match groups.iter_mut().find(|(t, _)| *t == tenant) {
            Some((_, ids)) => ids.push(row.message_id),
            None => groups.push((tenant, vec![row.message_id])),
        }
    }
    groups
}

#[derive(diesel::QueryableByName)]
struct Unanswered {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Text)]
    from_number: String,
    #[diesel(sql_type = Text)]
    body: String,
    #[diesel(sql_type = BigInt)]
    conversation_id: i64,
    #[diesel(sql_type = BigInt)]
    customer_id: i64,
    #[diesel(sql_type = Bool)]
    opted_out: bool,
}

/// Answers one tenant's claimed texts: each customer's in order, customers side by
/// side. Returns (answered, failed).
async fn recover_tenant(
    conversations: &Conversations,
    tenant: TenantId,
    ids: Vec<i64>,
) -> (u64, u64) {
    let ctx = match conversations
        .deps()
        .tenants
        .context(&tenant, Freshness::Check)
        .await
    {
        Ok(ctx) => ctx,
        Err(e) => {
            tracing::error!(error = %e, texts = ids.len(), "tenant unreadable; its texts wait for the next sweep");
            return (0, ids.len() as u64);
        }
    };
    let db = TenantDb::new(conversations.deps().pool.clone(), tenant.clone());
    let texts = match unanswered(&db, ids.clone()).await {
        Ok(texts) => texts,
        Err(e) => {
            tracing::error!(error = %e, "claimed texts unreadable; they wait for the next sweep");
            return (0, ids.len() as u64);
        }
    };
    let mut customers: Vec<(i64, Vec<Unanswered>)> = Vec::new();
    for text in texts {
        match customers.iter_mut().find(|(c, _)| *c == text.customer_id) {
            Some((_, list)) => list.push(text),
            None => customers.push((text.customer_id, vec![text])),
        }
    }
    let runs = customers.into_iter().map(|(_, texts)| {
        let (tenant, ctx) = (tenant.clone(), ctx.clone());
        async move {
            let (mut ok, mut failed) = (0, 0);
            for text in texts {
                let stored = StoredText {
                    tenant: tenant.clone(),
                    ctx: ctx.clone(),
                    message_id: text.id,
                    thread: Thread {
                        customer_id: text.customer_id,
                        conversation_id: text.conversation_id,
                    },
                    sender: E164::parse(&text.from_number).ok(),
                    from: text.from_number,
                    body: text.body,
                    opted_out: text.opted_out,
                    prepared: None,
                };
                match answer(conversations, stored, Delivery::Outbox).await {
                    Ok(outcome) => {
                        tracing::info!(message_id = text.id, ?outcome, "unanswered text answered");
                        ok += 1;
                    }
                    Err(e) => {
                        tracing::error!(error = %e, message_id = text.id, "unanswered text not answered; next sweep");
                        failed += 1;
                    }
                }
            }
            (ok, failed)
        }
    });
    join_all(runs)
        .await
        .into_iter()
        .fold((0, 0), |(a, b), (ok, failed)| (a + ok, b + failed))
}

/// The claimed texts still unanswered, oldest first, with the customer's opt-out flag.
async fn unanswered(db: &TenantDb, ids: Vec<i64>) -> Result<Vec<Unanswered>, DbError> {
    db.transaction(move |tx| {
        Box::pin(async move {
            Ok(diesel::sql_query(
                "SELECT m.id, m.from_number, m.body, m.conversation_id, m.customer_id, \
                        c.sms_opted_out AS opted_out \
                 FROM messages m JOIN customers c ON c.tenant_id = m.tenant_id AND c.id = m.customer_id \
                 WHERE m.tenant_id = current_setting('app.tenant_id', true) AND m.id = ANY($1) \
                   AND m.direction = 'inbound' AND m.answered_at IS NULL \
                   AND m.conversation_id IS NOT NULL \
                 ORDER BY m.created_at, m.id",
            )
            .bind::<diesel::sql_types::Array<BigInt>, _>(ids)
            .load(tx.conn())
            .await?)
        })
    })
    .await
}

/// Runs [`sweep_once`] at start-up and every [`RecoveryConfig::period`], one sweep at a
/// time (a tick that finds the previous sweep still running is skipped).
pub struct RecoverySweep {
    conversations: Conversations,
    config: RecoveryConfig,
    metrics: Arc<Metrics>,
    running: bool,
}

impl RecoverySweep {
    /// The sweep over `conversations`' database, outbox and actors.
    pub fn new(
        conversations: Conversations,
        config: RecoveryConfig,
        metrics: Arc<Metrics>,
    ) -> Self {
        RecoverySweep {
            conversations,
            config,
            metrics,
            running: false,
        }
    }
}

/// Run one sweep now (unless one is running).
#[derive(Debug, Message)]
#[rtype(result = "()")]
pub struct Sweep;

impl Actor for RecoverySweep {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        ctx.notify(Sweep);
        ctx.run_interval(self.config.period, |_, ctx| ctx.notify(Sweep));
    }
}

impl Handler<Sweep> for RecoverySweep {
    type Result = ();

    fn handle(&mut self, _: Sweep, ctx: &mut Self::Context) {
        if self.running {
            return;
        }
        self.running = true;
        let (conversations, config, metrics) = (
            self.conversations.clone(),
            self.config,
            self.metrics.clone(),
        );
        let work = async move {
            if let Err(e) = sweep_once(&conversations, config, &metrics).await {
                tracing::error!(error = %e, "recovery sweep failed; next period");
            }
        };
        ctx.spawn(work.into_actor(self).map(|(), act, _| act.running = false));
    }
}

impl actix::Supervised for RecoverySweep {
    fn restarting(&mut self, _: &mut Self::Context) {
        // The sweep that was running went with the old context.
        self.running = false;
    }
}
