//! Job-size facts: bedrooms, bathrooms, windows, stories, square feet,
//! lot size ("3 bed 2 bath", "3br/2ba", "20 windows", "two-story",
//! "half acre", "5,000 sq ft", "big yard").

use serde::{Deserialize, Serialize};

use crate::brain::nlu::normalize::Normalized;
use crate::brain::nlu::numbers::{parse_amount, parse_count};

/// How big a yard or lot is.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum LotSize {
    /// "small yard", "tiny lot".
    Small,
    /// "medium yard", "average lot".
    Medium,
    /// "big yard", "large lot", "huge property".
    Large,
    /// An area in acres ("half acre" → 0.5).
    Acres(f64),
    /// An area in square feet, said about the yard or lot.
    SquareFeet(u32),
}

/// Counts and sizes that price cleaning, window and lawn jobs.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct PropertyDetails {
    /// Bedrooms.
    pub bedrooms: Option<u32>,
    /// Bathrooms; halves allowed ("2.5 bath").
    pub bathrooms: Option<f64>,
    /// Windows (or panes).
    pub windows: Option<u32>,
    /// Stories / floors.
    pub stories: Option<u32>,
    /// Square feet of the home, or of an unqualified "2000 sq ft".
    pub square_feet: Option<u32>,
    /// Lot or yard size.
    pub lot: Option<LotSize>,
}

impl PropertyDetails {
    /// True when nothing was found.
    pub fn is_empty(&self) -> bool {
        *self == PropertyDetails::default()
    }
}

/// Reads the property facts in `text`.
pub fn property_details(text: &Normalized) -> PropertyDetails {
    let words = pieces(text);
    let at = |k: usize| words.get(k).map_or("", String::as_str);
    let mut out = PropertyDetails::default();
    for i in 0..words.len() {
        let (w, next, after) = (at(i), at(i + 1), at(i + 2));
        let Some(amount) = parse_amount(w) else {
            if let Some(size) = named_lot_size(w, next, after) {
                out.lot = Some(size);
            }
            if matches!(w, "single" | "one") && is_story(next) {
                out.stories = Some(1);
            }
            continue;
        };
        let article = matches!(w, "a" | "an");
        let whole = parse_count(w).or_else(|| whole_number(amount).filter(|_| !article));
        match next {
            "bed" | "beds" | "bedroom" | "bedrooms" | "br" | "bd" | "bdr" | "bdrm" | "bdrms"
            | "bedrm" | "bedrms" => out.bedrooms = whole.filter(|n| *n <= 20).or(out.bedrooms),
            "bath" | "baths" | "bathroom" | "bathrooms" | "ba" | "bth" | "bthrm" | "bathrms"
                if amount <= 20.0 && !article =>
            {
                out.bathrooms = Some(amount);
            }
            "window" | "windows" | "pane" | "panes" => {
                out.windows = whole.filter(|n| *n <= 500).or(out.windows);
            }
            n if is_story(n) => {
                out.stories = whole.filter(|n| (1..=10).contains(n)).or(out.stories)
            }
            "acre" | "acres" | "ac" => out.lot = Some(LotSize::Acres(amount)),
            "sqft" | "sf" | "sq" | "square" | "ft2" => {
                if let Some(feet) = whole_number(amount).filter(|n| *n >= 50) {
                    if mentions_yard(&words, i) {
                        out.lot = Some(LotSize::SquareFeet(feet));
                    } else {
                        out.square_feet = Some(feet);
                    }
                }
            }
            _ => {}
        }
    }
    out
}

fn is_story(word: &str) -> bool {
    matches!(
        word,
        "story" | "stories" | "storey" | "storeys" | "floor" | "floors" | "level" | "levels"
    )
}

fn whole_number(amount: f64) -> Option<u32> {
    (amount.fract() == 0.0 && (0.0..=10_000_000.0).contains(&amount)).then_some(amount as u32)
}

fn named_lot_size(word: &str, next: &str, after: &str) -> Option<LotSize> {
    let size = match word {
        "small" | "tiny" | "little" => LotSize::Small,
        "medium" | "average" | "normal" | "mid" => LotSize::Medium,
        "big" | "large" | "huge" | "massive" => LotSize::Large,
        _ => return None,
    };
    let yard = |w: &str| {
        matches!(
            w,
            "yard" | "lot" | "lawn" | "property" | "backyard" | "front" | "yards" | "lawns"
        )
    };
    (yard(next) || (matches!(next, "sized" | "size") && yard(after))).then_some(size)
}

fn mentions_yard(words: &[String], i: usize) -> bool {
    let from = i.saturating_sub(3);
    words
        .iter()
        .skip(from)
        .take(8)
        .any(|w| matches!(w.as_str(), "yard" | "lot" | "lawn" | "backyard" | "acreage"))
}

/// The words with number/unit runs split apart ("3br/2ba" → 3 br 2 ba,
/// "2-story" → 2 story, "5000sqft" → 5000 sqft); fractions like "1/2" stay.
fn pieces(text: &Normalized) -> Vec<String> {
    let mut out = Vec::new();
    for token in &text.tokens {
        let word = token.word.as_str();
        if is_fraction(word) {
            out.push(word.to_owned());
            continue;
        }
        for part in word.split(['/', '-']).filter(|p| !p.is_empty()) {
            split_number_unit(part, &mut out);
        }
    }
    out
}

fn is_fraction(word: &str) -> bool {
    word.split_once('/').is_some_and(|(a, b)| {
        !a.is_empty() && !b.is_empty() && a.bytes().chain(b.bytes()).all(|c| c.is_ascii_digit())
    })
}

/// "3br" → ["3", "br"], "2.5ba" → ["2.5", "ba"], "detail" → ["detail"].
fn split_number_unit(part: &str, out: &mut Vec<String>) {
    let digits_end = part
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.' || *c == ','))
        .map_or(part.len(), |(i, _)| i);
    if digits_end == 0 || digits_end == part.len() {
        out.push(part.to_owned());
        return;
    }
    let (number, unit) = part.split_at(digits_end);
    if unit == "k" {
        // "2k" (sq ft) is one amount, not 2 of something called "k".
        out.push(part.to_owned());
    } else if number.bytes().any(|b| b.is_ascii_digit())
        && !unit.chars().any(|c| c.is_ascii_digit())
    {
        out.push(number.to_owned());
        out.push(unit.to_owned());
    } else {
        out.push(part.to_owned());
    }
}
