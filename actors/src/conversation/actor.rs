//! `ConversationActor`: one per (tenant, customer, channel), started on
//! first use under a supervisor and stopped after [`IDLE_STOP`] without a
//! message (it first removes itself from the [`ActorMap`], so the next
//! message starts a fresh one). Turns are handled one at a time (`AtomicResponse`), so two
//! texts sent back to back see each other's state.
//!
//! A channel with a deadline (the SMS webhook) hands over a oneshot for
//! the reply; if the channel stopped waiting, the actor sends the reply
//! itself through the outbox — a reply is never lost.

use super::batch_store::SaveTurn;
use super::registry::ActorMap;
use super::saved_state::saved_state;
use super::store::{self, Recorded, Thread};
use super::text_writer::TextWriterHandle;
use crate::booking::BookingDesk;
use crate::brain::agent::{AgentRequest, AgentResponse, Channel, NextAction};
use crate::brain::db_tools::DbTools;
use crate::brain::engine::{handle_turn, ConversationState};
use crate::brain::identity::{IdentityGuard, WebCaller};
use crate::brain::llm::{llm_turn_or_fallback, LlmBrain, LlmState};
use crate::brain::tools::AgentTools;
use crate::brain::tools::ToolError;
use crate::clock::Clock;
use crate::messaging::{Notices, SendSms, SendStored, SmsOutbox};
use crate::metrics::{Provider, TenantMetrics};
use crate::tenant::{Freshness, TenantRegistry};
use actix::{
    Actor, ActorContext, ActorFutureExt, Addr, AsyncContext, AtomicResponse, Context, Handler,
    Message, Supervised, Supervisor, WrapFuture,
};
use servicepro_schema::{
    DbPool, Direction, MessageStatus, TenantDb, TenantId, TenantVersion, E164,
};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::oneshot;
use tracing::Instrument;

/// A conversation actor with no message for this long stops (its state is in the database).
pub const IDLE_STOP: Duration = Duration::from_secs(15 * 60);

/// One customer message to answer.
#[derive(Debug, Message)]
#[rtype(result = "Result<AgentResponse, ToolError>")]
pub struct Turn {
    /// The request.
    pub request: AgentRequest,
    /// Where to hand the reply when the channel is still waiting; when the
    /// receiver is gone, an SMS reply is sent through the outbox.
    pub reply_to: Option<oneshot::Sender<AgentResponse>>,
    /// The thread and state the channel already read, if it did.
    pub prepared: Option<Prepared>,
    /// The tenant's number an SMS reply goes out from. The reply is recorded together
    /// with the state, in one transaction: as sent inline while `reply_to` still
    /// waits (and marked not sent if the channel stopped waiting just before it was
    /// handed over), else as `pending` and sent through the outbox.
    pub inline_from: Option<String>,
    /// The stored inbound text this turn answers (`messages.id`): marked answered in
    /// the transaction that saves the turn, and the turn's state and reply dropped
    /// when it already was (another turn for it, here or in another process, won).
    pub answers: Option<i64>,
    /// On the web channel: the visitor, whose turn runs with an
    /// [`IdentityGuard`] over the tools.
    pub web: Option<WebCaller>,
}

/// What a channel already read for a turn (the SMS webhook stores the text and reads
/// its thread and state in one statement), so the actor does not read them again.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The customer and thread.
    pub thread: Thread,
    /// The thread's brain state as read.
    pub state: serde_json::Value,
    /// When the read began. If this actor finished a turn after it, the state may
    /// predate that turn's save and is read again.
    pub read_at: Instant,
    /// The tenant version the channel resolved for this text (its `TenantContext`'s),
    /// so the turn's snapshot is checked against it without reading it again.
    pub tenant_version: TenantVersion,
}

/// Shared services the actors need.
#[derive(Clone)]
pub struct ConversationDeps {
    /// Pool.
    pub pool: DbPool,
    /// Booking actors.
    pub desk: BookingDesk,
    /// Outbound texts.
    pub outbox: Addr<SmsOutbox>,
    /// The clock.
    pub clock: Clock,
    /// Tenant actors: each turn's snapshot (settings, rules, knowledge-base index).
    pub tenants: TenantRegistry,
    /// The LLM brain, when an OpenAI key is configured (the offline brain
    /// answers whenever it fails).
    pub llm: Option<Arc<LlmBrain>>,
    /// The group-commit writer that records a turn's state with its inline reply.
    pub writer: TextWriterHandle,
    /// The per-tenant families (the chat model's failures count here).
    pub metrics: Arc<TenantMetrics>,
}

