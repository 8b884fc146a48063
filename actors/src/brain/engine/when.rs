//! Combining what the customer says about timing with what was said
//! before (corrections, "anything later?"); the mapping to the availability
//! engine's preference is [`crate::brain::timing`].

use chrono::{Duration, NaiveTime};
use chrono_tz::Tz;

use crate::booking::availability::Slot;
use crate::brain::nlu::{DateSpec, TimeSpec, Understanding, WhenPreference};

use super::text::local;

/// Combines a new preference with the old one: a new day replaces the old
/// day, a new time replaces the old time, and what was not mentioned is
/// kept ("saturday morning" then "actually sunday" is Sunday morning).
pub(super) fn merge(old: Option<WhenPreference>, new: WhenPreference) -> WhenPreference {
    let old = old.unwrap_or_default();
    WhenPreference {
        date: if new.date == DateSpec::Any {
            old.date
        } else {
            new.date
        },
        time: if new.time == TimeSpec::Any {
            old.time
        } else {
            new.time
        },
    }
}

/// Words that make "later" about the conversation, not the time ("text
/// you later", "i'll decide later").
const DEFERRAL_WORDS: &[&str] = &[
    "talk", "text", "call", "back", "decide", "check", "think", "confirm", "week",
];

/// "anything later?" / "do you have something earlier" while times are on
/// offer and no day or time is named: the same wish, with the time of day
/// moved past the latest (or before the earliest) time offered.
pub(super) fn beyond_offered(
    old: Option<WhenPreference>,
    u: &Understanding,
    offered: &[Slot],
    tz: Tz,
) -> Option<WhenPreference> {
    if u.when.is_specified() || offered.is_empty() {
        return None;
    }
    let words: Vec<&str> = u.normalized.split(' ').collect();
    if words.iter().any(|w| DEFERRAL_WORDS.contains(w)) {
        return None;
    }
    let times = offered.iter().map(|s| local(s.start, tz).time());
    let time = if words.contains(&"later") {
        let latest = times.max()?;
        let end = NaiveTime::from_hms_opt(23, 59, 59)?;
        let start = latest + Duration::minutes(1);
        (start < end && start > latest).then_some(TimeSpec::Window { start, end })?
    } else if words.contains(&"earlier") {
        let earliest = times.min()?;
        (earliest > NaiveTime::MIN).then_some(TimeSpec::Window {
            start: NaiveTime::MIN,
            end: earliest,
        })?
    } else {
        return None;
    };
    Some(WhenPreference {
        date: old.unwrap_or_default().date,
        time,
    })
}

/// "Just so you know, 2 PM is before the after-3 PM time you mentioned.":
/// an exact time that leaves the customer's window is said out loud, never
/// silently swapped for it.
pub(super) fn outside_window_note(
    window: Option<TimeSpec>,
    now: Option<WhenPreference>,
) -> Option<String> {
    let TimeSpec::Window { start, end } = window? else {
        return None;
    };
    let TimeSpec::Exact(asked) = now?.time else {
        return None;
    };
    let late = NaiveTime::from_hms_opt(23, 0, 0)?;
    let span = if end >= late {
        format!("after {}", short_clock(start))
    } else if start == NaiveTime::MIN {
        format!("before {}", short_clock(end))
    } else {
        format!("between {} and {}", short_clock(start), short_clock(end))
    };
    let side = if asked < start {
        "earlier than"
    } else {
        "later than"
    };
    Some(format!(
        "Just so you know, {} is {side} the {span} you mentioned.",
        short_clock(asked)
    ))
}

/// "3 PM", "3:30 PM".
fn short_clock(t: NaiveTime) -> String {
    let text = t.format("%-I:%M %p").to_string();
    text.replace(":00 ", " ")
}
