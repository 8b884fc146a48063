//! Questions asked at any point: prices and job lengths from the
//! tenant's services, everything else from its knowledge base. They are
//! answered first; the flow then resumes where it was.

use crate::brain::nlu::{intent, normalize, Intent, IntentHints, TermKind};
use crate::brain::tools::ServiceInfo;
use crate::knowledge::HOURS_QUESTION;

use super::catalog::Catalog;
use super::context::Ctx;
use super::reply::{Reply, MAX_ANSWER};
use super::state::ConversationState;
use super::text::{clip, duration_phrase, price_phrase};

/// The least confidence for a text to be sent to the knowledge base.
const FAQ_CONFIDENCE: f32 = 0.5;

/// Answers the questions in the text; true when one was answered. A
/// question that also carried booking facts (`facts`: "can you do
/// saturday?") is about the booking, not for the knowledge base. A text
/// with several questions gets each answered, in the order asked; one
/// about a place already answered from the service area (`placed`) is
/// not asked of the knowledge base again.
pub(super) async fn answer_questions(
    state: &mut ConversationState,
    ctx: &Ctx<'_>,
    reply: &mut Reply,
    facts: bool,
    placed: bool,
) -> bool {
    let price = ctx.has(Intent::PriceQuestion);
    let duration = ctx.has(Intent::DurationQuestion);
    let hours = asks_hours(&ctx.u.normalized);
    if hours {
        if let Ok(Some(answer)) = ctx.tools.search_kb(HOURS_QUESTION).await {
            reply.lead(clip(&answer.answer, MAX_ANSWER));
        }
    }
    let clauses: Vec<&str> = question_clauses(&ctx.u.raw)
        .into_iter()
        .filter(|c| !(hours && asks_hours(&c.to_lowercase())))
        .collect();
    if hours && clauses.is_empty() && !price && !duration {
        return true;
    }
    if clauses.len() < 2 {
        if price || duration {
            price_answers(state, ctx, reply, price, duration);
            return true;
        }
        if placed {
            return false;
        }
        if let Some(clause) = clauses
            .first()
            .filter(|c| facts && c.len() < ctx.u.raw.len())
        {
            if let Some(service) = offered_service(ctx, clause) {
                reply.lead(format!(
                    "Yes, we do! {} is {}.",
                    service.name,
                    price_phrase(service)
                ));
                return true;
            }
            if intent::asks_for_job(&normalize(clause)) {
                return faq_answer(ctx, reply, facts).await;
            }
            // "are you taking new clients? my doodle needs a groom": the
            // question beside the booking facts is answered when the
            // knowledge base knows it.
            if let Ok(Some(answer)) = ctx.tools.search_kb(clause).await {
                reply.lead(clip(&answer.answer, MAX_ANSWER));
                return true;
            }
        }
        return faq_answer(ctx, reply, facts).await;
    }
    let mut answered = false;
    let mut unknown = Vec::new();
    for clause in clauses {
        let signals = intent::detect(&normalize(clause), &IntentHints::default());
        let (p, d) = (
            signals.has(Intent::PriceQuestion),
            signals.has(Intent::DurationQuestion),
        );
        if p || d {
            price_answers(state, ctx, reply, price || p, duration || d);
            answered = true;
            continue;
        }
        if placed && crate::area::place_name(clause).is_some() {
            continue;
        }
        if let Some(service) = offered_service(ctx, clause) {
            reply.lead(format!(
                "Yes, we do! {} is {}.",
                service.name,
                price_phrase(service)
            ));
            answered = true;
            continue;
        }
        match ctx.tools.search_kb(clause).await {
            Ok(Some(answer)) => {
                reply.lead(clip(&answer.answer, MAX_ANSWER));
                answered = true;
            }
            Ok(None) | Err(_) => unknown.push(clause),
        }
    }
    if !unknown.is_empty() && !facts {
        not_sure(ctx, reply, &unknown.join("? ")).await;
        answered = true;
    }
    answered
}

