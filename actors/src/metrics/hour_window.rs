//! [`HourWindow`]: how many events happened in the last hour, kept in memory as 60
//! one-minute buckets. The hour is the current minute and the 59 before it, so an
//! event leaves the count between 59 and 60 minutes after it happened. Each bucket
//! remembers which minute it counts, so a quiet stretch needs no sweeping: a bucket
//! from an older minute counts nothing and is reset when its slot comes round again.

use chrono::{DateTime, Utc};

/// Buckets (minutes) in the window.
const MINUTES: usize = 60;

/// Events in the last hour, per minute.
#[derive(Debug, Clone)]
pub struct HourWindow {
    /// `(minute since the epoch, events in it)`, the minute's slot being `minute % 60`.
    buckets: [(i64, u64); MINUTES],
}

impl Default for HourWindow {
    fn default() -> Self {
        HourWindow {
            buckets: [(i64::MIN, 0); MINUTES],
        }
    }
}

/// The minute `at` falls in, and that minute's slot.
fn minute(at: DateTime<Utc>) -> (i64, usize) {
    let minute = at.timestamp().div_euclid(60);
    // `rem_euclid(60)` is in 0..60, so the cast is lossless.
    (minute, minute.rem_euclid(MINUTES as i64) as usize)
}

impl HourWindow {
    /// Counts one event at `now`.
    pub fn record(&mut self, now: DateTime<Utc>) {
        let (minute, slot) = minute(now);
        let bucket = &mut self.buckets[slot];
        if bucket.0 != minute {
            *bucket = (minute, 0);
        }
        bucket.1 = bucket.1.saturating_add(1);
    }

    /// Events in the hour ending at `now` (this minute and the 59 before).
    pub fn count(&self, now: DateTime<Utc>) -> u64 {
        let (current, _) = minute(now);
        let first = current - (MINUTES as i64 - 1);
        self.buckets
            .iter()
            .filter(|(m, _)| (first..=current).contains(m))
            .map(|(_, n)| n)
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 4, h, m, s).unwrap()
    }

    #[test]
    fn events_count_for_an_hour_then_drop_out() {
        let mut w = HourWindow::default();
        assert_eq!(w.count(at(10, 0, 0)), 0);
        w.record(at(10, 0, 5));
        w.record(at(10, 0, 50));
        w.record(at(10, 30, 0));
        assert_eq!(w.count(at(10, 30, 0)), 3);
        assert_eq!(w.count(at(10, 59, 59)), 3, "still inside the hour");
        assert_eq!(
            w.count(at(11, 0, 0)),
            1,
            "10:00's minute has left the window"
        );
        assert_eq!(w.count(at(11, 29, 59)), 1);
        assert_eq!(w.count(at(11, 30, 0)), 0);
    }

    #[test]
    fn a_slot_coming_round_again_starts_from_zero() {
        let mut w = HourWindow::default();
        w.record(at(10, 5, 0));
        w.record(at(11, 5, 10));
        assert_eq!(
            w.count(at(11, 5, 30)),
            1,
            "the hour-old event in the same slot is gone"
        );
        assert_eq!(
            w.count(at(10, 5, 0)),
            0,
            "a later minute is not counted for an earlier now"
        );
    }

    #[test]
    fn a_burst_over_several_minutes_is_summed() {
        let mut w = HourWindow::default();
        let start = at(9, 0, 0);
        for i in 0..120 {
            w.record(start + Duration::seconds(i * 30));
        }
        assert_eq!(w.count(start + Duration::seconds(59 * 60 + 59)), 120);
        assert_eq!(w.count(start + Duration::minutes(60)), 118, "9:00 has left");
    }
}
