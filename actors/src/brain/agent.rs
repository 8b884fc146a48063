//! The one entry point every channel calls: an [`AgentRequest`] in, an
//! [`AgentResponse`] out. SMS, web chat and voice all go through it; no
//! channel embeds its own conversation logic.

use serde::{Deserialize, Serialize};
use servicepro_schema::{TenantId, E164};

/// Where a message came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// A text message.
    Sms,
    /// The website chat.
    Web,
    /// A phone call (the voice receptionist).
    Voice,
}

impl Channel {
    /// The stored name (`conversations.channel`).
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Sms => "sms",
            Channel::Web => "web",
            Channel::Voice => "voice",
        }
    }
}

/// Who is talking to the agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserRole {
    /// A customer of the tenant.
    Customer,
    /// The business owner.
    Owner,
    /// A member of the owner's staff.
    Staff,
}

/// One message to the agent.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AgentRequest {
    /// The tenant whose agent answers.
    pub tenant_id: TenantId,
    /// The channel.
    pub channel: Channel,
    /// Who is talking.
    pub role: UserRole,
    /// What they said.
    pub text: String,
    /// The conversation, when the channel already knows it.
    pub conversation_id: Option<i64>,
    /// The customer's phone, when known (SMS, voice).
    pub phone: Option<E164>,
    /// Anything else the channel knows (e.g. a web visitor id).
    #[serde(default)]
    pub context: serde_json::Value,
}

/// What the engine should know happened, besides the reply text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum NextAction {
    /// An appointment was booked.
    Book {
        /// The appointment id.
        appointment_id: i64,
    },
    /// An appointment was moved.
    Reschedule {
        /// The appointment id.
        appointment_id: i64,
    },
    /// An appointment was cancelled.
    Cancel {
        /// The appointment id.
        appointment_id: i64,
    },
    /// The agent is waiting for a detail.
    CollectInfo {
        /// Which detail (`service`, `address`, `vehicle`, `slot`, ...).
        field: String,
    },
    /// The agent is waiting for a yes/no on a concrete proposal.
    Confirm {
        /// What is proposed, in words.
        summary: String,
    },
    /// The agent is waiting for the one-time code texted to `phone`: a web
    /// visitor asked about that number's appointments before proving it.
    VerifyPhone {
        /// The number the code goes to (the one the visitor gave).
        phone: String,
    },
    /// A person must take over.
    Handoff {
        /// Why, and what the customer wanted.
        summary: String,
    },
}

/// The agent's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentResponse {
    /// The reply to send (may be empty when nothing should be said).
    pub reply: String,
    /// What happened or is awaited.
    pub next_actions: Vec<NextAction>,
    /// The conversation the turn belongs to.
    pub conversation_id: Option<i64>,
    /// On a spoken channel, the written confirmation of a booking or move
    /// for the channel to text the customer (the reply is the spoken one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmation: Option<String>,
}
