//! Function calls from the model: each runs in a task of its own (a panic there is
//! caught as the task's failure), its result goes back as `function_call_output`
//! followed by a request for an answer; a `"handoff": true` result transfers the caller.

use std::sync::Arc;

use actix::{ActorFutureExt, AsyncContext, Context, WrapFuture};
use serde_json::{json, Value};

use super::actor::{CallActor, Phase};
use super::summary::FallbackCause;
use crate::realtime::openai_events::{ClientEvent, FunctionCall};
use tracing::Instrument;

/// How a tool run ended, as the actor sees it.
type ToolOutcome = Result<Value, String>;

impl CallActor {
    /// Starts the tool the model called, once per `call_id` (the call may be announced
    /// both by `function_call_arguments.done` and by `output_item.done`).
    pub(super) fn run_tool(&mut self, call: FunctionCall, ctx: &mut Context<Self>) {
        if self.phase != Phase::Live || !self.tool_calls_seen.insert(call.call_id.clone()) {
            return;
        }
        self.tally.tool_calls += 1;
        let Some(name) = call.name else {
            let output = json!({"error": "function name missing"});
            self.link.queue(ClientEvent::function_output(
                call.call_id,
                output.to_string(),
            ));
            self.request_response(ctx);
            return;
        };
        tracing::debug!(tool = %name, "running tool");
        let tools = Arc::clone(&self.env.tools);
        let limit = self.env.tuning.tool_timeout;
        let arguments = call.arguments;
        let task = actix::spawn(
            async move {
                tokio::time::timeout(limit, tools.execute(&name, &arguments))
                    .await
                    .unwrap_or_else(|_| json!({"error": "the tool timed out"}))
            }
            .instrument(self.span.clone()),
        );
        let generation = self.link.generation();
        let call_id = call.call_id;
        let outcome = async move { task.await.map_err(|err| err.to_string()) };
        ctx.spawn(outcome.into_actor(self).map(move |outcome, act, ctx| {
            let _span = act.entered();
            act.tool_finished(generation, call_id, outcome, ctx);
        }));
    }

    fn tool_finished(
        &mut self,
        generation: u64,
        call_id: String,
        outcome: ToolOutcome,
        ctx: &mut Context<Self>,
    ) {
        if self.phase != Phase::Live || generation != self.link.generation() {
            tracing::debug!("tool result for a session that is gone");
            return;
        }
        let value = match outcome {
            Ok(value) => value,
            Err(err) => {
                tracing::error!(%err, "tool task failed");
                self.env.metrics.tool_failures.inc();
                self.fall_back(FallbackCause::ToolFailed, ctx);
                return;
            }
        };
        let handoff = value.get("handoff").and_then(Value::as_bool) == Some(true);
        self.link
            .queue(ClientEvent::function_output(call_id, value.to_string()));
        if handoff {
            self.pump(ctx);
            self.hand_off(ctx);
        } else {
            self.request_response(ctx);
        }
    }
}
