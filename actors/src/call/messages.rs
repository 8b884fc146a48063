//! What the websocket edge (and tests) send a call actor, and the snapshot it answers
//! with.

use std::time::Duration;

use actix::Message;

/// One raw text frame from Twilio's media-stream websocket, as received (the
/// websocket codec's own buffer, not a copy), sent through a [`super::CallInbox`].
/// The actor parses it; a frame it cannot parse is counted and skipped.
#[derive(Debug, Clone)]
pub struct TwilioFrame(pub bytestring::ByteString);

impl From<String> for TwilioFrame {
    fn from(text: String) -> Self {
        TwilioFrame(text.into())
    }
}

/// The media-stream websocket closed (or failed) without a `stop` frame.
#[derive(Debug, Clone, Copy, Message)]
#[rtype(result = "()")]
pub struct CallerHungUp;

/// Asks a call actor for its [`CallStats`] (dashboards, tests).
#[derive(Debug, Clone, Copy, Message)]
#[rtype(result = "CallStats")]
pub struct GetCallStats;

/// Where a call is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallPhase {
    /// Waiting for Twilio's `start` frame.
    AwaitingStart,
    /// Opening the provider session; caller audio is being buffered.
    Connecting,
    /// The AI is on the call.
    Live,
    /// Reopening a dropped provider session; caller audio is being buffered.
    Reconnecting,
    /// Moving the call to a person or the IVR; waiting for the redirect to complete.
    Redirecting,
    /// The call is over and its record finalised.
    Finished,
}

/// A live call's counters now.
#[derive(Debug, Clone, PartialEq)]
pub struct CallStats {
    /// Where the call is.
    pub phase: CallPhase,
    /// The Twilio call, once known.
    pub call_sid: Option<String>,
    /// Caller frames received.
    pub frames_in: u64,
    /// Caller frames waiting for the provider.
    pub queued_in: usize,
    /// Caller frames dropped.
    pub dropped_in: u64,
    /// Caller frames refused for arriving faster than real time.
    pub over_pace: u64,
    /// AI frames sent.
    pub frames_out: u64,
    /// AI frames dropped.
    pub dropped_out: u64,
    /// Malformed Twilio frames skipped.
    pub malformed: u64,
    /// `speech_started` events seen.
    pub speech_starts: u64,
    /// Barge-ins acted on (something was playing or being generated).
    pub barge_ins: u64,
    /// Slowest barge-in reaction of this call (speech_started handled → clear queued).
    pub max_barge_in_reaction: Duration,
    /// Whether the provider is generating an answer.
    pub response_active: bool,
    /// Provider sessions reopened.
    pub reconnects: u32,
    /// Tool calls started.
    pub tool_calls: u64,
}

/// Test-only: makes the actor panic inside a handler, to prove an abnormal end still
/// finalises the call and touches no other call.
#[cfg(test)]
#[derive(Debug, Clone, Copy, Message)]
#[rtype(result = "()")]
pub(crate) struct InjectPanic;
