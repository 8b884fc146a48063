//! The optional LLM brain of the SMS agent, used when `OPENAI_API_KEY` is
//! set: the same tools as the offline engine, driven by OpenAI Chat
//! Completions with tool calling, and the offline engine behind it.
//!
//! * [`ChatClient`] calls `POST {base}/v1/chat/completions` (base URL,
//!   model and timeout configurable; the server reads them into its
//!   configuration and builds the client, this crate reads no environment).
//! * [`tool_definitions`] are the agent's tools as JSON-schema functions
//!   ([`realtime_tool_definitions`] in the Realtime API's flat shape, for
//!   the voice receptionist); [`execute_tool`] runs one call against
//!   [`AgentTools`](crate::brain::tools::AgentTools), answering a bad call
//!   with `{"error": ...}` for the model to correct. Only slots that
//!   `check_availability` offered in the conversation can be booked or
//!   moved to, only the customer's own appointments can be changed, and
//!   the customer's phone always comes from the channel.
//! * [`LlmBrain::turn`] runs one turn (at most [`MAX_TOOL_ROUNDS`] tool
//!   rounds) over an [`LlmState`] that keeps the recent messages and the
//!   offered slots.
//! * [`llm_turn_or_fallback`] answers with the offline brain on any
//!   provider failure, without repeating tool side effects.
//! * `fake::FakeChatServer` is a loopback fake of the endpoint for tests (only with
//!   the `testkit` feature, or in this crate's tests).

mod args;
mod brain;
mod client;
mod confirm;
mod exec_booking;
mod exec_lookup;
mod execute;
#[cfg(any(test, feature = "testkit"))]
pub mod fake;
mod fallback;
mod prompt;
mod render;
mod state;
mod text;
mod tool_schema;
mod wire;

#[cfg(test)]
mod tests;

pub use brain::{LlmBrain, LlmError, TurnOutcome, MAX_TOOL_ROUNDS};
pub use client::{ChatClient, ChatError, DEFAULT_BASE_URL, DEFAULT_MODEL, DEFAULT_TIMEOUT};
pub use execute::{execute_tool, ToolContext, ToolEffect};
pub use fallback::{llm_turn_or_fallback, LlmReply};
pub use state::{LlmState, OfferedSlot, HISTORY_MESSAGES, LLM_STATE_VERSION, OFFERED_SLOTS};
pub use text::{sms_text, MAX_REPLY_CHARS};
pub use tool_schema::{realtime_tool_definitions, tool_definitions, TOOL_NAMES};
pub use wire::{ChatMessage, ChatReply, FunctionCall, Role, ToolCall, ToolChoice, Usage};
