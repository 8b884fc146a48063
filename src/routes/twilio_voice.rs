//! Twilio voice webhooks: the one canonical inbound route, the IVR, the end
//! of a forwarded call, voicemail recordings and call status callbacks.
//! Each verifies the signature first (403 and nothing stored otherwise).

use crate::error::ApiError;
use crate::routes::twiml_response::{empty, twiml};
use crate::state::AppState;
use crate::twilio_webhook::{query_param, verify, TenantFrom, TwilioWebhook};
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use servicepro_actors::tenant::context::TenantContext;
use servicepro_actors::voice::call_flow::{self, IncomingCall, IvrAction, Route};
use servicepro_actors::voice::call_records::{observe_call, CallObservation};
use servicepro_actors::voice::voicemail::{mark_owner_notified, store_voicemail, RecordingReport};
use servicepro_schema::{TenantId, E164};

fn incoming_call(hook: &TwilioWebhook) -> Result<IncomingCall, ApiError> {
    Ok(IncomingCall {
        call_sid: hook.require("CallSid")?.to_owned(),
        from: hook.form.get("From").unwrap_or_default().to_owned(),
        to: hook.form.get("To").unwrap_or_default().to_owned(),
    })
}

/// Twilio's `Timestamp` (RFC 2822), or now.
fn observed_at(hook: &TwilioWebhook) -> DateTime<Utc> {
    hook.form
        .get("Timestamp")
        .and_then(|t| DateTime::parse_from_rfc2822(t).ok())
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(Utc::now)
}

fn direction(hook: &TwilioWebhook) -> &'static str {
    match hook.form.get("Direction") {
        Some(d) if d.starts_with("outbound") => "outbound",
        _ => "inbound",
    }
}

fn tenant_of(hook: &TwilioWebhook) -> Result<&TenantContext, ApiError> {
    hook.tenant
        .as_deref()
        .ok_or_else(|| ApiError::bad_request("the callback names no known tenant"))
}

fn tenant_id(ctx: &TenantContext) -> Result<TenantId, ApiError> {
    TenantId::parse(&ctx.tenant.id)
        .map_err(|_| ApiError::bad_request("stored tenant id is invalid"))
}

/// `POST /twilio/voice/incoming`: every call to every tenant's number.
pub async fn incoming(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let hook = verify(&state, &req, &body, TenantFrom::NumberFields(&["To"])).await?;
    let call = incoming_call(&hook)?;
    let Some(ctx) = &hook.tenant else {
        tracing::warn!(call_sid = %call.call_sid, to = %call.to, "call to a number no tenant owns");
        return Ok(twiml(call_flow::answer_unknown_number()));
    };
    let (route, doc) = call_flow::answer_incoming(
        ctx,
        &call,
        &state.urls,
        state.config.openai.api_key.is_some(),
    );
    tracing::info!(tenant_id = %ctx.tenant.id, call_sid = %call.call_sid, route = route.as_str(), "incoming call");
    record(&state, ctx, &hook, &call, Some(route)).await?;
    Ok(twiml(doc))
}

async fn record(
    state: &AppState,
    ctx: &TenantContext,
    hook: &TwilioWebhook,
    call: &IncomingCall,
    route: Option<Route>,
) -> Result<(), ApiError> {
    let observation = CallObservation {
        call_sid: call.call_sid.clone(),
        direction: direction(hook).to_owned(),
        from: call.from.clone(),
        to: call.to.clone(),
        status: hook.form.get("CallStatus").unwrap_or("ringing").to_owned(),
        at: observed_at(hook),
        duration_seconds: hook.form.get("CallDuration").and_then(|d| d.parse().ok()),
        route: route.map(|r| r.as_str().to_owned()),
    };
    observe_call(&state.tenant_db(tenant_id(ctx)?), observation).await?;
    Ok(())
}

/// `POST /twilio/voice/ivr`: a menu choice (or the menu timing out).
pub async fn ivr(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let hook = verify(&state, &req, &body, TenantFrom::Query).await?;
    let ctx = tenant_of(&hook)?;
    let call = incoming_call(&hook)?;
    let attempt = query_param(&req, "attempt")
        .and_then(|a| a.parse().ok())
        .unwrap_or(1);
    let digits = hook.form.get("Digits").filter(|d| !d.is_empty());
    let joke_pick = call.call_sid.bytes().map(usize::from).sum();
    let outcome = call_flow::answer_ivr(ctx, &call, digits, attempt, &state.urls, joke_pick);
    tracing::info!(tenant_id = %ctx.tenant.id, call_sid = %call.call_sid, digits, attempt, "ivr choice");
    if let Some(IvrAction::TextBookingLink { body }) = outcome.action {
        match E164::parse(&call.from) {
            Ok(to) => {
                state.text(&tenant_id(ctx)?, to, body, "booking_link").await;
            }
            Err(_) => {
                tracing::warn!(tenant_id = %ctx.tenant.id, call_sid = %call.call_sid, "caller number cannot receive texts")
            }
        }
    }
    Ok(twiml(outcome.twiml))
}

