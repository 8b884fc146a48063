//! A tenant's knowledge base: its entries and the index that finds them.

use super::entry::KbEntry;
use super::index::{Bm25Index, DocMatch, FIELDS};
use super::layer::{layer_entries, pack_entries};
use super::synonyms::members;
use super::tokenize::analyze;
use super::typo::Vocabulary;
use crate::packs::IndustryPack;

/// Most query terms looked at; the rest of a very long message is ignored
/// so one text cannot make a search (or its typo correction) expensive.
const MAX_QUERY_TERMS: usize = 64;

/// One search result: an entry and how well it matches.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit<'a> {
    /// The matching entry.
    pub entry: &'a KbEntry,
    /// Its BM25F score; higher is better, always above 0.
    pub score: f32,
}

/// Everything the agent knows for one tenant, indexed for retrieval.
/// Built once per tenant (and rebuilt when its entries change), then
/// shared read-only.
#[derive(Debug, Clone)]
pub struct KnowledgeBase {
    /// The entries, in index order.
    entries: Vec<KbEntry>,
    /// BM25F postings over question, keywords and answer.
    index: Bm25Index,
    /// Known terms, for correcting misspelt query words.
    vocabulary: Vocabulary,
    /// The score [`KnowledgeBase::best_answer`] requires.
    min_score: f32,
}

impl KnowledgeBase {
    /// The score below which [`KnowledgeBase::best_answer`] gives up and
    /// the agent hands off. Calibrated on the five packs plus the global
    /// entries (the `calibration` tests): the weakest real question scores
    /// 3.72 and the strongest unrelated text that passes the evidence
    /// check ("my car is red") 2.79, so the threshold sits between them.
    pub const DEFAULT_MIN_SCORE: f32 = 3.25;

    /// Indexes `entries` as they are.
    pub fn new(entries: Vec<KbEntry>) -> Self {
        let index = Bm25Index::build(entries.iter().map(fields));
        let vocabulary = Vocabulary::new(index.topic_terms(), members());
        Self {
            entries,
            index,
            vocabulary,
            min_score: Self::DEFAULT_MIN_SCORE,
        }
    }

    /// A tenant's full knowledge: `global` entries, then `pack`'s FAQs,
    /// then the tenant's own, each replacing earlier ones on the same
    /// topic (see [`super::same_topic`]).
    pub fn layered(global: Vec<KbEntry>, pack: &IndustryPack, tenant: Vec<KbEntry>) -> Self {
        Self::new(layer_entries(global, pack_entries(pack), tenant))
    }

    /// The same knowledge base with a different answer threshold.
    pub fn with_min_score(mut self, min_score: f32) -> Self {
        self.min_score = min_score;
        self
    }

    /// The threshold [`KnowledgeBase::best_answer`] uses.
    pub fn min_score(&self) -> f32 {
        self.min_score
    }

    /// The entries, tenant ones first when built with
    /// [`KnowledgeBase::layered`].
    pub fn entries(&self) -> &[KbEntry] {
        &self.entries
    }

    /// Up to `k` entries matching `query`, best first; entries that share
    /// no term with the query are never returned. Equal scores keep entry
    /// order.
    pub fn search(&self, query: &str, k: usize) -> Vec<Hit<'_>> {
        self.ranked(query)
            .into_iter()
            .take(k)
            .map(|(entry, found)| Hit {
                entry,
                score: found.score,
            })
            .collect()
    }

    /// The entry that answers `query`, or `None` when nothing matches well
    /// enough to text back without a person checking. The best match must
    /// score at least [`KnowledgeBase::min_score`] and rest on more than a
    /// coincidence: a query word among the entry's keywords, or two query
    /// words in its question. Words shared only with the answer, or one
    /// stray word of the question ("love" in "What if I don't love the
    /// haircut?" for "i love you"), add to the score but are not evidence.
    pub fn best_answer(&self, query: &str) -> Option<&KbEntry> {
        let (entry, found) = self.ranked(query).into_iter().next()?;
        let evidence = found.in_keywords || found.question_terms >= 2;
        (evidence && found.score >= self.min_score).then_some(entry)
    }

    /// Every entry sharing a term with `query`, best first; equal scores
    /// keep entry order.
    fn ranked(&self, query: &str) -> Vec<(&KbEntry, DocMatch)> {
        let terms = self.query_terms(query);
        let mut ranked: Vec<(&KbEntry, DocMatch)> = self
            .entries
            .iter()
            .zip(self.index.scores(&terms))
            .filter(|(_, found)| found.score > 0.0)
            .collect();
        ranked.sort_by(|a, b| b.1.score.total_cmp(&a.1.score));
        ranked
    }

    /// The query's distinct index terms, misspellings corrected.
    fn query_terms(&self, query: &str) -> Vec<String> {
        let mut terms: Vec<String> = Vec::new();
        for term in analyze(query).into_iter().take(MAX_QUERY_TERMS) {
            let known = if self.index.contains(&term) {
                Some(term)
            } else {
                self.vocabulary.correct(&term).map(str::to_owned)
            };
            if let Some(term) = known {
                if !terms.contains(&term) {
                    terms.push(term);
                }
            }
        }
        terms
    }
}

/// An entry's analysed fields: question, keywords (each analysed on its
/// own so phrases never span two keywords), answer.
fn fields(entry: &KbEntry) -> [Vec<String>; FIELDS] {
    let keywords = entry.keywords.iter().flat_map(|k| analyze(k)).collect();
    [analyze(&entry.question), keywords, analyze(&entry.answer)]
}
