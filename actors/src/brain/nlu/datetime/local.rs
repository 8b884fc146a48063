//! Converting between UTC instants and the tenant's wall clock, DST-safe.

use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// The calendar day it is for the tenant at `now`.
pub fn local_today(now: DateTime<Utc>, tz: Tz) -> NaiveDate {
    now.with_timezone(&tz).date_naive()
}

/// The instant of a tenant-local wall-clock time.
///
/// * In a fall-back overlap (1:30 am happens twice) the **earlier** instant
///   is chosen: a customer booking "1:30" means the first one they live.
/// * In a spring-forward gap (2:30 am does not exist) the time is moved
///   forward by the length of the gap (2:30 → 3:30), as wall clocks do.
pub fn to_utc(date: NaiveDate, time: NaiveTime, tz: Tz) -> DateTime<Utc> {
    let local = date.and_time(time);
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(early, _) => early.with_timezone(&Utc),
        LocalResult::None => {
            let shifted = local
                .checked_sub_signed(Duration::hours(3))
                .and_then(|before| {
                    let offset = tz.from_local_datetime(&before).earliest()?.naive_utc() - before;
                    local.and_utc().checked_add_signed(offset)
                });
            shifted.unwrap_or_else(|| local.and_utc())
        }
    }
}
