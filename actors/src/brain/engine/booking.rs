//! The booking flow: service, job details, address and service area,
//! times, booking. Each turn absorbs every fact the text carries, answers
//! any question in it, and then asks for the first thing still missing,
//! so a filled slot is never asked again.

use crate::brain::agent::NextAction;
use crate::brain::nlu::Intent;
use crate::brain::tools::AreaCheck;

use super::absorb::{absorb, Changes};
use super::area_question::{answer_area_question, AreaAnswer};
use super::catalog::Catalog;
use super::context::Ctx;
use super::details;
use super::handoff::trouble;
use super::offer::{book, offer_times, picked, repeat_offer, which_on_day};
use super::questions::answer_questions;
use super::reply::Reply;
use super::state::{AreaVerdict, Awaiting, ConversationState, Task};
use super::text::{price_phrase, usd, with_article};
use super::upsell;
use crate::packs::format_usd;

/// Runs one booking turn; false when the text meant nothing the engine
/// could use.
pub(super) async fn turn(state: &mut ConversationState, ctx: &Ctx<'_>, reply: &mut Reply) -> bool {
    let mut ch = absorb(state, ctx);
    asked_not_chosen(state, ctx, &mut ch);
    if let Some(note) = super::when::outside_window_note(ch.outside_window, state.when) {
        reply.lead(note);
    }
    let area = answer_area_question(state, ctx, reply).await;
    if area == AreaAnswer::Outside {
        return true;
    }
    let placed = area == AreaAnswer::Served;
    let answered = answer_questions(state, ctx, reply, ch.any(), placed).await || placed;
    let wants_booking =
        ctx.has(Intent::Book) || ((ch.service || ch.service_ambiguous) && !answered);
    if state.task == Task::Idle && (wants_booking || (ch.any() && !answered)) {
        state.task = Task::Booking;
    }
    if state.task != Task::Booking {
        return idle(state, ctx, reply, answered);
    }
    let new_facts = Changes {
        upsell_answered: false,
        ..ch
    };
    if drops_request(ctx) && !new_facts.any() && !answered {
        let business = ctx.business().to_owned();
        state.reset_booking();
        reply.main(format!(
            "No problem, I won't book anything. Text {business} anytime!"
        ));
        return true;
    }
    advance(state, ctx, reply, ch, answered).await
}

/// "is the weed killer you use safe for cats?", "are you taking new
/// clients for full grooms?": a service named only inside a question, with
/// no booking words and no other booking fact, is what the question is
/// about; it is suggested (a "yes" books it), not chosen.
fn asked_not_chosen(state: &mut ConversationState, ctx: &Ctx<'_>, ch: &mut Changes) {
    let only_asks = ctx.u.signals.confidence(Intent::FaqQuestion) >= ASKING;
    let other_facts = ch.when || ch.details || ch.address || ch.name || ch.upsell_answered;
    if state.task != Task::Idle || !ch.service || !only_asks || ctx.has(Intent::Book) || other_facts
    {
        return;
    }
    state.suggested_service = state.service_id.take();
    state.addons.clear();
    state.upsell_offered = None;
    state.upsell_pending = false;
    ch.service = false;
    ch.duration = false;
}

/// The confidence of a question with no booking words in it.
const ASKING: f32 = 0.5;

/// "never mind", "forget it": the customer drops the booking altogether
/// (with no new fact in the same text, which would be a correction).
fn drops_request(ctx: &Ctx<'_>) -> bool {
    let padded = format!(" {} ", ctx.u.normalized);
    ["never mind", "nevermind", "forget it", "forget about it"]
        .iter()
        .any(|p| padded.contains(&format!(" {p} ")))
}

/// Replies when no booking is in progress.
fn idle(state: &mut ConversationState, ctx: &Ctx<'_>, reply: &mut Reply, answered: bool) -> bool {
    let noun = ctx.job_noun().to_owned();
    if answered {
        if !reply.has_main() {
            let question = match state.suggested_service.and_then(|id| ctx.catalog.get(id)) {
                Some(s) => format!("Want to book {}?", with_article(&s.name)),
                None => format!("Want to book {}?", with_article(&noun)),
            };
            reply.main(question);
            state.awaiting = Awaiting::Service;
        }
        return true;
    }
    if ctx.has(Intent::Thanks) && ctx.no() && state.awaiting == Awaiting::Service {
        reply.main("No problem! Text us anytime if you change your mind.");
        state.awaiting = Awaiting::Nothing;
        return true;
    }
    if ctx.has(Intent::Thanks) {
        let main = if state.last_booking.is_some() {
            "You're welcome! See you then."
        } else {
            "You're welcome! Text us anytime."
        };
        reply.main(main);
        state.awaiting = Awaiting::Nothing;
        return true;
    }
    if ctx.has(Intent::Greeting) || ctx.yes() {
        let business = ctx.business().to_owned();
        reply.lead(format!("Hi! Thanks for texting {business}."));
        ask_service(state, ctx, reply);
        return true;
    }
    false
}

