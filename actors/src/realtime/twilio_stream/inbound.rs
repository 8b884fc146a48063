//! Frames Twilio sends on a bidirectional Media Stream, and their parser.
//!
//! Parsing is one `serde_json` pass over a flat struct of optional fields, then a check
//! of what each event requires. `media` and `mark` (each up to 50 a second per call)
//! borrow their strings from the frame text, so the hot path allocates nothing; call
//! [`TwilioEvent::into_owned`] to keep an event beyond the frame.

use std::borrow::Cow;
use std::collections::HashMap;

use serde::Deserialize;
use thiserror::Error;

use crate::realtime::lenient::{WireStr, WireU32, WireU64};

/// Largest frame accepted. Real frames are well under 2 KiB (a `start` with many custom
/// parameters is the largest); anything bigger is refused before it is parsed.
pub const MAX_FRAME_BYTES: usize = 64 * 1024;

/// Why a text frame from Twilio was not understood. The edge counts these and skips the
/// frame: one bad frame never ends a call.
#[derive(Debug, Error)]
pub enum FrameError {
    /// The frame is larger than [`MAX_FRAME_BYTES`].
    #[error("frame of {len} bytes exceeds the {max}-byte limit")]
    TooLarge {
        /// Size of the refused frame in bytes.
        len: usize,
        /// The limit it exceeded.
        max: usize,
    },
    /// Not JSON, or a field has the wrong type.
    #[error("malformed frame: {0}")]
    Json(#[from] serde_json::Error),
    /// A field the event needs is absent.
    #[error("`{event}` frame lacks `{field}`")]
    MissingField {
        /// The frame's `event`.
        event: &'static str,
        /// Dotted path of the missing field.
        field: &'static str,
    },
    /// A field is present but its value is not acceptable.
    #[error("`{event}` frame has an invalid `{field}`")]
    InvalidField {
        /// The frame's `event`.
        event: &'static str,
        /// Dotted path of the invalid field.
        field: &'static str,
    },
}

/// Which leg of the call audio belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Track {
    /// The caller's audio (`inbound`, or `inbound_track` on `dtmf`).
    Inbound,
    /// Audio played to the caller (`outbound`, or `outbound_track`).
    Outbound,
    /// A track name this code does not know; kept so a new name is not an error.
    Other,
}

impl Track {
    fn from_wire(name: &str) -> Self {
        match name {
            "inbound" | "inbound_track" => Self::Inbound,
            "outbound" | "outbound_track" => Self::Outbound,
            _ => Self::Other,
        }
    }
}

/// A parsed Media Streams frame. `Media` and `Mark` borrow from the frame text.
#[derive(Debug, Clone, PartialEq)]
pub enum TwilioEvent<'a> {
    /// First frame on the socket: the protocol Twilio speaks.
    Connected(Connected),
    /// Stream metadata: ids, tracks, audio format and our `<Parameter>`s.
    Start(Start),
    /// 20 ms of caller audio.
    Media(Media<'a>),
    /// A mark we sent has been reached (its audio played) or dropped by `clear`.
    Mark(Mark<'a>),
    /// The caller pressed a key.
    Dtmf(Dtmf),
    /// The stream ended (call hung up or `<Stream>` stopped).
    Stop(Stop),
    /// An `event` this code does not know; skipped, never fatal.
    Unknown {
        /// The frame's `event` value.
        event: String,
    },
}

/// The `connected` frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connected {
    /// Protocol name, `"Call"`.
    pub protocol: Option<String>,
    /// Protocol version, e.g. `"1.0.0"`.
    pub version: Option<String>,
}

/// The `start` frame: everything known about the stream before audio flows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Start {
    /// Sequence number of this frame on the stream.
    pub sequence_number: u64,
    /// Stream id (`MZ…`), needed on every frame we send back.
    pub stream_sid: String,
    /// Twilio account (`AC…`) that owns the call.
    pub account_sid: String,
    /// The call (`CA…`) this stream belongs to.
    pub call_sid: String,
    /// Tracks Twilio will send (`inbound` for `<Connect><Stream>`).
    pub tracks: Vec<Track>,
    /// `<Parameter>` name/value pairs: `<Stream>` drops query strings, so tenant and
    /// call ids travel here.
    pub custom_parameters: HashMap<String, String>,
    /// Encoding of the `media` payloads.
    pub media_format: MediaFormat,
}