/// The actor of one conversation.
pub struct ConversationActor {
    deps: ConversationDeps,
    tenant: TenantId,
    key: String,
    channel: Channel,
    /// The registry this actor leaves when it stops idle.
    registry: ActorMap<ConversationKey, ConversationActor>,
    idle_stop: Duration,
    last_seen: Instant,
    /// When the latest turn finished (its state saved or abandoned).
    last_turn_done: Option<Instant>,
    /// `conversation{tenant_id, conversation, channel}`, entered around every handler.
    span: tracing::Span,
}

impl Actor for ConversationActor {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        ctx.run_interval(self.idle_stop / 4, |act, ctx| {
            if act.last_seen.elapsed() >= act.idle_stop {
                let _span = act.span.clone().entered();
                tracing::debug!("conversation idle; stopping");
                let id = (act.tenant.clone(), act.key.clone(), act.channel);
                // Out of the map first (under its lock, as every send is), then the stop
                // queued behind any turn sent before: none is dropped.
                if act.registry.remove(&id, &ctx.address()) {
                    ctx.address().do_send(StopIdle);
                } else {
                    ctx.stop();
                }
            }
        });
    }
}

/// Stops an idle actor once the turns queued before it are done.
#[derive(Message)]
#[rtype(result = "()")]
struct StopIdle;

impl Handler<StopIdle> for ConversationActor {
    type Result = ();

    fn handle(&mut self, _: StopIdle, ctx: &mut Self::Context) {
        ctx.stop();
    }
}

impl Supervised for ConversationActor {}

/// How a finished turn's reply is recorded.
enum ReplyRoute<'a> {
    /// With the state: `Sent` while the channel still waits (it goes back inline),
    /// else `Pending` (the outbox sends it).
    Record {
        from: &'a str,
        to: &'a str,
        status: MessageStatus,
    },
    /// Only the state is saved (no reply, or a channel that sends it itself).
    StateOnly,
}

impl<'a> ReplyRoute<'a> {
    fn choose(
        response: &AgentResponse,
        reply_from: Option<&'a str>,
        request: &'a AgentRequest,
        reply_to: Option<&oneshot::Sender<AgentResponse>>,
    ) -> Self {
        let to = request.phone.as_ref().map(E164::as_str);
        match (reply_from, to) {
            (Some(from), Some(to)) if !response.reply.is_empty() => ReplyRoute::Record {
                from,
                to,
                status: if reply_to.is_some_and(|tx| !tx.is_closed()) {
                    MessageStatus::Sent
                } else {
                    MessageStatus::Pending
                },
            },
            _ => ReplyRoute::StateOnly,
        }
    }
}

/// What a turn recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TurnRecord {
    /// Its reply (`messages.id`), with this status.
    Reply(i64, MessageStatus),
    /// The state only.
    Nothing,
    /// Nothing: the text it answers already was answered.
    AlreadyAnswered,
}

/// A [`Turn`] as the actor runs it.
struct TurnJob<'a> {
    request: AgentRequest,
    prepared: Option<Prepared>,
    reply_from: Option<String>,
    answers: Option<i64>,
    reply_to: Option<&'a oneshot::Sender<AgentResponse>>,
    web: Option<WebCaller>,
}

