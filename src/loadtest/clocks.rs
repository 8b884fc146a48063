//! The load test's latency clock. The simulated callers and the loopback provider run
//! in this process, so one clock times both directions through the engine:
//!
//! * caller → provider: a caller frame's send time to the moment the provider has
//!   received audio up to that frame's end (the provider counts the audio it was sent;
//!   the n-th 20 ms of audio completes frame n, in both audio modes);
//! * provider → caller: an audio delta's send time to the arrival of each Twilio frame
//!   made from it (frames are matched to the latest delta sent to that call);
//! * barge-in: `speech_started` sent by the provider to Twilio `clear` received;
//! * truncation error: the `audio_end_ms` the bridge told the provider minus the audio
//!   the simulated caller had played of that answer when its `clear` arrived.
//!
//! A provider session is tied to its call by the caller's number in the instructions
//! (the engine names it there) or, for a bridge that does not (the Node sample), by
//! the call number each caller writes into its first μ-law bytes ([`tag`]).
//!
//! The first [`WARMUP_FRAMES`] of each call (while its provider session opens and early
//! audio is flushed) are left out.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};

use servicepro_actors::realtime::fake_server::ProbeSink;

/// Frames of each call left out of the latency figures: two seconds.
pub const WARMUP_FRAMES: usize = 100;

/// Microseconds of audio in one Twilio frame.
const FRAME_US: u64 = 20_000;

/// The first caller number; call `i` calls from `FIRST_CALLER + i`.
pub const FIRST_CALLER: u64 = 14_155_550_000;

/// Marks the start of a tagged caller payload.
const TAG: u8 = 0x7E;

/// Frame `seq` of call `call`'s caller audio: 160 μ-law bytes, silence but for a tag
/// naming the call and the frame.
pub fn tag(call: usize, seq: usize) -> [u8; 160] {
    let mut frame = [0xFFu8; 160];
    frame[0] = TAG;
    frame[1..5].copy_from_slice(&u32::try_from(call).unwrap_or(u32::MAX).to_be_bytes());
    frame[5..9].copy_from_slice(&u32::try_from(seq).unwrap_or(u32::MAX).to_be_bytes());
    frame[9] = TAG;
    frame
}

/// The call and frame a tagged frame names.
fn untag(frame: &[u8]) -> Option<(usize, usize)> {
    match frame {
        [TAG, a, b, c, d, e, f, g, h, TAG, ..] => Some((
            usize::try_from(u32::from_be_bytes([*a, *b, *c, *d])).ok()?,
            usize::try_from(u32::from_be_bytes([*e, *f, *g, *h])).ok()?,
        )),
        _ => None,
    }
}

/// One call's timestamps and samples.
#[derive(Debug, Default)]
struct CallClock {
    sent: Vec<Instant>,
    appended_us: u64,
    last_delta: Option<Instant>,
    speech: VecDeque<Instant>,
    inbound_us: Vec<u32>,
    outbound_us: Vec<u32>,
    barge_in_us: Vec<u32>,
    frames_received: usize,
    /// Milliseconds the caller had played of the cut answer, per `clear`, not yet paired.
    heard_ms: VecDeque<u64>,
    /// `audio_end_ms` of truncations, not yet paired with a `clear`.
    truncated_ms: VecDeque<u64>,
    /// `audio_end_ms` minus what was heard, per paired truncation.
    truncation_error_ms: Vec<i64>,
}

impl CallClock {
    fn pair_truncations(&mut self) {
        while let (Some(&heard), Some(&told)) = (self.heard_ms.front(), self.truncated_ms.front()) {
            self.heard_ms.pop_front();
            self.truncated_ms.pop_front();
            let error =
                i64::try_from(told).unwrap_or(i64::MAX) - i64::try_from(heard).unwrap_or(i64::MAX);
            self.truncation_error_ms.push(error);
        }
    }
}

/// How far the bridges' truncations were from what the caller heard.
#[derive(Debug, Clone, Copy, Default)]
pub struct TruncationReport {
    /// Truncations paired with a `clear`.
    pub count: usize,
    /// Median of |`audio_end_ms` − heard|.
    pub p50_ms: u64,
    /// 99th percentile of |`audio_end_ms` − heard|.
    pub p99_ms: u64,
    /// Truncations past what was heard by more than a frame (20 ms).
    pub past_heard: usize,
    /// Truncations short of what was heard by more than a frame.
    pub short_of_heard: usize,
}

impl std::fmt::Display for TruncationReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "|audio_end_ms - heard| p50 {} ms, p99 {} ms over {} truncations; {} past what was heard by > 20 ms, {} short of it by > 20 ms",
            self.p50_ms, self.p99_ms, self.count, self.past_heard, self.short_of_heard
        )
    }
}

/// Every call's clock, and which provider session belongs to which call.
#[derive(Debug)]
pub struct Clocks {
    sessions: RwLock<HashMap<String, usize>>,
    calls: Vec<Mutex<CallClock>>,
}

