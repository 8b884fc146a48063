//! Finding the time of day a customer means. See the module docs for rules.

use chrono::NaiveTime;

use super::lexicon::weekday_of;
use super::{hm, TimeSpec};
use crate::brain::nlu::entities::starts_address;
use crate::brain::nlu::fuzzy::same_word;
use crate::brain::nlu::normalize::Normalized;

/// Words before a bare number that make it a time ("at 2", "around 10").
const CUES: [&str; 11] = [
    "at", "around", "about", "by", "after", "before", "til", "till", "until", "say", "than",
];

/// Words before "to" that make the bare number after it a time: a booking being
/// moved ("push it to 11", "can we move that to 3", "change my appt to 10").
const MOVED_TO: &[&str] = &[
    "it",
    "that",
    "this",
    "appt",
    "appointment",
    "push",
    "move",
    "bump",
    "change",
    "switch",
];

/// Things customers count in a booking text. A bare number before one of them is a
/// quantity ("about 20 windows", "at 2 bedrooms"), never a time of day.
const COUNTED: &[&str] = &[
    "window",
    "windows",
    "pane",
    "panes",
    "screen",
    "screens",
    "story",
    "stories",
    "floor",
    "floors",
    "level",
    "levels",
    "bedroom",
    "bedrooms",
    "bed",
    "beds",
    "bathroom",
    "bathrooms",
    "bath",
    "baths",
    "room",
    "rooms",
    "dog",
    "dogs",
    "cat",
    "cats",
    "pet",
    "pets",
    "car",
    "cars",
    "vehicle",
    "vehicles",
    "truck",
    "trucks",
    "acre",
    "acres",
    "panel",
    "panels",
    "people",
    "kids",
    "sqft",
    "sq",
    "feet",
    "ft",
    "minutes",
    "mins",
    "hours",
    "hrs",
    "days",
    "weeks",
    "dollars",
    "bucks",
    // A pet's weight or age: "shes about 12 lbs", "around 8 months old".
    "lb",
    "lbs",
    "pound",
    "pounds",
    "kg",
    "kgs",
    "week",
    "month",
    "months",
    "year",
    "years",
];

/// am or pm, when the customer wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Meridiem {
    /// Before noon.
    Am,
    /// Noon and after.
    Pm,
}

/// A clock reading as written ("10", "10:30", "2pm"), before the bare-hour
/// rule turns it into a time of day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Clock {
    hour: u32,
    minute: u32,
    meridiem: Option<Meridiem>,
    /// Written with a colon, a meridiem or "ish": unmistakably a time.
    pub(crate) explicit: bool,
}

impl Clock {
    /// The time of day, applying the bare-hour rule (1–6 pm, 7–11 am) or
    /// the part of day the customer named.
    fn resolve(self, part: Option<Part>) -> Option<NaiveTime> {
        let Clock { hour, minute, .. } = self;
        let hour = match (self.meridiem, part) {
            (Some(Meridiem::Am), _) => hour % 12,
            (Some(Meridiem::Pm), _) => hour % 12 + 12,
            (None, _) if hour == 0 || hour >= 12 => hour,
            (None, Some(Part::Morning)) => hour,
            (None, Some(Part::Afternoon | Part::Evening)) => hour + 12,
            (None, _) if hour <= 6 => hour + 12,
            (None, _) => hour,
        };
        NaiveTime::from_hms_opt(hour, minute, 0)
    }

    /// The time of day by the bare-hour rule alone.
    pub(crate) fn time(self) -> Option<NaiveTime> {
        self.resolve(None)
    }
}

/// Reads a clock from `word` (and `next`, for "10 am"); returns it and how
/// many words it used. Accepts "10", "10:30", "10am", "10:30pm", "10a",
/// "2p", "1030am", "10ish", "noon", "14:00".
pub(crate) fn parse_clock(word: &str, next: &str) -> Option<(Clock, usize)> {
    if matches!(word, "noon" | "midday") {
        let clock = Clock {
            hour: 12,
            minute: 0,
            meridiem: Some(Meridiem::Pm),
            explicit: true,
        };
        return Some((clock, 1));
    }
    let (body, ish) = match word.strip_suffix("ish") {
        Some(body) => (body, true),
        None => (word, false),
    };
    let (body, meridiem) = split_meridiem(body);
    let (meridiem, used) = match (meridiem, meridiem_word(next)) {
        (Some(m), _) => (Some(m), 1),
        (None, Some(m)) => (Some(m), 2),
        (None, None) => (None, 1),
    };
    let (hour, minute, colon) = split_hour_minute(body, meridiem.is_some())?;
    let valid = match meridiem {
        Some(_) => (1..=12).contains(&hour),
        None => hour <= 23,
    };
    if !valid || minute > 59 {
        return None;
    }
    let explicit = colon || ish || meridiem.is_some();
    Some((
        Clock {
            hour,
            minute,
            meridiem,
            explicit,
        },
        used,
    ))
}

