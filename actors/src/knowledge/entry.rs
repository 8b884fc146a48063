//! One thing the agent knows, and which layer of knowledge it came from.

use serde::{Deserialize, Serialize};

use crate::packs::{normalize_term, Faq, FaqCategory};

/// Where an entry came from. Later layers win over earlier ones: a tenant's
/// own answer replaces the industry pack's, which replaces the global one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KbSource {
    /// Built-in knowledge every business shares (texting, STOP, payment basics).
    Global,
    /// The FAQs of the tenant's industry pack.
    Industry,
    /// The tenant's own entries, typed in or imported from a spreadsheet.
    Tenant,
}

/// A question customers ask and the answer the agent texts back, with the
/// words that help find it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KbEntry {
    /// The question as a customer would ask it.
    pub question: String,
    /// The answer, ready to text.
    pub answer: String,
    /// The topic in `snake_case` (`pricing`, `service_area`, `texting`);
    /// `general` when none was given.
    pub category: String,
    /// Words and phrases that suggest a customer is asking this.
    pub keywords: Vec<String>,
    /// The layer the entry belongs to.
    pub source: KbSource,
}

/// The category given to entries that arrive without one.
pub const GENERAL_CATEGORY: &str = "general";

impl KbEntry {
    /// Builds an entry, folding `category` to the `snake_case` form the
    /// packs use so "Service Area" and `service_area` are the same topic.
    pub fn new(
        question: impl Into<String>,
        answer: impl Into<String>,
        category: &str,
        keywords: Vec<String>,
        source: KbSource,
    ) -> Self {
        Self {
            question: question.into(),
            answer: answer.into(),
            category: normalize_category(category),
            keywords,
            source,
        }
    }

    /// An industry-pack FAQ as a knowledge-base entry.
    pub fn from_faq(faq: &Faq) -> Self {
        Self {
            question: faq.question.clone(),
            answer: faq.answer.clone(),
            category: category_name(faq.category).to_owned(),
            keywords: faq.keywords.clone(),
            source: KbSource::Industry,
        }
    }
}

/// Folds a category label to `snake_case` words; blank becomes
/// [`GENERAL_CATEGORY`].
pub fn normalize_category(category: &str) -> String {
    let folded = normalize_term(category).replace(' ', "_");
    if folded.is_empty() {
        GENERAL_CATEGORY.to_owned()
    } else {
        folded
    }
}

/// The `snake_case` name of a pack FAQ category, as pack files spell it.
pub fn category_name(category: FaqCategory) -> &'static str {
    match category {
        FaqCategory::Pricing => "pricing",
        FaqCategory::Services => "services",
        FaqCategory::Weather => "weather",
        FaqCategory::Cancellation => "cancellation",
        FaqCategory::Deposits => "deposits",
        FaqCategory::Payment => "payment",
        FaqCategory::Requirements => "requirements",
        FaqCategory::ServiceArea => "service_area",
        FaqCategory::Duration => "duration",
        FaqCategory::Prep => "prep",
        FaqCategory::Pets => "pets",
        FaqCategory::Safety => "safety",
        FaqCategory::Guarantee => "guarantee",
        FaqCategory::Booking => "booking",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_names_match_the_pack_spelling() {
        let all = [
            FaqCategory::Pricing,
            FaqCategory::Services,
            FaqCategory::Weather,
            FaqCategory::Cancellation,
            FaqCategory::Deposits,
            FaqCategory::Payment,
            FaqCategory::Requirements,
            FaqCategory::ServiceArea,
            FaqCategory::Duration,
            FaqCategory::Prep,
            FaqCategory::Pets,
            FaqCategory::Safety,
            FaqCategory::Guarantee,
            FaqCategory::Booking,
        ];
        for category in all {
            let json = serde_json::to_value(category).unwrap();
            assert_eq!(json.as_str(), Some(category_name(category)));
        }
        assert_eq!(normalize_category(" Service Area "), "service_area");
        assert_eq!(normalize_category(""), GENERAL_CATEGORY);
    }
}
