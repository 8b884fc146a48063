//! Events the Realtime API sends us, in either protocol shape.
//!
//! A frame is read twice: once for its `type` (borrowed, no allocation), then into the
//! struct of that type. Each struct names only its own fields and ignores the rest, so
//! new fields never break parsing, and an unknown `type` is [`ServerEvent::Other`].
//! Beta names (`response.audio.delta`, `response.audio_transcript.*`) map to the same
//! variants as their GA names.

use std::borrow::Cow;

use serde::de::DeserializeOwned;
use serde::Deserialize;
use thiserror::Error;

/// Why a provider frame was not understood; the session counts and skips it.
#[derive(Debug, Error)]
pub enum EventError {
    /// Not a JSON object with a string `type`.
    #[error("provider frame is not a typed JSON event: {0}")]
    NotAnEvent(serde_json::Error),
    /// A known event whose fields have the wrong shape.
    #[error("malformed `{kind}` event: {source}")]
    Malformed {
        /// The event's `type`.
        kind: String,
        /// What serde rejected.
        source: serde_json::Error,
    },
}

/// An event from the provider.
#[derive(Debug, Clone, PartialEq)]
pub enum ServerEvent {
    /// `session.created`: the socket is open and a session exists.
    SessionCreated(SessionInfo),
    /// `session.updated`: our `session.update` was applied.
    SessionUpdated(SessionInfo),
    /// `response.created`: the model started an answer.
    ResponseCreated(ResponseInfo),
    /// `response.output_audio.delta` (beta `response.audio.delta`): a piece of speech.
    AudioDelta(AudioDelta),
    /// `response.output_audio.done` (beta `response.audio.done`): an item's speech ended.
    AudioDone(AudioDone),
    /// `response.output_audio_transcript.delta` (beta `response.audio_transcript.delta`).
    TranscriptDelta(TranscriptDelta),
    /// `response.output_audio_transcript.done` (beta `response.audio_transcript.done`).
    TranscriptDone(TranscriptDone),
    /// `conversation.item.input_audio_transcription.completed`: what the caller said.
    InputTranscriptionCompleted(InputTranscription),
    /// `input_audio_buffer.speech_started`: the caller started talking (barge-in).
    SpeechStarted(SpeechStarted),
    /// `input_audio_buffer.speech_stopped`: the caller stopped talking.
    SpeechStopped(SpeechStopped),
    /// `response.function_call_arguments.done`: the model calls a tool.
    FunctionCallArgumentsDone(FunctionCall),
    /// `response.output_item.done`: an output item is complete (may be a function call).
    OutputItemDone(OutputItem),
    /// `response.done`: an answer finished (completed, cancelled, failed…), with usage.
    ResponseDone(ResponseDone),
    /// `error`: the provider refused one of our events; the session goes on.
    Error(ApiError),
    /// `rate_limits.updated`.
    RateLimitsUpdated(Vec<RateLimit>),
    /// Any other event, by `type`; skipped by the engine.
    Other(String),
}

/// The parts of a `session` object the engine looks at.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct SessionInfo {
    /// Provider session id.
    #[serde(default)]
    pub id: Option<String>,
    /// Model serving the session.
    #[serde(default)]
    pub model: Option<String>,
}

/// `response.created.response`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ResponseInfo {
    /// Response id.
    pub id: String,
    /// Usually `in_progress`.
    #[serde(default)]
    pub status: Option<String>,
}

/// A piece of the model's speech.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AudioDelta {
    /// The response it belongs to.
    pub response_id: String,
    /// The assistant item: what `conversation.item.truncate` names on barge-in.
    pub item_id: String,
    /// Index of the item in the response.
    #[serde(default)]
    pub output_index: u32,
    /// Content part within the item.
    #[serde(default)]
    pub content_index: u32,
    /// Base64 audio in the session's output format.
    pub delta: String,
}

/// The end of an item's speech.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AudioDone {
    /// The response it belongs to.
    pub response_id: String,
    /// The assistant item.
    pub item_id: String,
    /// Index of the item in the response.
    #[serde(default)]
    pub output_index: u32,
    /// Content part within the item.
    #[serde(default)]
    pub content_index: u32,
}

/// A piece of the transcript of the model's speech.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TranscriptDelta {
    /// The response it belongs to.
    pub response_id: String,
    /// The assistant item.
    pub item_id: String,
    /// The new text.
    pub delta: String,
}

