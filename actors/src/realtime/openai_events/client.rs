//! Events we send to the Realtime API, and their encoding for either API shape.

use serde::{Deserialize, Serialize};

use super::beta::beta_session_update;
use super::session::SessionConfig;
use crate::realtime::json_text::{needs_escape, push_escaped};

/// Which generation of the Realtime protocol a provider speaks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ApiShape {
    /// The generally available protocol (`session.type = "realtime"`, `audio/pcmu`, …).
    #[default]
    Ga,
    /// The retiring beta protocol: `OpenAI-Beta: realtime=v1` header and the beta
    /// `session.update`. Server events of both shapes are always understood.
    Beta,
}

/// An event from us to the provider.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum ClientEvent {
    /// Configure the session (sent first, and again whenever the tools or prompt change).
    #[serde(rename = "session.update")]
    SessionUpdate {
        /// The whole session configuration.
        session: SessionConfig,
    },
    /// Caller audio in the session's input format, base64. Hot path: see [`write_append`].
    #[serde(rename = "input_audio_buffer.append")]
    InputAudioAppend {
        /// Base64 audio.
        audio: String,
    },
    /// Add an item to the conversation (a tool's result).
    #[serde(rename = "conversation.item.create")]
    ItemCreate {
        /// The item.
        item: ConversationItem,
    },
    /// Ask the model to answer now (after a tool result, or to greet the caller).
    #[serde(rename = "response.create")]
    ResponseCreate {
        /// Per-response overrides, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        response: Option<ResponseOptions>,
    },
    /// Stop the response in progress. Only valid while one is active.
    #[serde(rename = "response.cancel")]
    ResponseCancel,
    /// Cut an assistant audio item to what the caller actually heard (barge-in).
    #[serde(rename = "conversation.item.truncate")]
    ItemTruncate {
        /// The interrupted assistant item.
        item_id: String,
        /// Content part, always 0 for audio answers.
        content_index: u32,
        /// Milliseconds heard; must not exceed the audio the provider sent for the item.
        audio_end_ms: u64,
    },
}

/// An item we add to the conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum ConversationItem {
    /// The result of a function call the model asked for.
    #[serde(rename = "function_call_output")]
    FunctionCallOutput {
        /// The `call_id` from the model's function call.
        call_id: String,
        /// The result, usually JSON text.
        output: String,
    },
}

/// `response.create.response`: overrides for one response.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ResponseOptions {
    /// Instructions for this response only (e.g. "greet the caller").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructions: Option<String>,
}

impl ClientEvent {
    /// `response.create` with the session's settings.
    pub fn response_create() -> Self {
        Self::ResponseCreate { response: None }
    }

    /// `conversation.item.create` carrying a tool result.
    pub fn function_output(call_id: impl Into<String>, output: impl Into<String>) -> Self {
        Self::ItemCreate {
            item: ConversationItem::FunctionCallOutput {
                call_id: call_id.into(),
                output: output.into(),
            },
        }
    }

    /// `conversation.item.truncate` of an audio item's first content part.
    pub fn truncate(item_id: impl Into<String>, audio_end_ms: u64) -> Self {
        Self::ItemTruncate {
            item_id: item_id.into(),
            content_index: 0,
            audio_end_ms,
        }
    }

    /// The wire `type` of this event.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::SessionUpdate { .. } => "session.update",
            Self::InputAudioAppend { .. } => "input_audio_buffer.append",
            Self::ItemCreate { .. } => "conversation.item.create",
            Self::ResponseCreate { .. } => "response.create",
            Self::ResponseCancel => "response.cancel",
            Self::ItemTruncate { .. } => "conversation.item.truncate",
        }
    }
}

const APPEND_PREFIX: &str = r#"{"type":"input_audio_buffer.append","audio":""#;
const APPEND_SUFFIX: &str = r#""}"#;

/// Replaces `out` with an `input_audio_buffer.append` frame for `audio_base64`, built by
/// hand (50 frames a second per call): once `out` has grown, no allocation. Equal, as
/// JSON, to serde's encoding of [`ClientEvent::InputAudioAppend`].
pub fn write_append(out: &mut String, audio_base64: &str) {
    out.clear();
    out.reserve(APPEND_PREFIX.len() + audio_base64.len() + APPEND_SUFFIX.len());
    out.push_str(APPEND_PREFIX);
    push_escaped(out, audio_base64);
    out.push_str(APPEND_SUFFIX);
}

/// Bytes an `input_audio_buffer.append` frame adds around its audio: a caller that
/// reserves this much beyond the base64 text lets [`encode_client_event_owned`] build
/// the frame in the audio's own buffer.
pub const APPEND_OVERHEAD: usize = APPEND_PREFIX.len() + APPEND_SUFFIX.len();

/// Encodes `event`, taken by value, as a text frame for a provider speaking `shape`. An
/// append whose audio needs no escaping (base64 never does) becomes its frame in place,
/// in the audio's buffer: no allocation when that buffer has [`APPEND_OVERHEAD`] spare.
pub fn encode_client_event_owned(
    event: ClientEvent,
    shape: ApiShape,
) -> Result<String, serde_json::Error> {
    match event {
        ClientEvent::InputAudioAppend { audio } if !needs_escape(audio.as_bytes()) => {
            let mut frame = audio;
            frame.reserve_exact(APPEND_OVERHEAD);
            frame.insert_str(0, APPEND_PREFIX);
            frame.push_str(APPEND_SUFFIX);
            Ok(frame)
        }
        other => encode_client_event(&other, shape),
    }
}

/// Encodes `event` as a text frame for a provider speaking `shape`. Appends take the
/// hand-built path with one exactly-sized allocation.
pub fn encode_client_event(
    event: &ClientEvent,
    shape: ApiShape,
) -> Result<String, serde_json::Error> {
    match (event, shape) {
        (ClientEvent::InputAudioAppend { audio }, _) => {
            let mut frame = String::new();
            write_append(&mut frame, audio);
            Ok(frame)
        }
        (ClientEvent::SessionUpdate { session }, ApiShape::Beta) => beta_session_update(session),
        _ => serde_json::to_string(event),
    }
}
