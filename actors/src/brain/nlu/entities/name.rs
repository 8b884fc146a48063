//! The customer's name when they introduce themselves ("this is Sarah",
//! "my name is John Smith") or sign off ("- Mike" at the end).

use serde::{Deserialize, Serialize};

use crate::brain::nlu::datetime::{month_of, weekday_of};
use crate::brain::nlu::normalize::Normalized;

/// A person's name as they gave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonName {
    /// First name, capitalised.
    pub first: String,
    /// Last name, when given.
    pub last: Option<String>,
}

impl PersonName {
    /// "John Smith" or "John".
    pub fn full(&self) -> String {
        match &self.last {
            Some(last) => format!("{} {}", self.first, last),
            None => self.first.clone(),
        }
    }
}

/// Owners before "name" that make it another's name, not the texter's.
const SOMEONE_ELSES: &[&str] = &[
    "her",
    "his",
    "its",
    "their",
    "our",
    "dogs",
    "dog",
    "cats",
    "cat",
    "pups",
    "puppys",
    "puppy",
    "pets",
    "pet",
    "kids",
    "sons",
    "daughters",
    "husbands",
    "wifes",
];

/// Words that follow "this is" / "i'm" but are not names.
const NOT_NAMES: &[&str] = &[
    "a",
    "an",
    "the",
    "my",
    "your",
    "our",
    "me",
    "you",
    "we",
    "they",
    "it",
    "is",
    "am",
    "are",
    "was",
    "here",
    "there",
    "about",
    "for",
    "from",
    "with",
    "regarding",
    "interested",
    "looking",
    "wondering",
    "trying",
    "just",
    "still",
    "not",
    "so",
    "very",
    "really",
    "great",
    "good",
    "fine",
    "ok",
    "perfect",
    "awesome",
    "correct",
    "right",
    "wrong",
    "sure",
    "yes",
    "no",
    "available",
    "free",
    "busy",
    "ready",
    "done",
    "late",
    "early",
    "on",
    "at",
    "in",
    "to",
    "and",
    "or",
    "but",
    "calling",
    "texting",
    "asking",
    "following",
    "reaching",
    "checking",
    "hoping",
    "confirming",
    "going",
    "new",
    "back",
    "home",
    "out",
    "inside",
    "outside",
    "urgent",
    "today",
    "tomorrow",
    "tonight",
    "morning",
    "afternoon",
    "evening",
    "interior",
    "exterior",
    "full",
    "detail",
    "i",
    "im",
    "he",
    "she",
    "his",
    "her",
    "what",
    "who",
    "how",
    "when",
    "where",
    "why",
    "this",
    "that",
    "these",
    "those",
    "its",
    "also",
    "need",
    "want",
    "like",
    "have",
    "had",
    "be",
    "been",
    "gonna",
    "going",
    "getting",
    "thinking",
    "booked",
    "booking",
    "confused",
    "sorry",
    "glad",
    "happy",
    "excited",
    "please",
    "thanks",
    "thank",
    "hi",
    "hello",
    "hey",
    "ready",
    "all",
    "set",
    "amazing",
    "wonderful",
    "nice",
    "cool",
    "weird",
    "strange",
    "taking",
    "someone",
    "somebody",
    "one",
    "two",
    "some",
    "any",
    "every",
    "only",
    "driving",
    "working",
    "outside",
    "away",
    "in",
    "cancel",
    "stop",
    "help",
    "if",
    "then",
    "because",
    "by",
    "near",
    "almost",
    "already",
    "can",
    "could",
    "would",
    "will",
    "do",
    "does",
    "did",
    "wanted",
    "were",
    "should",
    "may",
    "might",
    "must",
    "shall",
    "let",
    "lets",
    "call",
    "text",
    "book",
    "schedule",
    "quick",
    "pretty",
    "filthy",
    "dirty",
    "gross",
    "messy",
    "nasty",
    "muddy",
    "dusty",
    "bad",
    "covered",
    "huge",
    "big",
    "small",
    "tiny",
    "old",
    "overgrown",
    "hairy",
    "matted",
    "clean",
    "kinda",
    "kind",
    "super",
    "too",
];

/// The customer's name, when they introduce or sign themselves.
pub fn person_name(text: &Normalized) -> Option<PersonName> {
    introduced(text).or_else(|| signed(text))
}

