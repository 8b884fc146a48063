//! Confirmations on a channel that speaks: the caller hears a short sentence
//! and is texted the written confirmation (the pack's template), which the
//! response carries for the channel to send.

use chrono::{DateTime, Utc};

use crate::brain::phrasing::Phrasing;

use super::context::Ctx;
use super::reply::Reply;
use super::text::{clock, day_label, local};

/// Sets the reply's main part to a confirmation: `written` on a written
/// channel; on a spoken one, what `spoken` says, with `written` kept as the
/// confirmation to text.
pub(super) fn confirm(
    ctx: &Ctx<'_>,
    reply: &mut Reply,
    written: String,
    spoken: impl FnOnce(Phrasing) -> String,
) {
    if ctx.say.speaks_confirmations() {
        reply.main(spoken(ctx.say));
        reply.confirmation(written);
    } else {
        reply.main(written);
    }
}

/// An instant as the day and clock time people say: ("Saturday Dec 5",
/// "9:00 AM") in the tenant's zone.
pub(super) fn when(at: DateTime<Utc>, ctx: &Ctx<'_>) -> (String, String) {
    let tz = ctx.tz();
    (day_label(local(at, tz).date_naive()), clock(at, tz))
}
