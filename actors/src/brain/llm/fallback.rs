//! The LLM brain with the offline brain behind it.

use std::future::Future;

use chrono::{DateTime, Utc};

use crate::brain::agent::AgentResponse;
use crate::brain::nlu::{carrier_keyword, normalize, CarrierKeyword};
use crate::brain::tools::AgentTools;

use super::brain::{LlmBrain, TurnOutcome};
use super::state::LlmState;

/// What [`llm_turn_or_fallback`] answered.
#[derive(Debug)]
pub struct LlmReply {
    /// The reply.
    pub response: AgentResponse,
    /// The model failed and the offline brain answered.
    pub model_failed: bool,
}

impl LlmReply {
    fn model_answered(response: AgentResponse) -> Self {
        LlmReply {
            response,
            model_failed: false,
        }
    }
}

/// Answers with the LLM brain, or with `offline` when the provider fails
/// (HTTP error, timeout, 429, undecodable or empty answer, too many tool
/// rounds).
///
/// Tool side effects are never repeated: when the model fails after a
/// tool changed something (booked, moved, cancelled, handed off, took a
/// message, sent the link), [`LlmBrain::turn`] answers with its own
/// confirmation of those effects and `offline` is not called. `offline`
/// runs only when nothing was changed, and its reply is recorded in
/// `state` so the model sees it next turn.
///
/// The carrier keywords (STOP, START, HELP), which the SMS channel
/// answers itself, go straight to `offline` and never to the model.
///
/// The answer says whether the model failed (the caller counts it as a provider
/// error for its tenant).
pub async fn llm_turn_or_fallback<F, Fut>(
    llm: &LlmBrain,
    state: &mut LlmState,
    text: &str,
    customer_phone: Option<&str>,
    tools: &dyn AgentTools,
    now: DateTime<Utc>,
    offline: F,
) -> LlmReply
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = AgentResponse>,
{
    if matches!(
        carrier_keyword(&normalize(text)),
        Some(CarrierKeyword::OptOut | CarrierKeyword::OptIn | CarrierKeyword::Help)
    ) {
        return LlmReply::model_answered(offline().await);
    }
    match llm.turn(state, text, customer_phone, tools, now).await {
        TurnOutcome::Answered { response, usage } => {
            tracing::debug!(
                prompt_tokens = usage.prompt_tokens,
                completion_tokens = usage.completion_tokens,
                "LLM turn answered"
            );
            LlmReply::model_answered(response)
        }
        TurnOutcome::Failed(error) => {
            tracing::warn!(%error, "LLM turn failed; answering with the offline brain");
            let response = offline().await;
            state.record_exchange(text, &response.reply);
            LlmReply {
                response,
                model_failed: true,
            }
        }
    }
}
