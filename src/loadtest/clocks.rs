//! The load test's latency clock. The simulated callers and the loopback provider run
//! in this process, so one clock times both directions through the engine:
//!
//! * caller → provider: a caller frame's send time to the moment the provider has
//!   received audio up to that frame's end (the provider counts the audio it was sent;
//!   the n-th 20 ms of audio completes frame n, in both audio modes);
//! * provider → caller: an audio delta's send time to the arrival of each Twilio frame
//!   made from it (frames are matched to the latest delta sent to that call);
//! * barge-in: `speech_started` sent by the provider to Twilio `clear` received.
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

    /// Call `call` received Twilio `clear` now.
    pub fn clear_received(&self, call: usize) {
        let now = Instant::now();
        if let Some(clock) = self.calls.get(call) {
            let mut clock = lock(clock);
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

    fn audio_appended(&self, session_id: &str, audio_us: u64) {
        let now = Instant::now();
        let Some(clock) = self.call_of(session_id) else {
            return;
        };
        let mut clock = lock(clock);
        clock.appended_us += audio_us;
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
            clocks.audio_appended("sess_1", FRAME_US);
        }
        clocks.audio_appended("unknown", FRAME_US);
        clocks.speech_started("sess_1");
        clocks.clear_received(2);
        clocks.clear_received(2);
        let (inbound, outbound, barge, unmatched) = clocks.report();
        assert_eq!(inbound.count, 1, "only frame 100 is past the warm-up");
        assert_eq!(outbound.count, 0);
        assert_eq!(barge.count, 1, "one clear per speech_started");
        assert_eq!(unmatched, 2);
    }

    #[test]
    fn spread_picks_percentiles() {
        let s = spread((1..=100).collect());
        assert_eq!(s.p50, Duration::from_micros(51));
        assert_eq!(s.p99, Duration::from_micros(99));
        assert_eq!(s.max, Duration::from_micros(100));
    }
}
