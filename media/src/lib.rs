//! Pure, synchronous audio processing for live calls: no I/O, no async.
//!
//! Every 20 ms of every live call passes through this crate twice: the caller's μ-law
//! 8 kHz audio goes up to PCM16 24 kHz for the AI provider ([`transcode::InboundTranscoder`]),
//! and the provider's PCM16 24 kHz answer comes down to μ-law 8 kHz 20 ms frames for
//! Twilio ([`transcode::OutboundTranscoder`]). [`playback::PlaybackClock`] tracks how much
//! of a response the caller has heard, and [`ogg_opus`] writes call recordings.
//!
//! One call, as the engine drives it:
//!
//! ```
//! use servicepro_media::playback::PlaybackClock;
//! use servicepro_media::transcode::{InboundTranscoder, OutboundTranscoder};
//!
//! # fn main() -> servicepro_media::Result<()> {
//! let mut inbound = InboundTranscoder::to_24k()?;
//! let mut outbound = OutboundTranscoder::from_24k()?;
//! let mut clock = PlaybackClock::new();
//!
//! // Twilio `media` event (160 μ-law bytes, base64) → provider audio (PCM16 24 kHz, base64).
//! let twilio_payload = "/".repeat(212) + "/w==";
//! let mut to_provider = String::new();
//! inbound.push_base64(&twilio_payload, &mut to_provider)?;
//! assert_eq!(to_provider.len(), 1280); // 960 bytes of PCM16
//!
//! // Provider audio delta (any length) → whole 20 ms Twilio frames, each followed by a mark.
//! let delta = "AAAA".repeat(1600); // 4,800 bytes = 100 ms at 24 kHz
//! let mut sent = 0;
//! outbound.push_base64(&delta, |payload| {
//!     // send {"event":"media","media":{"payload":payload}} then a mark named "item_1:{sent}"
//!     assert_eq!(payload.len(), 216);
//!     clock.frame_sent("item_1", 160, &format!("item_1:{sent}"));
//!     sent += 1;
//! })?;
//! assert_eq!(sent, 5);
//!
//! // Twilio echoes marks as audio plays; on barge-in the engine sends `clear`.
//! clock.mark_echoed("item_1:1");
//! clock.clear_sent();
//! outbound.clear();
//! assert_eq!(clock.heard_ms("item_1"), 40); // the provider's `audio_end_ms`
//! # Ok(())
//! # }
//! ```

pub mod b64;
pub mod error;
pub mod framing;
pub mod g711;
pub mod ogg_opus;
pub mod opus;
pub mod playback;
pub mod polyphase;
pub mod resample;
pub mod signal;
pub mod transcode;
pub mod wav;

pub use error::{MediaError, Result};
