//! How much of a response the caller has actually heard, from Twilio `mark` echoes.
//!
//! Twilio plays outbound audio from a buffer; it echoes a `mark` once the audio queued
//! before it has played, and also (immediately) when a `clear` drops that audio. When the
//! caller barges in, the engine must tell the AI provider how far into the interrupted
//! item playback got (`audio_end_ms`), so the provider's transcript matches what the
//! caller heard. [`PlaybackClock`] is sans-IO: the engine reports what it sent and what
//! Twilio echoed, and asks for the heard length of an item.
//!
//! Audio counts as heard once a mark sent after it is echoed. Between marks the clock
//! interpolates when told the time ([`PlaybackClock::audio_sent_at`],
//! [`PlaybackClock::mark_echoed_at`], [`PlaybackClock::heard_ms_at`]): Twilio plays in
//! real time, so the chunk after the last echoed mark has been playing since that echo
//! (or since it was sent, if it arrived later), and the caller heard the time since
//! then, never more than the chunk. So marks may be sparse (one per 100 ms message)
//! and the answer stays within the echo's transit time of what was heard, and never
//! exceeds the audio sent. Send a mark after an item's last audio, and once its echo
//! arrives [`PlaybackClock::heard_ms`] equals [`PlaybackClock::sent_ms`].

use std::collections::{HashMap, VecDeque};
use std::time::Instant;

/// Samples per millisecond at the 8 kHz Twilio rate.
const SAMPLES_PER_MS: u64 = 8;

#[derive(Debug, Clone, Default)]
struct ItemTotals {
    sent: u64,
    heard: u64,
}

#[derive(Debug, Clone)]
enum Pending {
    /// Samples of the item with this index, sent (at `at`, when known) but not yet
    /// acknowledged.
    Audio {
        item: usize,
        samples: u64,
        at: Option<Instant>,
    },
    /// A mark sent after the audio before it.
    Mark(String),
}

/// Tracks sent audio, marks and their echoes for one call (one Twilio stream).
#[derive(Debug, Clone, Default)]
pub struct PlaybackClock {
    names: HashMap<String, usize>,
    items: Vec<ItemTotals>,
    pending: VecDeque<Pending>,
    /// Names of marks whose audio a `clear` dropped; their echoes are still to come.
    cleared_marks: HashMap<String, usize>,
    /// When the last mark was echoed (playback had reached it then).
    last_echo: Option<Instant>,
}

impl PlaybackClock {
    /// An empty clock for a new call.
    pub fn new() -> Self {
        Self::default()
    }

    fn item_index(&mut self, item: &str) -> usize {
        if let Some(&i) = self.names.get(item) {
            return i;
        }
        let i = self.items.len();
        self.items.push(ItemTotals::default());
        self.names.insert(item.to_owned(), i);
        i
    }

    /// Records that `samples` samples (8 kHz, one μ-law byte each) of `item` were sent.
    pub fn audio_sent(&mut self, item: &str, samples: usize) {
        self.push_audio(item, samples, None);
    }

    /// Records that `samples` samples of `item` were sent at `at`, so that
    /// [`Self::heard_ms_at`] can tell how far into them playback is.
    pub fn audio_sent_at(&mut self, item: &str, samples: usize, at: Instant) {
        self.push_audio(item, samples, Some(at));
    }

    fn push_audio(&mut self, item: &str, samples: usize, at: Option<Instant>) {
        if samples == 0 {
            return;
        }
        let index = self.item_index(item);
        let samples = samples as u64;
        self.items[index].sent += samples;
        if let Some(Pending::Audio {
            item, samples: s, ..
        }) = self.pending.back_mut()
        {
            if *item == index {
                *s += samples;
                return;
            }
        }
        self.pending.push_back(Pending::Audio {
            item: index,
            samples,
            at,
        });
    }

    /// Records that a mark named `name` was sent after the audio sent so far.
    pub fn mark_sent(&mut self, name: &str) {
        self.pending.push_back(Pending::Mark(name.to_owned()));
    }

    /// Convenience for the usual pattern: some audio of `item`, then a mark after it.
    pub fn frame_sent(&mut self, item: &str, samples: usize, mark: &str) {
        self.audio_sent(item, samples);
        self.mark_sent(mark);
    }

