//! The one add-on offered with a service: offered once, right after the
//! service is chosen, never pushed again; a "no" is remembered.

use super::context::Ctx;
use super::reply::Reply;
use super::state::ConversationState;
use super::text::usd;

/// Where the upsell line goes in the reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Place {
    /// Before the question asked.
    BeforeQuestion,
    /// After a list of times.
    AfterList,
}

/// Adds the pack's upsell line for the chosen service to the reply, once
/// per conversation, unless the customer already picked an add-on.
pub(super) fn maybe_offer(
    state: &mut ConversationState,
    ctx: &Ctx<'_>,
    reply: &mut Reply,
    place: Place,
) {
    if state.upsell_offered.is_some() || !state.addons.is_empty() {
        return;
    }
    let Some(service) = state.service_id.and_then(|id| ctx.catalog.get(id)) else {
        return;
    };
    let Some(addon) = ctx.catalog.upsell_for(service, state) else {
        return;
    };
    let Some(line) = addon.upsell_line.as_deref() else {
        return;
    };
    let line = format!("{} (+{})", line.trim(), usd(addon.price_cents));
    match place {
        Place::BeforeQuestion => reply.aside(line),
        Place::AfterList => reply.tail(line),
    }
    state.upsell_offered = Some(addon.id);
    state.upsell_pending = true;
}
