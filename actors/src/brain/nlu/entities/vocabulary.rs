//! Matching a tenant's own services and add-ons in a customer text.
//!
//! The tenant vocabulary is data (from its industry pack and edits), so
//! matching is generic: whole names and aliases match with typo tolerance
//! ("full detial" → Full Detail); a single distinctive word matches the one
//! term that has it ("intrior" → Interior Detail); a word several terms
//! share ("detail" with Full, Interior and Exterior Detail) is reported as
//! an [`Ambiguity`] rather than guessed.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use serde::{Deserialize, Serialize};

use crate::brain::nlu::fuzzy::similarity;
use crate::brain::nlu::normalize::{normalize, Normalized};

/// One service or add-on a tenant sells, as the matcher needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceTerm {
    /// The tenant's id for it.
    pub id: i64,
    /// Its display name ("Full Detail").
    pub name: String,
    /// Other ways customers say it ("inside only", "interior").
    pub aliases: Vec<String>,
}

/// Everything a tenant sells, passed in by the caller.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Vocabulary {
    /// Bookable services.
    pub services: Vec<ServiceTerm>,
    /// Add-ons to a service.
    pub addons: Vec<ServiceTerm>,
}

/// Whether a matched term is a service or an add-on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TermKind {
    /// A bookable service.
    Service,
    /// An add-on.
    Addon,
}

/// A service or add-on found in the text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TermMatch {
    /// The term's id.
    pub id: i64,
    /// The term's display name.
    pub name: String,
    /// Service or add-on.
    pub kind: TermKind,
    /// 0–1; ≥ 0.6 for a whole name/alias, below for one distinctive word.
    pub score: f32,
    /// The customer's words that matched.
    pub text: String,
    /// Index of the first matched word in the normalised tokens; later
    /// means said later, which matters after "actually...".
    pub position: usize,
    /// Said with "no", "not", "without", "skip" right before it.
    pub negated: bool,
}

/// A possible term for an ambiguous word.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    /// The term's id.
    pub id: i64,
    /// The term's display name.
    pub name: String,
    /// Service or add-on.
    pub kind: TermKind,
}

/// Words that fit several terms equally well; the brain should ask.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ambiguity {
    /// The customer's words.
    pub text: String,
    /// Index of the first word in the normalised tokens.
    pub position: usize,
    /// The terms they could mean, in vocabulary order.
    pub candidates: Vec<Candidate>,
}

/// Every service and add-on mention in one text.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TermMatches {
    /// Services, in the order mentioned.
    pub services: Vec<TermMatch>,
    /// Add-ons, in the order mentioned.
    pub addons: Vec<TermMatch>,
    /// Mentions that could be several terms.
    pub ambiguous: Vec<Ambiguity>,
}

/// Filler words ignored inside names and in the text.
const FILLER: &[&str] = &[
    "and", "the", "a", "an", "of", "with", "for", "only", "package", "packages", "service",
    "services", "plus", "my", "just", "please", "your",
];

/// Words too common to match a term on their own.
const TOO_COMMON: &[&str] = &[
    "move",
    "make",
    "need",
    "want",
    "like",
    "come",
    "time",
    "book",
    "schedule",
    "appointment",
    "this",
    "that",
    "have",
    "will",
    "what",
    "when",
    "where",
    "much",
    "then",
    "also",
    "more",
    "some",
    "next",
    "last",
    "first",
    "full",
    "today",
    "tomorrow",
    "price",
    "cost",
    "does",
    "long",
    "take",
    "from",
    "about",
    "there",
    "here",
    "good",
    "great",
    "thanks",
    "hello",
    // Timing words: "any time after 1" is not "after renovation".
    "after",
    "before",
    "around",
    "works",
    "later",
    "earlier",
    // The customer's own place, not a service: "a 2 story house" is neither
    // House Soft Wash nor (one letter off) the Storefront service.
    "house",
    "home",
    "story",
    "stories",
    // "10:30 works", "none of those work", "after work": not "the works".
    "work",
    "works",
    "working",
];