/// Audio encoding announced in `start.mediaFormat`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaFormat {
    /// MIME-like name, `audio/x-mulaw` on Twilio today.
    pub encoding: String,
    /// Samples per second, 8000.
    pub sample_rate: u32,
    /// Channel count, 1.
    pub channels: u32,
}

impl MediaFormat {
    /// True for 8 kHz mono μ-law, the only format the engine's pipeline accepts.
    pub fn is_mulaw_8k_mono(&self) -> bool {
        self.encoding.eq_ignore_ascii_case("audio/x-mulaw")
            && self.sample_rate == 8000
            && self.channels == 1
    }
}

/// A `media` frame: one chunk of caller audio.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Media<'a> {
    /// Sequence number of this frame on the stream.
    pub sequence_number: u64,
    /// Stream id.
    pub stream_sid: Cow<'a, str>,
    /// Which leg the audio is from.
    pub track: Track,
    /// Chunk counter of this track, from 1.
    pub chunk: u64,
    /// Milliseconds since the stream started.
    pub timestamp_ms: u64,
    /// Base64 μ-law audio (160 bytes = 20 ms).
    pub payload: Cow<'a, str>,
}

/// A `mark` frame: Twilio echoing a mark we sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark<'a> {
    /// Sequence number of this frame on the stream.
    pub sequence_number: u64,
    /// Stream id.
    pub stream_sid: Cow<'a, str>,
    /// The name we gave the mark.
    pub name: Cow<'a, str>,
}

/// A `dtmf` frame: one key press.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dtmf {
    /// Sequence number of this frame on the stream.
    pub sequence_number: u64,
    /// Stream id.
    pub stream_sid: String,
    /// Leg the tone was heard on (`inbound_track`).
    pub track: Track,
    /// The key: `0`–`9`, `*`, `#` (or `A`–`D`).
    pub digit: char,
}

/// A `stop` frame: the stream is over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stop {
    /// Sequence number of this frame on the stream.
    pub sequence_number: u64,
    /// Stream id.
    pub stream_sid: String,
    /// Account that owned the call, when Twilio includes it.
    pub account_sid: Option<String>,
    /// The call, when Twilio includes it.
    pub call_sid: Option<String>,
}

impl TwilioEvent<'_> {
    /// The stream the frame belongs to (every event but `connected` and unknown ones),
    /// so the edge can refuse frames addressed to another stream.
    pub fn stream_sid(&self) -> Option<&str> {
        match self {
            Self::Start(s) => Some(&s.stream_sid),
            Self::Media(m) => Some(&m.stream_sid),
            Self::Mark(m) => Some(&m.stream_sid),
            Self::Dtmf(d) => Some(&d.stream_sid),
            Self::Stop(s) => Some(&s.stream_sid),
            Self::Connected(_) | Self::Unknown { .. } => None,
        }
    }

    /// Copies borrowed text so the event can outlive its frame (e.g. sent to an actor).
    pub fn into_owned(self) -> TwilioEvent<'static> {
        match self {
            Self::Connected(c) => TwilioEvent::Connected(c),
            Self::Start(s) => TwilioEvent::Start(s),
            Self::Media(m) => TwilioEvent::Media(Media {
                sequence_number: m.sequence_number,
                stream_sid: Cow::Owned(m.stream_sid.into_owned()),
                track: m.track,
                chunk: m.chunk,
                timestamp_ms: m.timestamp_ms,
                payload: Cow::Owned(m.payload.into_owned()),
            }),
            Self::Mark(m) => TwilioEvent::Mark(Mark {
                sequence_number: m.sequence_number,
                stream_sid: Cow::Owned(m.stream_sid.into_owned()),
                name: Cow::Owned(m.name.into_owned()),
            }),
            Self::Dtmf(d) => TwilioEvent::Dtmf(d),
            Self::Stop(s) => TwilioEvent::Stop(s),
            Self::Unknown { event } => TwilioEvent::Unknown { event },
        }
    }
}

