//! `SmsOutbox`: every outbound text is stored first (so nothing is lost),
//! then paced through the `RateLimitActor` and sent through Twilio's REST
//! API by one worker per sending number, in order. A text that cannot go
//! (recipient opted out, quota reached, account suspended, outbox full,
//! Twilio refused) is kept with its reason — never silently dropped.

use crate::messaging::rate_limit::{MaySend, RateLimitActor, SendDecision};
use crate::messaging::twilio_rest::{SmsFrom, TwilioCredentials, TwilioRest};
use crate::metrics::{Metrics, Provider};
use crate::tenant::context::TenantContext;
use crate::tenant::trial_limits::Metered;
use crate::voice::callback_urls::CallbackUrls;
use actix::{
    Actor, ActorFutureExt, Addr, Context, Handler, Message, ResponseActFuture, Supervised,
    WrapFuture,
};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl};
use diesel_async::RunQueryDsl;
use servicepro_schema::models::NewMessage;
use servicepro_schema::policy::{self, Action};
use servicepro_schema::schema::{customers, messages, usage_events};
use servicepro_schema::MessageStatus;
use servicepro_schema::{
    DbError, DbPool, Direction, PlanTier, SecretBox, TenantDb, TenantId, TenantStatus, UsageKind,
    E164,
};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use tracing::Instrument;

/// How long a number's worker waits for more work before it exits.
pub const WORKER_IDLE_EXIT: Duration = Duration::from_secs(60);

/// What sending a text for `purpose` is, for the status policy: reminders and
/// campaigns are scheduled outbound, an owner's notice of a text is paced apart,
/// anything else a one-to-one text.
fn action_of(purpose: &str) -> Action {
    match purpose {
        "reminder" => Action::Reminder,
        "campaign" => Action::Campaign,
        "owner_notice" => Action::OwnerNotice,
        _ => Action::OutboundText,
    }
}

/// Outbox settings.
#[derive(Debug, Clone)]
pub struct OutboxConfig {
    /// Builds the Twilio status callback URL of each text.
    pub urls: CallbackUrls,
    /// The platform's Twilio account, used when a tenant has none of its own.
    pub platform_credentials: Option<TwilioCredentials>,
    /// Texts one sending number may have waiting.
    pub queue_per_number: usize,
    /// Tries per text when Twilio is unreachable or busy.
    pub max_send_attempts: u32,
    /// How long a sender's claim on a `pending` text holds (it is taken just before
    /// the text is handed to Twilio): a text claimed longer ago, still `pending`, was
    /// abandoned by a process that died, and may be claimed again.
    pub claim_lease: Duration,
    /// What a trialing tenant may send per day.
    pub trial_limits: crate::tenant::trial_limits::TrialLimits,
}

/// Send a text for a tenant.
#[derive(Debug, Clone, Message)]
#[rtype(result = "Result<Queued, DbError>")]
pub struct SendSms {
    /// Sending tenant.
    pub tenant: TenantId,
    /// Recipient.
    pub to: E164,
    /// Text.
    pub body: String,
    /// Why (`reply`, `booking_link`, `voicemail_notice`, `reminder`, ...).
    pub purpose: String,
    /// Thread, if any.
    pub conversation_id: Option<i64>,
    /// Customer, if known.
    pub customer_id: Option<i64>,
}

/// What became of a text handed to the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Queued {
    /// The stored message's id.
    pub message_id: i64,
    /// `Pending` (will be sent) or `Refused`.
    pub status: MessageStatus,
    /// Why it was refused.
    pub reason: Option<String>,
}

pub(super) struct Job {
    tenant: TenantId,
    message_id: i64,
    tier: PlanTier,
    status: TenantStatus,
    from: SmsFrom,
    to: String,
    body: String,
    credentials: TwilioCredentials,
}

pub(super) struct Deps {
    pub(super) pool: DbPool,
    rest: TwilioRest,
    limiter: Addr<RateLimitActor>,
    config: OutboxConfig,
    pub(super) metrics: Arc<Metrics>,
}

/// The process-wide outbox actor.
pub struct SmsOutbox {
    deps: Arc<Deps>,
    secrets: SecretBox,
    workers: HashMap<String, mpsc::Sender<Job>>,
}

