//! Timestamps out of the fake provider, for the load bench: it runs the fake in its own
//! process, next to the simulated Twilio callers, so one clock measures how long the
//! engine took to carry a caller frame to the provider and an AI delta to the caller.

use std::fmt;
use std::sync::Arc;

/// Told, as they happen, what a fake session received and sent. Callbacks run on the
/// session's task, before its outgoing frames are written: keep them short.
pub trait ProbeSink: Send + Sync {
    /// The session got its `session.update` with these instructions (the engine names
    /// the caller's number there, which ties the session to a call).
    fn session_configured(&self, session_id: &str, instructions: &str);
    /// The session received `audio_us` microseconds of caller audio, `audio` (in the
    /// session's input format).
    fn audio_appended(&self, session_id: &str, audio_us: u64, audio: &[u8]);
    /// The session is sending an audio delta of its answer now.
    fn audio_delta_sent(&self, session_id: &str);
    /// The session is sending `input_audio_buffer.speech_started` now.
    fn speech_started(&self, session_id: &str);
    /// The session received `conversation.item.truncate` to `audio_end_ms`.
    fn item_truncated(&self, session_id: &str, audio_end_ms: u64);
}

/// A [`ProbeSink`] shared by every session of a fake server.
#[derive(Clone)]
pub struct FakeProbe(pub Arc<dyn ProbeSink>);

impl fmt::Debug for FakeProbe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FakeProbe")
    }
}
