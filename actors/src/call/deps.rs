//! What a call actor is created with: the tenant's receptionist profile, the provider
//! connector, the platform ports, the outbound queue to the websocket edge, and the
//! timing constants.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use servicepro_schema::TenantId;
use tokio::sync::mpsc;

use super::metrics::CallMetrics;
use super::ports::{CallControl, CallFinalizer, ToolExecutor};
use crate::realtime::openai_events::{AudioFormat, SessionConfig, TurnDetection};
use crate::realtime::provider::RealtimeConnector;

/// No Twilio frame for this long means the caller is gone (Twilio sends 50 a second).
pub const TWILIO_IDLE_TIMEOUT: Duration = Duration::from_secs(30);
/// How often the actor checks the idle timeout.
pub const HEARTBEAT_INTERVAL: Duration = Duration::from_secs(5);
/// Caller audio held while the provider is connecting or slower than real time.
pub const EARLY_AUDIO: Duration = Duration::from_secs(2);
/// Longest wait for a provider session to open.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Longest wait for a redirect of the live call.
pub const CONTROL_TIMEOUT: Duration = Duration::from_secs(10);
/// Longest a tool may run before the model is told it timed out.
pub const TOOL_TIMEOUT: Duration = Duration::from_secs(20);
/// Caller audio that may arrive ahead of real time (jitter, a socket catching up);
/// audio beyond it is counted and dropped, never forwarded (see the `pacing` module).
pub const CALLER_BURST: Duration = Duration::from_secs(1);
/// 20 ms frames one Twilio `media` message carries at most. A provider delta is
/// usually 100–200 ms, so this is one message and one mark per delta, where one per
/// frame was five to ten times the messages (and socket writes, and Twilio's work)
/// for the same audio; the playback clock interpolates between the sparser marks.
pub const FRAMES_PER_MESSAGE: usize = 10;
/// 20 ms caller frames per `input_audio_buffer.append`. Three frames an append cut
/// the provider sends to a third but saved no measurable CPU at 200 calls (0.67–0.71
/// vs 0.66–0.74 ms per call-second) and delayed what the provider hears, and so its
/// speech detection, by 20 ms at the median and 40 ms at p90 (BENCHMARKS.md), so one
/// frame an append it is.
pub const APPEND_FRAMES: usize = 1;
/// How soon to retry events the provider queue had no room for.
pub const PUMP_RETRY: Duration = Duration::from_millis(20);

/// How audio crosses the provider socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AudioMode {
    /// `audio/pcmu` both ways: Twilio's payloads go to the provider untouched and the
    /// provider's μ-law is only re-framed into 20 ms frames.
    Passthrough,
    /// `audio/pcm` at 24 kHz both ways, converted by the media crate (8 kHz μ-law ↔
    /// 24 kHz PCM16).
    Transcode,
}

impl AudioMode {
    /// The provider-side format of this mode.
    pub fn provider_format(self) -> AudioFormat {
        match self {
            Self::Passthrough => AudioFormat::Pcmu,
            Self::Transcode => AudioFormat::PCM_24K,
        }
    }
}

/// The tenant's receptionist: who answers and how.
#[derive(Debug, Clone)]
pub struct CallProfile {
    /// The tenant the call belongs to.
    pub tenant_id: TenantId,
    /// System prompt of the receptionist.
    pub instructions: String,
    /// Provider voice name.
    pub voice: String,
    /// Audio format across the provider socket.
    pub audio_mode: AudioMode,
    /// Where to record the call when the tenant records calls (`None`: not recorded):
    /// both legs go to `{dir}/{tenant_id}/{call_sid}.opus`.
    pub recordings_dir: Option<PathBuf>,
}

/// Timing of one call; [`Default`] is production, tests shorten it.
#[derive(Debug, Clone)]
pub struct CallTuning {
    /// See [`TWILIO_IDLE_TIMEOUT`].
    pub twilio_idle_timeout: Duration,
    /// See [`HEARTBEAT_INTERVAL`].
    pub heartbeat: Duration,
    /// See [`EARLY_AUDIO`].
    pub early_audio: Duration,
    /// See [`CONNECT_TIMEOUT`].
    pub connect_timeout: Duration,
    /// See [`CONTROL_TIMEOUT`].
    pub control_timeout: Duration,
    /// See [`PUMP_RETRY`].
    pub pump_retry: Duration,
    /// See [`TOOL_TIMEOUT`].
    pub tool_timeout: Duration,
    /// See [`CALLER_BURST`].
    pub caller_burst: Duration,
    /// See [`FRAMES_PER_MESSAGE`].
    pub frames_per_message: usize,
    /// See [`APPEND_FRAMES`].
    pub append_frames: usize,
    /// Frames the call's [`CallInbox`](super::CallInbox) holds: [`MAILBOX_CAPACITY`](super::MAILBOX_CAPACITY).
    pub inbox_frames: usize,
}

