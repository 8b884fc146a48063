//! The record of a finished call, handed to the [`CallFinalizer`](super::CallFinalizer):
//! who said what, how long the AI leg ran, what the media pipeline carried and dropped,
//! the tokens to meter, and how the call ended.

use servicepro_schema::TenantId;

/// Who spoke a transcript line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Speaker {
    /// The person who called.
    Caller,
    /// The AI receptionist.
    Assistant,
}

/// Why the AI leg was abandoned for the IVR.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FallbackCause {
    /// The provider could not be reached when the call started.
    ProviderUnavailable,
    /// The provider session dropped mid-call and the one reconnect failed or dropped too.
    ProviderLost,
    /// A tool panicked or its task died.
    ToolFailed,
    /// The transfer to a person failed (the IVR offers a person too).
    TransferFailed,
}

/// How a call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallEnd {
    /// Twilio sent `stop` (the caller hung up or the stream ended).
    StreamStopped,
    /// The websocket edge reported the caller gone (socket closed).
    CallerHungUp,
    /// No Twilio frame arrived within the idle timeout.
    TwilioSilent,
    /// The caller was transferred to a person.
    HandedOff,
    /// The caller was sent to the IVR because the AI leg failed.
    FallbackToIvr(FallbackCause),
    /// The actor ended without an orderly finish (a panic, or dropped by its runtime).
    Aborted,
}

/// Tokens reported by the provider's `response.done` events, summed over the call.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TokenUsage {
    /// Input tokens.
    pub input: u64,
    /// Output tokens.
    pub output: u64,
    /// Total tokens.
    pub total: u64,
}

/// Everything the call record and the usage meters need once a call is over.
#[derive(Debug, Clone, PartialEq)]
pub struct CallSummary {
    /// The Twilio call, once its `start` frame arrived.
    pub call_sid: Option<String>,
    /// The Twilio media stream, once its `start` frame arrived.
    pub stream_sid: Option<String>,
    /// The tenant whose receptionist answered.
    pub tenant_id: TenantId,
    /// The conversation, in order of completion.
    pub transcript: Vec<(Speaker, String)>,
    /// Seconds the provider session(s) were open: the AI minutes to meter.
    pub ai_seconds: f64,
    /// Caller audio frames received from Twilio.
    pub frames_in: u64,
    /// AI audio frames (20 ms) sent to Twilio.
    pub frames_out: u64,
    /// Caller frames dropped because the provider was slower than real time (or not yet
    /// connected for longer than the early-audio buffer holds).
    pub dropped_in: u64,
    /// Caller frames refused for arriving faster than real time (beyond the burst
    /// allowance); never forwarded.
    pub over_pace: u64,
    /// AI frames dropped because the websocket edge's outbound queue was full.
    pub dropped_out: u64,
    /// Twilio frames that could not be parsed and were skipped.
    pub malformed: u64,
    /// Times the caller interrupted the AI.
    pub barge_ins: u64,
    /// Provider sessions reopened after a drop (0 or 1).
    pub reconnects: u32,
    /// Tokens used.
    pub usage: TokenUsage,
    /// How the call ended.
    pub ended: CallEnd,
}
