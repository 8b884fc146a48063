//! Pure, synchronous audio processing for live calls: no I/O, no async.
//!
//! Every 20 ms of every live call passes through this crate twice: the caller's μ-law
//! 8 kHz audio goes up to PCM16 24 kHz for the AI provider ([`transcode::InboundTranscoder`]),
//! and the provider's PCM16 24 kHz answer comes down to μ-law 8 kHz 20 ms frames for
//! Twilio ([`transcode::OutboundTranscoder`]). [`playback::PlaybackClock`] tracks how much
//! of a response the caller has heard, and [`ogg_opus`] writes call recordings.

pub mod b64;
pub mod error;
pub mod framing;
pub mod g711;
pub mod ogg_opus;
pub mod opus;
pub mod playback;
pub mod resample;
pub mod signal;
pub mod transcode;
pub mod wav;

pub use error::{MediaError, Result};
