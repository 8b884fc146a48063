//! One turn of the conversation: understand the text, route it to the
//! right flow, and always come back with a reply.

use chrono::{DateTime, Utc};

use crate::brain::agent::{AgentResponse, Channel};
use crate::brain::nlu::{understand, CarrierKeyword, Intent};
use crate::brain::phrasing::Phrasing;
use crate::brain::tools::AgentTools;
use crate::packs::pack;

use super::booking;
use super::catalog::Catalog;
use super::context::Ctx;
use super::handoff::{hand_off, offer_person, pass_along, trouble};
use super::manage::{self, Lookup};
use super::prompt::reprompt;
use super::reply::Reply;
use super::returning::{self, SecondVisit};
use super::state::{Awaiting, ConversationState, Task};

/// Unclear turns in a row after which a person is offered.
const UNCLEAR_BEFORE_PERSON: u8 = 2;

/// Runs one turn; see [`super::handle_turn`].
pub(super) async fn run(
    state: &mut ConversationState,
    text: &str,
    phone: Option<&str>,
    channel: Channel,
    tools: &dyn AgentTools,
    now: DateTime<Utc>,
) -> AgentResponse {
    let profile = tools.profile();
    let pack = pack(&profile.industry).ok();
    let mut reply = Reply::default();
    let catalog = match tools.get_services().await {
        Ok(services) => Catalog::new(services),
        Err(_) => Catalog::default(),
    };
    let u = understand(text, &catalog.vocabulary(), now, profile.time_zone);
    let carrier = u.signals.carrier_keyword;
    let ctx = Ctx {
        tools,
        catalog,
        pack,
        phone,
        now,
        u,
        say: Phrasing::for_channel(channel),
    };
    if matches!(
        carrier,
        Some(CarrierKeyword::OptOut | CarrierKeyword::OptIn | CarrierKeyword::Help)
    ) {
        return reply.into_response();
    }
    if ctx.catalog.main_services().next().is_none() {
        trouble(state, &ctx, &mut reply, "looking up our services");
    } else if text.trim().is_empty() {
        // A picture or file with no words (an MMS): the channel kept it for the
        // owner; acknowledge it and carry on where the conversation was.
        reply.lead("Thanks, we got what you sent and the team will see it.");
        reprompt(state, &ctx, &mut reply);
    } else {
        let understood = dispatch(state, &ctx, &mut reply).await;
        if understood && !reply.is_empty() {
            state.unclear_turns = 0;
        } else if filler(&ctx) {
            // "lol", "haha", an emoji: nothing to act on, and nothing wrong
            // either; carry on where the conversation was.
            let mut fresh = Reply::default();
            reprompt(state, &ctx, &mut fresh);
            reply = fresh;
        } else {
            unclear(state, &ctx, &mut reply);
        }
    }
    let response = reply.into_response();
    state.remember(text, &response.reply);
    response
}

/// Routes the text; false when nothing in it could be used.
async fn dispatch(state: &mut ConversationState, ctx: &Ctx<'_>, reply: &mut Reply) -> bool {
    let person_offered = std::mem::take(&mut state.person_offered);
    if state.handed_off {
        if !restarts(ctx) {
            pass_along(ctx, reply).await;
            return true;
        }
        state.handed_off = false;
        state.reset_booking();
        reply.lead("Happy to help with that!");
    }
    let out_of_area = state.awaiting == Awaiting::OutOfArea;
    if ctx.has(Intent::Handoff) {
        hand_off(state, ctx, reply, "The customer asked to talk to a person.").await;
        return true;
    }
    if (person_offered || out_of_area) && ctx.yes() {
        let why = if out_of_area {
            "Out-of-area customer wants to be contacted."
        } else {
            "The customer accepted an offer to talk to a person."
        };
        hand_off(state, ctx, reply, why).await;
        return true;
    }
    if out_of_area && ctx.no() && ctx.u.address.is_none() {
        let business = ctx.business().to_owned();
        reply.main(format!(
            "No problem. Thanks for thinking of {business}, and text us anytime if that changes!"
        ));
        state.reset_booking();
        state.address = None;
        state.area = None;
        return true;
    }
    if state.awaiting == Awaiting::SecondVisit {
        match returning::answer(state, ctx, reply).await {
            SecondVisit::Another => {
                reply.lead("Sounds good, a second visit it is.");
                if !booking::turn(state, ctx, reply).await || !reply.has_main() {
                    reprompt(state, ctx, reply);
                }
                return true;
            }
            SecondVisit::Moved | SecondVisit::Unclear => return true,
        }
    }
    if state.awaiting == Awaiting::ConfirmCancel && !ctx.has(Intent::Reschedule) {
        return manage::confirm_cancel(state, ctx, reply).await;
    }
    if state.awaiting == Awaiting::PickAppointment
        && manage::pick_appointment(state, ctx, reply).await
    {
        return true;
    }
    if state.task == Task::Idle && status_request(ctx) {
        if let Lookup::NoneFound = manage::tell(state, ctx, reply).await {
            manage::none_found(state, ctx, reply);
        }
        return true;
    }
    if state.task == Task::Idle && implied_move(ctx) {
        if let Lookup::Started = manage::start(state, ctx, reply, Task::Rescheduling).await {
            return true;
        }
    }
    if let Some(task) = management_request(ctx, state.task == Task::Booking) {
        match manage::start(state, ctx, reply, task).await {
            Lookup::Started => return true,
            Lookup::NoneFound if state.task == Task::Booking && task == Task::Cancelling => {
                let business = ctx.business().to_owned();
                state.reset_booking();
                reply.main(format!(
                    "No problem, I won't book anything. Text {business} anytime!"
                ));
                return true;
            }
            Lookup::NoneFound if state.task != Task::Booking => {
                manage::none_found(state, ctx, reply);
                return true;
            }
            Lookup::NoneFound => {}
        }
    }
    if state.task == Task::Rescheduling && state.awaiting == Awaiting::Slot {
        return manage::reschedule_turn(state, ctx, reply).await;
    }
    if matches!(state.task, Task::Rescheduling | Task::Cancelling) {
        state.task = Task::Idle;
        state.target = None;
    }
    booking::turn(state, ctx, reply).await
}

