//! Stacking global, pack and tenant knowledge.

use super::retrieval::starter_kb;
use crate::knowledge::{
    global_entries, layer_entries, pack_entries, same_topic, KbEntry, KbSource, KnowledgeBase,
};
use crate::packs::pack;

fn tenant(question: &str, answer: &str, category: &str, keywords: &[&str]) -> KbEntry {
    let keywords = keywords.iter().map(|k| (*k).to_owned()).collect();
    KbEntry::new(question, answer, category, keywords, KbSource::Tenant)
}

#[test]
fn tenant_entry_with_the_same_question_replaces_the_pack_answer() {
    let detailing = pack("mobile-detailing").unwrap();
    let own = tenant(
        "what is your cancellation policy",
        "Cancel any time before 6pm the day before, free of charge.",
        "",
        &["late"],
    );
    let kb = KnowledgeBase::layered(global_entries(), detailing, vec![own]);
    let best = kb.best_answer("whats your cancellation policy").unwrap();
    assert_eq!(best.source, KbSource::Tenant);
    assert!(best.answer.starts_with("Cancel any time"));
    let policies = kb
        .entries()
        .iter()
        .filter(|e| e.question.to_lowercase().contains("cancellation policy"))
        .count();
    assert_eq!(policies, 1);
}

#[test]
fn tenant_entry_on_the_same_topic_replaces_the_pack_answer() {
    let lawn = pack("lawn-care").unwrap();
    let own = tenant(
        "Rain delays?",
        "Rain pushes your mow to the next dry day; we text you the new date.",
        "Weather",
        &["rain", "wet"],
    );
    let kb = KnowledgeBase::layered(global_entries(), lawn, vec![own]);
    let best = kb.best_answer("what happens if it rains").unwrap();
    assert_eq!(best.question, "Rain delays?");
    assert!(!kb
        .entries()
        .iter()
        .any(|e| e.question == "What happens if it rains?"));
    assert!(kb
        .entries()
        .iter()
        .any(|e| e.question == "Do you mow during a drought or heat wave?"));
}

#[test]
fn pack_payment_answer_replaces_the_global_one() {
    for industry in crate::packs::INDUSTRIES {
        let kb = starter_kb(industry);
        let best = kb.best_answer("how do I pay").unwrap();
        assert_eq!(best.source, KbSource::Industry, "{industry}");
        assert_eq!(best.category, "payment");
        let global_payment_basics = kb
            .entries()
            .iter()
            .any(|e| e.source == KbSource::Global && e.question == "How do I pay?");
        assert!(!global_payment_basics, "{industry}");
    }
}

#[test]
fn unrelated_entries_survive_and_sources_are_stamped() {
    let detailing = pack("mobile-detailing").unwrap();
    let mut mislabelled = tenant(
        "Do you sell gift cards?",
        "Yes, any amount.",
        "payment",
        &["gift"],
    );
    mislabelled.source = KbSource::Global;
    let entries = layer_entries(global_entries(), pack_entries(detailing), vec![mislabelled]);
    assert_eq!(entries.first().map(|e| e.source), Some(KbSource::Tenant));
    assert_eq!(
        entries.len(),
        global_entries().len() - 1 + detailing.faqs.len() + 1
    );
    assert!(entries.windows(2).all(|w| w[0].source >= w[1].source));
}

#[test]
fn same_topic_needs_question_or_category_and_first_keyword() {
    let a = tenant("Do you cancel for rain?", "x", "weather", &["rain"]);
    assert!(same_topic(
        &tenant("DO YOU CANCEL FOR RAIN", "y", "other", &[]),
        &a
    ));
    assert!(same_topic(
        &tenant("Wet days?", "y", "Weather", &[" Rain "]),
        &a
    ));
    assert!(!same_topic(
        &tenant("Wet days?", "y", "cancellation", &["rain"]),
        &a
    ));
    assert!(!same_topic(
        &tenant("Wet days?", "y", "weather", &["wet", "rain"]),
        &a
    ));
    assert!(!same_topic(
        &tenant("", "y", "general", &[]),
        &tenant("", "z", "general", &[])
    ));
}