/// Asks for the first missing piece, or offers and books times.
async fn advance(
    state: &mut ConversationState,
    ctx: &Ctx<'_>,
    reply: &mut Reply,
    ch: Changes,
    answered: bool,
) -> bool {
    let Some(service) = state.service_id.and_then(|id| ctx.catalog.get(id)).cloned() else {
        if !state.service_choices.is_empty() {
            ask_which(state, ctx, reply);
        } else if ctx.has(Intent::Book) && !ch.any() && !answered && !reply.has_main() {
            // "need my car cleaned": a clear wish with no service named.
            state.awaiting = Awaiting::Service;
            reply.lead("Happy to help!");
            reply.main(format!(
                "Which service would you like? We offer {}.",
                ctx.catalog.menu()
            ));
            reply.action(NextAction::CollectInfo {
                field: String::from("service"),
            });
        } else {
            ask_service(state, ctx, reply);
        }
        return ch.any() || answered || ctx.has(Intent::Book);
    };
    let chosen = format!(
        "Great choice! {} is {}.",
        service.name,
        price_phrase(&service)
    );
    let upsold = state
        .upsell_offered
        .filter(|id| state.addons.contains(id))
        .and_then(|id| ctx.catalog.get(id));
    if ch.upsell_answered {
        match upsold {
            Some(addon) => reply.lead(format!(
                "Added {} (+{})!",
                addon.name,
                usd(addon.price_cents)
            )),
            None => reply.lead("No problem."),
        }
    } else if let Some(addon) = ch.addon_again.and_then(|id| ctx.catalog.get(id)) {
        reply.lead(format!("{} is already on your booking.", addon.name));
    } else if let Some(addon) = ch.addon_asked.and_then(|id| ctx.catalog.get(id)) {
        reply.lead(format!(
            "Yes, we do! {} is +{}. Want me to add it?",
            addon.name,
            usd(addon.price_cents)
        ));
    }
    if super::returning::ask_if_booked(state, ctx, reply, &service.name).await {
        return true;
    }
    // An address given early is checked now: nobody outside the area is
    // asked about the job first.
    if let Some(address) = state.address.clone().filter(|_| ch.address) {
        if !area_ok(state, ctx, reply, &address).await {
            return true;
        }
    }
    if let Some(q) = details::next_question(ctx.pack, state, &service.name) {
        if ch.service && !reply.mentions(&service.name) {
            reply.lead(chosen);
        }
        upsell::maybe_offer(state, ctx, reply, upsell::Place::BeforeQuestion);
        state.awaiting = Awaiting::Detail(q.key.clone());
        reply.main(q.question.clone());
        reply.action(NextAction::CollectInfo {
            field: q.key.clone(),
        });
        return ch.any() || answered;
    }
    let Some(address) = state.address.clone() else {
        if ch.service && !reply.mentions(&service.name) {
            reply.lead(chosen);
        }
        upsell::maybe_offer(state, ctx, reply, upsell::Place::BeforeQuestion);
        state.awaiting = Awaiting::Address;
        reply.main(format!(
            "What's the address for the {}? (Street and city, or ZIP.)",
            service.name
        ));
        reply.action(NextAction::CollectInfo {
            field: String::from("address"),
        });
        return ch.any() || answered;
    };
    if !area_ok(state, ctx, reply, &address).await {
        return true;
    }
    let intro = format!(
        "your {} ({}) at {address}",
        service.name,
        details::quoted_price(ctx.pack, state, &service)
    );
    let Some(minutes) = ctx.job_minutes(state) else {
        return false;
    };
    let offer_open = state.awaiting == Awaiting::Slot && !state.offered.is_empty();
    let same_job = !(ch.service || ch.duration || ch.address);
    if offer_open && same_job {
        if let Some(slot) = picked(state, ctx) {
            book(state, ctx, reply, slot).await;
            return true;
        }
        if let Some(question) = which_on_day(state, ctx) {
            reply.main(question);
            return true;
        }
    }
    if offer_open && !ch.invalidates_offer() {
        if let Some(slot) = state.proposed.filter(|_| ctx.yes() && !ch.upsell_answered) {
            book(state, ctx, reply, slot).await;
            return true;
        }
        if ctx.no() && !ch.upsell_answered {
            reply.main("No problem. What day or time would work better?");
            return true;
        }
        if ctx.yes() && !ch.any() && !answered {
            // A bare "yep" to a list: one time is booked, several are
            // asked about briefly rather than listed again.
            if let [only] = state.offered[..] {
                book(state, ctx, reply, only).await;
            } else {
                reply.main(ctx.say.which_time(state.offered.len()));
            }
            return true;
        }
        if ch.any() || answered || ctx.yes() {
            repeat_offer(state, ctx, reply);
            return true;
        }
        return false;
    }
    offer_times(state, ctx, reply, minutes, &intro).await;
    true
}

