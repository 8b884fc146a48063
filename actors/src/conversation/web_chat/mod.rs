//! [`web_chat`]: one message from the website chat widget to the agent.
//!
//! * the tier gate (`aiSmsAgent` covers the chat agent too);
//! * the visitor ([`visitor`]): seen again, or new within the tenant's hourly
//!   cap of new visitors;
//! * a six-digit answer to a live code ([`code`]): wrong (tries left), burned,
//!   expired, or right — then the visitor owns the number and the message that
//!   needed the code is answered now;
//! * the turn, through `Conversations::handle_web_message`, whose tools are
//!   guarded (`brain::identity`): when it touched an existing appointment of a
//!   number the visitor has not proven, the turn is dropped, a code is texted to
//!   that number from the tenant's number and the visitor is asked for it;
//! * a booking links the visitor to its customer; [`cleanup`] removes the
//!   anonymous rest after the retention time.
//!
//! The edge parses and validates the request and renders the answer.

pub mod cleanup;
pub mod code;
pub mod visitor;

use super::actor::Conversations;
use crate::brain::agent::{AgentRequest, AgentResponse, Channel, NextAction, UserRole};
use crate::brain::identity::WebCaller;
use crate::brain::tools::ToolError;
use crate::tenant::context::TenantContext;
use code::{Checked, CodePolicy, Issued, CODE_PURPOSE};
use servicepro_schema::{DbError, Feature, TenantId, E164};
use visitor::{Visitor, VisitorId};

/// The longest chat message accepted.
pub const MAX_MESSAGE_CHARS: usize = 2_000;

/// A chat message, parsed at the edge.
#[derive(Debug, Clone)]
pub struct ChatMessage {
    /// The tenant whose agent answers.
    pub tenant: TenantId,
    /// What the visitor wrote (at most [`MAX_MESSAGE_CHARS`]).
    pub text: String,
    /// The phone the visitor gave (unproven).
    pub phone: Option<E164>,
    /// The id the widget keeps for the visitor.
    pub visitor: VisitorId,
}

/// The limits of the web channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WebChatPolicy {
    /// New visitors a tenant accepts per hour.
    pub new_visitors_per_hour: u32,
    /// How codes are issued.
    pub code: CodePolicy,
}

/// Why a chat message got no answer.
#[derive(Debug, thiserror::Error)]
pub enum ChatError {
    /// The tenant's plan has no AI agent.
    #[error("the AI agent is not part of this business's plan")]
    NotInPlan,
    /// The tenant had its hourly number of new visitors.
    #[error("too many new chat visitors this hour")]
    TooManyVisitors,
    /// The agent could not answer.
    #[error(transparent)]
    Agent(#[from] ToolError),
}

impl From<DbError> for ChatError {
    fn from(e: DbError) -> Self {
        ChatError::Agent(ToolError::unavailable(e))
    }
}

/// A reply of the channel's own (no turn ran).
fn said(reply: impl Into<String>) -> AgentResponse {
    AgentResponse {
        reply: reply.into(),
        next_actions: Vec::new(),
        conversation_id: None,
        confirmation: None,
    }
}

/// Answers `message` for the tenant of `ctx` (waiting as long as it takes).
pub async fn web_chat(
    conversations: &Conversations,
    ctx: &TenantContext,
    message: ChatMessage,
    policy: WebChatPolicy,
) -> Result<AgentResponse, ChatError> {
    if !ctx.tenant.has_feature(Feature::AiSmsAgent) {
        return Err(ChatError::NotInPlan);
    }
    let db = conversations.tenant_db(&message.tenant);
    let Some(visitor) = visitor::arrive(
        &db,
        &message.visitor,
        message.phone.as_ref(),
        policy.new_visitors_per_hour,
    )
    .await?
    else {
        return Err(ChatError::TooManyVisitors);
    };
    let mut text = message.text;
    let mut verified = visitor.verified.clone();
    let mut lead = None;
    if let Some(typed) = code::code_in(&text) {
        match code::check(&db, visitor.id, &typed).await? {
            Checked::NoCode => {}
            Checked::Wrong { left } => {
                return Ok(said(format!(
                    "That code doesn't match. Please check the text and try again ({left} {} left).",
                    if left == 1 { "try" } else { "tries" }
                )))
            }
            Checked::Burned => {
                return Ok(said(
                    "That code doesn't match, and it can't be used any more. Ask again and I'll text a new one.",
                ))
            }
            Checked::Expired => {
                return Ok(said(
                    "That code has expired. Ask again and I'll text a new one.",
                ))
            }
            Checked::Verified {
                phone,
                pending_text,
            } => {
                verified = E164::parse(&phone).ok();
                text = pending_text;
                lead = Some("Thanks, your number is confirmed.");
            }
        }
    }
    let phone = match (&lead, message.phone) {
        (Some(_), _) => verified.clone(),
        (None, Some(given)) => Some(given),
        (None, None) => visitor.claimed.clone(),
    };
    let caller = WebCaller {
        visitor: visitor.id,
        verified,
        claimed: phone.clone(),
    };
    let request = AgentRequest {
        tenant_id: message.tenant.clone(),
        channel: Channel::Web,
        role: UserRole::Customer,
        text: text.clone(),
        conversation_id: None,
        phone,
        context: serde_json::json!({ "visitor_id": message.visitor.as_str() }),
    };
    let mut response = conversations.handle_web_message(request, caller).await?;
    for action in &response.next_actions {
        match action {
            NextAction::VerifyPhone { phone } => {
                response.reply =
                    ask_for_code(conversations, ctx, &visitor, phone, &text, policy).await?;
            }
            NextAction::Book { appointment_id } => {
                visitor::booked(&db, visitor.id, *appointment_id).await?;
            }
            _ => {}
        }
    }
    if let Some(lead) = lead {
        response.reply = format!("{lead} {}", response.reply);
    }
    Ok(response)
}

/// Issues a code for `phone`, texts it from the tenant's number and says so.
async fn ask_for_code(
    conversations: &Conversations,
    ctx: &TenantContext,
    visitor: &Visitor,
    phone: &str,
    pending_text: &str,
    policy: WebChatPolicy,
) -> Result<String, ChatError> {
    let db = conversations.tenant_db(&ctx.tenant.id);
    let to = E164::parse(phone).map_err(|e| ToolError::Invalid(e.to_string()))?;
    let ending: String = {
        let digits: Vec<char> = to.as_str().chars().collect();
        digits[digits.len().saturating_sub(4)..].iter().collect()
    };
    match code::issue(&db, visitor.id, to.as_str(), pending_text, policy.code).await? {
        Issued::TooMany => Ok(format!(
            "I've already texted several codes to the number ending in {ending}. Please try again in an hour, or text us from that phone."
        )),
        Issued::Code(digits) => {
            let minutes = policy.code.ttl.as_secs().div_ceil(60);
            let body = format!(
                "{}: your chat code is {digits}. It expires in {minutes} minutes. If you didn't ask for it, ignore this text.",
                ctx.tenant.name
            );
            let queued = conversations
                .notices()
                .text(&ctx.tenant.id, to, body, CODE_PURPOSE)
                .await;
            if !queued {
                return Err(ToolError::unavailable(CodeNotSent).into());
            }
            Ok(format!(
                "To keep appointments private, I've texted a 6-digit code to the number ending in {ending}. Please type it here to continue."
            ))
        }
    }
}

/// The outbox did not take a code's text (logged by `Notices`).
#[derive(Debug, thiserror::Error)]
#[error("the verification code could not be queued")]
struct CodeNotSent;
