//! Wording helpers for SMS: plain ASCII, short, prices and times the way
//! people write them.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::booking::availability::Slot;
use crate::brain::tools::ServiceInfo;
use crate::packs::format_usd;

/// Replaces typographic characters with ASCII and drops anything else
/// outside printable ASCII (newlines are kept).
pub(super) fn ascii(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' => out.push('\n'),
            c if c.is_ascii() && !c.is_ascii_control() => out.push(c),
            '\u{2018}' | '\u{2019}' | '\u{02bc}' => out.push('\''),
            '\u{201c}' | '\u{201d}' => out.push('"'),
            '\u{2013}' | '\u{2014}' | '\u{2212}' => out.push('-'),
            '\u{2026}' => out.push_str("..."),
            '\u{a0}' | '\t' => out.push(' '),
            _ => {}
        }
    }
    out
}

/// `text` cut to at most `max` characters, at the end of a sentence when
/// one fits, else at a word with "...".
/// `noun` with its indefinite article: "an Exterior Window Cleaning", "a Full Detail".
pub(super) fn with_article(noun: &str) -> String {
    let vowel = noun
        .chars()
        .next()
        .is_some_and(|c| matches!(c.to_ascii_lowercase(), 'a' | 'e' | 'i' | 'o' | 'u'));
    format!("{} {noun}", if vowel { "an" } else { "a" })
}

pub(super) fn clip(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.len() <= max {
        return text.to_owned();
    }
    let head: String = text.chars().take(max).collect();
    if let Some(end) = head.rfind(['.', '!', '?']).filter(|i| *i > max / 3) {
        return head.get(..=end).unwrap_or(&head).to_owned();
    }
    let room: String = text.chars().take(max.saturating_sub(3)).collect();
    let cut = room.rfind(' ').unwrap_or(room.len());
    format!("{}...", room.get(..cut).unwrap_or(&room).trim_end())
}

/// Cents as "$275" or "$27.50"; negative amounts read as zero.
pub(crate) fn usd(cents: i32) -> String {
    format_usd(u32::try_from(cents).unwrap_or(0))
}

/// "from $275" for a starting-at price, else "$75".
pub(crate) fn price_phrase(service: &ServiceInfo) -> String {
    if service.starting_at {
        format!("from {}", usd(service.price_cents))
    } else {
        usd(service.price_cents)
    }
}

/// "about 45 minutes", "about 1 hour", "about 2.5 hours".
pub(crate) fn duration_phrase(minutes: i32) -> String {
    let minutes = minutes.max(0);
    if minutes < 60 {
        return format!("about {minutes} minutes");
    }
    let hours = minutes / 60;
    let half = minutes % 60 >= 30;
    match (hours, half) {
        (1, false) => String::from("about 1 hour"),
        (h, false) => format!("about {h} hours"),
        (h, true) => format!("about {h}.5 hours"),
    }
}

/// The local date as "Saturday Dec 5".
pub(crate) fn day_label(date: NaiveDate) -> String {
    date.format("%A %b %-d").to_string()
}

/// The slot's local start as "Saturday Dec 5 at 8:00 AM".
pub(super) fn slot_label(slot: &Slot, tz: Tz) -> String {
    format!(
        "{} at {}",
        day_label(local(slot.start, tz).date_naive()),
        clock(slot.start, tz)
    )
}

/// The local clock time as "8:00 AM".
pub(crate) fn clock(at: DateTime<Utc>, tz: Tz) -> String {
    local(at, tz).format("%-I:%M %p").to_string()
}

/// The instant in the tenant's zone.
pub(crate) fn local(at: DateTime<Utc>, tz: Tz) -> DateTime<Tz> {
    at.with_timezone(&tz)
}

/// A numbered list of slots: one line per slot, or the day once followed
/// by the times when they all fall on one day.
pub(super) fn slot_list(slots: &[Slot], tz: Tz) -> String {
    let days: Vec<NaiveDate> = slots
        .iter()
        .map(|s| local(s.start, tz).date_naive())
        .collect();
    let one_day = days.windows(2).all(|w| w.first() == w.last());
    match days.first() {
        Some(day) if one_day && slots.len() > 1 => {
            let times: Vec<String> = slots
                .iter()
                .enumerate()
                .map(|(i, s)| format!("{}) {}", i + 1, clock(s.start, tz)))
                .collect();
            format!("{}:\n{}", day_label(*day), times.join("\n"))
        }
        _ => slots
            .iter()
            .enumerate()
            .map(|(i, s)| format!("{}) {}", i + 1, slot_label(s, tz)))
            .collect::<Vec<_>>()
            .join("\n"),
    }
}
