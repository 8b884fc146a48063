//! Turns text into index terms: the same steps for entries and for
//! customers' questions, so they meet on the same words.
//!
//! Lowercase; apostrophes dropped ("what's" is "whats"); any other
//! punctuation splits words; synonym phrases folded ("how much" is the
//! price term); stop words and one-character words dropped; each word
//! stemmed and folded to its synonym group.

use super::stem::stem;
use super::stopwords::is_stop_word;
use super::synonyms::{canonical, phrase_at};

/// The index terms of `text`, in order, repeats kept (they are term
/// frequencies to the index).
pub fn analyze(text: &str) -> Vec<String> {
    let words = fold_words(text);
    let mut terms = Vec::with_capacity(words.len());
    let mut at = 0;
    while let Some(word) = words.get(at) {
        if let Some((covered, term)) = words.get(at..).and_then(phrase_at) {
            terms.push(term.to_owned());
            at += covered;
            continue;
        }
        at += 1;
        if word.chars().count() < 2 || is_stop_word(word) {
            continue;
        }
        terms.push(canonical(stem(word)));
    }
    terms
}

/// Lowercase words: letters and digits kept, apostrophes removed, any
/// other character a separator.
fn fold_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else if c == '\'' || c == '\u{2019}' {
            continue;
        } else if !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::analyze;

    #[test]
    fn lowercases_strips_punctuation_and_stop_words() {
        assert_eq!(analyze("What's the WEATHER like?!"), ["weather"]);
        assert_eq!(
            analyze("Do u need my water & power??"),
            ["need", "water", "power"]
        );
        assert_eq!(
            analyze("don\u{2019}t, won't... can't"),
            Vec::<String>::new()
        );
        assert_eq!(analyze(""), Vec::<String>::new());
        assert_eq!(analyze("?!  -- "), Vec::<String>::new());
    }

    #[test]
    fn stems_and_folds_synonyms() {
        assert_eq!(analyze("How much do you charge?"), ["pric", "pric"]);
        assert_eq!(analyze("what if it rains"), ["weather"]);
        assert_eq!(analyze("Cancellations"), ["cancel"]);
        assert_eq!(analyze("do you come out to Plano"), ["area", "plano"]);
        assert_eq!(analyze("my dogs and cats"), ["pet", "pet"]);
        assert_eq!(
            analyze("a deep-cleaning, 3 bedrooms"),
            ["deep", "clean", "bedroom"]
        );
    }

    #[test]
    fn keeps_numbers_and_non_ascii_words() {
        assert_eq!(analyze("24 hours notice"), ["24", "hour", "notic"]);
        assert_eq!(analyze("Café crème"), ["café", "crème"]);
    }
}