impl Default for CallTuning {
    fn default() -> Self {
        Self {
            twilio_idle_timeout: TWILIO_IDLE_TIMEOUT,
            heartbeat: HEARTBEAT_INTERVAL,
            early_audio: EARLY_AUDIO,
            connect_timeout: CONNECT_TIMEOUT,
            control_timeout: CONTROL_TIMEOUT,
            pump_retry: PUMP_RETRY,
            tool_timeout: TOOL_TIMEOUT,
            caller_burst: CALLER_BURST,
            frames_per_message: FRAMES_PER_MESSAGE,
            append_frames: APPEND_FRAMES,
            inbox_frames: super::MAILBOX_CAPACITY,
        }
    }
}

/// Everything a [`CallActor`](super::CallActor) is created with.
#[derive(Clone)]
pub struct CallDeps {
    /// Opens provider sessions (OpenAI Realtime, or the loopback fake).
    pub connector: Arc<dyn RealtimeConnector>,
    /// The tenant's receptionist.
    pub profile: CallProfile,
    /// The model's function tools.
    pub tools: Arc<dyn ToolExecutor>,
    /// Redirects of the live call.
    pub control: Arc<dyn CallControl>,
    /// Stores the call record.
    pub finalizer: Arc<dyn CallFinalizer>,
    /// Ready-to-send Twilio text frames (`media`, `mark`, `clear`) for the websocket
    /// edge to write, in order. Bounded: when full, AI audio is dropped and counted.
    /// The actor drops it when the call ends, so the edge's receiver ends too.
    pub outbound: mpsc::Sender<String>,
    /// Process-wide call metrics.
    pub metrics: Arc<CallMetrics>,
    /// Timing.
    pub tuning: CallTuning,
}

impl fmt::Debug for CallDeps {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallDeps")
            .field("profile", &self.profile)
            .field("tuning", &self.tuning)
            .finish_non_exhaustive()
    }
}

/// [`CallDeps`] without the outbound queue, which the actor's frame writer owns alone
/// (so dropping it ends the edge's receiver).
#[derive(Clone)]
pub(crate) struct CallEnv {
    pub(crate) connector: Arc<dyn RealtimeConnector>,
    pub(crate) profile: CallProfile,
    pub(crate) tools: Arc<dyn ToolExecutor>,
    pub(crate) control: Arc<dyn CallControl>,
    pub(crate) finalizer: Arc<dyn CallFinalizer>,
    pub(crate) metrics: Arc<CallMetrics>,
    pub(crate) tuning: CallTuning,
}

impl CallDeps {
    /// Separates the outbound queue from the rest.
    pub(crate) fn split(self) -> (CallEnv, mpsc::Sender<String>) {
        let env = CallEnv {
            connector: self.connector,
            profile: self.profile,
            tools: self.tools,
            control: self.control,
            finalizer: self.finalizer,
            metrics: self.metrics,
            tuning: self.tuning,
        };
        (env, self.outbound)
    }
}

impl CallEnv {
    /// The session a call opens: the tenant's prompt (plus `extra` context after a
    /// reconnect), voice, audio format and tools. Server VAD answers on its own when the
    /// caller stops, but never cancels an answer by itself: the actor does, on
    /// barge-in, only while a response is active, after clearing Twilio's queue.
    pub(crate) fn session_config(&self, extra: Option<&str>) -> SessionConfig {
        let instructions = match extra {
            Some(extra) => format!("{}\n\n{extra}", self.profile.instructions),
            None => self.profile.instructions.clone(),
        };
        let mut config = SessionConfig::phone_call(instructions, self.profile.voice.clone())
            .with_format(self.profile.audio_mode.provider_format())
            .with_tools(self.tools.tools());
        config.audio.input.turn_detection = Some(TurnDetection::ServerVad {
            threshold: None,
            prefix_padding_ms: None,
            silence_duration_ms: None,
            create_response: Some(true),
            interrupt_response: Some(false),
        });
        config
    }
}
