//! US street addresses: "123 main st tulsa", "4501 S Harvard Ave, Tulsa
//! OK 74135", "88 e 21st street apt 4". A house number, an optional
//! direction, one to four name words and a street suffix are required;
//! unit, city, state and ZIP are optional.

use serde::{Deserialize, Serialize};

use crate::brain::nlu::datetime::weekday_of;
use crate::brain::nlu::normalize::{Normalized, Token};

/// A street address as the customer gave it, tidied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    /// Number, direction, name and suffix: "4501 S Harvard Ave".
    pub street: String,
    /// Apartment / unit / suite: "Apt 4".
    pub unit: Option<String>,
    /// City, title-cased.
    pub city: Option<String>,
    /// Two-letter state code.
    pub state: Option<String>,
    /// Five-digit ZIP (ZIP+4 is cut to five).
    pub zip: Option<String>,
}

impl Address {
    /// One line for display and geocoding: "4501 S Harvard Ave, Tulsa, OK 74135".
    pub fn one_line(&self) -> String {
        let mut line = self.street.clone();
        if let Some(unit) = &self.unit {
            line.push(' ');
            line.push_str(unit);
        }
        if let Some(city) = &self.city {
            line.push_str(", ");
            line.push_str(city);
        }
        match (&self.state, &self.zip) {
            (Some(s), Some(z)) => line.push_str(&format!(", {s} {z}")),
            (Some(s), None) => line.push_str(&format!(", {s}")),
            (None, Some(z)) => line.push_str(&format!(" {z}")),
            (None, None) => {}
        }
        line
    }
}

/// The first street address in `text`.
pub fn address(text: &Normalized) -> Option<Address> {
    (0..text.tokens.len()).find_map(|i| address_at(&text.tokens, i))
}

/// A standalone ZIP code anywhere in `text` ("i'm in 74135").
pub fn zip_code(text: &Normalized) -> Option<String> {
    text.tokens
        .iter()
        .filter(|t| !t.starts_with('$') && !t.starts_with('#'))
        .find_map(|t| zip(&t.word))
}

/// Whether a street address begins at token `i` ("12 walnut street"): its number
/// is a house number, not a time.
pub(crate) fn starts_address(tokens: &[Token], i: usize) -> bool {
    address_at(tokens, i).is_some()
}

fn address_at(tokens: &[Token], start: usize) -> Option<Address> {
    let word = |k: usize| tokens.get(k).map_or("", |t| t.word.as_str());
    let number = house_number(word(start))?;
    let mut i = start + 1;
    let mut parts = vec![number.to_uppercase()];
    if let Some(dir) = direction(word(i)) {
        if street_suffix(word(i + 1)).is_none() {
            parts.push(dir.to_owned());
            i += 1;
        }
    }
    let name_start = i;
    while i < name_start + 4 && street_suffix(word(i)).is_none() {
        let w = word(i);
        let bad_word = w.is_empty()
            || !w.chars().all(|c| c.is_ascii_alphanumeric())
            || w.bytes().all(|b| b.is_ascii_digit())
            || NOT_PLACE.contains(&w);
        if bad_word || tokens.get(i).is_some_and(|t| t.ends_with(',')) {
            return None;
        }
        parts.push(title(w));
        i += 1;
    }
    let suffix_name = street_suffix(word(i))?;
    if i == name_start {
        return None;
    }
    parts.push(suffix_name.to_owned());
    i += 1;
    if let Some(dir) = direction(word(i)).filter(|_| word(i).len() <= 2) {
        parts.push(dir.to_owned());
        i += 1;
    }
    let street = parts.join(" ");
    let unit = unit(tokens, &mut i);
    let city_words = city(tokens, &mut i);
    let state = state(word(i)).filter(|_| !city_words.is_empty());
    if state.is_some() {
        i += 1;
    }
    let zip = zip(word(i));
    Some(Address {
        street,
        unit,
        city: (!city_words.is_empty()).then(|| city_words.join(" ")),
        state: state.map(str::to_owned),
        zip,
    })
}

fn house_number(word: &str) -> Option<&str> {
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    let rest = word.get(digits..)?;
    ((1..=6).contains(&digits) && rest.len() <= 1 && rest.bytes().all(|b| b.is_ascii_alphabetic()))
        .then_some(word)
}

fn direction(word: &str) -> Option<&'static str> {
    match word {
        "n" | "north" => Some("N"),
        "s" | "south" => Some("S"),
        "e" | "east" => Some("E"),
        "w" | "west" => Some("W"),
        "ne" | "northeast" => Some("NE"),
        "nw" | "northwest" => Some("NW"),
        "se" | "southeast" => Some("SE"),
        "sw" | "southwest" => Some("SW"),
        _ => None,
    }
}

