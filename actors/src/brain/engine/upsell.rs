//! The one add-on offered with a service: offered once, right after the
//! service is chosen, never pushed again; a "no" is remembered.

use super::context::Ctx;
use super::reply::Reply;
use super::state::ConversationState;

/// Adds the pack's upsell line for the chosen service to the reply, once
/// per conversation.
pub(super) fn maybe_offer(state: &mut ConversationState, ctx: &Ctx<'_>, reply: &mut Reply) {
    if state.upsell_offered.is_some() {
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
    reply.aside(format!(
        "{} (+{})",
        line.trim(),
        super::text::usd(addon.price_cents)
    ));
    state.upsell_offered = Some(addon.id);
    state.upsell_pending = true;
}
