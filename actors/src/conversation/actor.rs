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
use crate::messaging::{Notices, SendSms, SmsOutbox};
use crate::tenant::{Freshness, TenantRegistry};
use actix::{
    Actor, ActorContext, ActorFutureExt, Addr, AsyncContext, AtomicResponse, Context, Handler,
    Message, Supervised, Supervisor, WrapFuture,
};
use servicepro_schema::{DbPool, Direction, TenantDb, TenantId, TenantVersion, E164};
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
    /// The tenant's number an inline reply goes out from. With `reply_to`, the reply
    /// is recorded as sent inline together with the state, in one transaction (and
    /// marked not sent if the channel stopped waiting before it was handed over).
    pub inline_from: Option<String>,
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
                act.registry.remove(&id, &ctx.address());
                ctx.stop();
            }
        });
    }
}

impl Supervised for ConversationActor {}

/// What a turn produced: the response, the SMS thread (none on the web), and
/// the inline reply's `messages.id` when one was recorded.
type TurnOutput = (AgentResponse, Option<Thread>, Option<i64>);

/// A turn's input as the handler hands it over.
struct TurnJob {
    request: AgentRequest,
    prepared: Option<Prepared>,
    inline_from: Option<String>,
    web: Option<WebCaller>,
}

async fn run_turn(
    deps: ConversationDeps,
    tenant: TenantId,
    key: String,
    channel: Channel,
    job: TurnJob,
) -> Result<TurnOutput, ToolError> {
    let TurnJob {
        request,
        prepared,
        inline_from,
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
            llm_turn_or_fallback(
                llm,
                &mut llm_state,
                &request.text,
                phone,
                tools,
                now,
                || handle_turn(&mut state, &request.text, phone, channel, tools, now),
            )
            .await
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
        return Ok((response, thread, None));
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
    let inline_to = request.phone.as_ref().map(E164::as_str);
    let recorded = match (inline_from.as_deref(), inline_to, thread) {
        (Some(from), Some(to), Some(thread)) if !response.reply.is_empty() => {
            let turn = SaveTurn {
                tenant: tenant.clone(),
                thread,
                state: saved,
                handed_off,
                from: from.to_owned(),
                to: to.to_owned(),
                body: response.reply.clone(),
            };
            Some(deps.writer.save_turn(turn).await?)
        }
        _ => {
            store::save_state(&db, conversation_id, saved, handed_off).await?;
            None
        }
    };
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
        let inline_from = msg.inline_from.filter(|_| reply_to.is_some());
        let web = msg.web;
        let prepared = msg
            .prepared
            .filter(|p| self.last_turn_done.is_none_or(|done| done < p.read_at));
        let work = async move {
            let phone = request.phone.clone();
            let (response, thread, recorded) = run_turn(
                deps.clone(),
                tenant.clone(),
                key,
                channel,
                TurnJob {
                    request,
                    prepared,
                    inline_from,
                    web,
                },
            )
            .await?;
            let late = match reply_to {
                Some(tx) => tx.send(response.clone()).is_err(),
                None => false,
            };
            if let (true, Some(id)) = (late, recorded) {
                let db = TenantDb::new(deps.pool.clone(), tenant.clone());
                if let Err(e) = store::mark_not_sent_inline(&db, id).await {
                    tracing::error!(error = %e, message_id = id, "late reply's inline record not corrected");
                }
            }
            if late && channel == Channel::Sms && !response.reply.is_empty() {
                if let (Some(to), Some(thread)) = (phone, thread) {
                    let send = SendSms {
                        tenant: tenant.clone(),
                        to,
                        body: response.reply.clone(),
                        purpose: "reply".to_owned(),
                        conversation_id: Some(thread.conversation_id),
                        customer_id: Some(thread.customer_id),
                    };
                    match deps.outbox.send(send).await {
                        Ok(Ok(q)) => {
                            tracing::info!(
                                message_id = q.message_id,
                                "late reply sent through the outbox"
                            )
                        }
                        Ok(Err(e)) => {
                            tracing::error!(error = %e, "late reply not stored")
                        }
                        Err(e) => {
                            tracing::error!(error = %e, "outbox unavailable for a late reply")
                        }
                    }
                }
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
        let id = (tenant.clone(), key.to_owned(), channel);
        self.actors.get_or_start(&id, || {
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
        })
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
        let addr = self.actor(&request.tenant_id, &key, request.channel);
        addr.send(Turn {
            request,
            reply_to: None,
            prepared: None,
            inline_from: None,
            web,
        })
        .await
        .map_err(ToolError::unavailable)?
    }

    /// Records an outbound reply on `thread` that went back inline (TwiML `<Message>`).
    pub async fn record_inline_reply(
        &self,
        tenant: &TenantId,
        thread: Thread,
        to: &str,
        from: &str,
        body: &str,
    ) -> Result<(), ToolError> {
        let db = TenantDb::new(self.deps.pool.clone(), tenant.clone());
        store::record(
            &db,
            Recorded {
                thread,
                direction: Direction::Outbound,
                from,
                to,
                body,
                twilio_sid: None,
                status: "sent",
                purpose: "reply",
            },
        )
        .await?;
        Ok(())
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