/// The whole transcript of an item's speech.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TranscriptDone {
    /// The response it belongs to.
    pub response_id: String,
    /// The assistant item.
    pub item_id: String,
    /// The full text.
    pub transcript: String,
}

/// A transcript of the caller's speech.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct InputTranscription {
    /// The caller's audio item.
    pub item_id: String,
    /// What the caller said.
    pub transcript: String,
}

/// The caller started talking.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SpeechStarted {
    /// Where speech starts in the audio appended so far, in ms.
    pub audio_start_ms: u64,
    /// The caller item that will hold this speech.
    pub item_id: String,
}

/// The caller stopped talking.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SpeechStopped {
    /// Where speech ends in the audio appended so far, in ms.
    pub audio_end_ms: u64,
    /// The caller item holding this speech.
    pub item_id: String,
}

/// A function call from the model.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct FunctionCall {
    /// Id to answer with in `function_call_output`.
    pub call_id: String,
    /// Function name; `response.output_item.done` always carries it.
    #[serde(default)]
    pub name: Option<String>,
    /// Arguments as JSON text (to be validated: the model writes it).
    pub arguments: String,
    /// The function-call item.
    #[serde(default)]
    pub item_id: Option<String>,
    /// The response it belongs to.
    #[serde(default)]
    pub response_id: Option<String>,
}

/// A finished output item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputItem {
    /// The model calls a function.
    FunctionCall(FunctionCall),
    /// Any other item (a message, …).
    Other {
        /// Item id.
        id: Option<String>,
        /// Item `type`.
        kind: String,
    },
}

/// `response.done.response`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ResponseDone {
    /// Response id.
    pub id: String,
    /// `completed`, `cancelled`, `failed` or `incomplete`.
    #[serde(default)]
    pub status: String,
    /// Why a response did not complete, as the provider describes it.
    #[serde(default)]
    pub status_details: Option<serde_json::Value>,
    /// Tokens used: what the AI minutes meter bills.
    #[serde(default)]
    pub usage: Option<Usage>,
}

/// Token usage of one response.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Usage {
    /// All tokens.
    pub total_tokens: u64,
    /// Input tokens.
    pub input_tokens: u64,
    /// Output tokens.
    pub output_tokens: u64,
    /// Input tokens by kind.
    pub input_token_details: Option<InputTokenDetails>,
    /// Output tokens by kind.
    pub output_token_details: Option<OutputTokenDetails>,
}

/// `usage.input_token_details`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct InputTokenDetails {
    /// Input tokens served from cache (cheaper).
    pub cached_tokens: u64,
    /// Text input tokens.
    pub text_tokens: u64,
    /// Audio input tokens.
    pub audio_tokens: u64,
    /// Image input tokens.
    pub image_tokens: u64,
}

/// `usage.output_token_details`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct OutputTokenDetails {
    /// Text output tokens.
    pub text_tokens: u64,
    /// Audio output tokens.
    pub audio_tokens: u64,
}

/// `error.error`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct ApiError {
    /// Error class, e.g. `invalid_request_error`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Machine-readable code, when given.
    pub code: Option<String>,
    /// Human-readable message.
    pub message: String,
    /// The offending parameter, when given.
    pub param: Option<String>,
    /// The client `event_id` that caused it, when we sent one.
    pub event_id: Option<String>,
}

/// One entry of `rate_limits.updated`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct RateLimit {
    /// `requests` or `tokens`.
    pub name: String,
    /// The limit.
    #[serde(default)]
    pub limit: f64,
    /// What is left.
    #[serde(default)]
    pub remaining: f64,
    /// Seconds until reset.
    #[serde(default)]
    pub reset_seconds: f64,
}

#[derive(Deserialize)]
struct TypeOnly<'a> {
    #[serde(rename = "type", borrow)]
    kind: Cow<'a, str>,
}

#[derive(Deserialize)]
struct SessionBody {
    #[serde(default)]
    session: SessionInfo,
}

#[derive(Deserialize)]
struct ResponseCreatedBody {
    response: ResponseInfo,
}

#[derive(Deserialize)]
struct ResponseDoneBody {
    response: ResponseDone,
}

#[derive(Deserialize)]
struct ErrorBody {
    error: ApiError,
}