/// `POST /twilio/voice/dial-complete`: a forwarded call ended.
pub async fn dial_complete(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let hook = verify(&state, &req, &body, TenantFrom::Query).await?;
    let ctx = tenant_of(&hook)?;
    let call = incoming_call(&hook)?;
    let status = hook.form.get("DialCallStatus").unwrap_or("no-answer");
    Ok(twiml(call_flow::after_dial(
        ctx,
        &call,
        status,
        &state.urls,
    )))
}

/// `POST /twilio/voice/voicemail-done`: the caller finished a voicemail.
pub async fn voicemail_done(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let hook = verify(&state, &req, &body, TenantFrom::Query).await?;
    Ok(twiml(call_flow::after_voicemail(tenant_of(&hook)?)))
}

/// `POST /twilio/voice/recording`: a voicemail recording is ready.
pub async fn recording(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let hook = verify(&state, &req, &body, TenantFrom::Query).await?;
    let ctx = tenant_of(&hook)?;
    if hook
        .form
        .get("RecordingStatus")
        .is_some_and(|s| s != "completed")
    {
        tracing::warn!(tenant_id = %ctx.tenant.id, status = hook.form.get("RecordingStatus"), "recording not completed; nothing stored");
        return Ok(empty());
    }
    let report = RecordingReport {
        call_sid: hook.require("CallSid")?.to_owned(),
        recording_sid: hook.require("RecordingSid")?.to_owned(),
        recording_url: hook.require("RecordingUrl")?.to_owned(),
        duration_seconds: hook
            .form
            .get("RecordingDuration")
            .and_then(|d| d.parse().ok())
            .unwrap_or(0),
        from: query_param(&req, "from").unwrap_or_default(),
    };
    let tenant = tenant_id(ctx)?;
    let db = state.tenant_db(tenant.clone());
    let Some(stored) = store_voicemail(&db, report.clone()).await? else {
        tracing::info!(tenant_id = %tenant, recording_sid = %report.recording_sid, "duplicate recording callback");
        return Ok(empty());
    };
    tracing::info!(tenant_id = %tenant, call_sid = %report.call_sid, voicemail_id = stored.id, "voicemail stored");
    notify_owner(&state, ctx, &tenant, &report, stored.id).await;
    Ok(empty())
}

async fn notify_owner(
    state: &AppState,
    ctx: &TenantContext,
    tenant: &TenantId,
    report: &RecordingReport,
    voicemail_id: i64,
) {
    let duration = format!("{}s", report.duration_seconds);
    let caller = if report.from.is_empty() {
        "an unknown caller"
    } else {
        report.from.as_str()
    };
    let body = servicepro_actors::packs::pack(&ctx.tenant.industry)
        .ok()
        .and_then(|p| {
            p.render_sms(
                servicepro_actors::packs::SmsTemplateKey::VoicemailNoticeOwner,
                &[
                    ("caller", caller),
                    ("duration", &duration),
                    ("recording_url", &report.recording_url),
                ],
            )
            .ok()
        })
        .unwrap_or_else(|| {
            format!(
                "New voicemail from {caller} ({duration}): {}",
                report.recording_url
            )
        });
    if state
        .text_owner(ctx, tenant, body, "voicemail_notice")
        .await
    {
        if let Err(e) = mark_owner_notified(&state.tenant_db(tenant.clone()), voicemail_id).await {
            tracing::error!(tenant_id = %tenant, error = %e, "could not mark voicemail notified");
        }
    }
}

/// `POST /twilio/voice/status`: call progress; may repeat or arrive out of order.
pub async fn status(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let hook = verify(
        &state,
        &req,
        &body,
        TenantFrom::NumberFields(&["To", "From", "Called"]),
    )
    .await?;
    let call = incoming_call(&hook)?;
    hook.require("CallStatus")?;
    let Some(ctx) = &hook.tenant else {
        tracing::warn!(call_sid = %call.call_sid, "status for a call no tenant owns");
        return Ok(empty());
    };
    record(&state, ctx, &hook, &call, None).await?;
    Ok(empty())
}
