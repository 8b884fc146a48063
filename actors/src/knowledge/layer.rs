//! Stacks the three layers of knowledge (global, industry pack, tenant)
//! so a more specific answer replaces a generic one on the same topic.
//!
//! An entry of a later layer replaces every entry of an earlier layer that
//! asks the same thing, which is either
//! * the same question once normalised (case, punctuation and spacing
//!   folded: "How do I pay?" = "how do i pay"), or
//! * the same topic: the same category and the same first keyword
//!   (a tenant `cancellation` entry keyed on "cancel" replaces the pack's
//!   `cancellation` FAQ keyed on "cancel", however its question is worded).
//!
//! Entries within one layer never replace each other; importers drop
//! duplicates before they get here.

use super::entry::{KbEntry, KbSource};
use crate::packs::{normalize_term, IndustryPack};

/// The pack's FAQs as industry-layer entries, in pack order.
pub fn pack_entries(pack: &IndustryPack) -> Vec<KbEntry> {
    pack.faqs.iter().map(KbEntry::from_faq).collect()
}

/// Whether `newer` asks the same thing as `older`, so it replaces it when
/// it comes from a later layer.
pub fn same_topic(newer: &KbEntry, older: &KbEntry) -> bool {
    let question = normalize_term(&newer.question);
    if !question.is_empty() && question == normalize_term(&older.question) {
        return true;
    }
    match (first_keyword(newer), first_keyword(older)) {
        (Some(a), Some(b)) => a == b && newer.category == older.category,
        _ => false,
    }
}

/// The first non-blank keyword, normalised.
fn first_keyword(entry: &KbEntry) -> Option<String> {
    entry
        .keywords
        .iter()
        .map(|k| normalize_term(k))
        .find(|k| !k.is_empty())
}

/// Stacks the layers: each entry is stamped with its layer's source, and
/// replaces the entries of earlier layers on the same topic (see
/// [`same_topic`]). The result lists tenant entries first, then industry,
/// then global, so ties in retrieval go to the most specific answer.
pub fn layer_entries(
    global: Vec<KbEntry>,
    industry: Vec<KbEntry>,
    tenant: Vec<KbEntry>,
) -> Vec<KbEntry> {
    let mut stacked: Vec<KbEntry> = Vec::new();
    for (source, layer) in [
        (KbSource::Global, global),
        (KbSource::Industry, industry),
        (KbSource::Tenant, tenant),
    ] {
        stacked.retain(|old| !layer.iter().any(|new| same_topic(new, old)));
        stacked.extend(layer.into_iter().map(|entry| KbEntry { source, ..entry }));
    }
    stacked.sort_by_key(|entry| std::cmp::Reverse(entry.source));
    stacked
}
