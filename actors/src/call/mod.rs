//! The AI voice receptionist's call actor and its media pipeline.
//!
//! One [`CallActor`] per live call bridges Twilio Media Streams (8 kHz μ-law over the
//! media-stream websocket) to an OpenAI Realtime session:
//!
//! * caller `media` → `input_audio_buffer.append` of [`APPEND_FRAMES`] frame(s) (μ-law in
//!   [`AudioMode::Passthrough`], PCM16 24 kHz in [`AudioMode::Transcode`]), through a
//!   bounded queue that holds early audio while the session opens and drops the oldest
//!   frames when the provider is slower than real time; audio arriving faster than real
//!   time beyond a one-second burst is counted and dropped, never forwarded (`pacing`);
//! * provider audio deltas → whole 20 ms μ-law frames, one Twilio `media` message per
//!   delta (at most [`FRAMES_PER_MESSAGE`] frames) followed by a uniquely named `mark`,
//!   onto the bounded outbound queue the websocket edge drains; echoed marks, and the
//!   time since the last one, drive the playback clock;
//! * barge-in (`speech_started`) → Twilio `clear`, then `conversation.item.truncate` to
//!   what the caller heard and `response.cancel` only while a response is active;
//! * function calls → the [`ToolExecutor`] in a task of their own → tool output and a new
//!   answer; DTMF `0` or a `handoff` result → [`CallControl::redirect_to_person`];
//! * tenants that record calls: every caller frame and every AI frame queued to Twilio
//!   → a bounded channel → a stereo Ogg Opus encoder on the blocking pool (caller left,
//!   AI right, time-aligned; see the `recording` module), finished when the call ends and
//!   reported through [`CallFinalizer::recording_saved`];
//! * failures never leave silence: a provider that cannot be reached, or that drops and
//!   then fails its one reconnect, sends the caller to [`CallControl::fallback_to_ivr`];
//! * the end (Twilio `stop`, [`CallerHungUp`], 30 s without a frame, a redirect, or an
//!   abnormal end) closes the provider session at once and hands a [`CallSummary`] to the
//!   [`CallFinalizer`] exactly once.
//!
//! The websocket edge's part, in order: parse Twilio's `start` frame and check it once
//! ([`StartFrame::check`]), build [`CallDeps`] (with a bounded `tokio::sync::mpsc`
//! channel for outbound frames), [`CallActor::start`] it with the [`StartFrame`], forward
//! every later text frame as [`TwilioFrame`] through the returned [`CallInbox`] (a full
//! queue drops the frame), write every `String` from the channel's receiver to the
//! websocket as a text frame, drop the inbox when the socket closes (the actor takes it
//! as [`CallerHungUp`] after the frames already queued), and close the socket when the
//! receiver ends (the actor drops its sender when the call is over).

mod actor;
mod deps;
mod ending;
mod frames;
mod inbound;
mod inbox;
mod link;
pub(crate) mod messages;
mod metrics;
mod outbound;
mod pacing;
mod ports;
mod provider_in;
mod recording;
mod start;
mod summary;
#[cfg(test)]
mod tests;
mod tool_calls;
mod transcript;
mod twilio_in;

pub use actor::{CallActor, CallError, MAILBOX_CAPACITY};
pub use deps::{
    AudioMode, CallDeps, CallProfile, CallTuning, APPEND_FRAMES, CALLER_BURST, CONNECT_TIMEOUT,
    CONTROL_TIMEOUT, EARLY_AUDIO, FRAMES_PER_MESSAGE, HEARTBEAT_INTERVAL, PUMP_RETRY, TOOL_TIMEOUT,
    TWILIO_IDLE_TIMEOUT,
};
pub use inbox::{CallInbox, FrameRefused};
pub use messages::{CallPhase, CallStats, CallerHungUp, GetCallStats, TwilioFrame};
pub use metrics::{CallMetrics, ReactionSnapshot, ReactionStats};
pub use ports::{CallControl, CallControlError, CallFinalizer, ToolExecutor};
pub use recording::{
    safe_call_sid, RecordingError, SavedRecording, RECORDING_COMPLEXITY, RECORDING_QUEUE,
};
pub use start::{StartFrame, StartRefused, CALLER_PARAMETER, TENANT_PARAMETER};
pub use summary::{CallEnd, CallSummary, FallbackCause, Speaker, TokenUsage};
