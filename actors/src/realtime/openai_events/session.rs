//! The GA `session` object of `session.update`: how the provider hears, speaks and
//! which tools it may call.

use serde::{Deserialize, Serialize};

/// Transcription model used for the caller's speech unless a tenant picks another.
pub const DEFAULT_TRANSCRIPTION_MODEL: &str = "gpt-4o-mini-transcribe";

/// The `session` of a GA `session.update`. Also what a provider session is opened with:
/// the session sends it as its first event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionConfig {
    /// Always `"realtime"` (speech-to-speech, as opposed to a transcription session).
    #[serde(rename = "type")]
    pub kind: SessionKind,
    /// What the model answers with; `["audio"]` for calls (audio comes with a transcript).
    pub output_modalities: Vec<Modality>,
    /// System prompt: the tenant's receptionist persona and rules.
    pub instructions: String,
    /// Audio formats, turn detection, transcription and voice.
    pub audio: SessionAudio,
    /// Functions the model may call (booking tools).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tools: Vec<Tool>,
    /// When the model may call tools.
    #[serde(default)]
    pub tool_choice: ToolChoice,
}

/// The `session.type` of a speech-to-speech session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SessionKind {
    /// `"realtime"`.
    #[serde(rename = "realtime")]
    Realtime,
}

/// An output modality.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Modality {
    /// Spoken answers (with transcript events).
    Audio,
    /// Text-only answers.
    Text,
}

/// `session.audio`: both directions of the call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionAudio {
    /// What we send: the caller.
    pub input: AudioInput,
    /// What the model sends: its voice.
    pub output: AudioOutput,
}

/// `session.audio.input`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AudioInput {
    /// Encoding of `input_audio_buffer.append` audio.
    pub format: AudioFormat,
    /// How the provider decides the caller has started and stopped talking; absent
    /// means the provider's default (server VAD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub turn_detection: Option<TurnDetection>,
    /// Transcribe the caller (for the call transcript); absent means no transcripts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transcription: Option<Transcription>,
}

/// `session.audio.output`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AudioOutput {
    /// Encoding of `response.output_audio.delta` audio.
    pub format: AudioFormat,
    /// Voice name, e.g. `"marin"` or `"alloy"`.
    pub voice: String,
}

/// An audio encoding on the provider socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum AudioFormat {
    /// G.711 μ-law at 8 kHz: Twilio's own format, passed through untouched.
    #[serde(rename = "audio/pcmu")]
    Pcmu,
    /// G.711 A-law at 8 kHz.
    #[serde(rename = "audio/pcma")]
    Pcma,
    /// Little-endian PCM16 mono at `rate` Hz (24000 on the Realtime API).
    #[serde(rename = "audio/pcm")]
    Pcm {
        /// Samples per second.
        rate: u32,
    },
}

impl AudioFormat {
    /// PCM16 at 24 kHz, the provider's native rate.
    pub const PCM_24K: Self = Self::Pcm { rate: 24_000 };

    /// Bytes of audio per millisecond in this format, to turn byte counts into durations.
    pub fn bytes_per_ms(self) -> u32 {
        match self {
            Self::Pcmu | Self::Pcma => 8,
            Self::Pcm { rate } => (rate / 1000).max(1) * 2,
        }
    }
}

/// `session.audio.input.turn_detection`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TurnDetection {
    /// Energy-based voice activity detection on the provider.
    ServerVad {
        /// Activation threshold, 0.0–1.0.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        threshold: Option<f32>,
        /// Audio kept before detected speech, in ms.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        prefix_padding_ms: Option<u32>,
        /// Silence that ends a turn, in ms.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        silence_duration_ms: Option<u32>,
        /// Answer automatically when the caller stops talking.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        create_response: Option<bool>,
        /// Cancel the model's answer when the caller starts talking.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        interrupt_response: Option<bool>,
    },
    /// Model-based end-of-turn detection.
    SemanticVad {
        /// `low`, `medium`, `high` or `auto`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        eagerness: Option<String>,
        /// Answer automatically when the caller stops talking.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        create_response: Option<bool>,
        /// Cancel the model's answer when the caller starts talking.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        interrupt_response: Option<bool>,
    },
}

impl TurnDetection {
    /// Server VAD with the provider's defaults.
    pub fn server_vad() -> Self {
        Self::ServerVad {
            threshold: None,
            prefix_padding_ms: None,
            silence_duration_ms: None,
            create_response: None,
            interrupt_response: None,
        }
    }
}

/// `session.audio.input.transcription`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transcription {
    /// Transcription model name.
    pub model: String,
    /// ISO-639-1 language hint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

/// A tool the model may call. Only function tools exist on a call today.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tool {
    /// Always `"function"`.
    #[serde(rename = "type")]
    pub kind: ToolKind,
    /// Function name the model calls it by.
    pub name: String,
    /// When and why to call it, for the model.
    pub description: String,
    /// JSON Schema of the arguments object.
    pub parameters: serde_json::Value,
}

impl Tool {
    /// A function tool.
    pub fn function(
        name: impl Into<String>,
        description: impl Into<String>,
        parameters: serde_json::Value,
    ) -> Self {
        Self {
            kind: ToolKind::Function,
            name: name.into(),
            description: description.into(),
            parameters,
        }
    }
}

/// The `type` of a tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ToolKind {
    /// A function we implement.
    Function,
}

/// `session.tool_choice`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ToolChoice {
    /// The model decides.
    #[default]
    Auto,
    /// Never call tools.
    None,
    /// Always call a tool.
    Required,
}

impl SessionConfig {
    /// A phone-call session: μ-law in and out (Twilio's audio passes through untouched),
    /// server VAD, caller transcription, audio answers, no tools yet.
    pub fn phone_call(instructions: impl Into<String>, voice: impl Into<String>) -> Self {
        Self {
            kind: SessionKind::Realtime,
            output_modalities: vec![Modality::Audio],
            instructions: instructions.into(),
            audio: SessionAudio {
                input: AudioInput {
                    format: AudioFormat::Pcmu,
                    turn_detection: Some(TurnDetection::server_vad()),
                    transcription: Some(Transcription {
                        model: DEFAULT_TRANSCRIPTION_MODEL.to_owned(),
                        language: None,
                    }),
                },
                output: AudioOutput {
                    format: AudioFormat::Pcmu,
                    voice: voice.into(),
                },
            },
            tools: Vec::new(),
            tool_choice: ToolChoice::Auto,
        }
    }

    /// The same session with `format` in both directions (e.g. [`AudioFormat::PCM_24K`]
    /// when the engine transcodes).
    pub fn with_format(mut self, format: AudioFormat) -> Self {
        self.audio.input.format = format;
        self.audio.output.format = format;
        self
    }

    /// The same session with these tools.
    pub fn with_tools(mut self, tools: Vec<Tool>) -> Self {
        self.tools = tools;
        self
    }
}
