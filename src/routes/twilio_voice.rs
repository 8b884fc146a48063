//! Twilio voice webhooks: the one canonical inbound route, the IVR, the end
//! of a forwarded call, voicemail recordings and call status callbacks.
//! Each is verified by the [`Twilio`] extractor (403 and nothing stored
//! otherwise), then answered by one `voice::switchboard` call.

use crate::error::ApiError;
use crate::routes::twiml_response::{empty, twiml};
use crate::state::AppState;
use crate::twilio_webhook::{ByCallback, ByNumber, CallParties, To, Twilio};
use actix_web::{web, HttpResponse};
use servicepro_actors::voice::call_flow;
use servicepro_actors::voice::switchboard::{CallEvent, SwitchboardError};

impl From<SwitchboardError> for ApiError {
    fn from(err: SwitchboardError) -> Self {
        match err {
            SwitchboardError::Missing(missing) => missing.into(),
            SwitchboardError::Db(db) => db.into(),
        }
    }
}

/// `POST /twilio/voice/incoming`: every call to every tenant's number.
pub async fn incoming(
    state: web::Data<AppState>,
    hook: Twilio<ByNumber<To>>,
) -> Result<HttpResponse, ApiError> {
    let event = CallEvent::parse(&hook.form)?;
    let doc = state
        .switchboard
        .answer(hook.tenant.as_deref(), &event)
        .await?;
    Ok(twiml(doc))
}

/// `POST /twilio/voice/ivr?attempt=…`: a menu choice (or the menu timing out).
pub async fn ivr(
    state: web::Data<AppState>,
    hook: Twilio<ByCallback>,
) -> Result<HttpResponse, ApiError> {
    let event = CallEvent::parse(&hook.form)?;
    let attempt = hook
        .query("attempt")
        .and_then(|a| a.parse().ok())
        .unwrap_or(1);
    let digits = hook.form.get("Digits");
    let doc = state
        .switchboard
        .menu(&hook.tenant, &event, digits, attempt)
        .await?;
    Ok(twiml(doc))
}

/// `POST /twilio/voice/dial-complete`: a forwarded call ended.
pub async fn dial_complete(
    state: web::Data<AppState>,
    hook: Twilio<ByCallback>,
) -> Result<HttpResponse, ApiError> {
    let event = CallEvent::parse(&hook.form)?;
    let dial_status = hook.form.get("DialCallStatus");
    Ok(twiml(state.switchboard.after_dial(
        &hook.tenant,
        &event,
        dial_status,
    )))
}

/// `POST /twilio/voice/voicemail-done`: the caller finished a voicemail.
pub async fn voicemail_done(hook: Twilio<ByCallback>) -> HttpResponse {
    twiml(call_flow::after_voicemail(&hook.tenant))
}

/// `POST /twilio/voice/recording?from=…`: a voicemail recording is ready.
pub async fn recording(
    state: web::Data<AppState>,
    hook: Twilio<ByCallback>,
) -> Result<HttpResponse, ApiError> {
    let from = hook.query("from");
    state
        .switchboard
        .recording(&hook.tenant, &hook.form, from)
        .await?;
    Ok(empty())
}

/// `POST /twilio/voice/status`: call progress; may repeat or arrive out of order.
pub async fn status(
    state: web::Data<AppState>,
    hook: Twilio<ByNumber<CallParties>>,
) -> Result<HttpResponse, ApiError> {
    let event = CallEvent::parse(&hook.form)?;
    hook.require("CallStatus")?;
    state
        .switchboard
        .status(hook.tenant.as_deref(), &event)
        .await?;
    Ok(empty())
}
