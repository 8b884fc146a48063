//! Words too common to say what a question is about ("the", "do", "you").
//!
//! Words are compared after folding, with apostrophes removed, so the
//! list carries contractions as customers type them ("whats", "dont").
//! "not" and "no" are kept: "not happy" and "no show" mean something.

use std::collections::HashSet;
use std::sync::OnceLock;

/// Common English function words, texting shorthand and greetings,
/// separated by spaces.
const STOP_WORDS: &str = "\
    a about also am an and any are arent as at be been being but by can cant could did \
    didnt do does doesnt doing done dont during for from get got guys had has have \
    having he hello her here hes hey hi him his how i id if ill im in into is isnt it \
    its ive just like may me might must my myself of ok okay on or our ours over \
    please shall she should so some than thank thanks that thats the their them then \
    there theres these they theyre this those to too u up ur us very want was wasnt we \
    well were weve what whats when where which while who whom whose why will with \
    wondering wont would ya yall you youd youll your youre yours youve";

/// Whether `word` (lowercase, apostrophes removed) carries no meaning for
/// finding an answer.
pub fn is_stop_word(word: &str) -> bool {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| STOP_WORDS.split_whitespace().collect())
        .contains(word)
}

#[cfg(test)]
mod tests {
    use super::is_stop_word;

    #[test]
    fn function_words_stop_and_meaningful_ones_do_not() {
        for word in ["the", "whats", "u", "dont", "how"] {
            assert!(is_stop_word(word), "{word}");
        }
        for word in ["not", "no", "rain", "price", "long", "often", "much"] {
            assert!(!is_stop_word(word), "{word}");
        }
    }
}
