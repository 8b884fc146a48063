//! One turn of the LLM brain: the tenant's system prompt, the recent
//! history and the customer's text go to the model; its tool calls are run
//! (up to [`MAX_TOOL_ROUNDS`] rounds) until it answers in text.

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::brain::agent::AgentResponse;
use crate::brain::tools::AgentTools;

use super::client::{ChatClient, ChatError};
use super::confirm::effects_reply;
use super::execute::{execute_tool, ToolContext, ToolEffect};
use super::prompt::system_prompt;
use super::state::LlmState;
use super::text::sms_text;
use super::tool_schema::tool_definitions;
use super::wire::{ChatMessage, Role, ToolChoice, Usage};

/// Tool rounds allowed in one turn; the request after the last round
/// forbids tools, so the model must answer.
pub const MAX_TOOL_ROUNDS: usize = 5;

/// The most characters of a customer text sent to the model.
const MAX_CUSTOMER_CHARS: usize = 1_600;

/// Why the model gave no usable answer.
#[derive(Debug, Clone, thiserror::Error)]
pub enum LlmError {
    /// The request failed (HTTP error, timeout, 429, undecodable answer).
    #[error(transparent)]
    Provider(#[from] ChatError),
    /// An answer with neither text nor tool calls.
    #[error("the model answered with neither text nor tool calls")]
    EmptyReply,
    /// Still calling tools when it had to answer.
    #[error("the model was still calling tools after {0} rounds")]
    TooManyRounds(usize),
}

/// The result of [`LlmBrain::turn`].
#[derive(Debug, Clone)]
pub enum TurnOutcome {
    /// The answer to send. When the model failed after a tool changed
    /// something (a booking, a handoff, ...), this is the brain's own
    /// confirmation of those changes, so they are reported, not repeated.
    Answered {
        /// The reply and what happened.
        response: AgentResponse,
        /// Tokens used by the turn's requests.
        usage: Usage,
    },
    /// Nothing was changed and no answer came; the state is untouched and
    /// the caller should answer with the offline brain.
    Failed(LlmError),
}

/// The LLM brain.
#[derive(Debug, Clone)]
pub struct LlmBrain {
    client: ChatClient,
    tools: Vec<Value>,
    max_rounds: usize,
}

impl LlmBrain {
    /// A brain asking the model behind `client`.
    pub fn new(client: ChatClient) -> Self {
        LlmBrain {
            client,
            tools: tool_definitions(),
            max_rounds: MAX_TOOL_ROUNDS,
        }
    }

    /// Allows `rounds` tool rounds per turn instead of [`MAX_TOOL_ROUNDS`].
    pub fn with_max_rounds(mut self, rounds: usize) -> Self {
        self.max_rounds = rounds;
        self
    }

    /// The client used.
    pub fn client(&self) -> &ChatClient {
        &self.client
    }

    /// Answers one customer text, running the model's tool calls against
    /// `tools`, and records the turn in `state`.
    pub async fn turn(
        &self,
        state: &mut LlmState,
        text: &str,
        customer_phone: Option<&str>,
        tools: &dyn AgentTools,
        now: DateTime<Utc>,
    ) -> TurnOutcome {
        let mut ctx = ToolContext {
            conversation_id: state.conversation_id,
            offered: state.offered.clone(),
            ..ToolContext::new(customer_phone, now)
        };
        let system = system_prompt(tools, now, customer_phone.is_some()).await;
        let text: String = text.chars().take(MAX_CUSTOMER_CHARS).collect();
        let mut turn = vec![ChatMessage::text(Role::User, text)];
        let mut usage = Usage::default();
        let reply = match self
            .converse(
                &system,
                &state.messages,
                &mut turn,
                tools,
                &mut ctx,
                &mut usage,
            )
            .await
        {
            Ok(reply) => reply,
            Err(error) if ctx.effects.is_empty() => return TurnOutcome::Failed(error),
            Err(error) => {
                tracing::warn!(%error, effects = ctx.effects.len(),
                    "LLM turn failed after tool side effects; confirming them instead of falling back");
                effects_reply(&ctx.effects, tools.profile().time_zone, now)
            }
        };
        turn.push(ChatMessage::text(Role::Assistant, reply.clone()));
        state.commit(turn);
        state.set_offered(ctx.offered);
        let response = AgentResponse {
            reply,
            next_actions: ctx
                .effects
                .iter()
                .filter_map(ToolEffect::next_action)
                .collect(),
            conversation_id: state.conversation_id,
            confirmation: None,
        };
        TurnOutcome::Answered { response, usage }
    }

    /// Requests until the model answers in text; tool calls and their
    /// results are appended to `turn`.
    async fn converse(
        &self,
        system: &str,
        history: &[ChatMessage],
        turn: &mut Vec<ChatMessage>,
        tools: &dyn AgentTools,
        ctx: &mut ToolContext,
        usage: &mut Usage,
    ) -> Result<String, LlmError> {
        for round in 0..=self.max_rounds {
            let last = round == self.max_rounds;
            let mut messages = Vec::with_capacity(1 + history.len() + turn.len());
            messages.push(ChatMessage::text(Role::System, system));
            messages.extend_from_slice(history);
            messages.extend_from_slice(turn);
            let choice = if last {
                ToolChoice::None
            } else {
                ToolChoice::Auto
            };
            let answer = self.client.complete(&messages, &self.tools, choice).await?;
            usage.add(answer.usage);
            let message = answer.message;
            if message.tool_calls.is_empty() {
                let reply = sms_text(message.content.as_deref().unwrap_or_default());
                return if reply.is_empty() {
                    Err(LlmError::EmptyReply)
                } else {
                    Ok(reply)
                };
            }
            if last {
                break;
            }
            let calls = message.tool_calls.clone();
            turn.push(message);
            for call in calls {
                tracing::debug!(tool = %call.function.name, round, "LLM tool call");
                let result =
                    execute_tool(&call.function.name, &call.function.arguments, tools, ctx).await;
                turn.push(ChatMessage::tool_result(call.id, result.to_string()));
            }
        }
        Err(LlmError::TooManyRounds(self.max_rounds))
    }
}