fn introduced(text: &Normalized) -> Option<PersonName> {
    let words = text.words();
    let at = |k: usize| words.get(k).copied().unwrap_or("");
    for i in 0..words.len() {
        // "her name is Lulu", "the dogs name is Max": someone else's name (a pet's).
        let someone_elses = i > 0 && SOMEONE_ELSES.contains(&at(i - 1));
        if matches!(at(i), "name" | "names") && someone_elses {
            continue;
        }
        let (strong, start) = if at(i) == "name" && at(i + 1) == "is" {
            (true, i + 2)
        } else if at(i) == "names" {
            (true, i + 1)
        } else if at(i) == "this" && at(i + 1) == "is" && (i == 0 || is_greeting(at(i - 1))) {
            (false, i + 2)
        } else if matches!(at(i), "im" | "its") && (i == 0 || is_greeting(at(i - 1))) {
            (false, i + 1)
        } else {
            continue;
        };
        if let Some(name) = name_at(text, start, strong) {
            return Some(name);
        }
    }
    None
}

fn is_greeting(word: &str) -> bool {
    matches!(
        word,
        "hi" | "hello" | "hey" | "yes" | "yeah" | "ok" | "morning" | "there" | "again"
    )
}

/// A first name (and maybe a last name) starting at token `start`. Weak
/// cues ("this is", "i'm") need a word that is not a common word and, for
/// "i'm", a capital letter.
fn name_at(text: &Normalized, start: usize, strong: bool) -> Option<PersonName> {
    let first = name_word(text, start)?;
    let capitalised = |k: usize| {
        text.tokens
            .get(k)
            .and_then(|t| {
                t.original
                    .trim_start_matches(|c: char| !c.is_alphabetic())
                    .chars()
                    .next()
            })
            .is_some_and(char::is_uppercase)
    };
    // "i'm"/"it's" are names only when the word is written as one ("I'm
    // Sam", "its Dana"); "its filthy inside" and "im pretty sure" are not.
    let weak = start > 0 && matches!(text.word(start - 1), "im" | "its");
    if weak && !capitalised(start) {
        return None;
    }
    let ends_first = text
        .tokens
        .get(start)
        .is_some_and(|t| t.raw.ends_with([',', '.', '!', '?']));
    let last = if ends_first {
        None
    } else {
        name_word(text, start + 1).filter(|_| strong || capitalised(start + 1))
    };
    Some(PersonName { first, last })
}

/// The capitalised name at token `k`, if the word could be a name.
fn name_word(text: &Normalized, k: usize) -> Option<String> {
    let token = text.tokens.get(k)?;
    let w = token.word.as_str();
    let plausible = w.chars().count() >= 2
        && w.chars().count() <= 20
        && w.chars().all(char::is_alphabetic)
        && !NOT_NAMES.contains(&w)
        && weekday_of(w).is_none()
        && month_of(w).is_none();
    if !plausible {
        return None;
    }
    let original: String = token
        .original
        .trim_matches(|c: char| !c.is_alphabetic())
        .to_owned();
    let keep_original = original.chars().any(char::is_uppercase)
        && original.chars().skip(1).any(char::is_lowercase)
        && original
            .chars()
            .all(|c| c.is_alphabetic() || c == '\'' || c == '-');
    if keep_original {
        return Some(original);
    }
    let mut chars = w.chars();
    chars
        .next()
        .map(|f| f.to_uppercase().chain(chars).collect())
}

/// A sign-off at the very end: "... thanks - Mike", "...\n-Sarah J".
fn signed(text: &Normalized) -> Option<PersonName> {
    let original = text.original.trim_end();
    let dash = original.rfind(['-', '~', '\u{2013}', '\u{2014}'])?;
    let before = original.get(..dash)?;
    if !(before.is_empty() || before.ends_with(char::is_whitespace)) {
        return None;
    }
    let tail = original
        .get(dash..)?
        .trim_start_matches(['-', '~', '\u{2013}', '\u{2014}'])
        .trim();
    let parts: Vec<&str> = tail.split_whitespace().collect();
    if parts.is_empty() || parts.len() > 2 {
        return None;
    }
    let n = text.tokens.len();
    let first = name_word(text, n.checked_sub(parts.len())?)?;
    let last = if parts.len() == 2 {
        name_word(text, n - 1)
    } else {
        None
    };
    Some(PersonName { first, last })
}
