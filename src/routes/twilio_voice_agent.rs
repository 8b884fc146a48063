//! `POST /twilio/voice/agent`: the AI receptionist turn by turn, for
//! `ai-voice` tenants when no realtime provider is configured. The route
//! parses the callback (verified by the [`Twilio`] extractor), runs one [`speech_turn`] of the engine
//! and renders its outcome: `<Say>` and the next `<Gather>`, a person, or
//! voicemail.

use crate::error::ApiError;
use crate::routes::twiml_response::twiml;
use crate::state::AppState;
use crate::twilio_webhook::{ByCallback, Twilio};
use actix_web::{web, HttpResponse};
use servicepro_actors::voice::call_flow;
use servicepro_actors::voice::speech_turn::{speech_turn, SpeechOutcome, SpeechTurn};
use servicepro_actors::voice::switchboard::CallEvent;

/// `POST /twilio/voice/agent?tenant_id=…&turn=…`.
pub async fn turn(
    state: web::Data<AppState>,
    hook: Twilio<ByCallback>,
) -> Result<HttpResponse, ApiError> {
    let ctx = &hook.tenant;
    let call = CallEvent::parse(&hook.form)?.call;
    let tenant = ctx.tenant.id.clone();
    let turn = SpeechTurn {
        tenant: tenant.clone(),
        call: call.clone(),
        heard: hook
            .form
            .get("SpeechResult")
            .unwrap_or_default()
            .trim()
            .to_owned(),
        silent_turns: hook.query("turn").and_then(|v| v.parse().ok()).unwrap_or(1),
    };
    let urls = &state.urls;
    Ok(twiml(match speech_turn(&state.conversations, turn).await {
        SpeechOutcome::Listen { line, turn } => {
            call_flow::speech_gather(urls, tenant.as_str(), turn, &line)
        }
        SpeechOutcome::Handoff(line) => call_flow::connect_to_person(ctx, &call, urls, &line),
        SpeechOutcome::Voicemail => call_flow::voicemail(ctx, &call, urls),
    }))
}
