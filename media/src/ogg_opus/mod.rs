//! Call recordings as Ogg Opus files (RFC 7845) that ordinary players open, and the
//! checks that prove it.
//!
//! * [`OpusRecorder`] (`recorder.rs`) takes PCM16 of any length (mono, or stereo
//!   interleaved left-first: a call recording puts the caller on the left and the AI on
//!   the right), encodes 20 ms Opus packets and hands them to
//! * [`OggOpusWriter`] (`writer.rs`), which lays out the pages the way RFC 7845
//!   requires: the `OpusHead` identification header alone on the first (BOS) page,
//!   `OpusTags` on the next, audio from the third page on, granule positions in 48 kHz
//!   samples counting the pre-skip (the encoder lookahead), end trimming through the
//!   last (EOS) page's granule, and a page at least every second so a crash loses little.
//! * [`inspect`] (`inspect.rs`, on the page layer in `page.rs`) parses a file page by
//!   page — capture pattern, version, CRC, sequence numbers, flags, header placement,
//!   granules — independently of the `ogg` crate used for writing.
//! * [`verify_ogg_opus`] (`verify.rs`) goes on to decode every packet with the crate's
//!   own decoder and checks each page's granule against the samples actually decoded,
//!   returning the playable audio. Tests use it instead of an external tool.

mod inspect;
mod page;
mod recorder;
mod verify;
mod writer;

pub use inspect::{inspect, AudioPage, OggOpusInfo};
pub use recorder::OpusRecorder;
pub use verify::{verify_ogg_opus, OggOpusReport};
pub use writer::OggOpusWriter;

#[cfg(test)]
mod tests;
