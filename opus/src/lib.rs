//! libopus for ServicePro: the codec behind call recordings, behind a safe API.
//!
//! * [`Encoder`] / [`Decoder`] — owned libopus states (freed on drop) with the few
//!   settings the media crate uses: application, bitrate, complexity, forced channels,
//!   lookahead; 16-bit PCM in and out.
//! * [`packet_samples`] — how many samples a packet decodes to, without decoding it.
//! * [`Error`] — libopus error codes with libopus's own messages, plus the argument
//!   errors this crate refuses before calling C.
//! * [`version`] / [`LINKED`] — which libopus is in the binary.
//!
//! The library comes from the system through pkg-config when present, else it is
//! compiled from the vendored upstream release (BSD-licensed, see
//! `vendor/libopus/VENDORED.md`); `build.rs` decides. `ffi` holds the hand-written
//! declarations; it is the only place `unsafe` code calls C, and every call sits in a
//! small commented block in `encoder.rs`, `decoder.rs`, `packet.rs` or `error.rs`.

mod decoder;
mod encoder;
mod error;
mod ffi;
mod packet;
mod types;

pub use decoder::Decoder;
pub use encoder::Encoder;
pub use error::{Error, Result};
pub use packet::{packet_samples, version};
pub use types::{Application, Channels, SampleRate};

/// Which libopus was linked: `"system"` (found by pkg-config) or `"vendored"` (built
/// from `vendor/libopus`).
pub const LINKED: &str = env!("SERVICEPRO_OPUS_LINKED");

/// The largest packet libopus produces for one frame (RFC 6716 §3.4, R5).
pub const MAX_PACKET: usize = 1275;

#[cfg(test)]
mod tests;
