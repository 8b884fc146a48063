//! BM25 ranking on the real industry packs.

use super::cases::{GLOBAL_CASES, PACK_CASES};
use crate::knowledge::{global_entries, KbSource, KnowledgeBase};
use crate::packs::pack;

/// The knowledge base a new tenant of `industry` starts with.
pub fn starter_kb(industry: &str) -> KnowledgeBase {
    KnowledgeBase::layered(global_entries(), pack(industry).unwrap(), Vec::new())
}

/// Checks every case of one pack comes first and clears the threshold.
fn check_pack(industry: &str) {
    let kb = starter_kb(industry);
    let (_, cases) = PACK_CASES.iter().find(|(id, _)| *id == industry).unwrap();
    assert!(cases.len() >= 4);
    for (query, expected) in *cases {
        let hits = kb.search(query, 3);
        let top: Vec<(&str, f32)> = hits
            .iter()
            .map(|h| (h.entry.question.as_str(), h.score))
            .collect();
        assert_eq!(
            top.first().map(|t| t.0),
            Some(*expected),
            "{industry}: {query:?} -> {top:?}"
        );
        assert_eq!(
            kb.best_answer(query).map(|e| e.question.as_str()),
            Some(*expected),
            "{industry}: {query:?} below threshold: {top:?}"
        );
    }
}

#[test]
fn detailing_questions_find_their_faq() {
    check_pack("mobile-detailing");
}

#[test]
fn lawn_care_questions_find_their_faq() {
    check_pack("lawn-care");
}

#[test]
fn house_cleaning_questions_find_their_faq() {
    check_pack("house-cleaning");
}

#[test]
fn window_washing_questions_find_their_faq() {
    check_pack("window-washing");
}

#[test]
fn pet_grooming_questions_find_their_faq() {
    check_pack("pet-grooming");
}

#[test]
fn global_questions_are_answered_in_every_industry() {
    for (industry, _) in PACK_CASES {
        let kb = starter_kb(industry);
        for (query, expected) in GLOBAL_CASES {
            let best = kb.best_answer(query);
            assert_eq!(
                best.map(|e| e.question.as_str()),
                Some(expected),
                "{industry}: {query}"
            );
            assert_eq!(best.map(|e| e.source), Some(KbSource::Global));
        }
    }
}

#[test]
fn search_ranks_best_first_and_respects_k() {
    let kb = starter_kb("mobile-detailing");
    let hits = kb.search("how much does it cost and can I pay with card", 5);
    assert!(hits.len() <= 5 && hits.len() >= 2);
    assert!(hits.windows(2).all(|w| w[0].score >= w[1].score));
    assert!(hits.iter().all(|h| h.score > 0.0));
    assert!(kb.search("how much", 0).is_empty());
    assert!(kb.search("", 5).is_empty());
    assert!(kb.search("?!?!", 5).is_empty());
}

#[test]
fn misspelt_words_still_match() {
    let kb = starter_kb("mobile-detailing");
    let best = |q: &str| kb.best_answer(q).map(|e| e.question.clone());
    assert_eq!(
        best("do you need a deposite"),
        best("do you need a deposit")
    );
    assert_eq!(
        best("what about the wether"),
        best("what about the weather")
    );
    assert!(best("do you need a deposit").is_some());
}

#[test]
fn huge_messages_are_cheap_and_safe() {
    let kb = starter_kb("lawn-care");
    let long = "blorpfizzle ".repeat(20_000) + " rain";
    assert!(kb.search(&long, 3).len() <= 3);
    assert_eq!(kb.best_answer("\u{0}\u{feff}\u{202e}"), None);
}