/// Parses one text frame from Twilio. Never panics: anything unexpected is a
/// [`FrameError`], and an unknown `event` is [`TwilioEvent::Unknown`].
pub fn parse_twilio_frame(text: &str) -> Result<TwilioEvent<'_>, FrameError> {
    if text.len() > MAX_FRAME_BYTES {
        return Err(FrameError::TooLarge {
            len: text.len(),
            max: MAX_FRAME_BYTES,
        });
    }
    let raw = match serde_json::from_str::<RawFrame<'_>>(text) {
        Ok(raw) => raw,
        Err(err) => {
            // A future event may reuse a known field name with another shape: that is
            // an unknown event, not a malformed one.
            return match serde_json::from_str::<EventOnly<'_>>(text) {
                Ok(only) if !is_known(&only.event) => Ok(TwilioEvent::Unknown {
                    event: only.event.into_owned(),
                }),
                _ => Err(FrameError::Json(err)),
            };
        }
    };
    raw.into_event()
}

fn is_known(event: &str) -> bool {
    matches!(
        event,
        "connected" | "start" | "media" | "mark" | "dtmf" | "stop"
    )
}

#[derive(Deserialize)]
struct EventOnly<'a> {
    #[serde(borrow)]
    event: Cow<'a, str>,
}

#[derive(Deserialize)]
struct RawFrame<'a> {
    #[serde(borrow)]
    event: Cow<'a, str>,
    #[serde(rename = "sequenceNumber")]
    sequence_number: Option<WireU64>,
    #[serde(rename = "streamSid", borrow)]
    stream_sid: Option<WireStr<'a>>,
    protocol: Option<String>,
    version: Option<String>,
    start: Option<RawStart>,
    #[serde(borrow)]
    media: Option<RawMedia<'a>>,
    #[serde(borrow)]
    mark: Option<RawMark<'a>>,
    #[serde(borrow)]
    dtmf: Option<RawDtmf<'a>>,
    stop: Option<RawStop>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawStart {
    stream_sid: Option<String>,
    account_sid: Option<String>,
    call_sid: Option<String>,
    #[serde(default)]
    tracks: Vec<String>,
    #[serde(default)]
    custom_parameters: HashMap<String, String>,
    media_format: Option<RawMediaFormat>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawMediaFormat {
    encoding: Option<String>,
    sample_rate: Option<WireU32>,
    channels: Option<WireU32>,
}

#[derive(Deserialize)]
struct RawMedia<'a> {
    #[serde(borrow)]
    track: Option<WireStr<'a>>,
    chunk: Option<WireU64>,
    timestamp: Option<WireU64>,
    #[serde(borrow)]
    payload: Option<WireStr<'a>>,
}

#[derive(Deserialize)]
struct RawMark<'a> {
    #[serde(borrow)]
    name: Option<WireStr<'a>>,
}

#[derive(Deserialize)]
struct RawDtmf<'a> {
    #[serde(borrow)]
    track: Option<WireStr<'a>>,
    #[serde(borrow)]
    digit: Option<WireStr<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawStop {
    account_sid: Option<String>,
    call_sid: Option<String>,
}

fn need<T>(value: Option<T>, event: &'static str, field: &'static str) -> Result<T, FrameError> {
    value.ok_or(FrameError::MissingField { event, field })
}

fn need_str<'a>(
    value: Option<WireStr<'a>>,
    event: &'static str,
    field: &'static str,
) -> Result<Cow<'a, str>, FrameError> {
    need(value, event, field).map(|s| s.0)
}

fn track(value: Option<&WireStr<'_>>) -> Track {
    value.map_or(Track::Inbound, |t| Track::from_wire(&t.0))
}

