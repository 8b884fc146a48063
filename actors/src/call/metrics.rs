//! Process-wide call metrics: live gauges, totals added when each call is finalised,
//! and the barge-in reaction time (from `speech_started` received to Twilio `clear`
//! queued) as a small summary with the latest samples. Registered into the
//! `/metrics` registry by [`CallMetrics::register`].

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use std::sync::Arc;

use crate::metrics::{Counter, Gauge, Registry, TenantMetrics};

/// Barge-in reaction samples kept for inspection.
const REACTION_RING: usize = 64;

/// Counters and gauges shared by every call actor of the process.
#[derive(Debug, Default)]
pub struct CallMetrics {
    /// Call actors in memory (constructed and not yet dropped). Back to zero once every
    /// call ended and its edge let go of the actor's address.
    pub actors_alive: Gauge,
    /// Calls started and not yet finalised.
    pub live_calls: Gauge,
    /// Calls finalised (each exactly once).
    pub calls_finalized: Counter,
    /// Caller frames received, over finished calls.
    pub frames_in: Counter,
    /// AI frames sent, over finished calls.
    pub frames_out: Counter,
    /// Caller frames dropped, over finished calls.
    pub dropped_in: Counter,
    /// Caller frames refused for arriving faster than real time, over finished calls.
    pub over_pace: Counter,
    /// AI frames dropped, over finished calls.
    pub dropped_out: Counter,
    /// Malformed Twilio frames, over finished calls.
    pub malformed: Counter,
    /// Barge-ins, over finished calls.
    pub barge_ins: Counter,
    /// Provider sessions reopened after a drop.
    pub reconnects: Counter,
    /// Calls sent to the IVR because the AI leg failed.
    pub fallbacks: Counter,
    /// Calls transferred to a person.
    pub handoffs: Counter,
    /// Tool runs that panicked or whose task died.
    pub tool_failures: Counter,
    /// Calls that ended without an orderly finish.
    pub aborted: Counter,
    /// Call recordings written completely.
    pub recordings_saved: Counter,
    /// Call recordings that failed (the calls went on unrecorded).
    pub recordings_failed: Counter,
    /// Frames left out of recordings because their encoder was behind.
    pub recording_frames_skipped: Counter,
    /// Barge-in reaction time.
    pub barge_in_reaction: ReactionStats,
    /// The slowest reaction, set by [`CallMetrics::refresh`].
    barge_in_reaction_max_us: Gauge,
    /// The p99 of the latest reactions, set by [`CallMetrics::refresh`].
    barge_in_reaction_p99_us: Gauge,
    /// The per-tenant families (each call resolves its handles once, at its start).
    pub tenants: Arc<TenantMetrics>,
}

impl CallMetrics {
    /// Call metrics whose per-tenant handles come from `tenants`.
    pub fn new(tenants: Arc<TenantMetrics>) -> Self {
        CallMetrics {
            tenants,
            ..Self::default()
        }
    }

    /// Adds a finished call's totals.
    pub(crate) fn add_call(&self, summary: &super::CallSummary) {
        self.calls_finalized.inc();
        self.frames_in.inc_by(summary.frames_in);
        self.frames_out.inc_by(summary.frames_out);
        self.dropped_in.inc_by(summary.dropped_in);
        self.over_pace.inc_by(summary.over_pace);
        self.dropped_out.inc_by(summary.dropped_out);
        self.malformed.inc_by(summary.malformed);
        self.barge_ins.inc_by(summary.barge_ins);
    }

    /// Sets the barge-in reaction gauges from the latest samples (call before rendering).
    pub fn refresh(&self) {
        let micros = |d: Duration| i64::try_from(d.as_micros()).unwrap_or(i64::MAX);
        let reaction = self.barge_in_reaction.snapshot();
        let mut recent = reaction.recent;
        recent.sort();
        let p99 = recent
            .get((recent.len() * 99).div_ceil(100).saturating_sub(1))
            .copied()
            .unwrap_or_default();
        self.barge_in_reaction_max_us.set(micros(reaction.max));
        self.barge_in_reaction_p99_us.set(micros(p99));
    }

