//! The knowledge base: what the agent knows about a tenant and how it finds answers.
//!
//! Knowledge comes in three layers: [`global_entries`] every business
//! shares, the FAQs of the tenant's industry pack, and the tenant's own
//! entries (typed in, or imported from a spreadsheet with [`import_csv`]
//! or [`import_xlsx`]). [`KnowledgeBase::layered`] stacks them so a more
//! specific answer replaces a generic one on the same topic.
//!
//! Retrieval is BM25F over question, keywords and answer, after a small
//! text pipeline (stop words, light stemming, domain synonyms, one-typo
//! tolerance). [`KnowledgeBase::best_answer`] returns nothing when the best
//! entry scores under a calibrated threshold or matches only by
//! coincidence (no keyword and at most one question word in common), so
//! the agent hands the question to a person rather than guess.

mod base;
mod entry;
mod global;
mod hours;
mod import;
mod index;
mod layer;
mod stem;
mod stopwords;
mod synonyms;
mod tokenize;
mod typo;

#[cfg(test)]
mod tests;

pub use base::{Hit, KnowledgeBase};
pub use entry::{category_name, normalize_category, KbEntry, KbSource, GENERAL_CATEGORY};
pub use global::global_entries;
pub use hours::{global_entries_with_hours, hours_entry, hours_sentence, HOURS_QUESTION};
pub use import::{import_csv, import_xlsx, ImportReport, KbImportError, SkippedRow};
pub use index::{B, FIELD_WEIGHTS, K1};
pub use layer::{layer_entries, pack_entries, same_topic};
pub use tokenize::analyze;
