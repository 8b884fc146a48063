//! Which offered slot the customer picked: "2", "the second one",
//! "option 3", "the 10am", "saturday one".
//!
//! This is a hint: it only means something when slots were just offered,
//! which the conversation actor knows and this module does not.

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

use crate::brain::nlu::datetime::{parse_clock, weekday_of};
use crate::brain::nlu::normalize::Normalized;
use crate::brain::nlu::numbers::{parse_count, parse_ordinal};

/// How the customer identified an offered slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SlotChoice {
    /// By position, 1-based ("2", "the second one", "option 2").
    Index(u32),
    /// The last one offered.
    Last,
    /// The one that starts first ("whichever is earliest", "the soonest").
    Earliest,
    /// The one that starts last ("the latest one").
    Latest,
    /// By start time ("the 10am").
    ByTime(NaiveTime),
    /// By weekday ("saturday one").
    ByDay(Weekday),
    /// By date ("the tomorrow one").
    ByDate(NaiveDate),
    /// By weekday and time ("the saturday 10am one").
    ByDayAndTime(Weekday, NaiveTime),
}

impl SlotChoice {
    /// The index (0-based) into `offered` (tenant-local slot starts, in the
    /// order they were offered) this choice picks, or `None` when it fits
    /// none or several.
    pub fn pick(&self, offered: &[NaiveDateTime]) -> Option<usize> {
        let unique = |keep: &dyn Fn(&NaiveDateTime) -> bool| {
            let mut hits = offered.iter().enumerate().filter(|(_, s)| keep(s));
            let first = hits.next().map(|(i, _)| i);
            if hits.next().is_some() {
                None
            } else {
                first
            }
        };
        match *self {
            SlotChoice::Index(n) => {
                let i = usize::try_from(n).ok()?.checked_sub(1)?;
                if i < offered.len() {
                    return Some(i);
                }
                // Past the list, a bare number is an hour ("11 works"
                // with 9:00 and 11:00 offered), read by the bare-hour rule.
                let hour = match n {
                    1..=6 => n + 12,
                    7..=12 => n,
                    _ => return None,
                };
                let time = NaiveTime::from_hms_opt(hour, 0, 0)?;
                unique(&|s| s.time() == time)
            }
            SlotChoice::Last => offered.len().checked_sub(1),
            SlotChoice::Earliest => (0..offered.len()).min_by_key(|i| offered.get(*i)),
            SlotChoice::Latest => (0..offered.len()).max_by_key(|i| offered.get(*i)),
            SlotChoice::ByTime(t) => unique(&|s| s.time() == t),
            SlotChoice::ByDay(w) => unique(&|s| s.weekday() == w),
            SlotChoice::ByDate(d) => unique(&|s| s.date() == d),
            SlotChoice::ByDayAndTime(w, t) => unique(&|s| s.weekday() == w && s.time() == t),
        }
    }
}

/// The highest position a customer plausibly picks; "the 14th" is a date.
const MAX_INDEX: u32 = 10;

/// Words that may surround a pick without changing it.
const FILLER: &[&str] = &[
    "the", "please", "ok", "lets", "let", "do", "go", "with", "i", "ill", "id", "like", "take",
    "want", "book", "pick", "choose", "works", "that", "one", "option", "number", "no", "slot",
    "choice", "time", "yes", "sure", "great", "perfect", "sounds", "good", "for", "me", "will",
    "is", "fine", "best", "im", "ready", "oh", "hmm", "um", "opt", "thanks", "a", "be",
];

/// Words that leave the pick to a rule ("whichever is earliest").
const WHICHEVER: &[&str] = &["whichever", "whatever", "ever"];

/// Nouns that make the word before them a pick ("second one", "10am slot").
const PICK_NOUNS: &[&str] = &["one", "option", "slot", "choice", "opening", "time"];

/// The slot pick in `text`, if any. `today` resolves "the tomorrow one".
pub fn slot_choice(text: &Normalized, today: NaiveDate) -> Option<SlotChoice> {
    let words = text.words();
    whole_message_pick(text, &words, today)
        .or_else(|| earliest_pick(&words))
        .or_else(|| phrase_pick(text, &words, today))
}

/// "whichever is earliest", "the soonest one", "earliest you have": a
/// message that only asks for the soonest of the times offered.
fn earliest_pick(words: &[&str]) -> Option<SlotChoice> {
    const SOONEST: &[&str] = &["earliest", "soonest"];
    const AROUND: &[&str] = &[
        "whichever",
        "whatever",
        "which",
        "ever",
        "of",
        "those",
        "them",
        "you",
        "have",
        "can",
        "get",
        "available",
        "just",
        "give",
        "is",
    ];
    let named = words.iter().any(|w| SOONEST.contains(w));
    let only = words
        .iter()
        .all(|w| SOONEST.contains(w) || AROUND.contains(w) || FILLER.contains(w));
    (named && only).then_some(SlotChoice::Earliest)
}

