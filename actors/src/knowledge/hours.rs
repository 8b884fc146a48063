//! The tenant's opening hours as a knowledge-base entry, so "do you work
//! weekends?" and "what are your hours?" are answered from its business
//! hours when neither its pack nor the tenant has an hours FAQ (an entry
//! of theirs on the topic replaces this one when layered).

use chrono::{NaiveTime, Timelike, Weekday};

use super::entry::{KbEntry, KbSource};
use crate::packs::{BusinessHours, OpenHours};

/// The hours entry's question: searching for it finds the hours entry
/// (the tenant's or pack's own, when it has one on the topic).
pub const HOURS_QUESTION: &str = "What are your hours? Do you work weekends?";

/// The hours entry for `hours`.
pub fn hours_entry(hours: &BusinessHours) -> KbEntry {
    KbEntry::new(
        HOURS_QUESTION,
        hours_sentence(hours),
        "hours",
        [
            "hours",
            "open",
            "weekend",
            "weekends",
            "saturday",
            "saturdays",
            "sunday",
            "sundays",
            "close",
            "closed",
            "evening",
            "evenings",
            "early",
            "late",
        ]
        .iter()
        .map(|k| (*k).to_owned())
        .collect(),
        KbSource::Global,
    )
}

/// The global entries plus the hours entry for `hours`.
pub fn global_entries_with_hours(hours: &BusinessHours) -> Vec<KbEntry> {
    let mut entries = super::global_entries();
    entries.push(hours_entry(hours));
    entries
}

/// "We work Mon-Fri 8 AM-6 PM and Sat 9 AM-2 PM, and we're closed Sun."
pub fn hours_sentence(hours: &BusinessHours) -> String {
    let mut runs: Vec<(Weekday, Weekday, OpenHours)> = Vec::new();
    let mut closed = Vec::new();
    for (day, open) in hours.week() {
        match (open, runs.last_mut()) {
            (Some(h), Some((_, last, run))) if *run == h && last.succ() == day => *last = day,
            (Some(h), _) => runs.push((day, day, h)),
            (None, _) => closed.push(short(day)),
        }
    }
    let open: Vec<String> = runs
        .iter()
        .map(|(first, last, h)| {
            let days = if first == last {
                short(*first).to_owned()
            } else {
                format!("{}-{}", short(*first), short(*last))
            };
            format!("{days} {}-{}", clock(h.open), clock(h.close))
        })
        .collect();
    let open = match open.as_slice() {
        [] => {
            return String::from(
                "We don't have set hours right now; text us and we'll find a time.",
            )
        }
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    };
    if closed.is_empty() {
        format!("We work {open}.")
    } else {
        format!("We work {open}, and we're closed {}.", closed.join(" and "))
    }
}

fn short(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Mon",
        Weekday::Tue => "Tue",
        Weekday::Wed => "Wed",
        Weekday::Thu => "Thu",
        Weekday::Fri => "Fri",
        Weekday::Sat => "Sat",
        Weekday::Sun => "Sun",
    }
}

/// "8 AM", "5:30 PM".
fn clock(t: NaiveTime) -> String {
    let (pm, hour) = t.hour12();
    let half = if pm { "PM" } else { "AM" };
    match t.minute() {
        0 => format!("{hour} {half}"),
        m => format!("{hour}:{m:02} {half}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).expect("a time")
    }

    #[test]
    fn weekdays_in_a_run_and_closed_days_named() {
        let day = OpenHours {
            open: at(8, 0),
            close: at(18, 0),
        };
        let hours = BusinessHours {
            mon: Some(day),
            tue: Some(day),
            wed: Some(day),
            thu: Some(day),
            fri: Some(day),
            sat: Some(OpenHours {
                open: at(9, 0),
                close: at(14, 30),
            }),
            sun: None,
        };
        assert_eq!(
            hours_sentence(&hours),
            "We work Mon-Fri 8 AM-6 PM and Sat 9 AM-2:30 PM, and we're closed Sun."
        );
        assert_eq!(hours_entry(&hours).category, "hours");
    }
}
