//! Text normalisation: turns a raw customer text into lowercase words with
//! texting shorthand expanded, so every extractor sees one spelling.
//!
//! The original text is always kept next to the normalised form: names and
//! emails need the customer's own casing, addresses need their commas.

use serde::{Deserialize, Serialize};

use super::abbreviations::expand;

/// Texts longer than this many characters are analysed only up to here.
/// SMS tops out at 1,600 characters, so this bounds the work on hostile
/// input without losing anything a real customer sends.
pub const MAX_ANALYSED_CHARS: usize = 4_000;

/// One word of a normalised text, with what surrounded it, because several
/// extractors need more than the bare word (a trailing comma ends a city,
/// a leading `#` marks a unit or an option number, `$` marks a price).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    /// The normalised word: lowercase, accents folded, edge punctuation
    /// removed, shorthand expanded ("tmrw" → "tomorrow").
    pub word: String,
    /// The normalised chunk including edge punctuation ("st,", "#2", "$50").
    pub raw: String,
    /// The customer's own chunk with its casing, for names.
    pub original: String,
}

impl Token {
    /// True when the chunk carried this punctuation right after the word.
    pub fn ends_with(&self, c: char) -> bool {
        self.raw.ends_with(c)
    }

    /// True when the chunk carried this punctuation right before the word.
    pub fn starts_with(&self, c: char) -> bool {
        self.raw.starts_with(c)
    }
}

/// A customer text prepared for understanding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Normalized {
    /// Exactly what the customer sent.
    pub original: String,
    /// The normalised text: the tokens' `raw` forms joined by single spaces.
    pub text: String,
    /// The words, in order.
    pub tokens: Vec<Token>,
    /// The words joined by single spaces and padded with a space at each
    /// end, so phrase lookups respect word boundaries.
    padded: String,
}

impl Normalized {
    /// The word at `index`, or "" past the end, so look-ahead never panics.
    pub fn word(&self, index: usize) -> &str {
        self.tokens.get(index).map_or("", |t| t.word.as_str())
    }

    /// The words as string slices.
    pub fn words(&self) -> Vec<&str> {
        self.tokens.iter().map(|t| t.word.as_str()).collect()
    }

    /// True when `phrase` (lowercase words separated by single spaces)
    /// occurs as whole words.
    pub fn has_phrase(&self, phrase: &str) -> bool {
        let needle = format!(" {phrase} ");
        self.padded.contains(&needle)
    }

    /// True when the text starts with `phrase` as whole words.
    pub fn starts_with_phrase(&self, phrase: &str) -> bool {
        let needle = format!(" {phrase} ");
        self.padded.starts_with(&needle)
    }

    /// True when the whole text is exactly `phrase` (ignoring punctuation).
    pub fn is_exactly(&self, phrase: &str) -> bool {
        self.padded.trim() == phrase
    }

    /// The words joined by single spaces.
    pub fn joined(&self) -> &str {
        self.padded.trim()
    }
}