const NEGATIONS: &[&str] = &[
    "no", "not", "without", "skip", "dont", "minus", "except", "nix",
];

struct Word {
    text: String,
    token: usize,
}

struct Term<'a> {
    kind: TermKind,
    term: &'a ServiceTerm,
    phrases: Vec<Arc<[String]>>,
}

/// Finds the tenant's services and add-ons in `text`.
pub fn match_terms(text: &Normalized, vocab: &Vocabulary) -> TermMatches {
    let terms: Vec<Term> = vocab
        .services
        .iter()
        .map(|t| (TermKind::Service, t))
        .chain(vocab.addons.iter().map(|t| (TermKind::Addon, t)))
        .map(|(kind, term)| Term {
            kind,
            term,
            phrases: phrases_of(term),
        })
        .collect();
    let words = content_words(text);
    let mut spans = whole_matches(&words, &terms, text);
    let mut out = TermMatches::default();
    let covered = |spans: &[Span], i: usize| spans.iter().any(|s| s.start <= i && i < s.end);
    let mut partial_ambiguous = Vec::new();
    for (i, word) in words.iter().enumerate() {
        if covered(&spans, i) || TOO_COMMON.contains(&word.text.as_str()) {
            continue;
        }
        let hits = partial_hits(&word.text, &terms);
        match hits.as_slice() {
            [] => {}
            [(term, sim)] => spans.push(Span {
                start: i,
                end: i + 1,
                terms: vec![*term],
                score: 0.45 + 0.1 * sim,
            }),
            _ => partial_ambiguous.push((i, hits.iter().map(|h| h.0).collect::<Vec<_>>())),
        }
    }
    let matched: Vec<usize> = spans
        .iter()
        .filter(|s| s.terms.len() == 1)
        .flat_map(|s| s.terms.clone())
        .collect();
    for (i, candidates) in partial_ambiguous {
        if candidates.iter().any(|c| matched.contains(c)) {
            continue;
        }
        spans.push(Span {
            start: i,
            end: i + 1,
            terms: candidates,
            score: 0.4,
        });
    }
    spans.sort_by_key(|s| s.start);
    for span in spans {
        emit(span, &words, &terms, text, &mut out);
    }
    keep_the_only_choice(text, &mut out);
    out
}

/// "standard is fine" (the answer to "which service?") chooses it: a
/// service said to be fine is declined only beside another one chosen
/// ("the inside is fine, just the outside"), never when it is the only one
/// named and no "no"/"not" is said.
fn keep_the_only_choice(text: &Normalized, out: &mut TermMatches) {
    let chosen = out.services.iter().any(|s| !s.negated);
    let said_no = text.words().iter().any(|w| NEGATIONS.contains(w));
    if !chosen && !said_no {
        for service in &mut out.services {
            service.negated = false;
        }
    }
}

/// "the inside is fine", "the outside doesn't need it": the part named
/// is said to need nothing, which declines it like a "no" before it.
fn fine_as_is(text: &Normalized, words: &[Word], span: &Span) -> bool {
    let Some(last) = span.end.checked_sub(1).and_then(|i| words.get(i)) else {
        return false;
    };
    if text
        .tokens
        .get(last.token)
        .is_some_and(|t| t.raw.ends_with([',', '.', '!', ';', ':']))
    {
        return false;
    }
    // Within the clause ("the inside of my accord is fine"), a few words on.
    for n in 1..=FINE_REACH {
        let k = last.token + n;
        let fine = matches!(
            (text.word(k), text.word(k + 1)),
            (
                "is" | "are" | "looks" | "look" | "seems",
                "fine" | "ok" | "okay" | "good" | "clean" | "great"
            ) | ("doesnt" | "dont", "need")
        );
        if fine {
            return true;
        }
        let clause_ends = text
            .tokens
            .get(k)
            .is_none_or(|t| t.raw.ends_with([',', '.', '!', ';', ':', '?']));
        if clause_ends {
            return false;
        }
    }
    false
}