/// Percentiles of one latency distribution.
#[derive(Debug, Clone, Copy, Default)]
pub struct Spread {
    /// Samples.
    pub count: usize,
    /// Median.
    pub p50: Duration,
    /// 90th percentile.
    pub p90: Duration,
    /// 99th percentile.
    pub p99: Duration,
    /// Largest sample.
    pub max: Duration,
}

impl std::fmt::Display for Spread {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms ({} samples)",
            self.p50.as_secs_f64() * 1e3,
            self.p90.as_secs_f64() * 1e3,
            self.p99.as_secs_f64() * 1e3,
            self.max.as_secs_f64() * 1e3,
            self.count
        )
    }
}

fn spread(mut samples: Vec<u32>) -> Spread {
    samples.sort_unstable();
    let at = |q: f64| {
        let i = ((samples.len() as f64 - 1.0) * q).round() as usize;
        Duration::from_micros(u64::from(samples.get(i).copied().unwrap_or_default()))
    };
    Spread {
        count: samples.len(),
        p50: at(0.50),
        p90: at(0.90),
        p99: at(0.99),
        max: at(1.0),
    }
}

fn micros(d: Duration) -> u32 {
    u32::try_from(d.as_micros()).unwrap_or(u32::MAX)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Clocks {
    /// Clocks for `calls` calls of `frames` caller frames each.
    pub fn new(calls: usize, frames: usize) -> Self {
        Self {
            sessions: RwLock::new(HashMap::with_capacity(calls * 2)),
            calls: (0..calls)
                .map(|_| {
                    Mutex::new(CallClock {
                        sent: Vec::with_capacity(frames),
                        ..CallClock::default()
                    })
                })
                .collect(),
        }
    }

    /// Call `call` is sending its next caller frame now.
    pub fn frame_sent(&self, call: usize) {
        if let Some(clock) = self.calls.get(call) {
            lock(clock).sent.push(Instant::now());
        }
    }

    /// Call `call` received an AI frame now.
    pub fn frame_received(&self, call: usize) {
        let now = Instant::now();
        if let Some(clock) = self.calls.get(call) {
            let mut clock = lock(clock);
            clock.frames_received += 1;
            if clock.sent.len() > WARMUP_FRAMES {
                if let Some(delta) = clock.last_delta {
                    let took = micros(now.saturating_duration_since(delta));
                    clock.outbound_us.push(took);
                }
            }
        }
    }

    /// Call `call` received Twilio `clear` now, having played `heard_ms` of the answer
    /// it cuts.
    pub fn clear_received(&self, call: usize, heard_ms: u64) {
        let now = Instant::now();
        if let Some(clock) = self.calls.get(call) {
            let mut clock = lock(clock);
            clock.heard_ms.push_back(heard_ms);
            clock.pair_truncations();
            if let Some(started) = clock.speech.pop_front() {
                let took = micros(now.saturating_duration_since(started));
                clock.barge_in_us.push(took);
            }
        }
    }

    fn call_of(&self, session_id: &str) -> Option<&Mutex<CallClock>> {
        let sessions = self.sessions.read().unwrap_or_else(PoisonError::into_inner);
        sessions.get(session_id).and_then(|&i| self.calls.get(i))
    }

    /// Caller audio the provider received, over every call, in 20 ms frames.
    pub fn frames_appended(&self) -> u64 {
        self.calls
            .iter()
            .map(|clock| lock(clock).appended_us / FRAME_US)
            .sum()
    }

    /// The truncation errors of every call.
    pub fn truncations(&self) -> TruncationReport {
        let mut errors: Vec<i64> = Vec::new();
        for clock in &self.calls {
            errors.extend_from_slice(&lock(clock).truncation_error_ms);
        }
        let mut abs: Vec<u64> = errors.iter().map(|e| e.unsigned_abs()).collect();
        abs.sort_unstable();
        let at = |q: f64| {
            let i = ((abs.len() as f64 - 1.0).max(0.0) * q).round() as usize;
            abs.get(i).copied().unwrap_or_default()
        };
        TruncationReport {
            count: abs.len(),
            p50_ms: at(0.5),
            p99_ms: at(0.99),
            past_heard: errors.iter().filter(|&&e| e > 20).count(),
            short_of_heard: errors.iter().filter(|&&e| e < -20).count(),
        }
    }

    /// Caller → provider, provider → caller and barge-in reaction spreads, and the calls
    /// whose provider session was never matched.
    pub fn report(&self) -> (Spread, Spread, Spread, usize) {
        let (mut inbound, mut outbound, mut barge) = (Vec::new(), Vec::new(), Vec::new());
        let matched = self
            .sessions
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .values()
            .copied()
            .collect::<std::collections::HashSet<_>>()
            .len();
        for clock in &self.calls {
            let clock = lock(clock);
            inbound.extend_from_slice(&clock.inbound_us);
            outbound.extend_from_slice(&clock.outbound_us);
            barge.extend_from_slice(&clock.barge_in_us);
        }
        (
            spread(inbound),
            spread(outbound),
            spread(barge),
            self.calls.len().saturating_sub(matched),
        )
    }
}

impl ProbeSink for Clocks {
    fn session_configured(&self, session_id: &str, instructions: &str) {
        let number = instructions
            .split_once("calling from +")
            .map(|(_, rest)| {
                rest.chars()
                    .take_while(char::is_ascii_digit)
                    .collect::<String>()
            })
            .and_then(|digits| digits.parse::<u64>().ok());
        let Some(call) = number.and_then(|n| n.checked_sub(FIRST_CALLER)) else {
            return;
        };
        let Ok(call) = usize::try_from(call) else {
            return;
        };
        self.sessions
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(session_id.to_owned(), call);
    }

    fn audio_appended(&self, session_id: &str, audio_us: u64, audio: &[u8]) {
        let now = Instant::now();
        let tagged = audio.len().is_multiple_of(160) && untag(audio).is_some();
        if tagged && self.call_of(session_id).is_none() {
            if let Some((call, _)) = untag(audio).filter(|&(c, _)| c < self.calls.len()) {
                self.sessions
                    .write()
                    .unwrap_or_else(PoisonError::into_inner)
                    .insert(session_id.to_owned(), call);
            }
        }
        let Some(clock) = self.call_of(session_id) else {
            return;
        };
        let mut clock = lock(clock);
        clock.appended_us += audio_us;
        if tagged {
            // μ-law frames as the caller sent them: each names its own send time, so
            // frames a bridge lost do not shift the ones after them.
            for frame in audio.chunks(160) {
                let Some((_, seq)) = untag(frame) else {
                    continue;
                };
                if let Some(sent) = clock
                    .sent
                    .get(seq)
                    .copied()
                    .filter(|_| seq >= WARMUP_FRAMES)
                {
                    let took = micros(now.saturating_duration_since(sent));
                    clock.inbound_us.push(took);
                }
            }
            return;
        }
        let complete = clock.appended_us.div_ceil(FRAME_US);
        let Some(frame) = usize::try_from(complete)
            .ok()
            .and_then(|n| n.checked_sub(1))
        else {
            return;
        };
        if frame >= WARMUP_FRAMES {
            if let Some(sent) = clock.sent.get(frame).copied() {
                let took = micros(now.saturating_duration_since(sent));
                clock.inbound_us.push(took);
            }
        }
    }

    fn audio_delta_sent(&self, session_id: &str) {
        if let Some(clock) = self.call_of(session_id) {
            lock(clock).last_delta = Some(Instant::now());
        }
    }

    fn speech_started(&self, session_id: &str) {
        if let Some(clock) = self.call_of(session_id) {
            lock(clock).speech.push_back(Instant::now());
        }
    }

    fn item_truncated(&self, session_id: &str, audio_end_ms: u64) {
        if let Some(clock) = self.call_of(session_id) {
            let mut clock = lock(clock);
            clock.truncated_ms.push_back(audio_end_ms);
            clock.pair_truncations();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_are_matched_by_the_caller_number_and_frames_by_audio_time() {
        let clocks = Clocks::new(3, 200);
        clocks.session_configured(
            "sess_1",
            "You are ... The caller is calling from +14155550002; booking ...",
        );
        for _ in 0..(WARMUP_FRAMES + 2) {
            clocks.frame_sent(2);
        }
        for _ in 0..(WARMUP_FRAMES + 1) {
            clocks.audio_appended("sess_1", FRAME_US, &[0xFF; 160]);
        }
        clocks.audio_appended("unknown", FRAME_US, &[0xFF; 160]);
        clocks.speech_started("sess_1");
        clocks.clear_received(2, 500);
        clocks.clear_received(2, 300);
        clocks.item_truncated("sess_1", 510);
        clocks.item_truncated("sess_1", 900);
        let truncations = clocks.truncations();
        assert_eq!(truncations.count, 2);
        assert_eq!((truncations.past_heard, truncations.short_of_heard), (1, 0));
        assert_eq!(truncations.p99_ms, 600);
        let (inbound, outbound, barge, unmatched) = clocks.report();
        assert_eq!(inbound.count, 1, "only frame 100 is past the warm-up");
        assert_eq!(outbound.count, 0);
        assert_eq!(barge.count, 1, "one clear per speech_started");
        assert_eq!(unmatched, 2);
    }

    #[test]
    fn a_tagged_payload_ties_an_unnamed_session_to_its_call() {
        let clocks = Clocks::new(3, 200);
        clocks.audio_appended("sess_x", FRAME_US, &tag(1, 0));
        clocks.audio_appended("sess_y", FRAME_US, &tag(7, 0));
        clocks.audio_appended("sess_x", FRAME_US, &tag(2, 0));
        assert_eq!(untag(&[0xFF; 160]), None);
        let (_, _, _, unmatched) = clocks.report();
        assert_eq!(unmatched, 2, "call 7 does not exist; sess_x stays call 1");
        assert!(clocks.call_of("sess_x").is_some());
        assert!(std::ptr::eq(
            clocks.call_of("sess_x").unwrap(),
            &clocks.calls[1]
        ));
    }

    #[test]
    fn spread_picks_percentiles() {
        let s = spread((1..=100).collect());
        assert_eq!(s.p50, Duration::from_micros(51));
        assert_eq!(s.p99, Duration::from_micros(99));
        assert_eq!(s.max, Duration::from_micros(100));
    }
}
