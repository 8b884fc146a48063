//! Frames we send to Twilio on a bidirectional Media Stream: `media`, `mark`, `clear`.
//!
//! Every 20 ms of AI speech becomes a `media` frame and a `mark`, so frames are built by
//! hand into a buffer the caller reuses: no allocation per frame once the buffer has
//! grown to a frame's size.

use crate::realtime::json_text::push_json_str;

/// Replaces `out` with a `media` frame carrying `payload` (base64 μ-law, 160 bytes).
pub fn write_media(out: &mut String, stream_sid: &str, payload: &str) {
    out.clear();
    out.push_str(r#"{"event":"media","streamSid":"#);
    push_json_str(out, stream_sid);
    out.push_str(r#","media":{"payload":"#);
    push_json_str(out, payload);
    out.push_str("}}");
}

/// Replaces `out` with a `mark` frame named `name`; Twilio echoes it once the audio sent
/// before it has played (or was dropped by `clear`).
pub fn write_mark(out: &mut String, stream_sid: &str, name: &str) {
    out.clear();
    out.push_str(r#"{"event":"mark","streamSid":"#);
    push_json_str(out, stream_sid);
    out.push_str(r#","mark":{"name":"#);
    push_json_str(out, name);
    out.push_str("}}");
}

/// Replaces `out` with a `clear` frame: Twilio drops the audio it has queued (barge-in).
pub fn write_clear(out: &mut String, stream_sid: &str) {
    out.clear();
    out.push_str(r#"{"event":"clear","streamSid":"#);
    push_json_str(out, stream_sid);
    out.push('}');
}

/// Builds frames for one stream into one reused buffer; each method returns the frame
/// text, valid until the next call.
#[derive(Debug, Clone)]
pub struct TwilioFrameWriter {
    stream_sid: String,
    buf: String,
}

impl TwilioFrameWriter {
    /// A writer for the stream named in the `start` frame.
    pub fn new(stream_sid: impl Into<String>) -> Self {
        Self {
            stream_sid: stream_sid.into(),
            buf: String::with_capacity(320),
        }
    }

    /// The stream every frame is addressed to.
    pub fn stream_sid(&self) -> &str {
        &self.stream_sid
    }

    /// A `media` frame carrying `payload`.
    pub fn media(&mut self, payload: &str) -> &str {
        write_media(&mut self.buf, &self.stream_sid, payload);
        &self.buf
    }

    /// A `mark` frame named `name`.
    pub fn mark(&mut self, name: &str) -> &str {
        write_mark(&mut self.buf, &self.stream_sid, name);
        &self.buf
    }

    /// A `clear` frame.
    pub fn clear(&mut self) -> &str {
        write_clear(&mut self.buf, &self.stream_sid);
        &self.buf
    }
}
