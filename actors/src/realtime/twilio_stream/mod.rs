//! Twilio Media Streams wire protocol (bidirectional `<Connect><Stream>`): text frames
//! of JSON. Twilio sends `connected`, `start`, `media`, `mark`, `dtmf` and `stop`
//! ([`parse_twilio_frame`]); we send `media`, `mark` and `clear`
//! ([`TwilioFrameWriter`]).

mod inbound;
mod outbound;
#[cfg(test)]
mod tests;

pub use inbound::{
    parse_twilio_frame, Connected, Dtmf, FrameError, Mark, Media, MediaFormat, Start, Stop, Track,
    TwilioEvent, MAX_FRAME_BYTES,
};
pub use outbound::{write_clear, write_mark, write_media, TwilioFrameWriter};
