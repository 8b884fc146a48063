//! Day and month names, with typo tolerance.

use chrono::Weekday;

use crate::brain::nlu::fuzzy::same_word;

const WEEKDAYS: [(&str, Weekday); 7] = [
    ("monday", Weekday::Mon),
    ("tuesday", Weekday::Tue),
    ("wednesday", Weekday::Wed),
    ("thursday", Weekday::Thu),
    ("friday", Weekday::Fri),
    ("saturday", Weekday::Sat),
    ("sunday", Weekday::Sun),
];

/// A weekday named by `word`, and whether it was plural ("saturdays",
/// meaning any Saturday). Tolerates typos ("saturdy", "wensday", "thrusday").
pub(crate) fn weekday_of(word: &str) -> Option<(Weekday, bool)> {
    for (name, day) in WEEKDAYS {
        if word == name {
            return Some((day, false));
        }
        if word.strip_suffix('s') == Some(name) {
            return Some((day, true));
        }
    }
    if word.chars().count() < 5 {
        return None;
    }
    WEEKDAYS
        .iter()
        .find(|(name, _)| same_word(word, name))
        .map(|&(_, day)| (day, false))
}

const MONTHS: [(&str, u32); 12] = [
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
];

/// The month (1–12) named by `word`: full names (typos tolerated) and the
/// usual abbreviations ("dec", "sept").
pub(crate) fn month_of(word: &str) -> Option<u32> {
    let short = match word {
        "jan" => Some(1),
        "feb" => Some(2),
        "mar" => Some(3),
        "apr" => Some(4),
        "jun" => Some(6),
        "jul" => Some(7),
        "aug" => Some(8),
        "sep" | "sept" => Some(9),
        "oct" => Some(10),
        "nov" => Some(11),
        "dec" => Some(12),
        _ => None,
    };
    short.or_else(|| {
        MONTHS
            .iter()
            .find(|(name, _)| word == *name || (name.len() >= 5 && same_word(word, name)))
            .map(|&(_, month)| month)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekdays_with_typos_and_plurals() {
        assert_eq!(weekday_of("saturdy"), Some((Weekday::Sat, false)));
        assert_eq!(weekday_of("wensday"), Some((Weekday::Wed, false)));
        assert_eq!(weekday_of("thrusday"), Some((Weekday::Thu, false)));
        assert_eq!(weekday_of("saturdays"), Some((Weekday::Sat, true)));
        assert_eq!(weekday_of("money"), None);
        assert_eq!(weekday_of("sun"), None);
    }

    #[test]
    fn months_full_short_and_misspelled() {
        assert_eq!(month_of("dec"), Some(12));
        assert_eq!(month_of("febuary"), Some(2));
        assert_eq!(month_of("may"), Some(5));
        assert_eq!(month_of("maybe"), None);
    }
}