#[derive(Deserialize)]
struct RateLimitsBody {
    #[serde(default)]
    rate_limits: Vec<RateLimit>,
}

#[derive(Deserialize)]
struct OutputItemBody {
    item: RawItem,
    #[serde(default)]
    response_id: Option<String>,
}

#[derive(Deserialize)]
struct RawItem {
    #[serde(default)]
    id: Option<String>,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    call_id: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    arguments: Option<String>,
}

impl OutputItemBody {
    fn into_item(self) -> OutputItem {
        let item = self.item;
        match (item.kind.as_str(), item.call_id, item.arguments) {
            ("function_call", Some(call_id), Some(arguments)) => {
                OutputItem::FunctionCall(FunctionCall {
                    call_id,
                    name: item.name,
                    arguments,
                    item_id: item.id,
                    response_id: self.response_id,
                })
            }
            _ => OutputItem::Other {
                id: item.id,
                kind: item.kind,
            },
        }
    }
}

/// The audio delta kinds, read off the front of the frame when `type` is its first key:
/// the frame then needs one pass, not two, over its kilobytes of base64 (the body's
/// own parse validates all of it).
const AUDIO_DELTA_PREFIXES: [(&str, &str); 2] = [
    (
        r#"{"type":"response.output_audio.delta""#,
        "response.output_audio.delta",
    ),
    (r#"{"type":"response.audio.delta""#, "response.audio.delta"),
];

/// Parses one text frame from the provider.
pub fn parse_server_event(text: &str) -> Result<ServerEvent, EventError> {
    let fast = AUDIO_DELTA_PREFIXES
        .iter()
        .find(|(prefix, _)| text.starts_with(prefix))
        .map(|(_, kind)| Cow::Borrowed(*kind));
    let kind = match fast {
        Some(kind) => kind,
        None => {
            serde_json::from_str::<TypeOnly<'_>>(text)
                .map_err(EventError::NotAnEvent)?
                .kind
        }
    };
    let malformed = |source| EventError::Malformed {
        kind: kind.clone().into_owned(),
        source,
    };
    let event = match &*kind {
        "response.output_audio.delta" | "response.audio.delta" => {
            body(text).map(ServerEvent::AudioDelta)
        }
        "response.output_audio_transcript.delta" | "response.audio_transcript.delta" => {
            body(text).map(ServerEvent::TranscriptDelta)
        }
        "response.output_audio.done" | "response.audio.done" => {
            body(text).map(ServerEvent::AudioDone)
        }
        "response.output_audio_transcript.done" | "response.audio_transcript.done" => {
            body(text).map(ServerEvent::TranscriptDone)
        }
        "input_audio_buffer.speech_started" => body(text).map(ServerEvent::SpeechStarted),
        "input_audio_buffer.speech_stopped" => body(text).map(ServerEvent::SpeechStopped),
        "conversation.item.input_audio_transcription.completed" => {
            body(text).map(ServerEvent::InputTranscriptionCompleted)
        }
        "response.created" => {
            body::<ResponseCreatedBody>(text).map(|b| ServerEvent::ResponseCreated(b.response))
        }
        "response.done" => {
            body::<ResponseDoneBody>(text).map(|b| ServerEvent::ResponseDone(b.response))
        }
        "response.function_call_arguments.done" => {
            body(text).map(ServerEvent::FunctionCallArgumentsDone)
        }
        "response.output_item.done" => {
            body::<OutputItemBody>(text).map(|b| ServerEvent::OutputItemDone(b.into_item()))
        }
        "session.created" => {
            body::<SessionBody>(text).map(|b| ServerEvent::SessionCreated(b.session))
        }
        "session.updated" => {
            body::<SessionBody>(text).map(|b| ServerEvent::SessionUpdated(b.session))
        }
        "error" => body::<ErrorBody>(text).map(|b| ServerEvent::Error(b.error)),
        "rate_limits.updated" => {
            body::<RateLimitsBody>(text).map(|b| ServerEvent::RateLimitsUpdated(b.rate_limits))
        }
        other => return Ok(ServerEvent::Other(other.to_owned())),
    };
    event.map_err(malformed)
}

fn body<T: DeserializeOwned>(text: &str) -> Result<T, serde_json::Error> {
    serde_json::from_str(text)
}