async fn run_turn(
    deps: ConversationDeps,
    tenant: TenantId,
    key: String,
    channel: Channel,
    job: TurnJob<'_>,
) -> Result<(AgentResponse, Option<Thread>, TurnRecord), ToolError> {
    let TurnJob {
        request,
        prepared,
        reply_from,
        answers,
        reply_to,
        web,
    } = job;
    let db = TenantDb::new(deps.pool.clone(), tenant.clone());
    let (thread, conversation_id, stored, freshness) = match (prepared, &web) {
        (Some(p), _) => (
            Some(p.thread),
            p.thread.conversation_id,
            p.state,
            Freshness::Seen(p.tenant_version),
        ),
        (None, Some(caller)) => {
            let conversation_id = store::web_thread(&db, caller.visitor).await?;
            let stored = store::load_state(&db, conversation_id).await?;
            (None, conversation_id, stored, Freshness::Check)
        }
        (None, None) => {
            let thread = store::thread(&db, &key, channel.as_str()).await?;
            let stored = store::load_state(&db, thread.conversation_id).await?;
            (
                Some(thread),
                thread.conversation_id,
                stored,
                Freshness::Check,
            )
        }
    };
    let mut state = ConversationState::from_json(&stored.to_string());
    let snapshot = deps.tenants.snapshot(&tenant, freshness).await?;
    let db_tools = DbTools::with_snapshot(
        snapshot,
        db.clone(),
        deps.desk.clone(),
        deps.outbox.clone(),
        deps.clock.clone(),
        channel.as_str(),
    );
    let guard = web
        .as_ref()
        .map(|caller| IdentityGuard::new(&db_tools, caller));
    let tools: &dyn AgentTools = match &guard {
        Some(guard) => guard,
        None => &db_tools,
    };
    let phone = request.phone.as_ref().map(E164::as_str);
    let now = (deps.clock)();
    let mut llm_state = LlmState::from_json(&stored["llm"]);
    llm_state.conversation_id = Some(conversation_id);
    let mut response = match deps.llm.as_deref() {
        Some(llm) => {
            let reply = llm_turn_or_fallback(
                llm,
                &mut llm_state,
                &request.text,
                phone,
                tools,
                now,
                || handle_turn(&mut state, &request.text, phone, channel, tools, now),
            )
            .await;
            if reply.model_failed {
                deps.metrics.provider_error(&tenant, Provider::OpenAiChat);
            }
            reply.response
        }
        None => handle_turn(&mut state, &request.text, phone, channel, tools, now).await,
    };
    if let Some(phone) = guard.as_ref().and_then(IdentityGuard::verification_needed) {
        // The turn touched a number the visitor has not proven: it is dropped
        // (state unsaved, reply unsent) and the channel asks for the code.
        let response = AgentResponse {
            reply: String::new(),
            next_actions: vec![NextAction::VerifyPhone {
                phone: phone.to_owned(),
            }],
            conversation_id: Some(conversation_id),
            confirmation: None,
        };
        return Ok((response, thread, TurnRecord::Nothing));
    }
    response.conversation_id = Some(conversation_id);
    let handed_off = response
        .next_actions
        .iter()
        .any(|a| matches!(a, NextAction::Handoff { .. }));
    let saved = saved_state(
        conversation_id,
        &state,
        deps.llm.is_some().then_some(&llm_state),
    )?;
    let route = ReplyRoute::choose(&response, reply_from.as_deref(), &request, reply_to);
    let recorded = match (route, thread) {
        (ReplyRoute::Record { from, to, status }, Some(thread)) => {
            let turn = SaveTurn {
                tenant: tenant.clone(),
                thread,
                state: saved,
                handed_off,
                from: from.to_owned(),
                to: to.to_owned(),
                body: response.reply.clone(),
                answers,
                reply_status: status,
            };
            match deps.writer.save_turn(turn).await? {
                Some(id) => TurnRecord::Reply(id, status),
                None => TurnRecord::AlreadyAnswered,
            }
        }
        _ => match answers {
            Some(text) => {
                let db = TenantDb::new(deps.pool.clone(), tenant.clone());
                if store::save_state_answering(&db, conversation_id, saved, handed_off, text)
                    .await?
                {
                    TurnRecord::Nothing
                } else {
                    TurnRecord::AlreadyAnswered
                }
            }
            None => {
                store::save_state(&db, conversation_id, saved, handed_off).await?;
                TurnRecord::Nothing
            }
        },
    };
    if recorded == TurnRecord::AlreadyAnswered {
        tracing::info!("text already answered by another turn; this turn's reply dropped");
        response.reply.clear();
    }
    Ok((response, thread, recorded))
}

impl Handler<Turn> for ConversationActor {
    type Result = AtomicResponse<Self, Result<AgentResponse, ToolError>>;