impl SmsOutbox {
    /// An outbox sending through `rest`, paced by `limiter`.
    pub fn new(
        pool: DbPool,
        rest: TwilioRest,
        limiter: Addr<RateLimitActor>,
        secrets: SecretBox,
        config: OutboxConfig,
        metrics: Arc<Metrics>,
    ) -> Self {
        SmsOutbox {
            deps: Arc::new(Deps {
                pool,
                rest,
                limiter,
                config,
                metrics,
            }),
            secrets,
            workers: HashMap::new(),
        }
    }

    fn enqueue(&mut self, job: Job) -> Result<(), Box<Job>> {
        let key = match &job.from {
            SmsFrom::Number(n) => n.as_str().to_owned(),
            SmsFrom::MessagingService(s) => s.clone(),
        };
        let job = match self.workers.get(&key) {
            Some(tx) => match tx.try_send(job) {
                Ok(()) => return Ok(()),
                Err(mpsc::error::TrySendError::Full(job)) => return Err(Box::new(job)),
                Err(mpsc::error::TrySendError::Closed(job)) => job,
            },
            None => job,
        };
        let (tx, rx) = mpsc::channel(self.deps.config.queue_per_number.max(1));
        let worker = tracing::info_span!(parent: None, "outbox_worker", from = %key);
        tokio::spawn(run_worker(rx, self.deps.clone()).instrument(worker));
        let result = tx.try_send(job).map_err(|e| match e {
            mpsc::error::TrySendError::Full(j) | mpsc::error::TrySendError::Closed(j) => {
                Box::new(j)
            }
        });
        self.workers.insert(key, tx);
        result
    }
}

impl Actor for SmsOutbox {
    type Context = Context<Self>;
}

impl Supervised for SmsOutbox {}

/// Why a text is refused before it is queued, if it is.
fn refusal(
    ctx: &TenantContext,
    purpose: &str,
    opted_out: bool,
    has_credentials: bool,
    over_trial_limit: bool,
) -> Option<String> {
    if let Err(refused) = policy::check(ctx.tenant.status, action_of(purpose)) {
        return Some(refused.to_string());
    }
    if over_trial_limit {
        return Some("trial limit: today's texts are used up".to_owned());
    }
    if opted_out {
        return Some("recipient opted out (STOP)".to_owned());
    }
    if ctx.sms_from().is_none() {
        return Some("tenant has no number to text from".to_owned());
    }
    if !has_credentials {
        return Some("no Twilio credentials configured".to_owned());
    }
    None
}

/// What the outbox checks before a text is queued: the tenant as it is now, its
/// Twilio credentials, and why the text may not go (if it may not).
pub(super) struct Checked {
    pub(super) ctx: TenantContext,
    pub(super) credentials: Option<TwilioCredentials>,
    pub(super) reason: Option<String>,
}

impl Checked {
    /// Reads the tenant and the recipient's opt-out flag and applies [`refusal`].
    pub(super) async fn read(
        deps: &Deps,
        secrets: &SecretBox,
        db: &TenantDb,
        to: &str,
        purpose: &str,
    ) -> Result<Self, DbError> {
        let ctx = TenantContext::load(db).await?;
        let credentials =
            ctx.twilio_credentials(secrets, deps.config.platform_credentials.as_ref());
        let lookup_to = to.to_owned();
        let opted_out = db
            .transaction(move |tx| {
                Box::pin(async move {
                    let found: Option<bool> = tx
                        .scope(customers::table)
                        .filter(customers::phone.eq(lookup_to))
                        .select(customers::sms_opted_out)
                        .first(tx.conn())
                        .await
                        .optional()?;
                    Ok(found.unwrap_or(false))
                })
            })
            .await?;
        let over_trial_limit = deps
            .config
            .trial_limits
            .exceeded(db, ctx.tenant.status, Metered::Text, chrono::Utc::now())
            .await?;
        let reason = refusal(
            &ctx,
            purpose,
            opted_out,
            credentials.is_some(),
            over_trial_limit,
        );
        Ok(Checked {
            ctx,
            credentials,
            reason,
        })
    }