    /// Adds the call metrics to `registry` (the per-tenant families are registered
    /// with the process's `Metrics`).
    pub fn register(&self, registry: &mut Registry) {
        let counters: [(&str, &str, &Counter); 11] = [
            (
                "servicepro_ai_call_frames_in",
                "Caller frames received by call actors",
                &self.frames_in,
            ),
            (
                "servicepro_ai_call_frames_out",
                "Frames sent to callers by call actors",
                &self.frames_out,
            ),
            (
                "servicepro_ai_call_frames_dropped_in",
                "Caller frames dropped (provider slower than real time)",
                &self.dropped_in,
            ),
            (
                "servicepro_ai_call_frames_over_pace",
                "Caller frames refused for arriving faster than real time",
                &self.over_pace,
            ),
            (
                "servicepro_ai_call_frames_dropped_out",
                "Frames to callers dropped (socket slower than real time)",
                &self.dropped_out,
            ),
            (
                "servicepro_ai_call_malformed_frames",
                "Malformed Twilio frames skipped",
                &self.malformed,
            ),
            (
                "servicepro_ai_call_barge_ins",
                "Barge-ins handled",
                &self.barge_ins,
            ),
            (
                "servicepro_ai_call_fallbacks",
                "Calls sent to the IVR after a provider failure",
                &self.fallbacks,
            ),
            (
                "servicepro_ai_call_recordings_saved",
                "Call recordings written completely",
                &self.recordings_saved,
            ),
            (
                "servicepro_ai_call_recordings_failed",
                "Call recordings that failed (the calls went on)",
                &self.recordings_failed,
            ),
            (
                "servicepro_ai_call_recording_frames_skipped",
                "Frames left out of recordings because the encoder was behind",
                &self.recording_frames_skipped,
            ),
        ];
        for (name, help, counter) in counters {
            registry.register(name, help, counter.clone());
        }
        let gauges: [(&str, &str, &Gauge); 3] = [
            (
                "servicepro_ai_calls_live",
                "Live AI receptionist calls",
                &self.live_calls,
            ),
            (
                "servicepro_ai_barge_in_reaction_max_us",
                "Slowest speech_started to clear reaction",
                &self.barge_in_reaction_max_us,
            ),
            (
                "servicepro_ai_barge_in_reaction_p99_us",
                "p99 of the last reactions, speech_started to clear",
                &self.barge_in_reaction_p99_us,
            ),
        ];
        for (name, help, gauge) in gauges {
            registry.register(name, help, gauge.clone());
        }
    }
}

/// A summary of reaction times: count, min, max, mean and the latest samples.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReactionSnapshot {
    /// Samples recorded.
    pub count: u64,
    /// Fastest reaction.
    pub min: Duration,
    /// Slowest reaction.
    pub max: Duration,
    /// Sum of all reactions (mean = total / count).
    pub total: Duration,
    /// The latest samples, oldest first (at most 64).
    pub recent: Vec<Duration>,
}

impl ReactionSnapshot {
    /// Mean reaction, zero without samples.
    pub fn mean(&self) -> Duration {
        match u32::try_from(self.count) {
            Ok(0) => Duration::ZERO,
            Ok(n) => self.total / n,
            Err(_) => Duration::ZERO,
        }
    }
}

/// Records reaction times from every call; a lock taken once per barge-in.
#[derive(Debug, Default)]
pub struct ReactionStats {
    inner: Mutex<ReactionSnapshot>,
}

impl ReactionStats {
    /// Records one reaction.
    pub fn record(&self, took: Duration) {
        let mut s = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        s.min = if s.count == 0 { took } else { s.min.min(took) };
        s.max = s.max.max(took);
        s.total = s.total.saturating_add(took);
        s.count += 1;
        if s.recent.len() == REACTION_RING {
            s.recent.remove(0);
        }
        s.recent.push(took);
    }

    /// The summary now.
    pub fn snapshot(&self) -> ReactionSnapshot {
        self.inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reaction_stats_keep_min_max_mean_and_a_bounded_ring() {
        let stats = ReactionStats::default();
        assert_eq!(stats.snapshot().mean(), Duration::ZERO);
        for us in 1..=100u64 {
            stats.record(Duration::from_micros(us));
        }
        let s = stats.snapshot();
        assert_eq!(s.count, 100);
        assert_eq!(s.min, Duration::from_micros(1));
        assert_eq!(s.max, Duration::from_micros(100));
        assert_eq!(s.mean(), Duration::from_nanos(50_500));
        assert_eq!(s.recent.len(), REACTION_RING);
        assert_eq!(s.recent.last(), Some(&Duration::from_micros(100)));
    }
}
