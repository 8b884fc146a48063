//! What a call needs from the rest of the platform, as traits the edge implements: tool
//! execution (the booking brain), live-call control (Twilio REST redirects) and the call
//! record's finalisation (database writes). Tests hand in fakes.

use futures_util::future::BoxFuture;
use thiserror::Error;

use super::recording::SavedRecording;
use super::summary::CallSummary;
use crate::realtime::openai_events::Tool;

/// Runs the functions the model may call during a call. The actor runs every call in
/// its own task, so a slow, failing or panicking tool never blocks or breaks the call's
/// actor (a panic ends that one call through the IVR fallback).
pub trait ToolExecutor: Send + Sync {
    /// The function tools offered to the model in `session.update`.
    fn tools(&self) -> Vec<Tool>;

    /// Runs tool `name` with `arguments` (JSON text written by the model: validate it)
    /// and returns the result the model reads. Failures are results too (e.g.
    /// `{"error": "..."}`); a result with `"handoff": true` transfers the caller to a
    /// person.
    fn execute(&self, name: &str, arguments: &str) -> BoxFuture<'static, serde_json::Value>;
}

/// Why a redirect of the live call failed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("call control failed: {0}")]
pub struct CallControlError(pub String);

/// Moves the live call off the AI stream (implemented over Twilio REST
/// `Calls/{sid}.json` with `Twiml`; the TwiML is the implementation's business). The
/// actor closes the media stream only after the returned future completes, because
/// closing it first would end the call.
pub trait CallControl: Send + Sync {
    /// Transfer the caller to a person (DTMF `0`, or the `handoff_to_human` tool).
    fn redirect_to_person(
        &self,
        call_sid: &str,
    ) -> BoxFuture<'static, Result<(), CallControlError>>;

    /// The AI leg failed: send the caller to the tenant's IVR menu so the call never
    /// falls silent.
    fn fallback_to_ivr(&self, call_sid: &str) -> BoxFuture<'static, Result<(), CallControlError>>;
}

/// Stores a finished call's record. Called exactly once per call, also when the call
/// ended abnormally (from the actor's `Drop` after a panic), so it must not block and
/// must not panic: an implementation hands the summary to a task or channel that
/// writes the database. Both methods are called inside the call's span
/// (`call{tenant_id, call_sid}`); a task they spawn keeps it with `in_current_span`.
pub trait CallFinalizer: Send + Sync {
    /// Records `summary`.
    fn finalize(&self, summary: CallSummary);

    /// A recording of the call (tenants that record calls) was written completely, just
    /// after the call ended: store where it is. Called from the recording's encoder
    /// thread (on the runtime's blocking pool), at most once per call, after or around
    /// [`CallFinalizer::finalize`]; the same rules apply: do not block, do not panic.
    fn recording_saved(&self, recording: SavedRecording);
}
