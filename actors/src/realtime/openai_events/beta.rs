//! The beta (`OpenAI-Beta: realtime=v1`) shape of `session.update`, for deployments that
//! still speak it. Only `session.update` differs on the client side: every other client
//! event has the same name and fields in both shapes.

use serde::Serialize;

use super::session::TurnDetection;
use super::session::{AudioFormat, Modality, SessionConfig, Tool, ToolChoice, Transcription};

#[derive(Serialize)]
struct BetaSessionUpdate<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    session: BetaSession<'a>,
}

#[derive(Serialize)]
struct BetaSession<'a> {
    modalities: &'static [&'static str],
    instructions: &'a str,
    voice: &'a str,
    input_audio_format: &'static str,
    output_audio_format: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    input_audio_transcription: Option<&'a Transcription>,
    #[serde(skip_serializing_if = "Option::is_none")]
    turn_detection: Option<&'a TurnDetection>,
    #[serde(skip_serializing_if = "<[Tool]>::is_empty")]
    tools: &'a [Tool],
    tool_choice: ToolChoice,
}

fn beta_format(format: AudioFormat) -> &'static str {
    match format {
        AudioFormat::Pcmu => "g711_ulaw",
        AudioFormat::Pcma => "g711_alaw",
        AudioFormat::Pcm { .. } => "pcm16",
    }
}

/// Serializes `session` as a beta `session.update` event.
pub(crate) fn beta_session_update(session: &SessionConfig) -> Result<String, serde_json::Error> {
    // Beta sessions cannot be audio-only: audio answers are ["audio", "text"].
    let modalities: &'static [&'static str] =
        if session.output_modalities.contains(&Modality::Audio) {
            &["audio", "text"]
        } else {
            &["text"]
        };
    serde_json::to_string(&BetaSessionUpdate {
        kind: "session.update",
        session: BetaSession {
            modalities,
            instructions: &session.instructions,
            voice: &session.audio.output.voice,
            input_audio_format: beta_format(session.audio.input.format),
            output_audio_format: beta_format(session.audio.output.format),
            input_audio_transcription: session.audio.input.transcription.as_ref(),
            turn_detection: session.audio.input.turn_detection.as_ref(),
            tools: &session.tools,
            tool_choice: session.tool_choice,
        },
    })
}
