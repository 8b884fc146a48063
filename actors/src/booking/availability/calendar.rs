//! Local calendar arithmetic for the engine: which local days are
//! bookable, the start-time grid of a day and turning local wall-clock
//! times into instants across DST changes.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;

use super::rules::AvailabilityRules;
use crate::packs::OpenHours;

/// The instant of a local wall-clock time. A time skipped by a DST
/// spring-forward does not exist and yields `None`; a time repeated by a
/// fall-back yields its first occurrence.
pub(super) fn local_instant(tz: Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    tz.from_local_datetime(&local)
        .earliest()
        .map(|at| at.with_timezone(&Utc))
}

/// The local wall-clock time of an instant. Instants so close to the end
/// of chrono's range that their local time is out of range saturate to
/// the first or last representable local time instead of panicking.
pub(super) fn local_time(tz: Tz, at: DateTime<Utc>) -> NaiveDateTime {
    let offset = tz.offset_from_utc_datetime(&at.naive_utc()).fix();
    at.naive_utc()
        .checked_add_offset(offset)
        .unwrap_or(if offset.local_minus_utc() > 0 {
            NaiveDateTime::MAX
        } else {
            NaiveDateTime::MIN
        })
}

/// The local dates that can be booked at `now`: today through today plus
/// the (capped) horizon, as an inclusive pair.
pub(super) fn bookable_dates(
    rules: &AvailabilityRules,
    now: DateTime<Utc>,
) -> (NaiveDate, NaiveDate) {
    let today = local_time(rules.time_zone, now).date();
    let last = today
        .checked_add_days(chrono::Days::new(u64::from(rules.effective_horizon_days())))
        .unwrap_or(NaiveDate::MAX);
    (today, last)
}

/// Each date from `from` to `to`, inclusive; empty when `to < from`.
pub(super) fn dates(from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    std::iter::successors(Some(from), move |date| {
        date.succ_opt().filter(|next| *next <= to)
    })
    .filter(move |date| *date <= to)
}

/// The day's hours when jobs may be booked on `date`: `None` on a closed
/// weekday, a blackout date or hours that close before they open.
pub(super) fn open_hours(rules: &AvailabilityRules, date: NaiveDate) -> Option<OpenHours> {
    if rules.is_blackout(date) {
        return None;
    }
    rules
        .hours
        .on(chrono::Datelike::weekday(&date))
        .filter(|hours| hours.open < hours.close)
}

/// Whether a job from local `start` to local `end` lies inside `hours` of
/// the local date `date`.
pub(super) fn within_hours(
    hours: OpenHours,
    date: NaiveDate,
    start: NaiveDateTime,
    end: NaiveDateTime,
) -> bool {
    start >= date.and_time(hours.open) && end <= date.and_time(hours.close)
}

/// The grid of local start times on `date`: opening time, then every
/// `step` until closing. Empty when the step is under one minute.
pub(super) fn grid(
    date: NaiveDate,
    hours: OpenHours,
    step: Duration,
) -> impl Iterator<Item = NaiveDateTime> {
    let close = date.and_time(hours.close);
    let first = Some(date.and_time(hours.open)).filter(|_| step >= Duration::minutes(1));
    std::iter::successors(first, move |at| at.checked_add_signed(step))
        .take_while(move |at| *at < close)
}