    /// Records Twilio's echo of mark `name`. Audio queued before that mark (and before any
    /// earlier marks, which Twilio echoes in order) now counts as heard, unless a `clear`
    /// dropped it. Unknown names are ignored.
    pub fn mark_echoed(&mut self, name: &str) {
        self.echo(name, None);
    }

    /// Like [`Self::mark_echoed`], the echo arriving at `at`: playback had reached the
    /// mark then, and goes on into the audio after it.
    pub fn mark_echoed_at(&mut self, name: &str, at: Instant) {
        self.echo(name, Some(at));
    }

    fn echo(&mut self, name: &str, at: Option<Instant>) {
        if let Some(count) = self.cleared_marks.get_mut(name) {
            *count -= 1;
            if *count == 0 {
                self.cleared_marks.remove(name);
            }
            return;
        }
        let Some(pos) = self
            .pending
            .iter()
            .position(|p| matches!(p, Pending::Mark(m) if m == name))
        else {
            return;
        };
        if at.is_some() {
            self.last_echo = at;
        }
        for entry in self.pending.drain(..=pos) {
            if let Pending::Audio { item, samples, .. } = entry {
                if let Some(totals) = self.items.get_mut(item) {
                    totals.heard += samples;
                }
            }
        }
    }

    /// Records that a `clear` was sent: all audio not yet acknowledged is dropped and will
    /// never count as heard, and the echoes Twilio sends for the marks it drops are ignored.
    pub fn clear_sent(&mut self) {
        self.last_echo = None;
        for entry in self.pending.drain(..) {
            if let Pending::Mark(name) = entry {
                *self.cleared_marks.entry(name).or_insert(0) += 1;
            }
        }
    }

    /// Milliseconds of `item` the caller has heard (0 for an unknown item).
    /// Never more than [`Self::sent_ms`] for the same item.
    pub fn heard_ms(&self, item: &str) -> u64 {
        self.totals(item).map_or(0, |t| t.heard / SAMPLES_PER_MS)
    }

