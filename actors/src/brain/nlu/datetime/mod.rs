//! When the customer wants the job done, resolved in the tenant's time zone.
//!
//! Customers say "tmrw morning", "sat at 10", "next tues after 3", "12/5",
//! "asap". [`resolve_when`] turns that into a [`WhenPreference`]: a
//! [`DateSpec`] and a [`TimeSpec`] that the booking engine can test offered
//! slots against ([`WhenPreference::matches`]).
//!
//! Rules (all relative to "today" = `now` seen in the tenant's zone):
//! * A bare weekday or "this <weekday>" is the first such day **on or after**
//!   today ("saturday" said on a Saturday means today).
//! * "next <weekday>" is that weekday **in the following Monday-to-Sunday
//!   week**: said on Monday 2026-03-02, "next tuesday" is 2026-03-10 (8 days
//!   later), and said on Friday, "next monday" is 3 days later. It is always
//!   strictly after today. "next weekend" follows the same rule.
//! * "saturdays", "any saturday", "every saturday" mean the weekday in any
//!   week ([`DateSpec::Weekday`]).
//! * Month/day dates without a year ("12/5", "dec 5th") that already passed
//!   this year roll to next year; "the 5th" that already passed this month
//!   rolls to next month. Dates with an explicit year are kept as written.
//! * A bare hour (no am/pm) 1–6 means pm and 7–11 means am; 12 is noon;
//!   13–23 is a 24-hour clock. A part of day overrides ("8 in the evening").
//! * A bare number is only a time with a cue: "at 2", "around 10", "by 3",
//!   "2ish", "10 oclock", right after a day ("sat 10"), or with a colon.
//! * Parts of day: morning 08–12, afternoon 12–17, evening 17–20,
//!   "first thing" = the opening slot ([`TimeSpec::FirstThing`]).
//! * When several dates or times are mentioned, the last one wins, which is
//!   how corrections read ("saturday... wait, sunday instead").
//! * "asap", "soonest", "earliest", "first available" give
//!   [`DateSpec::Asap`] unless a concrete date is also given.

mod dates;
mod lexicon;
mod local;
mod times;

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::normalize::Normalized;

pub use local::{local_today, to_utc};

pub(crate) use lexicon::{month_of, weekday_of};
pub(crate) use times::parse_clock;

/// Which days the customer will accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum DateSpec {
    /// No day mentioned, or "any day"/"whenever".
    #[default]
    Any,
    /// "asap", "soonest", "earliest", "first available": any day, sooner is better.
    Asap,
    /// One calendar day in the tenant's zone.
    ExactDate(NaiveDate),
    /// That weekday in any week ("saturdays", "any tuesday").
    Weekday(Weekday),
    /// A Saturday and the Sunday after it ("this weekend").
    Weekend {
        /// The Saturday of the weekend.
        saturday: NaiveDate,
    },
    /// An inclusive run of days ("next week", "this week").
    Range {
        /// First acceptable day.
        first: NaiveDate,
        /// Last acceptable day.
        last: NaiveDate,
    },
}

impl DateSpec {
    /// True when a slot on `date` satisfies the preference.
    pub fn contains(&self, date: NaiveDate) -> bool {
        match *self {
            DateSpec::Any | DateSpec::Asap => true,
            DateSpec::ExactDate(d) => d == date,
            DateSpec::Weekday(w) => date.weekday() == w,
            DateSpec::Weekend { saturday } => date == saturday || saturday.succ_opt() == Some(date),
            DateSpec::Range { first, last } => first <= date && date <= last,
        }
    }

    /// The earliest day the preference can be met, when it names one.
    pub fn first_day(&self) -> Option<NaiveDate> {
        match *self {
            DateSpec::ExactDate(d) => Some(d),
            DateSpec::Weekend { saturday } => Some(saturday),
            DateSpec::Range { first, .. } => Some(first),
            DateSpec::Any | DateSpec::Asap | DateSpec::Weekday(_) => None,
        }
    }
}

/// Which times of day the customer will accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum TimeSpec {
    /// No time mentioned.
    #[default]
    Any,
    /// A clock time ("10am", "2:30", "noon").
    Exact(NaiveTime),
    /// Slot start times from `start` (inclusive) to `end` (exclusive):
    /// parts of day, "after 3", "before noon", "between 2 and 4".
    Window {
        /// Earliest acceptable start.
        start: NaiveTime,
        /// Starts must be before this.
        end: NaiveTime,
    },
    /// "first thing": the day's opening slot. [`TimeSpec::matches`] accepts
    /// any morning start; the engine should offer the earliest.
    FirstThing,
}

impl TimeSpec {
    /// True when a slot starting at `time` satisfies the preference.
    pub fn matches(&self, time: NaiveTime) -> bool {
        match *self {
            TimeSpec::Any => true,
            TimeSpec::Exact(t) => t == time,
            TimeSpec::Window { start, end } => start <= time && time < end,
            TimeSpec::FirstThing => time < hm(12, 0),
        }
    }
}

/// A customer's stated preference for when the job happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct WhenPreference {
    /// Which days.
    pub date: DateSpec,
    /// Which times of day.
    pub time: TimeSpec,
}

impl WhenPreference {
    /// True when the customer said anything about when.
    pub fn is_specified(&self) -> bool {
        self.date != DateSpec::Any || self.time != TimeSpec::Any
    }

    /// True when a slot on `date` at `time` (tenant-local) fits.
    pub fn matches_local(&self, date: NaiveDate, time: NaiveTime) -> bool {
        self.date.contains(date) && self.time.matches(time)
    }

    /// True when a slot starting at the instant `start` fits, judged on the
    /// tenant's wall clock in `tz` (so DST changes are handled by chrono-tz).
    pub fn matches(&self, start: DateTime<Utc>, tz: Tz) -> bool {
        let local = start.with_timezone(&tz).naive_local();
        self.matches_local(local.date(), local.time())
    }

    /// The instant the customer asked for, when they gave both a day and a
    /// clock time; see [`to_utc`] for how DST gaps and overlaps resolve.
    pub fn exact_instant(&self, tz: Tz) -> Option<DateTime<Utc>> {
        match (self.date, self.time) {
            (DateSpec::ExactDate(d), TimeSpec::Exact(t)) => Some(to_utc(d, t, tz)),
            _ => None,
        }
    }
}

/// Reads the date and time preference out of a normalised text.
pub fn resolve_when(text: &Normalized, now: DateTime<Utc>, tz: Tz) -> WhenPreference {
    let today = local_today(now, tz);
    let words = text.words();
    let date_found = dates::find_date(&words, today);
    let asap = dates::mentions_asap(text);
    let time = times::find_time(&words, text);
    let date = match (date_found, asap) {
        (Some(spec), _) => spec,
        (None, true) => DateSpec::Asap,
        (None, false) => DateSpec::Any,
    };
    let time = match time {
        TimeSpec::Any if asap && date_found.is_some() && text.has_phrase("earliest") => {
            TimeSpec::FirstThing
        }
        other => other,
    };
    WhenPreference { date, time }
}

/// A wall-clock time from hours and minutes; out-of-range parts give midnight.
pub(crate) fn hm(hour: u32, minute: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN)
}