/// Prices and job lengths of the services asked about (or the menu).
fn price_answers(
    state: &ConversationState,
    ctx: &Ctx<'_>,
    reply: &mut Reply,
    price: bool,
    duration: bool,
) {
    let about = asked_about(state, ctx);
    if about.is_empty() {
        reply.lead(format!("Our prices: {}.", ctx.catalog.menu()));
        return;
    }
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

/// The knowledge base's answer to a one-question text.
async fn faq_answer(ctx: &Ctx<'_>, reply: &mut Reply, facts: bool) -> bool {
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
        Ok(None) | Err(_) if !real_question(&ctx.u.normalized) && !long_question(ctx) => false,
        Ok(None) | Err(_) => {
            not_sure(ctx, reply, &ctx.u.raw).await;
            true
        }
    }
}

/// No answer on file: said plainly, and the question left for the owner.
async fn not_sure(ctx: &Ctx<'_>, reply: &mut Reply, question: &str) {
    let business = ctx.business().to_owned();
    reply.lead(format!(
        "Good question! I'm not sure, so I've noted it for the team at {business}."
    ));
    let _ = ctx.tools.take_message(ctx.phone, question).await;
}

/// The questions in a text, in order: pieces opening with a question
/// word ("do you do boats? and can you come while i'm at
/// work"). Statements between them are left out.
fn question_clauses(raw: &str) -> Vec<&str> {
    const OPENERS: &[&str] = &[
        "and ", "also ", "oh and ", "plus ", "ok ", "also, ", "and, ",
    ];
    let mut out = Vec::new();
    let mut rest = raw;
    while !rest.trim().is_empty() {
        let end = rest
            .find(['?', '.', '!', '\n'])
            .map_or(rest.len(), |i| i + 1);
        let (piece, tail) = rest.split_at(end);
        rest = tail;
        let mut clause = piece.trim().trim_end_matches(['.', '!', '?']).trim();
        for opener in OPENERS {
            if clause.len() > opener.len()
                && clause
                    .get(..opener.len())
                    .is_some_and(|p| p.eq_ignore_ascii_case(opener))
            {
                clause = clause.get(opener.len()..).unwrap_or(clause).trim();
            }
        }
        if real_question(&clause.to_lowercase()) {
            out.push(clause);
        }
    }
    out
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

/// "do you work weekends?", "are you open sundays", "what are your hours":
/// a question about when the business works.
fn asks_hours(text: &str) -> bool {
    const ASKS: &[&str] = &[
        "your hours",
        "business hours",
        "are you open",
        "you guys open",
        "yall open",
        "you open",
        "open on",
        "open weekends",
        "open saturday",
        "open sunday",
        "work weekends",
        "work on weekends",
        "work saturday",
        "work sunday",
        "work on saturday",
        "work on sunday",
        "do weekends",
        "do evenings",
        "work evenings",
        "open late",
        "time do you open",
        "time do you close",
        "time do you start",
    ];
    let question = text.contains('?') || real_question(text) || text.starts_with("are ");
    question && ASKS.iter().any(|p| text.contains(p))
}

/// "do you groom cats?": whether a service is offered, when the clause
/// names one of the tenant's services.
fn offered_service<'c>(ctx: &'c Ctx<'_>, clause: &str) -> Option<&'c ServiceInfo> {
    let lower = clause.to_lowercase();
    let asks = ["do you ", "do u ", "do yall ", "do you guys "]
        .iter()
        .any(|p| lower.starts_with(p));
    if !asks {
        return None;
    }
    super::absorb::named_services(&ctx.u)
        .filter(|s| !s.negated && s.kind == TermKind::Service && lower.contains(&s.text))
        .find_map(|s| ctx.catalog.get(s.id))
}

/// A text of four words or more ending in '?': a question, however it opens.
fn long_question(ctx: &Ctx<'_>) -> bool {
    ctx.u.raw.trim_end().ends_with('?') && ctx.u.normalized.split_whitespace().count() >= 4
}

/// Words a real question starts with; "asdf???" is not a question.
const QUESTION_STARTS: &[&str] = &[
    "what", "whats", "where", "when", "how", "why", "who", "which", "do", "does", "did", "can",
    "could", "is", "are", "will", "would", "should", "any", "have",
];

/// Whether the (lower-case) text reads as a question someone could answer.
fn real_question(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    words.len() >= 3 && words.first().is_some_and(|w| QUESTION_STARTS.contains(w))
}
