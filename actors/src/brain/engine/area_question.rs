//! "Can you come out to Jenks?", "do you service 74012?": a question about
//! where the business works, answered from the tenant's service area
//! before anything else. A place outside stops the booking with an offer
//! to pass the customer's info on; one inside lets the text carry on.

use crate::area::place_name;
use crate::brain::tools::AreaCheck;

use super::context::Ctx;
use super::handoff::trouble;
use super::reply::Reply;
use super::state::{AreaVerdict, Awaiting, ConversationState};
use crate::packs::format_usd;

/// Phrases that ask whether the business comes to a place.
const ASKS_WHERE: &[&str] = &[
    "come out",
    "come to",
    "serve",
    "service",
    "cover",
    "travel",
    "go to",
    "go out",
    "work in",
    "your area",
    "drive to",
    "make it to",
    "out to",
    "out in",
    "out by",
    "far as",
    "do you do",
];

/// What the area question did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum AreaAnswer {
    /// The text asks no such question (or names no place).
    NotAsked,
    /// Answered; the text carries on (served there).
    Served,
    /// Answered: the place is outside; the turn ends here.
    Outside,
}

/// Answers a question about whether the business comes to a place the
/// text names (not a street address: that is checked when the booking
/// reaches it).
pub(super) async fn answer_area_question(
    state: &mut ConversationState,
    ctx: &Ctx<'_>,
    reply: &mut Reply,
) -> AreaAnswer {
    let u = &ctx.u;
    let padded = format!(" {} ", u.normalized);
    let asks = u.raw.contains('?') || padded.starts_with(" can ") || padded.starts_with(" do ");
    // "do you clean houses in oklahoma city?": any question naming a town
    // after a place word asks about it, with or without "come out".
    let about_place = ASKS_WHERE.iter().any(|p| padded.contains(p))
        || [" in ", " near ", " around "]
            .iter()
            .any(|p| padded.contains(p));
    if u.address.is_some() || !asks || !about_place {
        return AreaAnswer::NotAsked;
    }
    let Some(place) = place_name(&u.raw) else {
        return AreaAnswer::NotAsked;
    };
    match ctx.tools.check_service_area(&u.raw).await {
        Ok(AreaCheck::Served) => {
            reply.lead(format!("Yes, we come out to {place}!"));
            AreaAnswer::Served
        }
        Ok(AreaCheck::TravelFee { fee_cents, miles }) => {
            let fee = format_usd(fee_cents);
            reply.lead(format!(
                "Yes, we can come out to {place}. It's about {miles} miles out, past our usual area, so there's a {fee} travel fee."
            ));
            AreaAnswer::Served
        }
        Ok(AreaCheck::NotServed { reason }) => {
            let business = ctx.business().to_owned();
            state.awaiting = Awaiting::OutOfArea;
            state.area = Some(AreaVerdict::NotServed {
                reason: reason.clone(),
            });
            state.offered.clear();
            reply.main(format!(
                "Sorry, {place} is outside our service area ({reason}). Want me to pass your info to {business} so they can reach out?"
            ));
            AreaAnswer::Outside
        }
        Ok(AreaCheck::Unknown) => AreaAnswer::NotAsked,
        Err(_) => {
            trouble(state, ctx, reply, "checking that area");
            AreaAnswer::Outside
        }
    }
}
