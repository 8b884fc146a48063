//! `POST /twilio/sms/incoming`: every text to every tenant's number.
//! The [`Twilio`] extractor verifies the signature; the route parses the form, hand the text to the engine
//! ([`inbound_text`]: storage, carrier keywords, tier gate, owner notices,
//! the agent's turn and its deadline) and render the outcome as TwiML.

use crate::error::ApiError;
use crate::routes::twiml_response::{empty, twiml};
use crate::state::AppState;
use crate::twilio_webhook::{ByNumber, To, Twilio};
use actix_web::{web, HttpResponse};
use servicepro_actors::conversation::{clip_body, inbound_text, InboundOutcome, InboundText};
use servicepro_actors::twilio::form::Form;
use servicepro_actors::twilio::twiml::{Message, Response};
use servicepro_schema::E164;
use std::sync::Arc;

/// `POST /twilio/sms/incoming`.
pub async fn incoming(
    state: web::Data<AppState>,
    hook: Twilio<ByNumber<To>>,
) -> Result<HttpResponse, ApiError> {
    let text = parse(&hook)?;
    let tenant = hook
        .tenant
        .as_ref()
        .map(|ctx| (ctx.tenant.id.clone(), Arc::clone(ctx)));
    Ok(
        match inbound_text(&state.conversations, tenant, text).await? {
            InboundOutcome::Reply(body) => twiml(Response::new().message(Message::new(body))),
            InboundOutcome::NoTenant | InboundOutcome::Duplicate | InboundOutcome::NoReply(_) => {
                empty()
            }
        },
    )
}

/// The text's form fields.
fn parse(hook: &Twilio<ByNumber<To>>) -> Result<InboundText, ApiError> {
    let sid = hook.require("MessageSid")?.to_owned();
    let from = hook.require("From")?.to_owned();
    let mut body = hook.form.get("Body").unwrap_or_default().to_owned();
    if let Some(clipped) = clip_body(&body) {
        tracing::warn!(%sid, chars = body.chars().count(), "text body over Twilio's maximum clipped");
        body = clipped;
    }
    Ok(InboundText {
        sid,
        sender: E164::parse(&from).ok(),
        from,
        to: hook.form.get("To").unwrap_or_default().to_owned(),
        body,
        media: media_urls(&hook.form),
    })
}

/// Twilio's limit on attachments per MMS.
const MAX_MEDIA: usize = 10;

/// The URLs of an MMS's attachments, `MediaUrl0` to `MediaUrl{NumMedia-1}`; a
/// field that is missing or not a URL is skipped.
fn media_urls(form: &Form) -> Vec<String> {
    let count = form
        .get("NumMedia")
        .and_then(|n| n.trim().parse::<usize>().ok())
        .unwrap_or(0)
        .min(MAX_MEDIA);
    (0..count)
        .filter_map(|i| form.get(&format!("MediaUrl{i}")))
        .filter(|url| url.starts_with("https://") || url.starts_with("http://"))
        .map(str::to_owned)
        .collect()
}