    /// Milliseconds of `item` the caller has heard by `now`: what echoed marks
    /// acknowledged, plus the time the first unacknowledged chunk has been playing if it
    /// belongs to `item` (since the last echo, or since it was sent if later; never
    /// more than the chunk). Audio sent without a time is not interpolated.
    pub fn heard_ms_at(&self, item: &str, now: Instant) -> u64 {
        let Some(&index) = self.names.get(item) else {
            return 0;
        };
        let acknowledged = self.items.get(index).map_or(0, |t| t.heard);
        let playing = match self.pending.front() {
            Some(Pending::Audio {
                item,
                samples,
                at: Some(sent),
            }) if *item == index => {
                let start = self.last_echo.map_or(*sent, |echo| echo.max(*sent));
                let elapsed = now.saturating_duration_since(start);
                let played =
                    u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX) * SAMPLES_PER_MS / 1_000;
                played.min(*samples)
            }
            _ => 0,
        };
        (acknowledged + playing) / SAMPLES_PER_MS
    }

    /// Milliseconds of `item` sent to Twilio so far.
    pub fn sent_ms(&self, item: &str) -> u64 {
        self.totals(item).map_or(0, |t| t.sent / SAMPLES_PER_MS)
    }

    /// Whether every sample sent for `item` has been acknowledged as played.
    pub fn fully_played(&self, item: &str) -> bool {
        self.totals(item).is_some_and(|t| t.heard == t.sent)
    }

    /// Whether any sent audio is still waiting for a mark echo.
    pub fn has_unacknowledged_audio(&self) -> bool {
        self.pending
            .iter()
            .any(|p| matches!(p, Pending::Audio { .. }))
    }

    fn totals(&self, item: &str) -> Option<&ItemTotals> {
        self.names.get(item).and_then(|&i| self.items.get(i))
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn between_sparse_marks_playback_is_interpolated_never_past_the_audio_sent() {
        let t0 = Instant::now();
        let ms = Duration::from_millis;
        let mut clock = PlaybackClock::new();
        // Two 100 ms chunks, each with its mark, sent at once.
        clock.audio_sent_at("a", 800, t0);
        clock.mark_sent("m1");
        clock.audio_sent_at("a", 800, t0);
        clock.mark_sent("m2");
        assert_eq!(clock.heard_ms_at("a", t0 + ms(30)), 30);
        assert_eq!(
            clock.heard_ms_at("a", t0 + ms(250)),
            100,
            "capped by the chunk"
        );
        // m1 echoed at 100 ms: the second chunk plays from then.
        clock.mark_echoed_at("m1", t0 + ms(100));
        assert_eq!(clock.heard_ms_at("a", t0 + ms(100)), 100);
        assert_eq!(clock.heard_ms_at("a", t0 + ms(163)), 163);
        assert_eq!(
            clock.heard_ms_at("a", t0 + ms(900)),
            200,
            "never past the audio sent"
        );
        assert_eq!(clock.heard_ms("a"), 100, "without the time, marks only");
        // A chunk sent after the player ran dry plays from when it was sent.
        clock.mark_echoed_at("m2", t0 + ms(200));
        clock.audio_sent_at("a", 800, t0 + ms(500));
        clock.mark_sent("m3");
        assert_eq!(clock.heard_ms_at("a", t0 + ms(520)), 220);
        // After a clear nothing unacknowledged is heard.
        clock.clear_sent();
        assert_eq!(clock.heard_ms_at("a", t0 + ms(560)), 200);
        assert_eq!(clock.heard_ms_at("b", t0 + ms(560)), 0);
    }

    #[test]
    fn full_play_out_equals_item_length() {
        let mut clock = PlaybackClock::new();
        for i in 0..10 {
            clock.frame_sent("item_a", 160, &format!("m{i}"));
        }
        assert_eq!(clock.sent_ms("item_a"), 200);
        assert_eq!(clock.heard_ms("item_a"), 0);
        clock.mark_echoed("m3");
        assert_eq!(clock.heard_ms("item_a"), 80);
        for i in 4..10 {
            clock.mark_echoed(&format!("m{i}"));
        }
        assert_eq!(clock.heard_ms("item_a"), 200);
        assert!(clock.fully_played("item_a"));
        assert!(!clock.has_unacknowledged_audio());
    }

    #[test]
    fn later_echo_acknowledges_earlier_marks() {
        let mut clock = PlaybackClock::new();
        clock.frame_sent("a", 160, "1");
        clock.frame_sent("a", 160, "2");
        clock.frame_sent("b", 80, "3");
        clock.mark_echoed("3");
        assert_eq!(clock.heard_ms("a"), 40);
        assert_eq!(clock.heard_ms("b"), 10);
        // Duplicate or stale echoes change nothing.
        clock.mark_echoed("1");
        clock.mark_echoed("nope");
        assert_eq!(clock.heard_ms("a"), 40);
    }

    #[test]
    fn echoes_of_cleared_marks_do_not_count() {
        let mut clock = PlaybackClock::new();
        for i in 0..5 {
            clock.frame_sent("a", 160, &format!("m{i}"));
        }
        clock.mark_echoed("m1");
        assert_eq!(clock.heard_ms("a"), 40);
        clock.clear_sent();
        // Twilio now echoes m2..m4 for the dropped audio.
        for i in 2..5 {
            clock.mark_echoed(&format!("m{i}"));
        }
        assert_eq!(clock.heard_ms("a"), 40);
        assert_eq!(clock.sent_ms("a"), 100);
        assert!(!clock.fully_played("a"));
        // A new item after the clear, reusing a mark name, counts normally.
        clock.frame_sent("b", 160, "m2");
        clock.mark_echoed("m2");
        assert_eq!(clock.heard_ms("b"), 20);
    }

    #[test]
    fn reused_name_echo_after_clear_is_consumed_by_the_cleared_one_first() {
        let mut clock = PlaybackClock::new();
        clock.frame_sent("a", 160, "x");
        clock.clear_sent();
        clock.frame_sent("b", 160, "x");
        clock.mark_echoed("x"); // echo of the cleared mark
        assert_eq!(clock.heard_ms("b"), 0);
        clock.mark_echoed("x"); // echo of the new one
        assert_eq!(clock.heard_ms("b"), 20);
        assert_eq!(clock.heard_ms("a"), 0);
    }

    #[test]
    fn audio_without_a_following_mark_is_not_heard() {
        let mut clock = PlaybackClock::new();
        clock.audio_sent("a", 160);
        clock.audio_sent("a", 0);
        assert!(clock.has_unacknowledged_audio());
        assert_eq!(clock.heard_ms("a"), 0);
        assert_eq!(clock.heard_ms("unknown"), 0);
        assert!(!clock.fully_played("unknown"));
        clock.mark_sent("end");
        clock.mark_echoed("end");
        assert!(clock.fully_played("a"));
    }
}
