//! Finding the day a customer means. See the module docs for the rules.

use chrono::{Datelike, Days, NaiveDate, Weekday};

use super::lexicon::{month_of, weekday_of};
use super::DateSpec;
use crate::brain::nlu::fuzzy::same_word;
use crate::brain::nlu::normalize::Normalized;
use crate::brain::nlu::numbers::{digits_only, parse_count, parse_digit_ordinal};

/// Words after a number that make "1/2" a fraction, not a date.
const FRACTION_UNITS: [&str; 8] = [
    "acre", "acres", "mile", "miles", "inch", "lb", "cup", "hour",
];

/// Words that may follow "the 5th" when it is a day of the month; any
/// other word ("the 2nd floor", "the 2nd one") means it is not a date.
const AFTER_DAY_OF_MONTH: &[&str] = &[
    "",
    "at",
    "in",
    "for",
    "or",
    "and",
    "please",
    "works",
    "work",
    "is",
    "would",
    "could",
    "then",
    "morning",
    "afternoon",
    "evening",
    "first",
    "early",
    "late",
    "any",
    "around",
    "after",
    "before",
    "by",
    "if",
    "maybe",
    "instead",
    "ok",
    "too",
    "thanks",
    "between",
    "from",
    "sometime",
    "anytime",
    "possible",
    "available",
    "good",
    "fine",
    "still",
    "that",
    "this",
    "we",
    "i",
];

/// The last date mentioned in `words`, resolved against `today`.
pub(super) fn find_date(words: &[&str], today: NaiveDate) -> Option<DateSpec> {
    let at = |k: usize| words.get(k).copied().unwrap_or("");
    let mut found = None;
    let mut i = 0;
    while i < words.len() {
        let prev = if i > 0 { at(i - 1) } else { "" };
        if prev == "not" {
            i += 1;
            continue;
        }
        let (spec, used) = match_at(words, i, today);
        if let Some(spec) = spec {
            found = Some(deadline(spec, prev, today));
        }
        i += used.max(1);
    }
    found
}

/// "by friday" means any day up to Friday, "before friday" up to Thursday.
fn deadline(spec: DateSpec, prev: &str, today: NaiveDate) -> DateSpec {
    let DateSpec::ExactDate(date) = spec else {
        return spec;
    };
    let last = match prev {
        "by" => Some(date),
        "before" => date.pred_opt(),
        _ => None,
    };
    match last {
        Some(last) if last >= today => DateSpec::Range { first: today, last },
        _ => spec,
    }
}

/// Tries every date pattern at position `i`; returns the date (if any) and
/// how many words it used.
fn match_at(words: &[&str], i: usize, today: NaiveDate) -> (Option<DateSpec>, usize) {
    let at = |k: usize| words.get(k).copied().unwrap_or("");
    let w = at(i);
    let prev = if i > 0 { at(i - 1) } else { "" };
    let day = |n: u64| {
        today
            .checked_add_days(Days::new(n))
            .map(DateSpec::ExactDate)
    };

    if w == "day" && at(i + 1) == "after" && is_tomorrow(at(i + 2)) {
        return (day(2), 3);
    }
    if is_tomorrow(w) {
        return (day(1), 1);
    }
    if w == "today" || w == "tonight" {
        return (day(0), 1);
    }
    if w == "this" && matches!(at(i + 1), "morning" | "afternoon" | "evening") {
        return (day(0), 2);
    }
    if w == "week" && matches!(prev, "next" | "this") {
        return (week(today, prev == "next"), 1);
    }
    if matches!(w, "weekend" | "weekends") {
        return (weekend(today, prev == "next"), 1);
    }
    if w == "in" {
        if let Some(spec) = in_n_days(at(i + 1), at(i + 2), at(i + 3), today) {
            return (Some(spec), 3);
        }
    }
    if let Some((weekday, plural)) = weekday_of(w) {
        return (weekday_spec(weekday, plural, prev, today), 1);
    }
    if let Some((spec, used)) = month_name_date(words, i, today) {
        return (Some(spec), used);
    }
    if w.contains('/') && !FRACTION_UNITS.contains(&at(i + 1)) {
        return (slash_date(w, today), 1);
    }
    let next_ok = AFTER_DAY_OF_MONTH.contains(&at(i + 1))
        || super::parse_clock(at(i + 1), at(i + 2)).is_some_and(|(c, _)| c.explicit);
    if matches!(prev, "the" | "on") && next_ok {
        if let Some(d) = parse_digit_ordinal(w) {
            return (day_of_month(today, d).map(DateSpec::ExactDate), 1);
        }
    }
    (None, 1)
}

/// "tomorrow" and its misspellings ("tomorow", "tommorow").
fn is_tomorrow(word: &str) -> bool {
    word == "tomorrow" || (word.starts_with("to") && same_word(word, "tomorrow"))
}

/// True when the text asks for the soonest possible day.
pub(super) fn mentions_asap(text: &Normalized) -> bool {
    [
        "asap",
        "as soon as possible",
        "as soon as you can",
        "soon as you can",
        "soonest",
        "earliest",
        "first available",
        "next available",
        "right away",
        "right now",
        "first opening",
        "next opening",
    ]
    .iter()
    .any(|p| text.has_phrase(p))
}

fn weekday_spec(weekday: Weekday, plural: bool, prev: &str, today: NaiveDate) -> Option<DateSpec> {
    if plural || matches!(prev, "any" | "every") {
        return Some(DateSpec::Weekday(weekday));
    }
    if matches!(prev, "last" | "past") {
        return None;
    }
    let date = if prev == "next" {
        next_week_monday(today)?
            .checked_add_days(Days::new(u64::from(weekday.num_days_from_monday())))?
    } else {
        upcoming(today, weekday)?
    };
    Some(DateSpec::ExactDate(date))
}