impl<'a> RawFrame<'a> {
    fn into_event(self) -> Result<TwilioEvent<'a>, FrameError> {
        match &*self.event {
            "media" => self.into_media(),
            "mark" => self.into_mark(),
            "connected" => Ok(TwilioEvent::Connected(Connected {
                protocol: self.protocol,
                version: self.version,
            })),
            "start" => self.into_start(),
            "dtmf" => self.into_dtmf(),
            "stop" => self.into_stop(),
            _ => Ok(TwilioEvent::Unknown {
                event: self.event.into_owned(),
            }),
        }
    }

    fn into_media(self) -> Result<TwilioEvent<'a>, FrameError> {
        const E: &str = "media";
        let media = need(self.media, E, "media")?;
        Ok(TwilioEvent::Media(Media {
            sequence_number: need(self.sequence_number, E, "sequenceNumber")?.0,
            stream_sid: need_str(self.stream_sid, E, "streamSid")?,
            track: track(media.track.as_ref()),
            chunk: need(media.chunk, E, "media.chunk")?.0,
            timestamp_ms: need(media.timestamp, E, "media.timestamp")?.0,
            payload: need_str(media.payload, E, "media.payload")?,
        }))
    }

    fn into_mark(self) -> Result<TwilioEvent<'a>, FrameError> {
        const E: &str = "mark";
        let mark = need(self.mark, E, "mark")?;
        Ok(TwilioEvent::Mark(Mark {
            sequence_number: need(self.sequence_number, E, "sequenceNumber")?.0,
            stream_sid: need_str(self.stream_sid, E, "streamSid")?,
            name: need_str(mark.name, E, "mark.name")?,
        }))
    }

    fn into_start(self) -> Result<TwilioEvent<'a>, FrameError> {
        const E: &str = "start";
        let start = need(self.start, E, "start")?;
        let format = need(start.media_format, E, "start.mediaFormat")?;
        let stream_sid = match (start.stream_sid, self.stream_sid) {
            (Some(inner), _) => inner,
            (None, Some(outer)) => outer.0.into_owned(),
            (None, None) => {
                return Err(FrameError::MissingField {
                    event: E,
                    field: "streamSid",
                })
            }
        };
        Ok(TwilioEvent::Start(Start {
            sequence_number: need(self.sequence_number, E, "sequenceNumber")?.0,
            stream_sid,
            account_sid: need(start.account_sid, E, "start.accountSid")?,
            call_sid: need(start.call_sid, E, "start.callSid")?,
            tracks: start.tracks.iter().map(|t| Track::from_wire(t)).collect(),
            custom_parameters: start.custom_parameters,
            media_format: MediaFormat {
                encoding: need(format.encoding, E, "start.mediaFormat.encoding")?,
                sample_rate: need(format.sample_rate, E, "start.mediaFormat.sampleRate")?.0,
                channels: need(format.channels, E, "start.mediaFormat.channels")?.0,
            },
        }))
    }

    fn into_dtmf(self) -> Result<TwilioEvent<'a>, FrameError> {
        const E: &str = "dtmf";
        let dtmf = need(self.dtmf, E, "dtmf")?;
        let digit = need_str(dtmf.digit, E, "dtmf.digit")?;
        let mut chars = digit.chars();
        let digit = match (chars.next(), chars.next()) {
            (Some(c), None) if c.is_ascii_digit() || matches!(c, '*' | '#' | 'A'..='D') => c,
            _ => {
                return Err(FrameError::InvalidField {
                    event: E,
                    field: "dtmf.digit",
                })
            }
        };
        Ok(TwilioEvent::Dtmf(Dtmf {
            sequence_number: need(self.sequence_number, E, "sequenceNumber")?.0,
            stream_sid: need_str(self.stream_sid, E, "streamSid")?.into_owned(),
            track: track(dtmf.track.as_ref()),
            digit,
        }))
    }

    fn into_stop(self) -> Result<TwilioEvent<'a>, FrameError> {
        const E: &str = "stop";
        let (account_sid, call_sid) = self
            .stop
            .map_or((None, None), |s| (s.account_sid, s.call_sid));
        Ok(TwilioEvent::Stop(Stop {
            sequence_number: need(self.sequence_number, E, "sequenceNumber")?.0,
            stream_sid: need_str(self.stream_sid, E, "streamSid")?.into_owned(),
            account_sid,
            call_sid,
        }))
    }
}
