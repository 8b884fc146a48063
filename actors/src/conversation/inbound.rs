//! [`inbound_text`]: everything a text to a tenant's number sets off, once
//! the edge has verified it came from Twilio.
//!
//! Order matters: store the message before anything else (Twilio does not
//! retry; a text we accepted must never be lost), dedupe by `MessageSid`,
//! honour carrier keywords ([`super::keywords`]), apply the status policy (a
//! suspended account's texts are kept and its owner told at most once a day)
//! and the tier gate (no `aiSmsAgent`: the owner is texted), and only then hand the turn to the
//! conversation's actor — waiting up to [`REPLY_DEADLINE`] for an inline
//! reply, else the actor texts it afterwards. The outcome is typed; the
//! edge only renders it (TwiML `<Message>` or an empty response).

use super::actor::{Conversations, Prepared, Turn};
use super::batch_store::ReceiveText;
use super::keywords::compliance_answer;
use super::store::{self, Thread};
use crate::billing::owner_notice::claim_owner_notice;
use crate::brain::agent::{AgentRequest, Channel, UserRole};
use crate::brain::tools::ToolError;
use crate::messaging::Notices;
use crate::tenant::context::TenantContext;
use chrono::{DateTime, Utc};
use servicepro_schema::error::cause_of;
use servicepro_schema::policy::{self, Action, NoticeCadence};
use servicepro_schema::{DbError, Feature, TenantDb, TenantId, TenantVersion, E164};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long an inbound text waits for the agent before Twilio is answered
/// with no inline reply (Twilio gives up at 15 s).
pub const REPLY_DEADLINE: Duration = Duration::from_secs(8);

/// The longest text body kept: Twilio's own limit on a message body (a longer
/// concatenated SMS is cut by the carrier or Twilio before it reaches us).
pub const MAX_SMS_BODY_CHARS: usize = 1_600;

/// `body` cut to [`MAX_SMS_BODY_CHARS`] characters (`None` when it fits): what Twilio
/// could have sent is stored whole, an absurd body (only a forged or replayed
/// request carries one; the webhook extractor already caps bytes) is clipped.
pub fn clip_body(body: &str) -> Option<String> {
    body.char_indices()
        .nth(MAX_SMS_BODY_CHARS)
        .map(|(end, _)| body[..end].to_owned())
}

/// An inbound text as Twilio posted it, parsed at the edge.
#[derive(Debug, Clone)]
pub struct InboundText {
    /// `MessageSid` (the dedupe key).
    pub sid: String,
    /// `From` as sent (stored as is).
    pub from: String,
    /// `From` when it is a valid E.164 number (only those get an agent turn).
    pub sender: Option<E164>,
    /// `To`, the number texted.
    pub to: String,
    /// `Body` (empty for a picture with no words), at most [`MAX_SMS_BODY_CHARS`].
    pub body: String,
    /// The attachments' URLs (`MediaUrl0..N`).
    pub media: Vec<String>,
}

/// What became of an inbound text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InboundOutcome {
    /// No tenant owns the number texted; nothing stored.
    NoTenant,
    /// The `MessageSid` was stored before; nothing done.
    Duplicate,
    /// Answer inline with this text (already recorded on the thread).
    Reply(String),
    /// Stored; nothing to say inline.
    NoReply(NoReply),
}

/// Why a stored text gets no inline reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoReply {
    /// The sender opted out; the text is kept for the owner.
    OptedOut,
    /// The plan has no AI agent; the owner was texted.
    NotInPlan,
    /// The account's status stops the AI (suspended, cancelled); the owner was
    /// texted as often as the status policy allows.
    Paused,
    /// The sender is not a phone number the agent can answer.
    NotAPhoneNumber,
    /// The conversation's actor could not take the turn; the owner was texted.
    Busy,
    /// The reply was not ready in time; the actor texts it.
    Late,
    /// The agent had nothing to say.
    Nothing,
}

/// Handles one verified inbound text to `tenant` (`None`: no tenant owns the number).
pub async fn inbound_text(
    conversations: &Conversations,
    tenant: Option<(TenantId, Arc<TenantContext>)>,
    text: InboundText,
) -> Result<InboundOutcome, DbError> {
    let Some((tenant, ctx)) = tenant else {
        tracing::warn!(sid = %text.sid, to = %text.to, "text to a number no tenant owns");
        return Ok(InboundOutcome::NoTenant);
    };
    let deps = conversations.deps();
    let our_number = ctx.phone_number().unwrap_or_default().to_owned();
    let read_at = Instant::now();
    let received = deps
        .writer
        .receive(ReceiveText {
            tenant: tenant.clone(),
            channel: Channel::Sms.as_str().to_owned(),
            from: text.from.clone(),
            to: our_number,
            body: text.body.clone(),
            sid: text.sid.clone(),
            media: text.media.clone(),
        })
        .await?;
    let Some(message_id) = received.message_id else {
        tracing::info!(sid = %text.sid, "duplicate inbound text ignored");
        return Ok(InboundOutcome::Duplicate);
    };
    tracing::info!(sid = %text.sid, "inbound text stored");
    let metrics = deps.metrics.clone();
    let counted = tenant.clone();
    let stored = StoredText {
        tenant,
        message_id,
        thread: received.thread(),
        sender: text.sender,
        from: text.from,
        body: text.body,
        opted_out: received.opted_out,
        prepared: Some((received.state, read_at, ctx.version)),
        ctx,
    };
    let outcome = answer(conversations, stored, Delivery::Inline).await?;
    if let InboundOutcome::Reply(_) = &outcome {
        // The TwiML answer is a text Twilio sends for us (the outbox counts its own).
        metrics.text_out(&counted);
    }
    Ok(outcome)
}