fn split_meridiem(body: &str) -> (&str, Option<Meridiem>) {
    for (suffix, m) in [
        ("a.m", Meridiem::Am),
        ("p.m", Meridiem::Pm),
        ("am", Meridiem::Am),
        ("pm", Meridiem::Pm),
        ("a", Meridiem::Am),
        ("p", Meridiem::Pm),
    ] {
        if let Some(rest) = body.strip_suffix(suffix) {
            if rest.bytes().last().is_some_and(|b| b.is_ascii_digit()) {
                return (rest, Some(m));
            }
        }
    }
    (body, None)
}

fn meridiem_word(word: &str) -> Option<Meridiem> {
    match word {
        "am" | "a.m" => Some(Meridiem::Am),
        "pm" | "p.m" => Some(Meridiem::Pm),
        _ => None,
    }
}

/// "10" → (10, 0), "10:30" → (10, 30), "1030" (only with am/pm) → (10, 30).
fn split_hour_minute(body: &str, has_meridiem: bool) -> Option<(u32, u32, bool)> {
    let all_digits =
        |s: &str| !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit());
    if let Some((h, m)) = body.split_once(':').or_else(|| body.split_once('.')) {
        if all_digits(h) && m.len() == 2 && all_digits(m) {
            return Some((h.parse().ok()?, m.parse().ok()?, true));
        }
        return None;
    }
    if all_digits(body) {
        return Some((body.parse().ok()?, 0, false));
    }
    if has_meridiem && (3..=4).contains(&body.len()) && body.bytes().all(|b| b.is_ascii_digit()) {
        let (h, m) = body.split_at(body.len() - 2);
        return Some((h.parse().ok()?, m.parse().ok()?, false));
    }
    None
}

/// A named part of the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Morning,
    Afternoon,
    Evening,
}

/// What one position of the text said about the time.
#[derive(Debug, Clone, Copy)]
enum Mention {
    At(Clock),
    Window(NaiveTime, NaiveTime),
    Part(Part, NaiveTime, NaiveTime),
    FirstThing,
}

/// Which side of a time an open window lies on.
enum Bound {
    /// "after 3", "not before 10", "no earlier than 9".
    From,
    /// "before noon", "by 3", "no later than 4".
    Until,
}

/// End of the latest possible window ("after 3" runs to here).
fn end_of_day() -> NaiveTime {
    NaiveTime::from_hms_opt(23, 59, 59).unwrap_or(NaiveTime::MIN)
}

/// The time preference stated in `words`; the last statement wins, and a
/// named part of day adjusts bare hours and narrows windows.
pub(super) fn find_time(words: &[&str], text: &Normalized) -> TimeSpec {
    let mentions = mentions(words, text);
    let part = mentions.iter().rev().find_map(|m| match m {
        Mention::Part(p, start, end) => Some((*p, *start, *end)),
        _ => None,
    });
    let last = mentions
        .iter()
        .rev()
        .find(|m| !matches!(m, Mention::Part(..)));
    match (last, part) {
        (Some(Mention::At(clock)), _) => clock
            .resolve(part.map(|p| p.0))
            .map_or(TimeSpec::Any, TimeSpec::Exact),
        (Some(Mention::Window(start, end)), Some((_, ps, pe))) if ps.max(*start) < pe.min(*end) => {
            TimeSpec::Window {
                start: ps.max(*start),
                end: pe.min(*end),
            }
        }
        (Some(Mention::Window(start, end)), _) => TimeSpec::Window {
            start: *start,
            end: *end,
        },
        (Some(Mention::FirstThing), _) => TimeSpec::FirstThing,
        (_, Some((_, start, end))) => TimeSpec::Window { start, end },
        _ => TimeSpec::Any,
    }
}

fn mentions(words: &[&str], text: &Normalized) -> Vec<Mention> {
    let at = |k: usize| words.get(k).copied().unwrap_or("");
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let (mention, used) = mention_at(words, i, text);
        if let Some(m) = mention {
            out.push(m);
        }
        if at(i).is_empty() {
            break;
        }
        i += used.max(1);
    }
    out
}

fn mention_at(words: &[&str], i: usize, text: &Normalized) -> (Option<Mention>, usize) {
    let at = |k: usize| words.get(k).copied().unwrap_or("");
    let w = at(i);
    let prev = if i > 0 { at(i - 1) } else { "" };
    if w == "first" && at(i + 1) == "thing" {
        return (Some(Mention::FirstThing), 2);
    }
    if let Some(part) = part_of_day(w, prev) {
        return (Some(part), 1);
    }
    if w == "between" || w == "from" {
        if let Some((m, used)) = range(words, i + 1, true) {
            return (Some(m), used + 1);
        }
    }
    if let Some((start, end)) = hyphen_range(w, at(i + 1), prev) {
        return (Some(Mention::Window(start, end)), 1);
    }
    let Some((clock, used)) = parse_clock(w, at(i + 1)) else {
        return (None, 1);
    };
    let after = at(i + used);
    if !clock.explicit && (COUNTED.contains(&after) || starts_address(&text.tokens, i)) {
        return (None, used);
    }
    let before_prev = if i >= 2 { at(i - 2) } else { "" };
    let cued = clock.explicit
        || CUES.contains(&prev)
        || (prev == "to" && MOVED_TO.contains(&before_prev))
        || text.tokens.get(i).is_some_and(|t| t.starts_with('@'))
        || matches!(after, "oclock" | "ish" | "o")
        || (after == "instead" && at(i + used + 1) != "of")
        || is_day_word(prev);
    if !cued {
        return (None, 1);
    }
    if let Some((m, used)) = range(words, i, false) {
        return (Some(m), used);
    }
    let Some(time) = clock.time() else {
        return (None, used);
    };
    let bound = match (before_prev, prev) {
        ("not", "before") | ("earlier" | "sooner", "than") => Some(Bound::From),
        ("not", "after") | ("later", "than") => Some(Bound::Until),
        (_, "after") => Some(Bound::From),
        (_, "before" | "by" | "til" | "till" | "until") => Some(Bound::Until),
        _ => None,
    };
    let mention = match bound {
        Some(Bound::From) => Mention::Window(time, end_of_day()),
        Some(Bound::Until) => Mention::Window(NaiveTime::MIN, time),
        None => Mention::At(clock),
    };
    (Some(mention), used)
}

