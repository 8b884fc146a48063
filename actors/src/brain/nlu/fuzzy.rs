//! Typo-tolerant word comparison shared by every extractor.
//!
//! Customers type "detial", "saturdy", "tomorow" and "intrior"; the
//! extractors compare words through [`similarity`] so one rule decides what
//! counts as "the same word". The rule is deliberately conservative: short
//! words must match exactly (or as plurals), the first letter must agree,
//! and the edit budget grows only with the length of the known word.

use strsim::osa_distance;

/// How alike `word` (from the customer) is to `known` (from a lexicon),
/// from 0 to 1, or `None` when they should not be treated as the same word.
///
/// * identical → 1.0
/// * plural / light stem equality ("windows"/"window", "cleaned"/"cleaning") → 0.95
/// * known word of 5+ chars: one edit (transpositions count as one) → 0.9
/// * known word of 8+ chars: two edits → 0.82
pub(crate) fn similarity(word: &str, known: &str) -> Option<f32> {
    if word.is_empty() || known.is_empty() {
        return None;
    }
    if word == known {
        return Some(1.0);
    }
    if stems(word).any(|a| stems(known).any(|b| a == b)) {
        return Some(0.95);
    }
    let known_len = known.chars().count();
    let word_len = word.chars().count();
    if known_len < 5 || word_len < 4 || word.chars().next() != known.chars().next() {
        return None;
    }
    if word_len.abs_diff(known_len) > 2 {
        return None;
    }
    let budget = if known_len >= 8 { 2 } else { 1 };
    match osa_distance(word, known) {
        0 => Some(1.0),
        1 if budget >= 1 => Some(0.9),
        2 if budget >= 2 => Some(0.82),
        _ => None,
    }
}

/// True when [`similarity`] accepts the pair.
pub(crate) fn same_word(word: &str, known: &str) -> bool {
    similarity(word, known).is_some()
}

/// Light English stems of a word: itself and the word without a plural or
/// verb ending, so "cleaned", "cleaning", "tires"/"tire" compare equal.
/// Never shortens below 3 chars.
fn stems(word: &str) -> impl Iterator<Item = &str> {
    std::iter::once(word).chain(
        ["ing", "ed", "es", "s"]
            .into_iter()
            .filter_map(move |suffix| {
                word.strip_suffix(suffix)
                    .filter(|base| base.chars().count() >= 3 && !base.ends_with('s'))
            }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_within_budget_match() {
        assert!(same_word("detial", "detail"));
        assert!(same_word("intrior", "interior"));
        assert!(same_word("saturdy", "saturday"));
        assert!(same_word("tommorow", "tomorrow"));
        assert!(same_word("windows", "window"));
        assert!(same_word("cleaned", "cleaning"));
        assert!(same_word("tires", "tire"));
    }

    #[test]
    fn unrelated_or_short_words_do_not_match() {
        assert!(!same_word("was", "wash"));
        assert!(!same_word("retail", "detail"));
        assert!(!same_word("money", "monday"));
        assert!(!same_word("fill", "full"));
        assert!(!same_word("", "full"));
    }
}