    fn handle(&mut self, msg: Turn, _: &mut Self::Context) -> Self::Result {
        self.last_seen = Instant::now();
        let (deps, tenant, key, channel) = (
            self.deps.clone(),
            self.tenant.clone(),
            self.key.clone(),
            self.channel,
        );
        let request = msg.request;
        let reply_to = msg.reply_to;
        let (reply_from, answers, web) = (msg.inline_from, msg.answers, msg.web);
        let prepared = msg
            .prepared
            .filter(|p| self.last_turn_done.is_none_or(|done| done < p.read_at));
        let work = async move {
            let phone = request.phone.clone();
            let job = TurnJob {
                request,
                prepared,
                reply_from,
                answers,
                reply_to: reply_to.as_ref(),
                web,
            };
            let (response, thread, recorded) =
                run_turn(deps.clone(), tenant.clone(), key, channel, job).await?;
            let late = match reply_to {
                Some(tx) => tx.send(response.clone()).is_err(),
                None => false,
            };
            match recorded {
                TurnRecord::Reply(id, MessageStatus::Pending) => {
                    send_stored(&deps, &tenant, id).await;
                }
                TurnRecord::Reply(id, _) if late => {
                    let db = TenantDb::new(deps.pool.clone(), tenant.clone());
                    if let Err(e) = store::mark_not_sent_inline(&db, id).await {
                        tracing::error!(error = %e, message_id = id, "late reply's inline record not corrected");
                    }
                    if let (Some(to), Some(thread)) = (phone, thread) {
                        send_late(&deps, &tenant, to, thread, &response.reply).await;
                    }
                }
                _ => {}
            }
            Ok(response)
        };
        let work = work.instrument(self.span.clone());
        AtomicResponse::new(Box::pin(work.into_actor(self).map(|r, act, _| {
            act.last_turn_done = Some(Instant::now());
            r
        })))
    }
}

/// Hands reply `message_id`, stored `pending` with its turn, to the outbox.
async fn send_stored(deps: &ConversationDeps, tenant: &TenantId, message_id: i64) {
    let send = SendStored {
        tenant: tenant.clone(),
        message_id,
        from_sweep: false,
    };
    match deps.outbox.send(send).await {
        Ok(Ok(q)) => tracing::info!(message_id, status = %q.status, "reply handed to the outbox"),
        Ok(Err(e)) => {
            tracing::error!(error = %e, message_id, "stored reply not queued; the recovery sweep sends it")
        }
        Err(e) => {
            tracing::error!(error = %e, message_id, "outbox unavailable; the recovery sweep sends the reply")
        }
    }
}

/// Texts a reply recorded as going back inline that the channel stopped waiting for
/// just before it was handed over.
async fn send_late(
    deps: &ConversationDeps,
    tenant: &TenantId,
    to: E164,
    thread: Thread,
    body: &str,
) {
    let send = SendSms {
        tenant: tenant.clone(),
        to,
        body: body.to_owned(),
        purpose: "reply".to_owned(),
        conversation_id: Some(thread.conversation_id),
        customer_id: Some(thread.customer_id),
    };
    match deps.outbox.send(send).await {
        Ok(Ok(q)) => tracing::info!(
            message_id = q.message_id,
            "late reply sent through the outbox"
        ),
        Ok(Err(e)) => tracing::error!(error = %e, "late reply not stored"),
        Err(e) => tracing::error!(error = %e, "outbox unavailable for a late reply"),
    }
}

/// A conversation's identity: tenant, customer key, channel.
type ConversationKey = (TenantId, String, Channel);

/// Finds or starts conversation actors, and records replies sent inline.
#[derive(Clone)]
pub struct Conversations {
    deps: ConversationDeps,
    actors: ActorMap<ConversationKey, ConversationActor>,
    idle_stop: Duration,
}

impl Conversations {
    /// The registry; its actors stop after [`IDLE_STOP`] without a message.
    pub fn new(deps: ConversationDeps) -> Self {
        Self::with_idle_stop(deps, IDLE_STOP)
    }

    /// The registry with another idle timeout (tests).
    pub fn with_idle_stop(deps: ConversationDeps, idle_stop: Duration) -> Self {
        Conversations {
            deps,
            actors: ActorMap::default(),
            idle_stop,
        }
    }

    /// The actor for a conversation (must run inside the actix system): the
    /// live one, or a new one under a supervisor. One shard lock, no scan.
    pub fn actor(&self, tenant: &TenantId, key: &str, channel: Channel) -> Addr<ConversationActor> {
        self.with_actor(tenant, key, channel, Addr::clone)
    }

    /// Queues `turn` on the conversation's actor without waiting (refused when its
    /// mailbox is full).
    pub fn try_send(
        &self,
        tenant: &TenantId,
        key: &str,
        channel: Channel,
        turn: Turn,
    ) -> Result<(), Box<actix::prelude::SendError<Turn>>> {
        self.with_actor(tenant, key, channel, |addr| {
            addr.try_send(turn).map_err(Box::new)
        })
    }

