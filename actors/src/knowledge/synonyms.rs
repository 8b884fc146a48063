//! Domain synonyms, so "how much", "cost" and "charge" all find the
//! pricing answer.
//!
//! Each group folds to one canonical term, at index time and at query
//! time alike. Folding (rather than adding extra terms) keeps scores
//! honest: a question that says "price" and "cost" counts the idea once
//! per mention, not twice. Single words are matched by their stem, so
//! "charges" and "charging" join the group too; multi-word members
//! ("how much", "come to") are matched as phrases before stop words go.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::stem::stem;

/// The groups: canonical word first, then everything that means it.
const GROUPS: &[(&str, &[&str])] = &[
    (
        "price",
        &[
            "price",
            "cost",
            "charge",
            "rate",
            "expensive",
            "cheap",
            "how much",
        ],
    ),
    ("weather", &["weather", "rain", "rainy", "storm"]),
    (
        "cancel",
        &[
            "cancel",
            "cancellation",
            "cancelled",
            "canceled",
            "cancelling",
            "canceling",
        ],
    ),
    (
        "deposit",
        &["deposit", "prepay", "prepaid", "prepayment", "down payment"],
    ),
    ("pay", &["pay", "payment"]),
    ("pet", &["pet", "dog", "cat", "puppy", "kitten"]),
    ("area", &["area", "serve", "come to", "come out to"]),
    ("power", &["power", "electricity", "electric", "outlet"]),
];

/// The groups, compiled once: stems and phrases to canonical terms.
struct Table {
    /// Member stem to canonical term.
    words: HashMap<String, String>,
    /// Member phrases (folded words) with their canonical term, longest first.
    phrases: Vec<(Vec<&'static str>, String)>,
}

/// The compiled table, built on first use.
fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut words = HashMap::new();
        let mut phrases = Vec::new();
        for (canonical, members) in GROUPS {
            let term = stem(canonical);
            for member in *members {
                let parts: Vec<&'static str> = member.split(' ').collect();
                if parts.len() > 1 {
                    phrases.push((parts, term.clone()));
                } else {
                    words.insert(stem(member), term.clone());
                }
            }
        }
        phrases.sort_by_key(|(parts, _)| std::cmp::Reverse(parts.len()));
        Table { words, phrases }
    })
}

/// The canonical term for a stem, or the stem itself when it has no synonyms.
pub fn canonical(stem: String) -> String {
    match table().words.get(&stem) {
        Some(term) => term.clone(),
        None => stem,
    }
}

/// The synonym phrase starting at `words[0]`, as (words it covers,
/// canonical term).
pub fn phrase_at(words: &[String]) -> Option<(usize, &'static str)> {
    table().phrases.iter().find_map(|(parts, term)| {
        let covered = words.get(..parts.len())?;
        let matches = covered.iter().zip(parts).all(|(w, p)| w == p);
        matches.then_some((parts.len(), term.as_str()))
    })
}

/// Every single-word member stem with its canonical term, so a typo of
/// any member ("cancelation") can still be recognised.
pub fn members() -> impl Iterator<Item = (&'static str, &'static str)> {
    table().words.iter().map(|(m, t)| (m.as_str(), t.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_fold_to_their_group() {
        assert_eq!(canonical(stem("cost")), canonical(stem("price")));
        assert_eq!(canonical(stem("charges")), canonical(stem("price")));
        assert_eq!(canonical(stem("raining")), canonical(stem("weather")));
        assert_eq!(canonical(stem("dogs")), canonical(stem("pets")));
        assert_eq!(canonical(stem("cancellation")), "cancel");
        assert_eq!(canonical(stem("prepay")), "deposit");
        assert_eq!(canonical("gutter".into()), "gutter");
    }

    #[test]
    fn phrases_match_whole_words_only() {
        let words = |s: &str| s.split(' ').map(String::from).collect::<Vec<_>>();
        assert_eq!(phrase_at(&words("how much is it")), Some((2, "pric")));
        assert_eq!(phrase_at(&words("come out to plano")), Some((3, "area")));
        assert_eq!(phrase_at(&words("come to me")), Some((2, "area")));
        assert_eq!(phrase_at(&words("how")), None);
        assert_eq!(phrase_at(&words("how many")), None);
    }
}
