//! Placing a customer's address or place name on the map with the ZIP
//! table: by its ZIP when it has one, else by a city name (with its state
//! when given, else the nearest of that name to the business).

use super::zips::{self, Place, Point};
use crate::brain::nlu::entities::street_suffix;

/// The longest city name, in words, looked for ("north little rock").
const MAX_CITY_WORDS: usize = 4;

/// Words that end a bare place name in a question ("dallas area", "tulsa by chance").
const AFTER_PLACE: &[&str] = &[
    "area", "by", "or", "and", "on", "this", "next", "tomorrow", "today", "too", "please", "pls",
];

/// Words after which a bare place is named ("come out to dallas", "are you in jenks").
const BEFORE_PLACE: &[&str] = &[
    "to", "in", "at", "near", "around", "serve", "service", "cover", "from", "outside", "past",
];

/// Everyday words that are also town names ("Weed", CA; "Mobile", AL):
/// never read as a place unless a state follows them.
const NOT_PLACES: &[&str] = &["house", "home", "weed", "mobile", "nice", "hope", "why"];

/// The words of `text`, lower-case, split at anything but letters and digits.
pub(super) fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect()
}

pub(super) fn is_zip(word: &str) -> bool {
    word.len() == 5 && word.bytes().all(|b| b.is_ascii_digit())
}

/// Where a street address is: its ZIP, else the city after its street.
/// `None` when the address names no place the table knows (a street alone).
pub fn address(text: &str, near: Option<Point>) -> Option<&'static Place> {
    let words = words(text);
    let after_street = words
        .iter()
        .rposition(|w| street_suffix(w).is_some())
        .map_or(0, |i| i + 1);
    // A five-digit number before the street is a house number, not a ZIP.
    if let Some(place) = words[after_street..]
        .iter()
        .rev()
        .filter(|w| is_zip(w))
        .find_map(|w| zips::by_zip(w))
    {
        return Some(place);
    }
    city_in(&words[after_street..], near)
}

/// A place named in a question or a short reply ("can you come out to
/// broken arrow?", "74012", "jenks ok"): a ZIP, a city after a place word,
/// or the whole text when it is only a place name.
pub fn mention(text: &str, near: Option<Point>) -> Option<&'static Place> {
    let words = words(text);
    if let Some(place) = words
        .iter()
        .filter(|w| is_zip(w))
        .find_map(|w| zips::by_zip(w))
    {
        return Some(place);
    }
    if words.len() <= MAX_CITY_WORDS + 1 {
        if let Some(place) = city_in(&words, near).filter(|_| whole_place(&words)) {
            return Some(place);
        }
    }
    words
        .iter()
        .enumerate()
        .filter(|(_, w)| BEFORE_PLACE.contains(&w.as_str()))
        .find_map(|(i, _)| {
            let rest = &words[i + 1..];
            let end = rest
                .iter()
                .position(|w| AFTER_PLACE.contains(&w.as_str()))
                .unwrap_or(rest.len())
                .min(MAX_CITY_WORDS + 1);
            city_at_start(&rest[..end], near)
        })
}

/// Whether the words are nothing but a place name (and maybe its state).
fn whole_place(words: &[String]) -> bool {
    let name = match words.last() {
        Some(last) if words.len() > 1 && zips::is_state(last) => &words[..words.len() - 1],
        _ => words,
    };
    !zips::by_city(&name.join(" ")).is_empty()
}

/// The city named at the very start of `words` (longest name first).
fn city_at_start(words: &[String], near: Option<Point>) -> Option<&'static Place> {
    (1..=words.len().min(MAX_CITY_WORDS))
        .rev()
        .find_map(|n| pick(&words[..n].join(" "), words.get(n), near))
}

/// The last, longest city name in `words`.
fn city_in(words: &[String], near: Option<Point>) -> Option<&'static Place> {
    (1..=words.len().min(MAX_CITY_WORDS)).rev().find_map(|n| {
        (0..=words.len() - n)
            .rev()
            .find_map(|i| pick(&words[i..i + n].join(" "), words.get(i + n), near))
    })
}

/// The place called `name`: in the state named right after it when one
/// is, else the one nearest `near`, else the only one of that name.
fn pick(name: &str, next: Option<&String>, near: Option<Point>) -> Option<&'static Place> {
    let places = zips::by_city(name);
    let stated = next.is_some_and(|w| zips::is_state(w));
    if NOT_PLACES.contains(&name) && !stated {
        return None;
    }
    if let Some(state) = next.filter(|w| zips::is_state(w)) {
        if let Some(place) = places.iter().find(|p| p.state.eq_ignore_ascii_case(state)) {
            return Some(place);
        }
    }
    match (places, near) {
        ([only], _) => Some(only),
        ([], _) | (_, None) => None,
        (many, Some(base)) => many
            .iter()
            .min_by(|a, b| base.miles_to(a.point).total_cmp(&base.miles_to(b.point))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tulsa() -> Option<Point> {
        zips::by_zip("74103").map(|p| p.point)
    }

    #[test]
    fn addresses_are_placed_by_zip_then_city() {
        let by_zip = address("4501 S Harvard Ave, Tulsa, OK 74135", tulsa()).expect("placed");
        assert_eq!(by_zip.city, "Tulsa");
        let by_city = address("9 Elm St, Broken Arrow", tulsa()).expect("placed");
        assert_eq!(by_city.city, "Broken Arrow");
        // A five-digit house number is not a ZIP.
        let house = address("10001 Main St, Jenks OK", tulsa()).expect("placed");
        assert_eq!(house.city, "Jenks");
        assert!(address("123 main st", tulsa()).is_none());
    }

    #[test]
    fn a_city_of_many_states_is_the_one_named_or_the_nearest() {
        let near = address("5 Oak Dr, Dallas", tulsa()).expect("placed");
        assert_eq!(near.state, "TX");
        let named = address("5 Oak Dr, Dallas GA", tulsa()).expect("placed");
        assert_eq!(named.state, "GA");
    }

    #[test]
    fn places_are_found_in_questions_and_short_replies() {
        let asked = mention("can you come out to broken arrow next week?", tulsa());
        assert_eq!(asked.map(|p| p.city), Some("Broken Arrow"));
        assert_eq!(
            mention("74012", tulsa()).map(|p| p.city),
            Some("Broken Arrow")
        );
        assert_eq!(mention("jenks ok", tulsa()).map(|p| p.city), Some("Jenks"));
        assert_eq!(
            mention("do you guys service owasso?", tulsa()).map(|p| p.city),
            Some("Owasso")
        );
        assert_eq!(mention("can you come to my house", tulsa()), None);
    }
}
