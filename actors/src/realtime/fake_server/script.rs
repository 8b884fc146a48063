//! What the fake provider does: the script a test, the demo or the load bench gives it.

use std::time::Duration;

use super::probe::FakeProbe;
use crate::realtime::openai_events::AudioFormat;

/// The fake provider's behaviour for every connection it accepts. `Default` is a
/// cooperative provider: it answers each `response.create` with half a second of tone,
/// detects caller speech by energy, and answers each utterance.
#[derive(Debug, Clone)]
pub struct FakeScript {
    /// Play [`FakeScript::response`] as soon as the first `session.update` is applied
    /// (a greeting), without waiting for `response.create`.
    pub greet_on_connect: bool,
    /// The answer played on greeting, on `response.create` and after caller speech.
    pub response: FakeResponse,
    /// When to emit `input_audio_buffer.speech_started` / `speech_stopped`.
    pub speech: SpeechTrigger,
    /// After `speech_stopped`, answer like server VAD with `create_response`.
    pub respond_after_speech: bool,
    /// Cancel the active response when the caller starts talking (server VAD's
    /// `interrupt_response`).
    pub interrupt_on_speech: bool,
    /// What the caller's n-th utterance transcribes to (`caller_transcripts[n-1]`);
    /// beyond the list, `"(caller speech)"`.
    pub caller_transcripts: Vec<String>,
    /// Call a tool instead of answering, once the caller has spoken enough times.
    pub tool_call: Option<ScriptedToolCall>,
    /// Refuse connections instead of serving them.
    pub refuse: Option<Refusal>,
    /// End each session this long after it connects.
    pub drop_after: Option<(Duration, Disconnect)>,
    /// Refuse (HTTP 401) connections whose `Authorization` is not `Bearer <key>`.
    pub require_api_key: Option<String>,
    /// Keep every `input_audio_buffer.append` in the session log. Off for load tests:
    /// appends are then only counted.
    pub record_audio: bool,
    /// Told when sessions are configured, receive audio, send audio and hear speech
    /// (the load bench's latency clock).
    pub probe: Option<FakeProbe>,
}

impl Default for FakeScript {
    fn default() -> Self {
        Self {
            greet_on_connect: false,
            response: FakeResponse::default(),
            speech: SpeechTrigger::Energy {
                start_ms: 200,
                stop_ms: 400,
                threshold: 500,
            },
            respond_after_speech: true,
            interrupt_on_speech: true,
            caller_transcripts: Vec::new(),
            tool_call: None,
            refuse: None,
            drop_after: None,
            require_api_key: None,
            record_audio: true,
            probe: None,
        }
    }
}

/// One scripted answer: `response.created`, audio and transcript deltas,
/// `response.output_audio.done`, `response.done` with usage.
#[derive(Debug, Clone)]
pub struct FakeResponse {
    /// What the audio sounds like.
    pub audio: FakeAudio,
    /// Encoding of the deltas; `None` follows the session's output format (PCM16 24 kHz
    /// until a `session.update` says otherwise, like the real API).
    pub format: Option<AudioFormat>,
    /// Length of each audio delta in ms.
    pub chunk_ms: u32,
    /// Number of audio deltas.
    pub chunks: u32,
    /// Send deltas as fast as possible or one per `chunk_ms`.
    pub pacing: Pacing,
    /// Transcript of the answer, spread over the deltas word by word.
    pub transcript: String,
    /// `usage.input_tokens` reported in `response.done`.
    pub input_tokens: u64,
    /// `usage.output_tokens` reported in `response.done`.
    pub output_tokens: u64,
}

impl Default for FakeResponse {
    fn default() -> Self {
        Self {
            audio: FakeAudio::Tone {
                freq_hz: 440,
                amplitude: 8000,
            },
            format: None,
            chunk_ms: 100,
            chunks: 5,
            pacing: Pacing::Fast,
            transcript: "Thanks for calling Clean Machine, how can I help?".into(),
            input_tokens: 120,
            output_tokens: 60,
        }
    }
}

impl FakeResponse {
    /// Milliseconds of audio in the whole answer.
    pub fn audio_ms(&self) -> u64 {
        u64::from(self.chunk_ms) * u64::from(self.chunks)
    }
}

/// The sound of a fake answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FakeAudio {
    /// A sine tone (`amplitude` in PCM16 sample units).
    Tone {
        /// Frequency in Hz.
        freq_hz: u32,
        /// Peak amplitude.
        amplitude: u16,
    },
    /// Digital silence.
    Silence,
}

/// How fast a fake answer is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pacing {
    /// All events at once (unit tests).
    Fast,
    /// One delta per `chunk_ms`, like speech being generated (demo, load bench).
    RealTime,
}

/// When the fake hears the caller speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpeechTrigger {
    /// Never: no `speech_started` at all.
    Never,
    /// By energy: speech starts after `start_ms` of caller audio whose mean absolute
    /// level exceeds `threshold` (PCM16 units) and stops after `stop_ms` below it.
    Energy {
        /// Voiced audio needed to start, in ms.
        start_ms: u32,
        /// Quiet audio needed to stop, in ms.
        stop_ms: u32,
        /// Mean absolute sample level that counts as voice.
        threshold: u16,
    },
    /// Scripted, whatever the audio: speech starts after `after_ms` of caller audio and
    /// stops `duration_ms` later; then it repeats.
    AfterAudio {
        /// Audio before each utterance starts, in ms.
        after_ms: u32,
        /// Length of each utterance, in ms.
        duration_ms: u32,
    },
}

/// A function call the fake makes instead of answering.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptedToolCall {
    /// The function called.
    pub name: String,
    /// Its arguments, as JSON text.
    pub arguments: String,
    /// Make the call when the caller's utterance count reaches this.
    pub after_utterances: u32,
}

/// How the fake refuses a connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Answer the upgrade with this HTTP status (401 for a bad key).
    Http(u16),
    /// Accept the websocket, then close it at once with this code and reason.
    Close {
        /// Close code.
        code: u16,
        /// Close reason.
        reason: String,
    },
    /// Drop the TCP connection before the handshake.
    Hangup,
}

/// How a scripted mid-call drop ends the socket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Disconnect {
    /// Drop the TCP connection without a close frame.
    Abrupt,
    /// Send a close frame with this code and reason.
    Close {
        /// Close code (1011 for a server error).
        code: u16,
        /// Close reason.
        reason: String,
    },
}