/// A request to move or cancel an existing appointment (not a question
/// about the policy, and not "cancel that" about what was just said). While
/// a booking is in progress, a correction ("actually", "instead") is about
/// that booking; otherwise "push it to monday instead" is a reschedule.
fn management_request(ctx: &Ctx<'_>, booking_in_progress: bool) -> Option<Task> {
    let u = &ctx.u;
    let words: Vec<&str> = u.normalized.split(' ').collect();
    let mine = words
        .iter()
        .any(|w| matches!(*w, "my" | "it" | "appointment" | "we" | "our"));
    let about_policy = [
        "policy", "fee", "charge", "notice", "what if", "how do", "how far",
    ]
    .iter()
    .any(|p| u.normalized.contains(p));
    let policy_question = u.raw.contains('?') && (about_policy || !mine);
    if policy_question || (booking_in_progress && ctx.has(Intent::ChangeOfMind)) {
        return None;
    }
    // "actually cancel that" with no booking under way: the appointment.
    let cancel_that = !booking_in_progress && words.contains(&"cancel");
    if ctx.has(Intent::Reschedule) {
        Some(Task::Rescheduling)
    } else if ctx.has(Intent::Cancel) || cancel_that {
        Some(Task::Cancelling)
    } else {
        None
    }
}

/// "whats my appt time", "when are you coming", "is my appt still on for
/// sat": asks about an appointment already booked, moving nothing.
fn status_request(ctx: &Ctx<'_>) -> bool {
    if ctx.has(Intent::Reschedule) || ctx.has(Intent::Cancel) {
        return false;
    }
    const ASKS: &[&str] = &[
        "when is my",
        "when is our",
        "what time is my",
        "what time is our",
        "what day is my",
        "what is my appointment",
        "what is our appointment",
        "my appointment time",
        "is my appointment",
        "is our appointment",
        "do i have an appointment",
        "do i still have",
        "when are you coming",
        "when are you guys coming",
        "what time are you coming",
        "what time are you guys coming",
        "when will you be here",
        "what time will you be here",
        "when do you come",
        "when are you all coming",
    ];
    let padded = format!(" {} ", ctx.u.normalized);
    ASKS.iter().any(|p| padded.contains(&format!(" {p} ")))
}

/// "can we do next week instead", "can you come at 11 instead" with no
/// booking under way and no service named: a move of their appointment
/// (when they have one).
fn implied_move(ctx: &Ctx<'_>) -> bool {
    ctx.has(Intent::ChangeOfMind)
        && ctx.u.when.is_specified()
        && ctx.u.services.is_empty()
        && !ctx.has(Intent::Cancel)
}

/// After a handoff, only a new request brings the bot back.
fn restarts(ctx: &Ctx<'_>) -> bool {
    ctx.has(Intent::Book)
        || ctx.has(Intent::Reschedule)
        || ctx.has(Intent::Cancel)
        || !ctx.u.services.is_empty()
}

/// A text with no words to act on: laughter, "hmm", emoji.
fn filler(ctx: &Ctx<'_>) -> bool {
    const FILLER: &[&str] = &[
        "lol", "lolol", "haha", "hahaha", "hah", "ha", "lmao", "lmfao", "rofl", "hmm", "hm", "oh",
        "ah", "omg", "wow", "oops", "welp", "heh", "hehe",
    ];
    let words: Vec<&str> = ctx.u.normalized.split_whitespace().collect();
    !ctx.u.raw.contains('?')
        && words
            .iter()
            .all(|w| FILLER.contains(w) || !w.chars().any(char::is_alphanumeric))
}

/// Nothing usable: ask again helpfully, and offer a person when stuck.
fn unclear(state: &mut ConversationState, ctx: &Ctx<'_>, reply: &mut Reply) {
    state.unclear_turns = state.unclear_turns.saturating_add(1);
    let mut fresh = Reply::default();
    fresh.lead("Sorry, I didn't quite get that.");
    reprompt(state, ctx, &mut fresh);
    if state.unclear_turns >= UNCLEAR_BEFORE_PERSON {
        offer_person(state, ctx, &mut fresh);
    }
    *reply = fresh;
}