    /// The job that sends stored text `message_id`, unless it is refused.
    pub(super) fn job(
        self,
        tenant: &TenantId,
        message_id: i64,
        to: String,
        body: String,
    ) -> Option<Job> {
        match (self.reason.is_none(), self.ctx.sms_from(), self.credentials) {
            (true, Some(from), Some(credentials)) => Some(Job {
                tenant: tenant.clone(),
                message_id,
                tier: self.ctx.tenant.plan_tier,
                status: self.ctx.tenant.status,
                from,
                to,
                body,
                credentials,
            }),
            _ => None,
        }
    }
}

/// A text stored and checked, with its job when it may go.
pub(super) struct Stored {
    pub(super) message_id: i64,
    pub(super) reason: Option<String>,
    pub(super) job: Option<Job>,
}

/// What a full queue does to a text: refuse it (stored with the reason), or leave it
/// `pending` for the next recovery sweep (a text the sweep re-sends may also sit in
/// a queue already; refusing it would undo that send).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum WhenFull {
    Refuse,
    Defer,
}

impl SmsOutbox {
    /// Queues `stored`'s job (if any) on the actor; what became of it.
    pub(super) fn queue(
        &mut self,
        stored: Stored,
        when_full: WhenFull,
        span: tracing::Span,
    ) -> Queued {
        let entered = span.entered();
        let Stored {
            message_id,
            reason,
            job,
        } = stored;
        let Some(job) = job else {
            return Queued {
                message_id,
                status: MessageStatus::Refused,
                reason,
            };
        };
        match self.enqueue(job) {
            Ok(()) => Queued {
                message_id,
                status: MessageStatus::Pending,
                reason: None,
            },
            Err(_) if when_full == WhenFull::Defer => {
                tracing::warn!(
                    message_id,
                    "outbox full; text left pending for the next sweep"
                );
                Queued {
                    message_id,
                    status: MessageStatus::Pending,
                    reason: Some("outbox full for this number; sent later".to_owned()),
                }
            }
            Err(job) => {
                let reason = "outbox full for this number".to_owned();
                tracing::warn!(message_id, "outbox full; text refused");
                self.deps.metrics.sms_refused.inc();
                drop(entered);
                let span = job.span();
                tokio::spawn(
                    mark_refused(self.deps.clone(), *job, reason.clone()).instrument(span),
                );
                Queued {
                    message_id,
                    status: MessageStatus::Refused,
                    reason: Some(reason),
                }
            }
        }
    }

    pub(super) fn deps(&self) -> Arc<Deps> {
        self.deps.clone()
    }

    pub(super) fn secrets(&self) -> SecretBox {
        self.secrets.clone()
    }
}

impl Handler<SendSms> for SmsOutbox {
    type Result = ResponseActFuture<Self, Result<Queued, DbError>>;

    fn handle(&mut self, msg: SendSms, _: &mut Self::Context) -> Self::Result {
        let span = tracing::info_span!(parent: None, "text", tenant_id = %msg.tenant);
        let deps = self.deps.clone();
        let secrets = self.secrets.clone();
        let store = async move {
            let db = TenantDb::new(deps.pool.clone(), msg.tenant.clone());
            let to = msg.to.as_str().to_owned();
            let checked = Checked::read(&deps, &secrets, &db, &to, &msg.purpose).await?;
            let reason = checked.reason.clone();
            let from_number = checked.ctx.phone_number().unwrap_or_default().to_owned();
            let row = NewMessage {
                conversation_id: msg.conversation_id,
                customer_id: msg.customer_id,
                direction: Direction::Outbound,
                from_number,
                to_number: to.clone(),
                body: msg.body.clone(),
                twilio_sid: None,
                status: if reason.is_some() {
                    MessageStatus::Refused
                } else {
                    MessageStatus::Pending
                },
                error_code: reason.as_ref().map(|_| "refused".to_owned()),
                error_message: reason.clone(),
                purpose: msg.purpose.clone(),
            };
            let message_id: i64 = db
                .transaction(move |tx| {
                    Box::pin(async move {
                        Ok(tx
                            .insert(messages::table, &row)
                            .returning(messages::id)
                            .get_result(tx.conn())
                            .await?)
                    })
                })
                .await?;
            if let Some(reason) = &reason {
                deps.metrics.sms_refused.inc();
                tracing::warn!(message_id, %reason, "text refused");
            }
            let job = checked.job(&msg.tenant, message_id, to, msg.body);
            Ok::<_, DbError>(Stored {
                message_id,
                reason,
                job,
            })
        };
        let store = store.instrument(span.clone());
        Box::pin(
            store
                .into_actor(self)
                .map(move |stored, outbox, _| Ok(outbox.queue(stored?, WhenFull::Refuse, span))),
        )
    }
}