/// The canonical form of a street suffix ("street" and "str" are "St",
/// "court" is "Ct"), or `None` when `word` (lowercase) is not one. The one
/// list of suffixes: addresses are read with it, and the service-area check
/// uses it to tell a street from the city after it.
pub fn street_suffix(word: &str) -> Option<&'static str> {
    let canonical = match word {
        "st" | "street" | "str" => "St",
        "ave" | "avenue" | "av" => "Ave",
        "rd" | "road" => "Rd",
        "dr" | "drive" => "Dr",
        "ln" | "lane" => "Ln",
        "blvd" | "boulevard" => "Blvd",
        "ct" | "court" => "Ct",
        "cir" | "circle" => "Cir",
        "pl" | "place" => "Pl",
        "way" => "Way",
        "pkwy" | "parkway" => "Pkwy",
        "hwy" | "highway" => "Hwy",
        "trl" | "trail" => "Trl",
        "ter" | "terrace" => "Ter",
        "loop" => "Loop",
        "sq" | "square" => "Sq",
        "pike" => "Pike",
        "run" => "Run",
        "xing" | "crossing" => "Xing",
        _ => return None,
    };
    Some(canonical)
}

fn unit(tokens: &[Token], i: &mut usize) -> Option<String> {
    let word = |k: usize| tokens.get(k).map_or("", |t| t.word.as_str());
    let label = match word(*i) {
        "apt" | "apartment" => "Apt",
        "unit" => "Unit",
        "ste" | "suite" => "Suite",
        "lot" => "Lot",
        "bldg" | "building" => "Bldg",
        _ if tokens.get(*i).is_some_and(|t| t.starts_with('#')) => {
            let id = word(*i).to_uppercase();
            *i += 1;
            return Some(format!("#{id}"));
        }
        _ => return None,
    };
    let id = word(*i + 1);
    if id.is_empty() || !id.chars().any(|c| c.is_ascii_digit()) || id.len() > 6 {
        return None;
    }
    *i += 2;
    Some(format!("{label} {}", id.to_uppercase()))
}

/// Up to three city words, stopping at a comma, state, ZIP or non-place word.
fn city(tokens: &[Token], i: &mut usize) -> Vec<String> {
    let mut words = Vec::new();
    if tokens.get(*i).is_some_and(|t| t.word == "in") {
        *i += 1;
    }
    while words.len() < 3 {
        let Some(token) = tokens.get(*i) else { break };
        let w = token.word.as_str();
        let next = tokens.get(*i + 1).map_or("", |t| t.word.as_str());
        let state_here = !words.is_empty()
            && state(w).is_some()
            && (next.is_empty()
                || zip(next).is_some()
                || NOT_PLACE.contains(&next)
                || token.ends_with(',')
                || token.ends_with('.'));
        if state_here
            || !w.chars().all(|c| c.is_ascii_alphabetic())
            || NOT_PLACE.contains(&w)
            || weekday_of(w).is_some()
        {
            break;
        }
        words.push(title(w));
        *i += 1;
        if token.ends_with(',') || token.ends_with('.') {
            break;
        }
    }
    words
}

/// Words that end a city name.
const NOT_PLACE: &[&str] = &[
    "at",
    "on",
    "for",
    "by",
    "around",
    "between",
    "this",
    "next",
    "tomorrow",
    "today",
    "tonight",
    "morning",
    "afternoon",
    "evening",
    "please",
    "and",
    "i",
    "my",
    "the",
    "is",
    "its",
    "we",
    "can",
    "could",
    "would",
    "will",
    "thanks",
    "asap",
    "before",
    "after",
    "if",
    "so",
    "but",
    "or",
    "to",
    "around",
    "near",
    "thank",
    "you",
    "need",
    "want",
    "anytime",
    "any",
    "sometime",
    "weekend",
    "with",
    "how",
    "what",
    "when",
    "do",
    "does",
    "are",
];

fn state(word: &str) -> Option<&'static str> {
    const STATES: &[&str] = &[
        "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA",
        "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ",
        "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT",
        "VA", "WA", "WV", "WI", "WY", "DC",
    ];
    let full = match word {
        "oklahoma" => Some("OK"),
        "texas" => Some("TX"),
        "arkansas" => Some("AR"),
        "kansas" => Some("KS"),
        "missouri" => Some("MO"),
        "california" => Some("CA"),
        "florida" => Some("FL"),
        "georgia" => Some("GA"),
        "colorado" => Some("CO"),
        "arizona" => Some("AZ"),
        "tennessee" => Some("TN"),
        "ohio" => Some("OH"),
        "illinois" => Some("IL"),
        _ => None,
    };
    full.or_else(|| {
        let upper = word.to_ascii_uppercase();
        STATES.iter().copied().find(|s| *s == upper)
    })
}

fn zip(word: &str) -> Option<String> {
    let five = word.get(..5)?;
    let rest = word.get(5..)?;
    let plus4 = rest.is_empty()
        || (rest.len() == 5
            && rest.starts_with('-')
            && rest.bytes().skip(1).all(|b| b.is_ascii_digit()));
    (five.bytes().all(|b| b.is_ascii_digit()) && plus4).then(|| five.to_owned())
}

fn title(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