/// How many words after a service the "is fine" may come.
const FINE_REACH: usize = 6;

/// A run of words and the term(s) it matched.
struct Span {
    start: usize,
    end: usize,
    terms: Vec<usize>,
    score: f32,
}

fn emit(span: Span, words: &[Word], terms: &[Term], text: &Normalized, out: &mut TermMatches) {
    let matched: Vec<&str> = words
        .get(span.start..span.end)
        .unwrap_or_default()
        .iter()
        .map(|w| w.text.as_str())
        .collect();
    let position = words.get(span.start).map_or(0, |w| w.token);
    let matched = matched.join(" ");
    if let [only] = span.terms.as_slice() {
        let Some(term) = terms.get(*only) else { return };
        // "no full detail" declines it; "no, full detail" answers "no" and then asks for
        // it: a negation closed by punctuation negates nothing after it.
        let negated = (position.saturating_sub(2)..position).any(|k| {
            NEGATIONS.contains(&text.word(k))
                && !text
                    .tokens
                    .get(k)
                    .is_some_and(|t| t.raw.ends_with([',', '.', '!', ';', ':']))
        }) || fine_as_is(text, words, &span);
        let found = TermMatch {
            id: term.term.id,
            name: term.term.name.clone(),
            kind: term.kind,
            score: span.score.min(1.0),
            text: matched,
            position,
            negated,
        };
        let list = match term.kind {
            TermKind::Service => &mut out.services,
            TermKind::Addon => &mut out.addons,
        };
        match list.iter_mut().find(|m| m.id == found.id) {
            Some(existing) if existing.score < found.score => *existing = found,
            Some(_) => {}
            None => list.push(found),
        }
        return;
    }
    let candidates = span
        .terms
        .iter()
        .filter_map(|i| terms.get(*i))
        .map(|t| Candidate {
            id: t.term.id,
            name: t.term.name.clone(),
            kind: t.kind,
        })
        .collect();
    out.ambiguous.push(Ambiguity {
        text: matched,
        position,
        candidates,
    });
}

/// The name and aliases of a term as filler-free word lists.
fn phrases_of(term: &ServiceTerm) -> Vec<Arc<[String]>> {
    std::iter::once(&term.name)
        .chain(term.aliases.iter())
        .map(|p| phrase_words(p))
        .filter(|p| !p.is_empty())
        .collect()
}

/// Distinct names and aliases whose words are remembered; past this the memo starts
/// over (a process serves a bounded set of tenants' vocabularies).
const PHRASE_MEMO_LIMIT: usize = 20_000;

/// The words of a service name or alias as the normalizer reads them, computed once
/// per distinct phrase: names and aliases are matched against every text, and
/// normalizing them each time was a tenth of a text's CPU.
fn phrase_words(phrase: &str) -> Arc<[String]> {
    static MEMO: LazyLock<Mutex<HashMap<String, Arc<[String]>>>> = LazyLock::new(Default::default);
    let lookup = |memo: &HashMap<String, Arc<[String]>>| memo.get(phrase).cloned();
    if let Some(words) = MEMO.lock().ok().as_deref().and_then(lookup) {
        return words;
    }
    let words: Arc<[String]> = split_words(&normalize(phrase))
        .into_iter()
        .map(|w| w.text)
        .collect();
    if let Ok(mut memo) = MEMO.lock() {
        if memo.len() >= PHRASE_MEMO_LIMIT {
            memo.clear();
        }
        memo.insert(phrase.to_owned(), Arc::clone(&words));
    }
    words
}

/// The text's words, split on inner punctuation ("full-detail"), fillers dropped.
fn content_words(text: &Normalized) -> Vec<Word> {
    split_words(text)
}