/// An inbound text already stored, to answer.
pub(super) struct StoredText {
    /// Its tenant.
    pub(super) tenant: TenantId,
    /// The tenant as of now.
    pub(super) ctx: Arc<TenantContext>,
    /// `messages.id`.
    pub(super) message_id: i64,
    /// Its customer and thread.
    pub(super) thread: Thread,
    /// `From` when it is a valid E.164 number (only those get an agent turn).
    pub(super) sender: Option<E164>,
    /// `From` as stored.
    pub(super) from: String,
    /// The text.
    pub(super) body: String,
    /// The customer had opted out when it was stored.
    pub(super) opted_out: bool,
    /// The thread's state, when it was read and at which tenant version (the webhook
    /// reads them with the text); `None`: the turn reads them.
    pub(super) prepared: Option<(serde_json::Value, Instant, TenantVersion)>,
}

/// How a stored text's answer goes back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Delivery {
    /// In the webhook's response, if ready within [`REPLY_DEADLINE`] (else texted).
    Inline,
    /// Texted through the outbox (the recovery sweep: nobody waits).
    Outbox,
}

/// Answers a stored text once: carrier keywords, the opt-out, the tier gate (the owner
/// is texted), then the agent's turn. Each way marks the text answered (with the
/// agent's reply, in the same transaction); a text that is already answered gets
/// nothing more.
pub(super) async fn answer(
    conversations: &Conversations,
    text: StoredText,
    delivery: Delivery,
) -> Result<InboundOutcome, DbError> {
    let deps = conversations.deps();
    let ctx = text.ctx.clone();
    let our_number = ctx.phone_number().unwrap_or_default().to_owned();
    let db = conversations.tenant_db(&text.tenant);
    let compliance = compliance_answer(
        &db,
        &ctx,
        &deps.tenants,
        &text.from,
        &text.body,
        text.opted_out,
    )
    .await?;
    if let Some(answer) = compliance {
        return match delivery {
            Delivery::Inline => {
                let inline = Inline {
                    conversations,
                    tenant: &text.tenant,
                    thread: text.thread,
                    to: &text.from,
                    from: &our_number,
                    answers: text.message_id,
                };
                Ok(inline.reply(answer).await)
            }
            Delivery::Outbox => {
                if store::mark_answered(&db, text.message_id).await? {
                    if let Some(to) = text.sender.clone() {
                        conversations
                            .notices()
                            .text(&text.tenant, to, answer.clone(), "reply")
                            .await;
                    }
                }
                Ok(InboundOutcome::Reply(answer))
            }
        };
    }
    let owner = OwnerNotice {
        notices: conversations.notices(),
        ctx: &ctx,
        tenant: &text.tenant,
        from: &text.from,
        body: &text.body,
        db: &db,
        now: (deps.clock)(),
    };
    if text.opted_out {
        tracing::info!("text from an opted-out number stored; no reply");
        store::mark_answered(&db, text.message_id).await?;
        return Ok(InboundOutcome::NoReply(NoReply::OptedOut));
    }
    if !policy::may(ctx.tenant.status, Action::AiReply) {
        if store::mark_answered(&db, text.message_id).await? {
            owner.send().await;
        }
        return Ok(InboundOutcome::NoReply(NoReply::Paused));
    }
    if !ctx.tenant.has_feature(Feature::AiSmsAgent) {
        if store::mark_answered(&db, text.message_id).await? {
            owner.send().await;
        }
        return Ok(InboundOutcome::NoReply(NoReply::NotInPlan));
    }
    let Some(phone) = text.sender.clone() else {
        store::mark_answered(&db, text.message_id).await?;
        return Ok(InboundOutcome::NoReply(NoReply::NotAPhoneNumber));
    };
    let turn = Turn {
        request: AgentRequest {
            tenant_id: text.tenant.clone(),
            channel: Channel::Sms,
            role: UserRole::Customer,
            text: text.body.clone(),
            conversation_id: Some(text.thread.conversation_id),
            phone: Some(phone),
            context: serde_json::Value::Null,
        },
        reply_to: None,
        prepared: text
            .prepared
            .map(|(state, read_at, tenant_version)| Prepared {
                thread: text.thread,
                state,
                read_at,
                tenant_version,
            }),
        inline_from: Some(our_number),
        answers: Some(text.message_id),
        web: None,
    };
    Ok(match delivery {
        Delivery::Inline => ask_agent(conversations, &text.tenant, &text.from, turn, owner).await,
        Delivery::Outbox => {
            let ask = AgentTurn {
                conversations,
                db: &db,
                message_id: text.message_id,
                owner,
            };
            ask.run(&text.tenant, &text.from, turn).await?
        }
    })
}

