//! Typo tolerance: a query word the index has never seen is read as the
//! known term one edit away ("cancelation", "detial", "wether").
//!
//! Two guards keep real words from being "corrected" into a false match:
//! only topic terms (words of some entry's question or keywords) are
//! targets, since answers are long and full of everyday words ("night" is
//! not a typo of an answer's "right"); and the first letter must agree,
//! as people rarely mistype it ("leather" is not a typo of "weather").

use strsim::damerau_levenshtein;

/// Shortest query term that may be corrected; shorter words have too many
/// neighbours one edit away to guess safely.
pub const MIN_TYPO_LEN: usize = 5;

/// Longest query term worth comparing; longer ones are not typos of words.
const MAX_TYPO_LEN: usize = 30;

/// The terms a misspelling may be corrected to: topic terms, plus synonym
/// members (a misspelt "cancelation" is near the member "cancellation",
/// whose index term is "cancel").
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    /// (spelling to compare against, index term it stands for), sorted so
    /// ties resolve the same way every time.
    known: Vec<(String, String)>,
}

impl Vocabulary {
    /// Builds the vocabulary from topic terms and (member, index term)
    /// synonym pairs; pairs whose term is not indexed are left out.
    pub fn new<'t, 'm>(
        terms: impl Iterator<Item = &'t str>,
        members: impl Iterator<Item = (&'m str, &'m str)>,
    ) -> Self {
        let mut known: Vec<(String, String)> =
            terms.map(|t| (t.to_owned(), t.to_owned())).collect();
        let indexed: std::collections::HashSet<String> =
            known.iter().map(|(t, _)| t.clone()).collect();
        known.extend(
            members
                .filter(|(_, term)| indexed.contains(*term))
                .map(|(m, t)| (m.to_owned(), t.to_owned())),
        );
        known.sort();
        known.dedup();
        Self { known }
    }

    /// The index term `term` is a one-edit misspelling of, if any.
    pub fn correct(&self, term: &str) -> Option<&str> {
        let len = term.chars().count();
        if !(MIN_TYPO_LEN..=MAX_TYPO_LEN).contains(&len) {
            return None;
        }
        self.known
            .iter()
            .filter(|(spelling, _)| spelling.chars().count().abs_diff(len) <= 1)
            .filter(|(spelling, _)| spelling.chars().next() == term.chars().next())
            .find(|(spelling, _)| damerau_levenshtein(spelling, term) <= 1)
            .map(|(_, indexed)| indexed.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corrects_one_edit_on_long_words_only() {
        let vocabulary = Vocabulary::new(
            ["cancel", "detail", "weather", "mow"].into_iter(),
            [
                ("cancellation", "cancel"),
                ("storm", "weather"),
                ("cost", "pric"),
            ]
            .into_iter(),
        );
        assert_eq!(vocabulary.correct("cancelation"), Some("cancel"));
        assert_eq!(vocabulary.correct("detial"), Some("detail"));
        assert_eq!(vocabulary.correct("wether"), Some("weather"));
        assert_eq!(vocabulary.correct("stormm"), Some("weather"));
        assert_eq!(vocabulary.correct("mowx"), None);
        assert_eq!(vocabulary.correct("capital"), None);
        assert_eq!(vocabulary.correct("costs"), None);
        assert_eq!(vocabulary.correct("leather"), None);
    }
}