fn split_words(text: &Normalized) -> Vec<Word> {
    text.tokens
        .iter()
        .enumerate()
        .flat_map(|(token, t)| {
            t.word
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty() && !FILLER.contains(w))
                .map(move |w| Word {
                    text: w.to_owned(),
                    token,
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Whole names/aliases found in the words, best first, non-overlapping;
/// equal matches of one span by several terms are kept together.
fn whole_matches(words: &[Word], terms: &[Term], text: &Normalized) -> Vec<Span> {
    let mut found: Vec<Span> = Vec::new();
    for (t, term) in terms.iter().enumerate() {
        for phrase in &term.phrases {
            let k = phrase.len();
            let everyday = everyday_alias(phrase, term);
            for start in 0..words.len() {
                if everyday && !after_the(words, start, text) {
                    continue;
                }
                if let Some(avg) = window_similarity(words, start, phrase) {
                    let score = 0.6 + 0.4 * avg + 0.02 * k as f32;
                    found.push(Span {
                        start,
                        end: start + k,
                        terms: vec![t],
                        score,
                    });
                }
                if k >= 2 {
                    let joined = phrase.concat();
                    if let Some(sim) = words.get(start).and_then(|w| similarity(&w.text, &joined)) {
                        let score = 0.6 + 0.4 * sim + 0.02 * k as f32;
                        found.push(Span {
                            start,
                            end: start + 1,
                            terms: vec![t],
                            score,
                        });
                    }
                }
            }
        }
    }
    found.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then((b.end - b.start).cmp(&(a.end - a.start)))
    });
    let mut accepted: Vec<Span> = Vec::new();
    for span in found {
        if let Some(same) = accepted.iter_mut().find(|a| {
            a.start == span.start && a.end == span.end && (a.score - span.score).abs() < 1e-3
        }) {
            for t in span.terms {
                if !same.terms.contains(&t) {
                    same.terms.push(t);
                }
            }
            continue;
        }
        if accepted
            .iter()
            .any(|a| span.start < a.end && a.start < span.end)
        {
            continue;
        }
        accepted.push(span);
    }
    accepted
}

/// An alias that is one everyday word outside the term's name ("the works"
/// for Full Detail): it names the term only when said with "the" before it,
/// so "10:30 works" and "none of those work" name no service.
fn everyday_alias(phrase: &[String], term: &Term) -> bool {
    let [only] = phrase else { return false };
    let in_name = term.phrases.first().is_some_and(|name| name.contains(only));
    TOO_COMMON.contains(&only.as_str()) && !in_name
}

/// Whether the word at `start` comes right after "the".
fn after_the(words: &[Word], start: usize, text: &Normalized) -> bool {
    words
        .get(start)
        .and_then(|w| w.token.checked_sub(1))
        .is_some_and(|k| text.word(k) == "the")
}

/// Average similarity when `phrase` matches the words starting at `start`.
fn window_similarity(words: &[Word], start: usize, phrase: &[String]) -> Option<f32> {
    let window = words.get(start..start + phrase.len())?;
    let mut total = 0.0;
    for (word, known) in window.iter().zip(phrase) {
        // A common word is never a typo of a service word ("how much" is not Mulch).
        if TOO_COMMON.contains(&word.text.as_str()) && word.text != *known {
            return None;
        }
        total += similarity(&word.text, known)?;
    }
    Some(total / phrase.len() as f32)
}

/// Terms that have a word like `word` (4+ letters), with the best similarity.
fn partial_hits(word: &str, terms: &[Term]) -> Vec<(usize, f32)> {
    if word.chars().count() < 4 {
        return Vec::new();
    }
    terms
        .iter()
        .enumerate()
        .filter_map(|(i, term)| {
            // A misspelt word that is only one word of a longer name
            // ("leave" for "end of lease") is too weak a hint on its own.
            term.phrases
                .iter()
                .flat_map(|phrase| phrase.iter().map(move |known| (known, phrase.len())))
                .filter(|(known, _)| known.chars().count() >= 4)
                .filter_map(|(known, len)| {
                    let inflected = word.starts_with(known.as_str()) || known.starts_with(word);
                    similarity(word, known).filter(|sim| len == 1 || *sim >= 1.0 || inflected)
                })
                .reduce(f32::max)
                .map(|sim| (i, sim))
        })
        .collect()
}