/// Normalises a customer text. Never fails and never panics: any Unicode
/// is accepted, unknown symbols become spaces.
pub fn normalize(original: &str) -> Normalized {
    let chars: Vec<char> = original.chars().take(MAX_ANALYSED_CHARS).collect();
    let mut tokens = Vec::new();
    for chunk in split_chunks(&chars) {
        push_chunk(&chunk, &mut tokens);
    }
    let text = tokens
        .iter()
        .map(|t| t.raw.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let words = tokens
        .iter()
        .map(|t| t.word.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    Normalized {
        original: original.to_owned(),
        text,
        padded: format!(" {words} "),
        tokens,
    }
}

/// A whitespace-separated chunk in both original and folded form.
struct Chunk {
    original: String,
    folded: String,
}

/// Splits into chunks on whitespace (and on commas not inside a number),
/// folding each character as it goes.
fn split_chunks(chars: &[char]) -> Vec<Chunk> {
    let mut chunks = Vec::new();
    let mut original = String::new();
    let mut folded = String::new();
    let mut flush = |original: &mut String, folded: &mut String| {
        if !folded.trim().is_empty() {
            chunks.push(Chunk {
                original: std::mem::take(original),
                folded: std::mem::take(folded),
            });
        } else {
            original.clear();
            folded.clear();
        }
    };
    for (i, &c) in chars.iter().enumerate() {
        if let Some(word) = emoji_meaning(c) {
            flush(&mut original, &mut folded);
            original.push(c);
            folded.push_str(word);
            flush(&mut original, &mut folded);
            continue;
        }
        if c == ',' {
            let prev_digit = i > 0 && chars.get(i - 1).is_some_and(char::is_ascii_digit);
            let next_digit = chars.get(i + 1).is_some_and(char::is_ascii_digit);
            original.push(c);
            folded.push(c);
            if !(prev_digit && next_digit) {
                flush(&mut original, &mut folded);
            }
            continue;
        }
        match fold(c) {
            Folded::Space => flush(&mut original, &mut folded),
            Folded::Keep(s) => {
                original.push(c);
                folded.push_str(&s);
            }
        }
    }
    flush(&mut original, &mut folded);
    chunks
}

/// Turns a chunk into zero or more tokens.
fn push_chunk(chunk: &Chunk, tokens: &mut Vec<Token>) {
    let folded: String = chunk.folded.chars().filter(|c| *c != '\'').collect();
    match folded.as_str() {
        "@" => return push_word(tokens, "at", "@", &chunk.original),
        "&" | "+" => return push_word(tokens, "and", &folded, &chunk.original),
        "w/" => return push_word(tokens, "with", &folded, &chunk.original),
        "w/o" => return push_word(tokens, "without", &folded, &chunk.original),
        _ => {}
    }
    let start = folded
        .find(|c: char| c.is_alphanumeric())
        .unwrap_or(folded.len());
    let end = folded
        .rfind(|c: char| c.is_alphanumeric())
        .map_or(start, |i| {
            i + folded[i..].chars().next().map_or(1, char::len_utf8)
        });
    if start >= end {
        return;
    }
    let (prefix, rest) = folded.split_at(start);
    let (word, suffix) = rest.split_at(end - start);
    let expansion = expand(word);
    let pieces: Vec<&str> = expansion.split(' ').filter(|p| !p.is_empty()).collect();
    let last = pieces.len().saturating_sub(1);
    for (i, piece) in pieces.iter().enumerate() {
        let mut raw = String::new();
        if i == 0 {
            raw.push_str(prefix);
        }
        raw.push_str(piece);
        if i == last {
            raw.push_str(suffix);
        }
        push_word(tokens, piece, &raw, &chunk.original);
    }
}

fn push_word(tokens: &mut Vec<Token>, word: &str, raw: &str, original: &str) {
    tokens.push(Token {
        word: word.to_owned(),
        raw: raw.to_owned(),
        original: original.to_owned(),
    });
}

/// What one input character becomes.
enum Folded {
    Space,
    Keep(String),
}

/// Lowercases, folds accents and curly punctuation, and turns anything that
/// is neither a letter, a digit nor useful punctuation into a space.
fn fold(c: char) -> Folded {
    if c.is_whitespace() || c.is_control() {
        return Folded::Space;
    }
    let mapped = match c {
        '\u{2018}' | '\u{2019}' | '`' | '\u{b4}' => '\'',
        '\u{201c}' | '\u{201d}' => '"',
        '\u{2013}' | '\u{2014}' | '\u{2212}' => '-',
        '\u{ff03}' => '#',
        _ => c,
    };
    if mapped.is_ascii_punctuation() {
        return Folded::Keep(mapped.to_string());
    }
    if !mapped.is_alphanumeric() {
        return Folded::Space;
    }
    if let Some(plain) = fold_accent(mapped) {
        return Folded::Keep(plain.to_string());
    }
    Folded::Keep(mapped.to_lowercase().collect())
}

/// Folds the accented Latin letters customers actually type.
fn fold_accent(c: char) -> Option<char> {
    let plain = match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'Á' | 'À' | 'Â' | 'Ä' | 'Ã' | 'Å' => 'a',
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' | 'Í' | 'Ì' | 'Î' | 'Ï' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'Ó' | 'Ò' | 'Ô' | 'Ö' | 'Õ' => 'o',
        'ú' | 'ù' | 'û' | 'ü' | 'Ú' | 'Ù' | 'Û' | 'Ü' => 'u',
        'ñ' | 'Ñ' => 'n',
        'ç' | 'Ç' => 'c',
        'ý' | 'ÿ' | 'Ý' => 'y',
        _ => return None,
    };
    Some(plain)
}

/// The meaning of the emoji that carry one in a booking conversation.
fn emoji_meaning(c: char) -> Option<&'static str> {
    let word = match c {
        '\u{1f44d}' | '\u{2705}' | '\u{2714}' | '\u{2611}' | '\u{1f197}' => "yes",
        '\u{1f44c}' => "ok",
        '\u{1f44e}' | '\u{274c}' | '\u{1f6ab}' | '\u{2716}' => "no",
        '\u{1f64f}' => "thanks",
        _ => return None,
    };
    Some(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowercases_expands_and_keeps_original() {
        let n = normalize("Can u do it TMRW @ 10 pls?? 👍");
        assert_eq!(n.original, "Can u do it TMRW @ 10 pls?? 👍");
        assert_eq!(n.joined(), "can you do it tomorrow at 10 please yes");
        assert_eq!(n.text, "can you do it tomorrow @ 10 please?? yes");
    }

    #[test]
    fn keeps_inner_punctuation_and_splits_commas() {
        let n = normalize("4501 S. Harvard Ave,Tulsa OK 74135  f-150 5,000 sq ft 10:30");
        let words = n.words();
        assert_eq!(
            words,
            [
                "4501", "s", "harvard", "ave", "tulsa", "ok", "74135", "f-150", "5,000", "sq",
                "ft", "10:30"
            ]
        );
        assert!(n.tokens.get(3).is_some_and(|t| t.ends_with(',')));
    }

    #[test]
    fn folds_accents_apostrophes_and_symbols() {
        let n = normalize("José’s café — don't ✨");
        assert_eq!(n.joined(), "joses cafe dont");
        assert!(n.has_phrase("cafe dont"));
        assert!(!n.has_phrase("afe"));
    }

    #[test]
    fn empty_and_symbol_only_texts_have_no_tokens() {
        assert!(normalize("").tokens.is_empty());
        assert!(normalize("  ✨🎉  ...").tokens.is_empty());
    }
}