/// "2 and 4", "10 to 2", "10am - 2pm" starting at `i`. With `cued` false,
/// the first clock must be explicit (a colon or am/pm).
fn range(words: &[&str], i: usize, cued: bool) -> Option<(Mention, usize)> {
    let at = |k: usize| words.get(k).copied().unwrap_or("");
    let (first, used_first) = parse_clock(at(i), at(i + 1))?;
    if !cued && !first.explicit {
        return None;
    }
    let joiner = at(i + used_first);
    if !matches!(joiner, "and" | "to" | "til" | "till" | "until" | "through") {
        return None;
    }
    let (second, used_second) = parse_clock(at(i + used_first + 1), at(i + used_first + 2))?;
    let (start, end) = resolve_pair(first, second)?;
    Some((Mention::Window(start, end), used_first + 1 + used_second))
}

/// "2-4", "10am-2pm", "2-4pm" as one word.
fn hyphen_range(word: &str, next: &str, prev: &str) -> Option<(NaiveTime, NaiveTime)> {
    let (left, right) = word.split_once('-')?;
    let (first, _) = parse_clock(left, "")?;
    let (second, _) = parse_clock(right, next)?;
    let cued = first.explicit
        || second.explicit
        || CUES.contains(&prev)
        || matches!(prev, "between" | "from")
        || is_day_word(prev)
        || is_day_word(next);
    if !cued {
        return None;
    }
    resolve_pair(first, second)
}

/// Resolves a range's two ends; a bare start borrows the end's am/pm when
/// that keeps the range forward ("2-4pm" → 14–16, "10-2pm" → 10–14).
fn resolve_pair(mut first: Clock, second: Clock) -> Option<(NaiveTime, NaiveTime)> {
    if first.meridiem.is_none() && first.hour <= 12 {
        if let Some(m) = second.meridiem {
            let borrowed = Clock {
                meridiem: Some(m),
                ..first
            };
            if borrowed.time()? < second.time()? {
                first = borrowed;
            }
        }
    }
    let (start, end) = (first.time()?, second.time()?);
    (start < end).then_some((start, end))
}

fn part_of_day(word: &str, prev: &str) -> Option<Mention> {
    if prev == "good" {
        return None;
    }
    let early = prev == "early";
    let late = prev == "late";
    let (part, start, end) = match word {
        "morning" | "mornings" if early => (Part::Morning, hm(7, 0), hm(10, 0)),
        "morning" | "mornings" if late => (Part::Morning, hm(10, 0), hm(12, 0)),
        "morning" | "mornings" => (Part::Morning, hm(8, 0), hm(12, 0)),
        "afternoon" | "afternoons" if early => (Part::Afternoon, hm(12, 0), hm(14, 0)),
        "afternoon" | "afternoons" if late => (Part::Afternoon, hm(15, 0), hm(17, 0)),
        "afternoon" | "afternoons" => (Part::Afternoon, hm(12, 0), hm(17, 0)),
        "evening" | "evenings" | "tonight" | "night" => (Part::Evening, hm(17, 0), hm(20, 0)),
        "lunch" | "lunchtime" => (Part::Afternoon, hm(11, 0), hm(13, 0)),
        // "after work": the end of a working day.
        "work" if prev == "after" => (Part::Evening, hm(17, 0), hm(20, 0)),
        "am" if is_day_word(prev) => (Part::Morning, hm(8, 0), hm(12, 0)),
        "pm" if is_day_word(prev) => (Part::Afternoon, hm(12, 0), hm(17, 0)),
        _ => return None,
    };
    if word == "night" && !matches!(prev, "at" | "tomorrow" | "friday" | "saturday" | "the") {
        return None;
    }
    Some(Mention::Part(part, start, end))
}

/// A word naming a day, after which a bare number is a time ("sat 10").
fn is_day_word(word: &str) -> bool {
    matches!(word, "today" | "tonight" | "tomorrow")
        || weekday_of(word).is_some()
        || (word.starts_with("to") && same_word(word, "tomorrow"))
}