/// A message that is nothing but a pick plus filler ("2", "2nd please",
/// "saturday", "10am works").
fn whole_message_pick(text: &Normalized, words: &[&str], today: NaiveDate) -> Option<SlotChoice> {
    let rest: Vec<(usize, &str)> = words
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, w)| !FILLER.contains(w) && !WHICHEVER.contains(w))
        .collect();
    match rest.as_slice() {
        [] if text.is_exactly("one") || text.is_exactly("the first one") => {
            Some(SlotChoice::Index(1))
        }
        [(_, w)] => single_pick(w, today).or_else(|| {
            // Up to 12: past the list, a lone number is an hour.
            let n = parse_count(w)?;
            (1..=12).contains(&n).then_some(SlotChoice::Index(n))
        }),
        [(i, a), (_, b)] => {
            let time = clock_time(a, b).or_else(|| clock_time(b, ""));
            let day = weekday_of(a)
                .map(|d| d.0)
                .or_else(|| weekday_of(b).map(|d| d.0));
            match (day, time) {
                (Some(d), Some(t)) => Some(SlotChoice::ByDayAndTime(d, t)),
                (None, Some(t)) if text.word(i + 1) == "am" || text.word(i + 1) == "pm" => {
                    Some(SlotChoice::ByTime(t))
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// A single word that picks by itself.
fn single_pick(word: &str, today: NaiveDate) -> Option<SlotChoice> {
    if let Some(n) = parse_ordinal(word).filter(|n| (1..=MAX_INDEX).contains(n)) {
        return Some(SlotChoice::Index(n));
    }
    if matches!(word, "last" | "latter") {
        return Some(SlotChoice::Last);
    }
    if let Some(choice) = by_order(word) {
        return Some(choice);
    }
    if word == "former" {
        return Some(SlotChoice::Index(1));
    }
    if let Some((day, _)) = weekday_of(word) {
        return Some(SlotChoice::ByDay(day));
    }
    if let Some(date) = relative_day(word, today) {
        return Some(SlotChoice::ByDate(date));
    }
    clock_time(word, "").map(SlotChoice::ByTime)
}

/// A pick inside a longer message: "option 2", "#2", "the second one",
/// "the 10am", "saturday one", "the tomorrow one".
fn phrase_pick(text: &Normalized, words: &[&str], today: NaiveDate) -> Option<SlotChoice> {
    let at = |k: usize| words.get(k).copied().unwrap_or("");
    let mut found = None;
    for (i, w) in words.iter().enumerate() {
        let next = at(i + 1);
        let prev = if i > 0 { at(i - 1) } else { "" };
        let count = parse_count(w).filter(|n| (1..=MAX_INDEX).contains(n));
        let numbered = matches!(prev, "option" | "number" | "choice" | "slot")
            || text.tokens.get(i).is_some_and(|t| t.starts_with('#'));
        let pick = if numbered && count.is_some() {
            count.map(SlotChoice::Index)
        } else if (PICK_NOUNS.contains(&next) && *w != "first" && !(next == "time" && *w == "last"))
            || (prev == "the" && next.is_empty())
        {
            noun_pick(words, i, today)
        } else if *w == "first" && PICK_NOUNS.contains(&next) && next != "time" {
            Some(SlotChoice::Index(1))
        } else if *w == "one" && matches!(next, "on" | "at" | "for") {
            described_one(at(i + 2), at(i + 3), today)
        } else {
            None
        };
        if pick.is_some() {
            found = pick;
        }
    }
    found
}

/// The pick made by the word(s) before a pick noun ("second", "10am",
/// "saturday 10am", "tomorrow").
fn noun_pick(words: &[&str], i: usize, today: NaiveDate) -> Option<SlotChoice> {
    let w = words.get(i).copied().unwrap_or("");
    let prev = if i > 0 {
        words.get(i - 1).copied().unwrap_or("")
    } else {
        ""
    };
    if let Some(n) = parse_ordinal(w).filter(|n| (1..=MAX_INDEX).contains(n)) {
        return Some(SlotChoice::Index(n));
    }
    if matches!(w, "last" | "latter") {
        return Some(SlotChoice::Last);
    }
    if let Some(choice) = by_order(w) {
        return Some(choice);
    }
    if let Some(t) = clock_time(w, "") {
        return match weekday_of(prev) {
            Some((day, _)) => Some(SlotChoice::ByDayAndTime(day, t)),
            None => Some(SlotChoice::ByTime(t)),
        };
    }
    if matches!(w, "am" | "pm") {
        let t = clock_time(prev, w)?;
        return Some(SlotChoice::ByTime(t));
    }
    if let Some((day, _)) = weekday_of(w) {
        return Some(SlotChoice::ByDay(day));
    }
    relative_day(w, today).map(SlotChoice::ByDate)
}

/// "earliest", "soonest", "latest": a pick by start time, whatever the
/// order the times were listed in.
fn by_order(word: &str) -> Option<SlotChoice> {
    match word {
        "earliest" | "soonest" => Some(SlotChoice::Earliest),
        "latest" => Some(SlotChoice::Latest),
        _ => None,
    }
}

/// "the one on saturday", "the one at 10am", "the one for tomorrow".
fn described_one(word: &str, next: &str, today: NaiveDate) -> Option<SlotChoice> {
    if let Some((day, _)) = weekday_of(word) {
        return Some(SlotChoice::ByDay(day));
    }
    if let Some(date) = relative_day(word, today) {
        return Some(SlotChoice::ByDate(date));
    }
    clock_time(word, next).map(SlotChoice::ByTime)
}

/// A clock time written unmistakably ("10am", "10:30", "2 pm", "noon").
fn clock_time(word: &str, next: &str) -> Option<NaiveTime> {
    let (clock, _) = parse_clock(word, next)?;
    if !clock.explicit {
        return None;
    }
    clock.time()
}

fn relative_day(word: &str, today: NaiveDate) -> Option<NaiveDate> {
    match word {
        "today" | "todays" => Some(today),
        "tomorrow" | "tomorrows" => today.checked_add_days(Days::new(1)),
        _ => None,
    }
}
