//! Returning customers: before a new booking, the customer's upcoming
//! appointments are looked at once. The same service already booked is
//! named and the customer asked whether this is another visit or that one
//! moved ("You're already booked for a Full Detail on Saturday Dec 5 at
//! 8:00 AM. Another visit, or move that one?").

use crate::brain::agent::NextAction;
use servicepro_schema::AppointmentStatus;

use super::context::Ctx;
use super::manage::{describe, move_instead, target_of};
use super::reply::Reply;
use super::state::{Awaiting, ConversationState, TargetAppointment};

/// The question, asked again when the answer was unclear.
pub(super) const QUESTION: &str = "Is this another visit, or should I move that one?";

/// Words that mean "a second visit".
const ANOTHER: &[&str] = &[
    "another",
    "second",
    "both",
    "new",
    "additional",
    "extra",
    "more",
    "separate",
    "also",
    "too",
];
/// Words that mean "move the one I have".
const MOVE: &[&str] = &[
    "move",
    "reschedule",
    "change",
    "switch",
    "instead",
    "existing",
    "push",
    "same",
    "that",
];

/// Asks about an upcoming appointment for the same service, once per
/// booking; true when it asked (the turn ends with the question).
pub(super) async fn ask_if_booked(
    state: &mut ConversationState,
    ctx: &Ctx<'_>,
    reply: &mut Reply,
    service_name: &str,
) -> bool {
    if state.existing_checked {
        return false;
    }
    state.existing_checked = true;
    let Some(phone) = ctx.phone.filter(|p| ctx.tools.may_read_appointments(p)) else {
        // No number, or one this web visitor has not proven: book as new.
        return false;
    };
    let upcoming = match ctx.tools.upcoming_appointments(phone).await {
        Ok(list) => list,
        Err(e) => {
            // The booking itself still works; only the reminder is lost.
            tracing::warn!(error = %e, "could not look up the customer's appointments");
            return false;
        }
    };
    let Some(same) = upcoming
        .into_iter()
        .filter(|a| a.status == AppointmentStatus::Booked && a.starts_at > ctx.now)
        .filter(|a| a.service_name.eq_ignore_ascii_case(service_name))
        .min_by_key(|a| a.starts_at)
        .map(target_of)
    else {
        return false;
    };
    reply.main(format!(
        "You're already booked for {} {} on {}. {QUESTION}",
        article(&same.service_name),
        same.service_name,
        describe(&same, ctx)
    ));
    reply.action(NextAction::CollectInfo {
        field: String::from("second_visit"),
    });
    state.target = Some(same);
    state.awaiting = Awaiting::SecondVisit;
    true
}

fn article(name: &str) -> &'static str {
    if name.starts_with(['A', 'E', 'I', 'O', 'U']) {
        "an"
    } else {
        "a"
    }
}

/// What the answer to [`QUESTION`] said.
pub(super) enum SecondVisit {
    /// Book a new visit: the booking goes on.
    Another,
    /// Moved the existing one instead (the reply offers its new times).
    Moved,
    /// Neither: asked again.
    Unclear,
}

/// Reads the answer to [`QUESTION`].
pub(super) async fn answer(
    state: &mut ConversationState,
    ctx: &Ctx<'_>,
    reply: &mut Reply,
) -> SecondVisit {
    let words: Vec<&str> = ctx.u.normalized.split_whitespace().collect();
    let says = |list: &[&str]| words.iter().any(|w| list.contains(w));
    let target: Option<TargetAppointment> = state.target.take();
    state.awaiting = Awaiting::Nothing;
    let (another, moving) = (says(ANOTHER), says(MOVE));
    match target {
        Some(target) if moving && !another => {
            move_instead(state, ctx, reply, target).await;
            SecondVisit::Moved
        }
        Some(_) if another => SecondVisit::Another,
        Some(target) => {
            state.target = Some(target);
            state.awaiting = Awaiting::SecondVisit;
            reply.main(QUESTION);
            SecondVisit::Unclear
        }
        None => SecondVisit::Another,
    }
}
