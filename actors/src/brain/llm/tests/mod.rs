//! Tests of the LLM brain against the loopback fake and an in-memory
//! tools double.

mod brain_tests;
mod client_tests;
mod double;
mod fallback_tests;
mod state_tests;
mod tool_tests;

use std::time::Duration;

use serde_json::Value;

use super::fake::FakeChatServer;
use super::{ChatClient, LlmBrain};
use crate::brain::agent::AgentResponse;

/// A brain talking to `server` with a short timeout.
pub(crate) fn brain(server: &FakeChatServer) -> LlmBrain {
    LlmBrain::new(client(server))
}

/// A client of `server` with a 500 ms timeout.
pub(crate) fn client(server: &FakeChatServer) -> ChatClient {
    ChatClient::new(&server.base_url(), "sk-test")
        .expect("client")
        .with_timeout(Duration::from_millis(500))
}

/// What the offline brain says in these tests.
pub(crate) fn offline_answer() -> AgentResponse {
    AgentResponse {
        reply: "offline answer".to_owned(),
        next_actions: Vec::new(),
        conversation_id: None,
        confirmation: None,
    }
}

/// The messages of a recorded request body with `role`.
pub(crate) fn messages_with_role<'a>(body: &'a Value, role: &str) -> Vec<&'a Value> {
    body["messages"]
        .as_array()
        .map(|all| all.iter().filter(|m| m["role"] == role).collect())
        .unwrap_or_default()
}
