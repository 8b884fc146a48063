//! OpenAI Realtime API events over its websocket: the GA protocol, with the beta
//! protocol's names and `session.update` shape also supported.
//!
//! [`ClientEvent`]s go out through [`encode_client_event`] (the hot
//! `input_audio_buffer.append` is hand-built by [`write_append`]); frames come in through
//! [`parse_server_event`] as [`ServerEvent`]s.

mod beta;
mod client;
mod server;
mod session;
#[cfg(test)]
mod tests;

pub use client::{
    encode_client_event, encode_client_event_owned, write_append, ApiShape, ClientEvent,
    ConversationItem, ResponseOptions, APPEND_OVERHEAD,
};
pub use server::{
    parse_server_event, ApiError, AudioDelta, AudioDone, EventError, FunctionCall,
    InputTokenDetails, InputTranscription, OutputItem, OutputTokenDetails, RateLimit, ResponseDone,
    ResponseInfo, ServerEvent, SessionInfo, SpeechStarted, SpeechStopped, TranscriptDelta,
    TranscriptDone, Usage,
};
pub use session::{
    AudioFormat, AudioInput, AudioOutput, Modality, SessionAudio, SessionConfig, SessionKind, Tool,
    ToolChoice, ToolKind, Transcription, TurnDetection, DEFAULT_TRANSCRIPTION_MODEL,
};