/// The first `weekday` on or after `today`.
fn upcoming(today: NaiveDate, weekday: Weekday) -> Option<NaiveDate> {
    let ahead = (7 + weekday.num_days_from_monday() - today.weekday().num_days_from_monday()) % 7;
    today.checked_add_days(Days::new(u64::from(ahead)))
}

/// The Monday that starts the week after today's.
fn next_week_monday(today: NaiveDate) -> Option<NaiveDate> {
    let ahead = 7 - today.weekday().num_days_from_monday();
    today.checked_add_days(Days::new(u64::from(ahead)))
}

fn week(today: NaiveDate, next: bool) -> Option<DateSpec> {
    let monday = next_week_monday(today)?;
    let (first, last) = if next {
        (monday, monday.checked_add_days(Days::new(6))?)
    } else {
        (today, monday.pred_opt()?)
    };
    Some(DateSpec::Range { first, last })
}

fn weekend(today: NaiveDate, next: bool) -> Option<DateSpec> {
    let saturday = if next {
        next_week_monday(today)?.checked_add_days(Days::new(5))?
    } else if today.weekday() == Weekday::Sun {
        today.pred_opt()?
    } else {
        upcoming(today, Weekday::Sat)?
    };
    Some(DateSpec::Weekend { saturday })
}

/// "in 3 days", "in a week", "in two weeks".
fn in_n_days(count: &str, unit: &str, after: &str, today: NaiveDate) -> Option<DateSpec> {
    let (n, unit) = match (parse_count(count), count) {
        (None, "a") if unit == "couple" => (2, after),
        (None, "a") => (1, unit),
        (Some(n), _) => (n, unit),
        _ => return None,
    };
    let days = match unit {
        "day" | "days" => n,
        "week" | "weeks" => n.checked_mul(7)?,
        _ => return None,
    };
    if days > 366 {
        return None;
    }
    today
        .checked_add_days(Days::new(u64::from(days)))
        .map(DateSpec::ExactDate)
}

/// "dec 5", "december 5th 2026", "5th of december", "5 dec".
fn month_name_date(words: &[&str], i: usize, today: NaiveDate) -> Option<(DateSpec, usize)> {
    let at = |k: usize| words.get(k).copied().unwrap_or("");
    if let Some(month) = month_of(at(i)) {
        let (day_word, mut used) = if at(i + 1) == "the" {
            (at(i + 2), 3)
        } else {
            (at(i + 1), 2)
        };
        let day = day_number(day_word)?;
        let year = explicit_year(at(i + used));
        if year.is_some() {
            used += 1;
        }
        return Some((
            DateSpec::ExactDate(month_day(today, month, day, year)?),
            used,
        ));
    }
    let day = day_number(at(i))?;
    let (month_word, used) = if at(i + 1) == "of" {
        (at(i + 2), 3)
    } else {
        (at(i + 1), 2)
    };
    let month = month_of(month_word)?;
    Some((
        DateSpec::ExactDate(month_day(today, month, day, None)?),
        used,
    ))
}

fn day_number(word: &str) -> Option<u32> {
    let day = parse_digit_ordinal(word).or_else(|| digits_only(word)?.parse().ok())?;
    (1..=31).contains(&day).then_some(day)
}

fn explicit_year(word: &str) -> Option<i32> {
    let year: i32 = digits_only(word).filter(|d| d.len() == 4)?.parse().ok()?;
    (1900..=2200).contains(&year).then_some(year)
}

/// "12/5", "12/5/26", "12/05/2026" (US month/day order).
fn slash_date(word: &str, today: NaiveDate) -> Option<DateSpec> {
    let parts: Vec<&str> = word.split('/').collect();
    let number = |k: usize| -> Option<u32> { digits_only(parts.get(k)?)?.parse().ok() };
    let (month, day) = (number(0)?, number(1)?);
    let year = match parts.len() {
        2 => None,
        3 => {
            let raw = parts.get(2)?;
            let y = i32::try_from(number(2)?).ok()?;
            match raw.len() {
                2 => Some(2000 + y),
                4 if (1900..=2200).contains(&y) => Some(y),
                _ => return None,
            }
        }
        _ => return None,
    };
    month_day(today, month, day, year).map(DateSpec::ExactDate)
}

/// A month/day, rolled to the next year when it already passed (or does not
/// exist this year, like Feb 29), or in the given year.
fn month_day(today: NaiveDate, month: u32, day: u32, year: Option<i32>) -> Option<NaiveDate> {
    if let Some(year) = year {
        return NaiveDate::from_ymd_opt(year, month, day);
    }
    (0..8).find_map(|ahead| {
        NaiveDate::from_ymd_opt(today.year() + ahead, month, day).filter(|d| *d >= today)
    })
}

/// "the 5th": this month if still ahead, else the next month that has it.
fn day_of_month(today: NaiveDate, day: u32) -> Option<NaiveDate> {
    if !(1..=31).contains(&day) {
        return None;
    }
    let (mut year, mut month) = (today.year(), today.month());
    for _ in 0..13 {
        if let Some(date) = NaiveDate::from_ymd_opt(year, month, day).filter(|d| *d >= today) {
            return Some(date);
        }
        (year, month) = if month == 12 {
            (year + 1, 1)
        } else {
            (year, month + 1)
        };
    }
    None
}