/// The job detail a travel fee is kept under.
const TRAVEL_FEE: &str = "travel_fee";

/// Checks the service area once per address; false when the flow stops
/// here (not served, unknown, or a tool error).
async fn area_ok(
    state: &mut ConversationState,
    ctx: &Ctx<'_>,
    reply: &mut Reply,
    address: &str,
) -> bool {
    if state.area.is_none() {
        match ctx.tools.check_service_area(address).await {
            Ok(AreaCheck::Served) => state.area = Some(AreaVerdict::Served),
            Ok(AreaCheck::NotServed { reason }) => {
                state.area = Some(AreaVerdict::NotServed { reason })
            }
            Ok(AreaCheck::Unknown) => state.area = Some(AreaVerdict::Unknown),
            Ok(AreaCheck::TravelFee { fee_cents, miles }) => {
                let fee = format_usd(fee_cents);
                reply.lead(format!(
                    "Heads up: that's about {miles} miles out, past our usual area, so there's a {fee} travel fee."
                ));
                state.details.insert(String::from(TRAVEL_FEE), fee);
                state.area = Some(AreaVerdict::TravelFee { fee_cents, miles });
            }
            Err(_) => {
                trouble(state, ctx, reply, "checking that address");
                return false;
            }
        }
    }
    match state.area.clone() {
        Some(AreaVerdict::Served | AreaVerdict::TravelFee { .. }) | None => true,
        Some(AreaVerdict::Unknown) => {
            state.awaiting = Awaiting::AreaZip;
            reply.main(format!("Thanks! What's the ZIP code for {address}?"));
            reply.action(NextAction::CollectInfo {
                field: String::from("zip"),
            });
            false
        }
        Some(AreaVerdict::NotServed { reason }) => {
            let business = ctx.business().to_owned();
            state.awaiting = Awaiting::OutOfArea;
            state.offered.clear();
            state.upsell_pending = false;
            reply.main(format!(
                "Sorry, {address} is outside our service area ({reason}), so I can't book it. Want me to pass your info to {business} so they can reach out? Or send another address."
            ));
            false
        }
    }
}

/// Asks which service, with the menu.
fn ask_service(state: &mut ConversationState, ctx: &Ctx<'_>, reply: &mut Reply) {
    state.awaiting = Awaiting::Service;
    reply.main(format!(
        "What can we do for you? We offer {}.",
        ctx.catalog.menu()
    ));
    reply.action(NextAction::CollectInfo {
        field: String::from("service"),
    });
}

/// Asks which of several services an ambiguous word meant.
fn ask_which(state: &mut ConversationState, ctx: &Ctx<'_>, reply: &mut Reply) {
    state.awaiting = Awaiting::Service;
    let options: Vec<String> = state
        .service_choices
        .iter()
        .filter_map(|id| ctx.catalog.get(*id))
        .enumerate()
        .map(|(i, s)| format!("{}) {}", i + 1, Catalog::label(s)))
        .collect();
    reply.main(format!(
        "Which one would you like?\n{}\n{}",
        options.join("\n"),
        ctx.say.with_a_number()
    ));
    reply.action(NextAction::CollectInfo {
        field: String::from("service"),
    });
}
