//! What the LLM brain remembers between turns: the recent messages
//! (including tool calls and results) and the slots it was offered.

use serde::{Deserialize, Serialize};

use crate::booking::availability::Slot;

use super::wire::{ChatMessage, Role};

/// The shape version written into every stored state.
pub const LLM_STATE_VERSION: u32 = 1;

/// How many recent messages are kept (more when one turn alone is longer).
pub const HISTORY_MESSAGES: usize = 12;

/// How many offered slots are remembered.
pub const OFFERED_SLOTS: usize = 24;

/// The longest text kept of one stored message.
const STORED_CHARS: usize = 1_500;

/// A slot `check_availability` returned, and what it was checked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferedSlot {
    /// The slot.
    pub slot: Slot,
    /// The service it was checked for.
    pub service_id: i64,
    /// The add-ons counted in its length.
    #[serde(default)]
    pub addon_ids: Vec<i64>,
    /// The appointment being moved, when checked for a reschedule.
    #[serde(default)]
    pub appointment_id: Option<i64>,
}

/// The LLM conversation's memory, stored as JSON beside the offline
/// engine's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LlmState {
    /// The shape version ([`LLM_STATE_VERSION`]).
    pub version: u32,
    /// The conversation, when the channel knows it (stamped on bookings).
    pub conversation_id: Option<i64>,
    /// Recent messages, oldest first; always starts with a customer message.
    pub messages: Vec<ChatMessage>,
    /// Slots offered so far, newest last; the only ones that can be booked.
    pub offered: Vec<OfferedSlot>,
}

impl Default for LlmState {
    fn default() -> Self {
        LlmState {
            version: LLM_STATE_VERSION,
            conversation_id: None,
            messages: Vec::new(),
            offered: Vec::new(),
        }
    }
}

impl LlmState {
    /// A fresh state for the conversation `conversation_id`.
    pub fn new(conversation_id: Option<i64>) -> Self {
        LlmState {
            conversation_id,
            ..LlmState::default()
        }
    }

    /// Reads a stored state; another version or unreadable JSON gives a
    /// fresh state (keeping nothing is safer than misreading).
    pub fn from_json(value: &serde_json::Value) -> Self {
        match serde_json::from_value::<LlmState>(value.clone()) {
            Ok(state) if state.version == LLM_STATE_VERSION => state,
            _ => LlmState::default(),
        }
    }

    /// The state as JSON, for storage (a failure is the caller's to report;
    /// turns store it through `conversation::saved_state`).
    pub fn to_json(&self) -> Result<serde_json::Value, serde_json::Error> {
        serde_json::to_value(self)
    }

    /// Records a customer text and the reply another brain gave to it.
    pub fn record_exchange(&mut self, text: &str, reply: &str) {
        let mut messages = vec![ChatMessage::text(Role::User, text)];
        if !reply.is_empty() {
            messages.push(ChatMessage::text(Role::Assistant, reply));
        }
        self.commit(messages);
    }

    /// Appends one turn's messages, then trims the history to its limit.
    pub(super) fn commit(&mut self, messages: Vec<ChatMessage>) {
        self.messages.extend(messages.into_iter().map(shorten));
        let from = self.messages.len().saturating_sub(HISTORY_MESSAGES);
        let keep_from = self
            .messages
            .iter()
            .enumerate()
            .skip(from)
            .chain(self.messages.iter().enumerate().rev())
            .find(|(_, message)| message.role == Role::User)
            .map_or(self.messages.len(), |(index, _)| index);
        self.messages.drain(..keep_from);
    }

    /// Replaces the offered slots, keeping the newest [`OFFERED_SLOTS`].
    pub(super) fn set_offered(&mut self, offered: Vec<OfferedSlot>) {
        self.offered = offered;
        let extra = self.offered.len().saturating_sub(OFFERED_SLOTS);
        self.offered.drain(..extra);
    }
}

/// Caps a stored message's text.
fn shorten(mut message: ChatMessage) -> ChatMessage {
    if let Some(content) = message.content.as_mut() {
        if content.chars().count() > STORED_CHARS {
            *content = content.chars().take(STORED_CHARS).collect();
        }
    }
    message
}