    /// Queues `turn` on the conversation's actor; the request resolves to its answer.
    pub fn send(
        &self,
        tenant: &TenantId,
        key: &str,
        channel: Channel,
        turn: Turn,
    ) -> actix::dev::Request<ConversationActor, Turn> {
        self.with_actor(tenant, key, channel, |addr| addr.send(turn))
    }

    /// Runs `f` on the conversation's actor under its registry shard's lock (see
    /// [`ActorMap::with`]): what `f` sends cannot be lost to an idle stop.
    fn with_actor<R>(
        &self,
        tenant: &TenantId,
        key: &str,
        channel: Channel,
        f: impl FnOnce(&Addr<ConversationActor>) -> R,
    ) -> R {
        let id = (tenant.clone(), key.to_owned(), channel);
        self.actors.with(
            &id,
            || {
                let (deps, registry, idle_stop) =
                    (self.deps.clone(), self.actors.clone(), self.idle_stop);
                let (tenant, key) = (tenant.clone(), key.to_owned());
                Supervisor::start(move |_| ConversationActor {
                    deps: deps.clone(),
                    tenant: tenant.clone(),
                    key: key.clone(),
                    channel,
                    registry: registry.clone(),
                    idle_stop,
                    last_seen: Instant::now(),
                    last_turn_done: None,
                    span: tracing::info_span!(
                        parent: None,
                        "conversation",
                        tenant_id = %tenant,
                        conversation = %key,
                        channel = channel.as_str(),
                    ),
                })
            },
            f,
        )
    }

    /// Tenant-scoped database access for `tenant`.
    pub fn tenant_db(&self, tenant: &TenantId) -> TenantDb {
        TenantDb::new(self.deps.pool.clone(), tenant.clone())
    }

    /// The engine's own texts (to customers and owners), through the outbox.
    pub fn notices(&self) -> Notices {
        Notices::new(self.deps.outbox.clone())
    }

    /// The shared services (for the channel entry points beside this module).
    pub(super) fn deps(&self) -> &ConversationDeps {
        &self.deps
    }

    /// Live conversation actors (for `/metrics`).
    pub fn live(&self) -> usize {
        self.actors.live()
    }

    /// The single entry point: answers `request` (waiting as long as it takes).
    pub async fn handle_agent_message(
        &self,
        request: AgentRequest,
    ) -> Result<AgentResponse, ToolError> {
        self.turn(request, None).await
    }

    /// A web visitor's message: the turn runs with the visitor's
    /// [`IdentityGuard`] (see [`super::web_chat`]).
    pub async fn handle_web_message(
        &self,
        request: AgentRequest,
        caller: WebCaller,
    ) -> Result<AgentResponse, ToolError> {
        self.turn(request, Some(caller)).await
    }

    async fn turn(
        &self,
        request: AgentRequest,
        web: Option<WebCaller>,
    ) -> Result<AgentResponse, ToolError> {
        let key = match &web {
            Some(caller) => format!("web:{}", caller.visitor),
            None => conversation_key(&request),
        };
        let (tenant, channel) = (request.tenant_id.clone(), request.channel);
        self.send(
            &tenant,
            &key,
            channel,
            Turn {
                request,
                reply_to: None,
                prepared: None,
                inline_from: None,
                answers: None,
                web,
            },
        )
        .await
        .map_err(ToolError::unavailable)?
    }

    /// Records an outbound reply on `thread` that went back inline (TwiML `<Message>`),
    /// marking the text it answers answered in the same transaction; `false` (nothing
    /// recorded) when that text already was.
    pub async fn record_inline_reply(
        &self,
        tenant: &TenantId,
        thread: Thread,
        to: &str,
        from: &str,
        body: &str,
        answers: Option<i64>,
    ) -> Result<bool, ToolError> {
        let db = TenantDb::new(self.deps.pool.clone(), tenant.clone());
        let reply = Recorded {
            thread,
            direction: Direction::Outbound,
            from,
            to,
            body,
            twilio_sid: None,
            status: "sent",
            purpose: "reply",
            answers,
        };
        Ok(store::record(&db, reply).await?.is_some())
    }
}

/// Who a conversation is with: the phone, or the web visitor id in `context.visitor_id`.
pub fn conversation_key(request: &AgentRequest) -> String {
    match &request.phone {
        Some(phone) => phone.as_str().to_owned(),
        None => request
            .context
            .get("visitor_id")
            .and_then(|v| v.as_str())
            .map(|v| format!("web:{v}"))
            .unwrap_or_else(|| "web:anonymous".to_owned()),
    }
}
