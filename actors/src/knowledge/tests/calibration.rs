//! The answer threshold, checked against real questions and unrelated ones.

use super::cases::{GLOBAL_CASES, PACK_CASES, UNRELATED};
use super::retrieval::starter_kb;
use crate::knowledge::KnowledgeBase;

/// Top score of `query`, or 0.
fn top_score(kb: &KnowledgeBase, query: &str) -> f32 {
    kb.search(query, 1).first().map_or(0.0, |h| h.score)
}

/// Top score of `query` if its best match passes the evidence check (a
/// keyword hit or two shared words), else 0: what the threshold must beat.
fn answerable_score(kb: &KnowledgeBase, query: &str) -> f32 {
    let any_score = kb.clone().with_min_score(0.0);
    match any_score.best_answer(query) {
        Some(_) => top_score(kb, query),
        None => 0.0,
    }
}

#[test]
fn unrelated_questions_get_no_answer() {
    for (industry, _) in PACK_CASES {
        let kb = starter_kb(industry);
        for query in UNRELATED {
            let hits = kb.search(query, 1);
            assert_eq!(
                kb.best_answer(query),
                None,
                "{industry}: {query:?} -> {hits:?}"
            );
        }
    }
}

#[test]
fn threshold_separates_real_questions_from_unrelated_ones() {
    let mut lowest_real = f32::MAX;
    let mut highest_unrelated = 0.0f32;
    for (industry, cases) in PACK_CASES {
        let kb = starter_kb(industry);
        let real = cases
            .iter()
            .map(|(q, _)| *q)
            .chain(GLOBAL_CASES.iter().map(|(q, _)| *q));
        for query in real {
            lowest_real = lowest_real.min(top_score(&kb, query));
        }
        for query in UNRELATED {
            highest_unrelated = highest_unrelated.max(answerable_score(&kb, query));
        }
    }
    let threshold = KnowledgeBase::DEFAULT_MIN_SCORE;
    println!(
        "lowest real {lowest_real:.2}, threshold {threshold}, highest unrelated {highest_unrelated:.2}"
    );
    assert!(highest_unrelated < threshold && threshold <= lowest_real);
}

#[test]
fn one_stray_word_is_not_evidence_enough() {
    let kb = starter_kb("pet-grooming");
    let hits = kb.search("i love you", 1);
    assert_eq!(
        hits.first().map(|h| h.entry.question.as_str()),
        Some("What if I don't love the haircut?")
    );
    assert!(hits[0].score > KnowledgeBase::DEFAULT_MIN_SCORE);
    assert_eq!(kb.best_answer("i love you"), None);
    assert!(kb.best_answer("I don't love the haircut").is_some());
}

#[test]
fn a_custom_threshold_changes_what_is_answered() {
    let kb = starter_kb("mobile-detailing");
    assert!(kb.best_answer("what if it rains").is_some());
    let strict = kb.clone().with_min_score(f32::MAX);
    assert_eq!(strict.best_answer("what if it rains"), None);
    assert_eq!(strict.min_score(), f32::MAX);
}

/// `fixtures/kb/calibration.toml`: per pack, customers' questions and the
/// FAQ that must answer each.
const CALIBRATION: &str = include_str!("../../../../fixtures/kb/calibration.toml");

#[test]
fn every_calibration_question_is_answered_from_its_pack() {
    let set: std::collections::BTreeMap<String, Vec<(String, String)>> =
        toml::from_str(CALIBRATION).expect("calibration.toml parses");
    let mut wrong = Vec::new();
    for industry in crate::packs::INDUSTRIES {
        let cases = set.get(industry).map(Vec::as_slice).unwrap_or_default();
        assert!(
            cases.len() >= 20,
            "{industry}: only {} questions",
            cases.len()
        );
        let kb = starter_kb(industry);
        let pack = crate::packs::pack(industry).expect("pack");
        for (text, faq) in cases {
            assert!(
                pack.faqs.iter().any(|f| &f.question == faq),
                "{industry}: {faq:?} is not one of its FAQs"
            );
            let got = kb.best_answer(text).map(|e| e.question.clone());
            if got.as_deref() != Some(faq.as_str()) {
                wrong.push(format!("{industry}: {text:?} -> {got:?}, want {faq:?}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