/// Hands `turn` to the conversation's actor and waits up to [`REPLY_DEADLINE`].
async fn ask_agent(
    conversations: &Conversations,
    tenant: &TenantId,
    from: &str,
    mut turn: Turn,
    owner: OwnerNotice<'_>,
) -> InboundOutcome {
    let (tx, mut rx) = tokio::sync::oneshot::channel();
    turn.reply_to = Some(tx);
    if let Err(e) = conversations.try_send(tenant, from, Channel::Sms, turn) {
        // Left unanswered: the recovery sweep runs its turn once the actor is free.
        tracing::error!(error = %e, "conversation busy; text stored, owner notified");
        owner.send().await;
        return InboundOutcome::NoReply(NoReply::Busy);
    }
    let reply = match tokio::time::timeout(REPLY_DEADLINE, &mut rx).await {
        Ok(Ok(response)) => Some(response),
        _ => {
            rx.close();
            rx.try_recv().ok()
        }
    };
    match reply {
        // The actor recorded this reply with the conversation's state.
        Some(response) if !response.reply.is_empty() => InboundOutcome::Reply(response.reply),
        Some(_) => InboundOutcome::NoReply(NoReply::Nothing),
        None => {
            tracing::info!("reply not ready in time; it will be texted");
            InboundOutcome::NoReply(NoReply::Late)
        }
    }
}

/// A turn nobody waits for (the recovery sweep's): the actor texts the reply.
struct AgentTurn<'a> {
    conversations: &'a Conversations,
    db: &'a TenantDb,
    message_id: i64,
    owner: OwnerNotice<'a>,
}

impl AgentTurn<'_> {
    /// Runs `turn`. A turn that fails for an outage stays unanswered (the next sweep
    /// tries again); one that fails otherwise gets the policy's answer: the owner
    /// is texted, as for a text the agent cannot take.
    async fn run(
        self,
        tenant: &TenantId,
        from: &str,
        turn: Turn,
    ) -> Result<InboundOutcome, DbError> {
        let sent = self.conversations.send(tenant, from, Channel::Sms, turn);
        match sent.await {
            Ok(Ok(response)) if response.reply.is_empty() => {
                Ok(InboundOutcome::NoReply(NoReply::Nothing))
            }
            Ok(Ok(response)) => Ok(InboundOutcome::Reply(response.reply)),
            Ok(Err(ToolError::Unavailable(cause))) => Err(DbError::Unavailable(cause)),
            Err(e) => Err(DbError::Unavailable(cause_of(e))),
            Ok(Err(e)) => {
                tracing::error!(error = %e, "the agent could not answer; owner notified");
                if store::mark_answered(self.db, self.message_id).await? {
                    self.owner.send().await;
                }
                Ok(InboundOutcome::NoReply(NoReply::Busy))
            }
        }
    }
}

/// Tells the owner about a text the agent will not answer.
struct OwnerNotice<'a> {
    notices: Notices,
    ctx: &'a TenantContext,
    tenant: &'a TenantId,
    from: &'a str,
    body: &'a str,
    db: &'a TenantDb,
    now: DateTime<Utc>,
}

impl OwnerNotice<'_> {
    /// Texts the owner about the text, as often as the status policy allows.
    async fn send(&self) {
        match policy::owner_notice(self.ctx.tenant.status) {
            NoticeCadence::Never => return,
            NoticeCadence::Every => {}
            NoticeCadence::AtMostEvery(every) => {
                match claim_owner_notice(self.db, self.now, every).await {
                    Ok(true) => {}
                    Ok(false) => {
                        tracing::debug!("owner already told today; text stored only");
                        return;
                    }
                    Err(e) => {
                        tracing::error!(error = %e, "owner notice pacing unreadable; owner not texted");
                        return;
                    }
                }
            }
        }
        let body = format!("New text from {}: {}", self.from, self.body);
        self.notices
            .text_owner(self.ctx, self.tenant, body, "owner_notice")
            .await;
    }
}

/// Where an inline reply to this text goes: the customer's thread.
struct Inline<'a> {
    conversations: &'a Conversations,
    tenant: &'a TenantId,
    thread: Thread,
    to: &'a str,
    from: &'a str,
    /// The text it answers.
    answers: i64,
}

impl Inline<'_> {
    /// Records `body` on the thread as sent inline, marking the text answered; the
    /// edge sends it (nothing, if the text already was answered).
    async fn reply(&self, body: String) -> InboundOutcome {
        let recorded = self
            .conversations
            .record_inline_reply(
                self.tenant,
                self.thread,
                self.to,
                self.from,
                &body,
                Some(self.answers),
            )
            .await;
        match recorded {
            Ok(true) => InboundOutcome::Reply(body),
            Ok(false) => InboundOutcome::NoReply(NoReply::Nothing),
            Err(e) => {
                tracing::error!(error = %e, "inline reply not recorded");
                InboundOutcome::Reply(body)
            }
        }
    }
}
