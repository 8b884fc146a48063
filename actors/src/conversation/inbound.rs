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
use super::store::Thread;
use crate::billing::owner_notice::claim_owner_notice;
use crate::brain::agent::{AgentRequest, Channel, UserRole};
use crate::messaging::Notices;
use crate::tenant::context::TenantContext;
use chrono::{DateTime, Utc};
use servicepro_schema::policy::{self, Action, NoticeCadence};
use servicepro_schema::{DbError, Feature, TenantDb, TenantId, E164};
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
            to: our_number.clone(),
            body: text.body.clone(),
            sid: text.sid.clone(),
            media: text.media.clone(),
        })
        .await?;
    if received.message_id.is_none() {
        tracing::info!(sid = %text.sid, "duplicate inbound text ignored");
        return Ok(InboundOutcome::Duplicate);
    }
    tracing::info!(sid = %text.sid, "inbound text stored");
    let thread = received.thread();
    let db = conversations.tenant_db(&tenant);
    if let Some(answer) = compliance_answer(
        &db,
        &ctx,
        &deps.tenants,
        &text.from,
        &text.body,
        received.opted_out,
    )
    .await?
    {
        let inline = Inline {
            conversations,
            tenant: &tenant,
            thread,
            to: &text.from,
            from: &our_number,
        };
        return Ok(inline.reply(answer).await);
    }
    if received.opted_out {
        tracing::info!("text from an opted-out number stored; no reply");
        return Ok(InboundOutcome::NoReply(NoReply::OptedOut));
    }
    let owner = OwnerNotice {
        notices: conversations.notices(),
        ctx: &ctx,
        tenant: &tenant,
        text: &text,
        db: &db,
        now: (deps.clock)(),
    };
    if !policy::may(ctx.tenant.status, Action::AiReply) {
        owner.send().await;
        return Ok(InboundOutcome::NoReply(NoReply::Paused));
    }
    if !ctx.tenant.has_feature(Feature::AiSmsAgent) {
        owner.send().await;
        return Ok(InboundOutcome::NoReply(NoReply::NotInPlan));
    }
    let Some(phone) = text.sender.clone() else {
        return Ok(InboundOutcome::NoReply(NoReply::NotAPhoneNumber));
    };
    let turn = Turn {
        request: AgentRequest {
            tenant_id: tenant.clone(),
            channel: Channel::Sms,
            role: UserRole::Customer,
            text: text.body.clone(),
            conversation_id: Some(thread.conversation_id),
            phone: Some(phone),
            context: serde_json::Value::Null,
        },
        reply_to: None,
        prepared: Some(Prepared {
            thread,
            state: received.state,
            read_at,
            tenant_version: ctx.version,
        }),
        inline_from: Some(our_number),
    };
    Ok(ask_agent(conversations, &tenant, &text.from, turn, owner).await)
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
    let actor = conversations.actor(tenant, from, Channel::Sms);
    if let Err(e) = actor.try_send(turn) {
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

/// Tells the owner about a text the agent will not answer.
struct OwnerNotice<'a> {
    notices: Notices,
    ctx: &'a TenantContext,
    tenant: &'a TenantId,
    text: &'a InboundText,
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
        let body = format!("New text from {}: {}", self.text.from, self.text.body);
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
}

impl Inline<'_> {
    /// Records `body` on the thread as sent inline; the edge sends it.
    async fn reply(&self, body: String) -> InboundOutcome {
        if let Err(e) = self
            .conversations
            .record_inline_reply(self.tenant, self.thread, self.to, self.from, &body)
            .await
        {
            tracing::error!(error = %e, "inline reply not recorded");
        }
        InboundOutcome::Reply(body)
    }
}
