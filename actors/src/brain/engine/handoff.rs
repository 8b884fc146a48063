//! Bringing a person in: on request, when the bot is stuck, and when a
//! tool fails. The customer is never left without a way forward.

use crate::brain::agent::NextAction;

use super::context::Ctx;
use super::reply::Reply;
use super::state::{Awaiting, ConversationState, Task};
use super::text::clip;

/// The longest handoff summary sent to the owner.
const MAX_SUMMARY: usize = 300;

/// Asks the owner to take over, with what the customer wanted.
pub(super) async fn hand_off(
    state: &mut ConversationState,
    ctx: &Ctx<'_>,
    reply: &mut Reply,
    why: &str,
) {
    let summary = summary(state, ctx, why);
    let business = ctx.business().to_owned();
    match ctx.tools.handoff_to_human(ctx.phone, &summary).await {
        Ok(()) => reply.main(format!(
            "No problem! I've let the team at {business} know, and someone will reach out to you shortly."
        )),
        Err(_) => {
            let _ = ctx.tools.take_message(ctx.phone, &summary).await;
            let call = ctx
                .profile()
                .owner_phone
                .as_deref()
                .map(|p| format!(" You can also call {p}."))
                .unwrap_or_default();
            reply.main(format!(
                "Sorry, I couldn't reach the team just now, but I've left them a message and someone will get back to you.{call}"
            ));
        }
    }
    reply.action(NextAction::Handoff { summary });
    state.handed_off = true;
    state.task = Task::Idle;
    state.awaiting = Awaiting::Nothing;
    state.offered.clear();
    state.proposed = None;
    state.upsell_pending = false;
}

/// After a handoff the bot passes messages on instead of driving a booking.
pub(super) async fn pass_along(ctx: &Ctx<'_>, reply: &mut Reply) {
    let business = ctx.business().to_owned();
    let _ = ctx.tools.take_message(ctx.phone, &ctx.u.raw).await;
    reply.main(format!(
        "Thanks, I've passed that along to {business} and they'll be in touch soon. If you'd like to book with me instead, just say book."
    ));
}

/// A tool failed: apologise, and offer the booking link or a person.
pub(super) fn trouble(
    state: &mut ConversationState,
    ctx: &Ctx<'_>,
    reply: &mut Reply,
    doing: &str,
) {
    let business = ctx.business().to_owned();
    reply.lead(format!("Sorry, I'm having trouble {doing} right now."));
    let main = match ctx.profile().booking_url.as_deref() {
        Some(url) => format!(
            "You can book online at {url}, or {} and someone from {business} will reach out.",
            ctx.say.yes_within()
        ),
        None => format!(
            "{} and someone from {business} will reach out to help.",
            ctx.say.yes()
        ),
    };
    reply.main(main);
    state.person_offered = true;
    state.upsell_pending = false;
}

/// Offers a person after the bot failed to understand twice.
pub(super) fn offer_person(state: &mut ConversationState, ctx: &Ctx<'_>, reply: &mut Reply) {
    let business = ctx.business().to_owned();
    reply.lead(format!(
        "If it's easier, {} and someone from {business} will {}.",
        ctx.say.yes_within(),
        ctx.say.reach_you()
    ));
    state.person_offered = true;
}

/// What the owner needs to know to pick the conversation up.
fn summary(state: &ConversationState, ctx: &Ctx<'_>, why: &str) -> String {
    let mut parts = vec![why.to_owned()];
    if let Some(name) = &state.customer_name {
        parts.push(format!("Name: {name}."));
    }
    if let Some(service) = state.service_id.and_then(|id| ctx.catalog.get(id)) {
        parts.push(format!("Wants: {}.", service.name));
    }
    let details: Vec<String> = state
        .details
        .iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect();
    if !details.is_empty() {
        parts.push(format!("Details: {}.", details.join(", ")));
    }
    if let Some(address) = &state.address {
        parts.push(format!("Address: {address}."));
    }
    if let Some(target) = &state.target {
        parts.push(format!("About appointment #{}.", target.id));
    }
    parts.push(format!("Last message: \"{}\"", clip(&ctx.u.raw, 120)));
    clip(&parts.join(" "), MAX_SUMMARY)
}
