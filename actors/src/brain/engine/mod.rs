//! The offline conversation engine: the SMS booking agent's brain when no
//! AI provider is used (and its fallback when one fails).
//!
//! [`handle_turn`] takes one customer text and the conversation's
//! [`ConversationState`], and returns the reply plus what happened
//! ([`NextAction`](crate::brain::agent::NextAction)s). It acts only
//! through [`AgentTools`], so it runs the same against the database and
//! against an in-memory double.
//!
//! # The booking flow
//!
//! greet -> service -> job details -> address and service-area check ->
//! three concrete times -> the customer picks one ("2", "the 10am one",
//! "yes" to a proposed time) -> book -> the pack's confirmation text.
//!
//! Every turn first absorbs *every* fact in the text (service, add-ons,
//! when, vehicle or home details, address, name), answers any question in
//! it (prices and lengths from the services, anything else from the
//! knowledge base), and then asks for the first thing still missing; a
//! filled slot is never asked again. A change of mind switches the service
//! and keeps the details; offers are refreshed when the job length or the
//! wanted time changes. The pack's upsell for the service is offered once.
//!
//! Besides booking: moving and cancelling an appointment by text, handing
//! off to a person at any point (after which the bot passes messages on
//! until the customer asks to book again), and a clarifying question for
//! anything unclear, with a person offered after two unclear turns in a
//! row. Tool failures get an apology and the booking link or a person.
//! Replies are plain ASCII and short enough for one or two SMS segments.

mod absorb;
mod area_question;
mod booking;
mod catalog;
mod confirm_text;
mod context;
mod details;
mod handoff;
mod manage;
mod offer;
mod prompt;
mod questions;
mod reply;
mod returning;
mod spoken;
pub mod state;
mod text;
mod turn;
mod upsell;
mod when;

#[cfg(test)]
mod tests;

use chrono::{DateTime, Utc};

use crate::brain::agent::{AgentResponse, Channel};
use crate::brain::tools::AgentTools;

pub use confirm_text::booking_confirmation;
pub use state::{
    AreaVerdict, Awaiting, ConversationState, TargetAppointment, Task, TurnRecord, HISTORY_TURNS,
    STATE_VERSION,
};
pub(crate) use text::{clock, day_label, duration_phrase, price_phrase, usd};

/// Answers one customer text and advances the conversation's state.
///
/// Never panics and always returns a reply, except for the carrier
/// keywords (STOP, START, HELP) that the SMS channel answers itself, for
/// which the reply is empty. `customer_phone` is needed to book under the
/// customer's number and to find their appointments. How the customer is
/// asked to answer follows `channel` ([`Phrasing`](crate::brain::phrasing::Phrasing)).
pub async fn handle_turn(
    state: &mut ConversationState,
    text: &str,
    customer_phone: Option<&str>,
    channel: Channel,
    tools: &dyn AgentTools,
    now: DateTime<Utc>,
) -> AgentResponse {
    turn::run(state, text, customer_phone, channel, tools, now).await
}
