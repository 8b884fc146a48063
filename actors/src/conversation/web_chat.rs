//! [`web_chat`]: one message from the website chat widget to the agent.
//! The tier gate (`aiSmsAgent` covers the chat agent too) and the turn; the
//! edge parses and validates the request and renders the answer.

use super::actor::Conversations;
use crate::brain::agent::{AgentRequest, AgentResponse, Channel, UserRole};
use crate::brain::tools::ToolError;
use crate::tenant::context::TenantContext;
use servicepro_schema::{Feature, TenantId, E164};

/// The longest chat message accepted.
pub const MAX_MESSAGE_CHARS: usize = 2_000;

/// A chat message, parsed at the edge.
#[derive(Debug, Clone)]
pub struct ChatMessage {
    /// The tenant whose agent answers.
    pub tenant: TenantId,
    /// What the visitor wrote (at most [`MAX_MESSAGE_CHARS`]).
    pub text: String,
    /// The visitor's phone, when they gave it.
    pub phone: Option<E164>,
    /// The id the widget keeps for the visitor.
    pub visitor: Option<String>,
}

/// Why a chat message got no answer.
#[derive(Debug, thiserror::Error)]
pub enum ChatError {
    /// The tenant's plan has no AI agent.
    #[error("the AI agent is not part of this business's plan")]
    NotInPlan,
    /// The agent could not answer.
    #[error(transparent)]
    Agent(#[from] ToolError),
}

/// Answers `message` for the tenant of `ctx` (waiting as long as it takes).
pub async fn web_chat(
    conversations: &Conversations,
    ctx: &TenantContext,
    message: ChatMessage,
) -> Result<AgentResponse, ChatError> {
    if !ctx.tenant.has_feature(Feature::AiSmsAgent) {
        return Err(ChatError::NotInPlan);
    }
    let request = AgentRequest {
        tenant_id: message.tenant,
        channel: Channel::Web,
        role: UserRole::Customer,
        text: message.text,
        conversation_id: None,
        phone: message.phone,
        context: serde_json::json!({ "visitor_id": message.visitor }),
    };
    Ok(conversations.handle_agent_message(request).await?)
}
