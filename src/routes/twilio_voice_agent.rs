//! `POST /twilio/voice/agent`: the AI receptionist turn by turn, for
//! `ai-voice` tenants when no realtime provider is configured (a fresh
//! machine, or no OpenAI key): Twilio's speech recognition hears the
//! caller, the same agent brain as SMS answers, `<Say>` speaks it, and the
//! next `<Gather>` listens — until booked, handed off or goodbye.

use crate::error::ApiError;
use crate::routes::twiml_response::twiml;
use crate::state::AppState;
use crate::twilio_webhook::{query_param, verify, TenantFrom};
use actix_web::{web, HttpRequest, HttpResponse};
use servicepro_actors::brain::agent::{AgentRequest, Channel, NextAction, UserRole};
use servicepro_actors::voice::call_flow::{self, IncomingCall, SILENT_TURNS};
use servicepro_actors::voice::call_records::append_transcript;
use servicepro_schema::{TenantId, E164};
use std::time::Duration;

/// How long a turn may think before the caller is offered a message instead
/// (Twilio gives up on a webhook at 15 s).
pub const TURN_DEADLINE: Duration = Duration::from_secs(10);

/// `POST /twilio/voice/agent?tenant_id=…&turn=…`.
pub async fn turn(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let hook = verify(&state, &req, &body, TenantFrom::Query).await?;
    let Some(ctx) = &hook.tenant else {
        return Err(ApiError::bad_request("the callback names no known tenant"));
    };
    let call = IncomingCall {
        call_sid: hook.require("CallSid")?.to_owned(),
        from: hook.form.get("From").unwrap_or_default().to_owned(),
        to: hook.form.get("To").unwrap_or_default().to_owned(),
    };
    let tenant =
        TenantId::parse(&ctx.tenant.id).map_err(|_| ApiError::bad_request("invalid tenant"))?;
    let silent_turns: u32 = query_param(&req, "turn")
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let heard = hook
        .form
        .get("SpeechResult")
        .map(str::trim)
        .unwrap_or_default()
        .to_owned();
    if heard.is_empty() {
        if silent_turns >= SILENT_TURNS {
            return Ok(twiml(call_flow::voicemail(ctx, &call, &state.urls)));
        }
        return Ok(twiml(call_flow::speech_gather(
            &state.urls,
            tenant.as_str(),
            silent_turns + 1,
            "Sorry, I didn't catch that. How can I help you?",
        )));
    }
    let phone = E164::parse(&call.from).ok();
    let request = AgentRequest {
        tenant_id: tenant.clone(),
        channel: Channel::Voice,
        role: UserRole::Customer,
        text: heard.clone(),
        conversation_id: None,
        phone: phone.clone(),
        context: serde_json::json!({ "visitor_id": call.call_sid }),
    };
    let answered = tokio::time::timeout(
        TURN_DEADLINE,
        state.conversations.handle_agent_message(request),
    )
    .await;
    let response = match answered {
        Ok(Ok(response)) if !response.reply.is_empty() => response,
        other => {
            tracing::warn!(tenant_id = %tenant, call_sid = %call.call_sid, outcome = ?other.map(|r| r.map(|_| ())), "voice turn failed; taking a message");
            return Ok(twiml(call_flow::voicemail(ctx, &call, &state.urls)));
        }
    };
    let db = state.tenant_db(tenant.clone());
    if let Err(e) = append_transcript(
        &db,
        &call.call_sid,
        &[("caller", &heard), ("agent", &response.reply)],
    )
    .await
    {
        tracing::warn!(tenant_id = %tenant, error = %e, "transcript not stored");
    }
    tracing::info!(tenant_id = %tenant, call_sid = %call.call_sid, actions = ?response.next_actions, "voice turn");
    let spoken = response
        .reply
        .replace("Reply 1, 2 or 3 to book.", "Which one works for you?");
    if response
        .next_actions
        .iter()
        .any(|a| matches!(a, NextAction::Handoff { .. }))
    {
        return Ok(twiml(call_flow::connect_to_person(
            ctx,
            &call,
            &state.urls,
            &spoken,
        )));
    }
    if response
        .next_actions
        .iter()
        .any(|a| matches!(a, NextAction::Book { .. } | NextAction::Reschedule { .. }))
    {
        if let Some(to) = phone {
            state
                .text(&tenant, to, response.reply.clone(), "booking_confirmation")
                .await;
        }
        let line = format!(
            "{spoken} I've also texted you the details. Is there anything else I can help with?"
        );
        return Ok(twiml(call_flow::speech_gather(
            &state.urls,
            tenant.as_str(),
            1,
            &line,
        )));
    }
    Ok(twiml(call_flow::speech_gather(
        &state.urls,
        tenant.as_str(),
        1,
        &spoken,
    )))
}
