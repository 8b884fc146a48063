//! How a call ends: a redirect off the AI (to a person, or to the IVR when the AI leg
//! fails) that completes before the stream is let go, then the end itself: the provider
//! session closed at once, the outbound queue ended, the record finalised exactly once.

use actix::{ActorContext, ActorFutureExt, AsyncContext, Context, WrapFuture};
use futures_util::future::BoxFuture;

use super::actor::{CallActor, Phase};
use super::ports::CallControlError;
use super::summary::{CallEnd, CallSummary, FallbackCause};
use tracing::Instrument;

/// A redirect in flight.
type Redirect = BoxFuture<'static, Result<(), CallControlError>>;

impl CallActor {
    /// Transfers the caller to a person.
    pub(super) fn hand_off(&mut self, ctx: &mut Context<Self>) {
        self.env.metrics.handoffs.inc();
        self.redirect(CallEnd::HandedOff, ctx);
    }

    /// The AI leg failed: the caller gets the IVR instead of silence.
    pub(super) fn fall_back(&mut self, cause: FallbackCause, ctx: &mut Context<Self>) {
        self.env.metrics.fallbacks.inc();
        self.redirect(CallEnd::FallbackToIvr(cause), ctx);
    }

    /// Redirects the live call; the call ends when the redirect
    /// completes (or when Twilio stops the stream first). A failed transfer to a person
    /// falls back to the IVR, which offers a person too.
    fn redirect(&mut self, end: CallEnd, ctx: &mut Context<Self>) {
        if matches!(self.phase, Phase::Redirecting(_) | Phase::Finished) {
            return;
        }
        if end != CallEnd::HandedOff {
            // The AI leg failed: nothing more is coming from it. A transfer keeps the
            // session until the redirect is done, so the model's last words (and the
            // handoff's tool output) still get through.
            self.link.close(ctx);
        }
        self.transcript.commit_partials();
        let Some(call_sid) = self.call_sid.clone() else {
            self.end_call(end, ctx);
            return;
        };
        self.phase = Phase::Redirecting(end);
        let control = &self.env.control;
        let redirect: Redirect = match end {
            CallEnd::HandedOff => control.redirect_to_person(&call_sid),
            _ => control.fallback_to_ivr(&call_sid),
        };
        let limit = self.env.tuning.control_timeout;
        let task = actix::spawn(
            async move {
                tokio::time::timeout(limit, redirect)
                    .await
                    .unwrap_or_else(|_| Err(CallControlError("redirect timed out".to_owned())))
            }
            .instrument(self.span.clone()),
        );
        let done = async move {
            task.await
                .unwrap_or_else(|err| Err(CallControlError(format!("redirect task died: {err}"))))
        };
        ctx.spawn(done.into_actor(self).map(move |result, act, ctx| {
            let _span = act.entered();
            act.redirected(end, result, ctx);
        }));
    }

    fn redirected(
        &mut self,
        end: CallEnd,
        result: Result<(), CallControlError>,
        ctx: &mut Context<Self>,
    ) {
        if self.phase != Phase::Redirecting(end) {
            return;
        }
        match result {
            Ok(()) => self.end_call(end, ctx),
            Err(err) if end == CallEnd::HandedOff => {
                self.tenant_metrics.twilio_errors.inc();
                tracing::warn!(%err, "transfer failed: trying the IVR");
                self.phase = Phase::Live;
                self.fall_back(FallbackCause::TransferFailed, ctx);
            }
            Err(err) => {
                self.tenant_metrics.twilio_errors.inc();
                tracing::error!(%err, "IVR fallback failed");
                self.end_call(end, ctx);
            }
        }
    }

    /// Ends the call now: closes the provider session, ends the outbound queue,
    /// finalises the record and stops the actor.
    pub(super) fn end_call(&mut self, end: CallEnd, ctx: &mut Context<Self>) {
        if self.finalized {
            return;
        }
        self.link.close(ctx);
        self.speech.frames().close();
        self.phase = Phase::Finished;
        self.finalize(end);
        ctx.stop();
    }

    /// Hands the record to the finalizer; once per call whatever the path (orderly end,
    /// supervisor restart, or `Drop` after a panic).
    pub(super) fn finalize(&mut self, end: CallEnd) {
        if self.finalized {
            return;
        }
        self.finalized = true;
        self.link.close_without_context();
        self.speech.frames().close();
        let frames = self.speech.frames_ref();
        let summary = CallSummary {
            call_sid: self.call_sid.clone(),
            stream_sid: self.stream_sid.clone(),
            tenant_id: self.env.profile.tenant_id.clone(),
            transcript: self.transcript.finish(),
            ai_seconds: self.link.ai_seconds(),
            frames_in: self.caller.frames_in(),
            frames_out: frames.frames_out(),
            dropped_in: self.caller.dropped(),
            over_pace: self.caller.over_pace(),
            dropped_out: frames.dropped_out(),
            malformed: self.tally.malformed,
            barge_ins: self.tally.barge_ins,
            reconnects: self.link.reconnects(),
            usage: self.tally.usage,
            ended: end,
        };
        let metrics = &self.env.metrics;
        metrics.add_call(&summary);
        metrics.live_calls.dec();
        self.tenant_metrics.live.take();
        if end == CallEnd::Aborted {
            metrics.aborted.inc();
        }
        tracing::info!(
            ended = ?summary.ended,
            ai_seconds = summary.ai_seconds,
            "call finalised"
        );
        self.env.finalizer.finalize(summary);
    }
}