async fn run_worker(mut rx: mpsc::Receiver<Job>, deps: Arc<Deps>) {
    loop {
        match tokio::time::timeout(WORKER_IDLE_EXIT, rx.recv()).await {
            Ok(Some(job)) => {
                let span = job.span();
                deliver(&deps, job).instrument(span).await
            }
            Ok(None) => return,
            Err(_) => break,
        }
    }
    // Idle: refuse new work, then finish anything that slipped in meanwhile.
    rx.close();
    while let Ok(job) = rx.try_recv() {
        let span = job.span();
        deliver(&deps, job).instrument(span).await;
    }
}

async fn deliver(deps: &Deps, job: Job) {
    let mut recipient_cleared = false;
    let from_key = match &job.from {
        SmsFrom::Number(n) => n.as_str().to_owned(),
        SmsFrom::MessagingService(s) => s.clone(),
    };
    loop {
        let ask = MaySend {
            tenant_id: job.tenant.as_str().to_owned(),
            tier: job.tier,
            status: job.status,
            from: from_key.clone(),
            to: job.to.clone(),
            recipient_cleared,
        };
        match deps.limiter.send(ask).await {
            Ok(SendDecision::Now) => break,
            Ok(SendDecision::After(wait)) => tokio::time::sleep(wait).await,
            Ok(SendDecision::NumberBusy(wait)) => {
                recipient_cleared = true;
                tokio::time::sleep(wait).await;
            }
            Ok(SendDecision::Refused(reason)) => {
                deps.metrics.sms_refused.inc();
                tracing::warn!(%reason, "text refused by rate limits");
                return mark_refused_ref(deps, &job.tenant, job.message_id, reason).await;
            }
            Err(e) => {
                tracing::error!(error = %e, "rate limiter unavailable; retrying");
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    }
    match claim(deps, &job).await {
        Ok(true) => {}
        Ok(false) => {
            tracing::debug!("text already sent, or being sent by another sender; skipped");
            return;
        }
        Err(e) => {
            tracing::error!(error = %e, "text not claimed; left pending for the next sweep");
            return;
        }
    }
    let callback = deps
        .config
        .urls
        .sms_status(job.tenant.as_str(), job.message_id);
    let mut attempt = 1;
    let outcome = loop {
        let result = deps
            .rest
            .send_sms(
                &job.credentials,
                &job.from,
                &job.to,
                &job.body,
                Some(&callback),
            )
            .await;
        match result {
            Err(e) if e.is_transient() && attempt < deps.config.max_send_attempts => {
                tracing::warn!(attempt, error = %e, "send failed; retrying");
                tokio::time::sleep(Duration::from_millis(250 * 2u64.pow(attempt))).await;
                attempt += 1;
            }
            other => break other,
        }
    };
    let db = TenantDb::new(deps.pool.clone(), job.tenant.clone());
    let message_id = job.message_id;
    let stored = match outcome {
        Ok(created) => {
            deps.metrics.sms_sent.inc();
            deps.metrics.tenants.text_out(&job.tenant);
            tracing::info!(sid = %created.sid, "text sent");
            db.transaction(move |tx| {
                Box::pin(async move {
                    diesel::update(
                        tx.scope(messages::table)
                            .filter(messages::id.eq(message_id)),
                    )
                    .set((
                        messages::twilio_sid.eq(&created.sid),
                        messages::sent_at.eq(diesel::dsl::now),
                    ))
                    .execute(tx.conn())
                    .await?;
                    diesel::update(
                        tx.scope(messages::table)
                            .filter(messages::id.eq(message_id))
                            .filter(messages::status.eq(MessageStatus::Pending)),
                    )
                    .set((
                        messages::status.eq(created.status()),
                        messages::updated_at.eq(diesel::dsl::now),
                    ))
                    .execute(tx.conn())
                    .await?;
                    let usage = (
                        usage_events::kind.eq(UsageKind::SmsOut),
                        usage_events::quantity.eq(1),
                        usage_events::source_key.eq(format!("message:{message_id}")),
                    );
                    tx.insert(usage_events::table, usage)
                        .on_conflict_do_nothing()
                        .execute(tx.conn())
                        .await?;
                    Ok(())
                })
            })
            .await
        }
        Err(e) => {
            deps.metrics.sms_failed.inc();
            deps.metrics
                .tenants
                .provider_error(&job.tenant, Provider::Twilio);
            tracing::error!(error = %e, "text failed");
            let code = match &e {
                crate::messaging::TwilioError::Api { code, .. } => code.to_string(),
                _ => "transport".to_owned(),
            };
            db.transaction(move |tx| {
                Box::pin(async move {
                    diesel::update(
                        tx.scope(messages::table)
                            .filter(messages::id.eq(message_id)),
                    )
                    .set((
                        messages::status.eq(MessageStatus::Failed),
                        messages::error_code.eq(code),
                        messages::error_message.eq(e.to_string()),
                        messages::updated_at.eq(diesel::dsl::now),
                    ))
                    .execute(tx.conn())
                    .await?;
                    Ok(())
                })
            })
            .await
        }
    };
    if let Err(e) = stored {
        tracing::error!(error = %e, "could not record the send outcome");
    }
}

/// Takes `job`'s text for sending: `true` when it is still `pending` and no other
/// sender (a duplicate job, another process) claimed it within the lease. The one
/// guard against sending a text twice.
async fn claim(deps: &Deps, job: &Job) -> Result<bool, DbError> {
    let db = TenantDb::new(deps.pool.clone(), job.tenant.clone());
    let (message_id, lease) = (job.message_id, deps.config.claim_lease.as_secs_f64());
    let claimed = db
        .transaction(move |tx| {
            Box::pin(async move {
                Ok(diesel::sql_query(
                    "UPDATE messages SET claimed_at = now() \
                     WHERE tenant_id = current_setting('app.tenant_id', true) AND id = $1 \
                       AND status = 'pending' \
                       AND (claimed_at IS NULL OR claimed_at < now() - make_interval(secs => $2))",
                )
                .bind::<diesel::sql_types::BigInt, _>(message_id)
                .bind::<diesel::sql_types::Double, _>(lease)
                .execute(tx.conn())
                .await?)
            })
        })
        .await?;
    Ok(claimed == 1)
}

impl Job {
    /// `text{tenant_id, message_id}`: the span its delivery runs in (inside the
    /// worker's `outbox_worker{from}`).
    fn span(&self) -> tracing::Span {
        tracing::info_span!("text", tenant_id = %self.tenant, message_id = self.message_id)
    }
}

pub(super) async fn mark_refused(deps: Arc<Deps>, job: Job, reason: String) {
    mark_refused_ref(&deps, &job.tenant, job.message_id, reason).await;
}

/// Stores stored text `message_id`'s refusal, with the reason.
pub(super) async fn mark_refused_ref(
    deps: &Deps,
    tenant: &TenantId,
    message_id: i64,
    reason: String,
) {
    let db = TenantDb::new(deps.pool.clone(), tenant.clone());
    let result = db
        .transaction(move |tx| {
            Box::pin(async move {
                diesel::update(
                    tx.scope(messages::table)
                        .filter(messages::id.eq(message_id)),
                )
                .set((
                    messages::status.eq(MessageStatus::Refused),
                    messages::error_code.eq("refused"),
                    messages::error_message.eq(reason),
                    messages::updated_at.eq(diesel::dsl::now),
                ))
                .execute(tx.conn())
                .await?;
                Ok(())
            })
        })
        .await;
    if let Err(e) = result {
        tracing::error!(error = %e, "could not record a refusal");
    }
}
