//! Questions asked at any point: prices and job lengths from the
//! tenant's services, everything else from its knowledge base. They are
//! answered first; the flow then resumes where it was.

use crate::brain::nlu::{Intent, TermKind};
use crate::brain::tools::ServiceInfo;

use super::catalog::Catalog;
use super::context::Ctx;
use super::reply::{Reply, MAX_ANSWER};
use super::state::ConversationState;
use super::text::{clip, duration_phrase, price_phrase};

/// The least confidence for a text to be sent to the knowledge base.
const FAQ_CONFIDENCE: f32 = 0.5;

/// Answers the questions in the text; true when one was answered. A
/// question that also carried booking facts (`facts`: "can you do
/// saturday?") is about the booking, not for the knowledge base.
pub(super) async fn answer_questions(
    state: &mut ConversationState,
    ctx: &Ctx<'_>,
    reply: &mut Reply,
    facts: bool,
) -> bool {
    let price = ctx.has(Intent::PriceQuestion);
    let duration = ctx.has(Intent::DurationQuestion);
    if price || duration {
        let about = asked_about(state, ctx);
        if about.is_empty() {
            reply.lead(format!("Our prices: {}.", ctx.catalog.menu()));
        } else {
            for service in about.iter().take(3) {
                let sentence = match (price, duration) {
                    (true, true) => Catalog::price_sentence(service),
                    (true, false) => format!("{} is {}.", service.name, price_phrase(service)),
                    _ => format!(
                        "{} takes {}.",
                        service.name,
                        duration_phrase(service.duration_minutes)
                    ),
                };
                reply.lead(sentence);
            }
        }
        return true;
    }
    let faq = ctx.u.signals.confidence(Intent::FaqQuestion);
    let advice = ctx.u.normalized.starts_with("how often ");
    if faq < FAQ_CONFIDENCE || (facts && !advice) {
        return false;
    }
    match ctx.tools.search_kb(&ctx.u.raw).await {
        Ok(Some(answer)) => {
            reply.lead(clip(&answer.answer, MAX_ANSWER));
            true
        }
        Ok(None) | Err(_) if !real_question(ctx) => false,
        Ok(None) | Err(_) => {
            let business = ctx.business().to_owned();
            reply.lead(format!(
                "Good question! I'm not sure, so I've noted it for the team at {business}."
            ));
            let _ = ctx.tools.take_message(ctx.phone, &ctx.u.raw).await;
            true
        }
    }
}

/// The services a price or length question is about: those named, else
/// the one being booked or suggested.
fn asked_about(state: &ConversationState, ctx: &Ctx<'_>) -> Vec<ServiceInfo> {
    let u = &ctx.u;
    let mut ids: Vec<i64> = super::absorb::named_services(u)
        .chain(u.addons.iter())
        .filter(|t| !t.negated)
        .map(|t| t.id)
        .collect();
    if ids.is_empty() {
        ids = u
            .ambiguous
            .iter()
            .flat_map(|a| a.candidates.iter())
            .filter(|c| c.kind == TermKind::Service)
            .map(|c| c.id)
            .collect();
    }
    if ids.is_empty() {
        ids.extend(state.service_id.or(state.suggested_service));
        ids.extend(state.addons.iter().copied());
    }
    if ids.is_empty() {
        // Moving an appointment: the question is about that job.
        if let Some(target) = &state.target {
            ids.extend(
                ctx.catalog
                    .main_services()
                    .filter(|s| s.name == target.service_name)
                    .map(|s| s.id),
            );
        }
    }
    ids.dedup();
    ids.iter()
        .filter_map(|id| ctx.catalog.get(*id))
        .cloned()
        .collect()
}

/// Words a real question starts with; "asdf???" is not a question.
const QUESTION_STARTS: &[&str] = &[
    "what", "whats", "where", "when", "how", "why", "who", "which", "do", "does", "did", "can",
    "could", "is", "are", "will", "would", "should", "any", "have",
];

/// Whether the text reads as a question someone could answer.
fn real_question(ctx: &Ctx<'_>) -> bool {
    let words: Vec<&str> = ctx.u.normalized.split_whitespace().collect();
    words.len() >= 3 && words.first().is_some_and(|w| QUESTION_STARTS.contains(w))
}
