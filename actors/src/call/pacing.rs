//! Caller audio paced to real time: a token bucket measured in milliseconds of audio.
//! Twilio sends 20 ms of audio every 20 ms; a burst of up to [`CALLER_BURST`] (network
//! jitter, a stalled socket catching up) passes, and audio arriving faster than that is
//! refused, so a replay at 1,000× real time cannot make the provider hear (and bill)
//! more than real time. Sans-IO: the caller passes the time.
//!
//! [`CALLER_BURST`]: super::CALLER_BURST

use std::time::{Duration, Instant};

/// Μ-law samples per millisecond (Twilio's 8 kHz).
const SAMPLES_PER_MS: u64 = 8;

/// The bucket of one call.
#[derive(Debug)]
pub(crate) struct Pacer {
    /// Capacity, in microseconds of audio.
    burst_us: u64,
    /// Audio that may pass now, in microseconds.
    tokens_us: u64,
    /// When the tokens were last topped up.
    last: Instant,
    /// Frames refused.
    refused: u64,
}

impl Pacer {
    /// A full bucket of `burst` at `now`.
    pub(crate) fn new(burst: Duration, now: Instant) -> Self {
        let burst_us = u64::try_from(burst.as_micros()).unwrap_or(u64::MAX);
        Self {
            burst_us,
            tokens_us: burst_us,
            last: now,
            refused: 0,
        }
    }

    /// Whether a frame carrying `payload` (base64 μ-law) arriving at `now` keeps the
    /// caller within real time plus the burst; a refused frame is counted.
    pub(crate) fn admit(&mut self, payload: &str, now: Instant) -> bool {
        let elapsed = now.saturating_duration_since(self.last);
        self.last = now;
        let refill = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX);
        self.tokens_us = self.tokens_us.saturating_add(refill).min(self.burst_us);
        let cost = audio_us(payload);
        if cost > self.tokens_us {
            self.refused += 1;
            return false;
        }
        self.tokens_us -= cost;
        true
    }

    /// Frames refused so far.
    pub(crate) fn refused(&self) -> u64 {
        self.refused
    }
}

/// Microseconds of 8 kHz μ-law audio in base64 `payload` (padding excluded).
fn audio_us(payload: &str) -> u64 {
    let bytes = payload.trim_end_matches('=').len() as u64 * 3 / 4;
    bytes * 1_000 / SAMPLES_PER_MS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame() -> String {
        let mut text = String::new();
        servicepro_media::b64::encode_append(&[0xFF; 160], &mut text);
        text
    }

    #[test]
    fn a_frame_is_twenty_milliseconds() {
        assert_eq!(audio_us(&frame()), 20_000);
        assert_eq!(audio_us("/w=="), 125);
    }

    #[test]
    fn real_time_passes_forever_and_a_flood_stops_after_the_burst() {
        let t0 = Instant::now();
        let frame = &frame();
        let mut pacer = Pacer::new(Duration::from_millis(100), t0);
        // Real time (one 20 ms frame every 20 ms) for 10 s: nothing refused.
        let step = Duration::from_millis(20);
        for i in 1..=500u32 {
            assert!(pacer.admit(frame, t0 + step * i), "frame {i}");
        }
        assert_eq!(pacer.refused(), 0);
        // 100 more frames at the instant of the last one: what is left of the 100 ms
        // burst (the last frame took 20 ms of it) passes.
        let now = t0 + step * 500;
        let passed = (0..100).filter(|_| pacer.admit(frame, now)).count();
        assert_eq!(passed, 4);
        assert_eq!(pacer.refused(), 96);
        // After a pause the bucket is full again, never fuller.
        let later = now + Duration::from_secs(60);
        let passed = (0..100).filter(|_| pacer.admit(frame, later)).count();
        assert_eq!(passed, 5);
    }
}
