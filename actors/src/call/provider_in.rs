//! Events from the provider: the AI's audio and transcript, response bookkeeping (so
//! `response.cancel` is sent only while a response is active), barge-in, function calls,
//! and the session's end (one reconnect, then the IVR).

use std::time::Instant;

use actix::{Context, StreamHandler};

use super::actor::{CallActor, Phase};
use super::link::ProviderItem;
use super::summary::FallbackCause;
use crate::realtime::openai_events::{ClientEvent, OutputItem, ServerEvent, Usage};

/// Error codes that follow from races the actor cannot avoid and that change nothing.
const BENIGN_ERRORS: [&str; 2] = [
    "response_cancel_not_active",
    "conversation_already_has_active_response",
];

/// Characters of transcript carried into a reopened session's instructions.
const RECAP_BUDGET: usize = 4_000;

impl StreamHandler<ProviderItem> for CallActor {
    fn handle(&mut self, item: ProviderItem, ctx: &mut Context<Self>) {
        let _span = self.entered();
        match item {
            ProviderItem::Event(generation, event) if generation == self.link.generation() => {
                self.on_provider_event(event, ctx);
            }
            ProviderItem::Ended(generation) if generation == self.link.generation() => {
                self.on_provider_ended(ctx);
            }
            _ => {}
        }
    }

    fn finished(&mut self, _: &mut Context<Self>) {
        // The end of a session is its `Ended` item; the actor goes on.
    }
}

impl CallActor {
    fn on_provider_event(&mut self, event: ServerEvent, ctx: &mut Context<Self>) {
        match event {
            ServerEvent::AudioDelta(d) => self.speech.delta(&d.response_id, &d.item_id, &d.delta),
            ServerEvent::AudioDone(d) => self.speech.audio_done(&d.item_id),
            ServerEvent::TranscriptDelta(d) => {
                self.transcript.assistant_delta(&d.item_id, &d.delta)
            }
            ServerEvent::TranscriptDone(d) => {
                self.transcript.assistant_done(&d.item_id, &d.transcript);
            }
            ServerEvent::InputTranscriptionCompleted(t) => self.transcript.caller(&t.transcript),
            ServerEvent::SpeechStarted(_) => self.barge_in(ctx),
            ServerEvent::ResponseCreated(_) => {
                self.turn.active = true;
                self.turn.requested = false;
            }
            ServerEvent::ResponseDone(done) => {
                self.turn.active = false;
                self.turn.requested = false;
                if let Some(usage) = &done.usage {
                    self.add_usage(usage);
                }
                if self.turn.owed {
                    self.turn.owed = false;
                    self.request_response(ctx);
                }
            }
            ServerEvent::FunctionCallArgumentsDone(call) => self.run_tool(call, ctx),
            ServerEvent::OutputItemDone(OutputItem::FunctionCall(call)) => self.run_tool(call, ctx),
            ServerEvent::Error(error) => {
                let code = error.code.as_deref().unwrap_or("");
                if code == "conversation_already_has_active_response" {
                    self.turn.requested = false;
                    self.turn.owed = true;
                }
                if BENIGN_ERRORS.contains(&code) {
                    tracing::debug!(code, "provider refused a racing event");
                } else {
                    tracing::warn!(
                        code,
                        message = %error.message,
                        "provider error"
                    );
                }
            }
            _ => {}
        }
    }

    fn add_usage(&mut self, usage: &Usage) {
        let total = &mut self.tally.usage;
        total.input += usage.input_tokens;
        total.output += usage.output_tokens;
        total.total += usage
            .total_tokens
            .max(usage.input_tokens + usage.output_tokens);
    }

    /// Asks the model to answer now, or once the active answer is done.
    pub(super) fn request_response(&mut self, ctx: &mut Context<Self>) {
        if self.turn.active || self.turn.requested {
            self.turn.owed = true;
            return;
        }
        self.turn.requested = true;
        self.link.queue(ClientEvent::response_create());
        self.pump(ctx);
    }

    /// The caller started talking: clear Twilio's queue first, then tell the provider
    /// what was heard and stop the answer if one is still being generated.
    fn barge_in(&mut self, ctx: &mut Context<Self>) {
        let received = Instant::now();
        self.tally.speech_starts += 1;
        let active = self.turn.active;
        let cut = self.speech.interrupt(active);
        if cut.cleared {
            let took = received.elapsed();
            self.tally.max_reaction = self.tally.max_reaction.max(took);
            self.env.metrics.barge_in_reaction.record(took);
        }
        let acted = cut.cleared || cut.truncate.is_some() || active;
        if let Some((item, heard_ms)) = cut.truncate {
            self.link.queue(ClientEvent::truncate(item, heard_ms));
        }
        if active {
            self.link.queue(ClientEvent::ResponseCancel);
            self.turn.active = false;
        }
        if acted {
            self.tally.barge_ins += 1;
            self.env.metrics.barge_ins.inc();
            self.pump(ctx);
        }
    }

    /// The provider session ended by itself: reopen it once, carrying the conversation,
    /// or give the caller the IVR.
    fn on_provider_ended(&mut self, ctx: &mut Context<Self>) {
        if self.phase != Phase::Live {
            return;
        }
        self.link.close(ctx);
        self.transcript.commit_partials();
        self.speech.reset_provider();
        self.turn = Default::default();
        self.tenant_metrics.realtime_errors.inc();
        if self.link.reconnects() > 0 {
            tracing::warn!("provider session dropped again");
            self.fall_back(FallbackCause::ProviderLost, ctx);
            return;
        }
        tracing::warn!("provider session dropped: reconnecting once");
        self.link.count_reconnect();
        self.env.metrics.reconnects.inc();
        self.phase = Phase::Reconnecting;
        let recap = self.transcript.recap(RECAP_BUDGET);
        let extra = if recap.is_empty() {
            "This call was interrupted by a technical problem and is resuming.".to_owned()
        } else {
            format!(
                "This call was interrupted by a technical problem and is resuming. \
                 The conversation so far:\n{recap}"
            )
        };
        self.open_session(Some(extra), ctx);
    }
}
