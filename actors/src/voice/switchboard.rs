//! The voice webhooks' engine: each verified Twilio callback becomes one call here, and
//! the answer is a TwiML document (or nothing) for the edge to render.
//!
//! * [`Switchboard::answer`] — an incoming call: the number's tenant answers by status
//!   and `ivr_mode` ([`call_flow::answer_incoming`]), and the call record notes the route;
//! * [`Switchboard::menu`] — an IVR choice, texting the booking link for "press 2";
//! * [`Switchboard::after_dial`] — a forwarded call ended (answered, or to voicemail);
//! * [`Switchboard::recording`] — a voicemail recording: stored once, the owner told;
//! * [`Switchboard::status`] — call progress onto the call record.
//!
//! [`CallEvent`] is the typed view of the fields these callbacks share.

use actix::Addr;
use chrono::{DateTime, Utc};
use servicepro_schema::{DbError, DbPool, Direction, TenantDb, TenantId, E164};
use thiserror::Error;

use crate::messaging::Notices;
use crate::messaging::SmsOutbox;
use crate::packs::{self, SmsTemplateKey, TenantTemplates};
use crate::tenant::context::TenantContext;
use crate::tenant::trial_limits::{Metered, TrialLimits};
use crate::tenant::{Freshness, TenantRegistry};
use crate::twilio::twiml::Response;
use crate::twilio::{Form, MissingField};
use crate::voice::call_flow::{self, IncomingCall, IvrAction, Route};
use crate::voice::call_records::{observe_call, CallObservation};
use crate::voice::callback_urls::CallbackUrls;
use crate::voice::voicemail::{mark_owner_notified, store_voicemail, RecordingReport};

/// Why a voice webhook could not be handled.
#[derive(Debug, Error)]
pub enum SwitchboardError {
    /// A field the callback needs is absent (a 400).
    #[error(transparent)]
    Missing(#[from] MissingField),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbError),
}

/// The fields every call callback carries.
#[derive(Debug, Clone)]
pub struct CallEvent {
    /// The call, its caller and the dialled number.
    pub call: IncomingCall,
    /// Which way the call went (Twilio's `outbound-api`, `outbound-dial`… are outbound).
    pub direction: Direction,
    /// `CallStatus`, when sent.
    pub status: Option<String>,
    /// Twilio's `Timestamp` (RFC 2822), or now.
    pub at: DateTime<Utc>,
    /// `CallDuration`, on completion.
    pub duration_seconds: Option<i32>,
}

impl CallEvent {
    /// Reads a call callback; `CallSid` is required.
    pub fn parse(form: &Form) -> Result<Self, MissingField> {
        Ok(CallEvent {
            call: IncomingCall {
                call_sid: form.require("CallSid")?.to_owned(),
                from: form.get("From").unwrap_or_default().to_owned(),
                caller: form.get("From").and_then(|f| E164::parse(f).ok()),
                to: form.get("To").unwrap_or_default().to_owned(),
            },
            direction: match form.get("Direction") {
                Some(d) if d.starts_with("outbound") => Direction::Outbound,
                _ => Direction::Inbound,
            },
            status: form.get("CallStatus").map(str::to_owned),
            at: form
                .get("Timestamp")
                .and_then(|t| DateTime::parse_from_rfc2822(t).ok())
                .map_or_else(Utc::now, |t| t.with_timezone(&Utc)),
            duration_seconds: form.get("CallDuration").and_then(|d| d.parse().ok()),
        })
    }

    /// The observation of the call record (an incoming call without a status is ringing).
    fn observation(&self, route: Option<Route>) -> CallObservation {
        CallObservation {
            call_sid: self.call.call_sid.clone(),
            direction: self.direction,
            from: self.call.from.clone(),
            to: self.call.to.clone(),
            status: self.status.clone().unwrap_or_else(|| "ringing".to_owned()),
            at: self.at,
            duration_seconds: self.duration_seconds,
            route: route.map(|r| r.as_str().to_owned()),
        }
    }
}

/// Answers the voice webhooks of every tenant.
#[derive(Clone)]
pub struct Switchboard {
    pool: DbPool,
    urls: CallbackUrls,
    notices: Notices,
    tenants: TenantRegistry,
    realtime: bool,
    trial_limits: TrialLimits,
}

fn tenant_id(ctx: &TenantContext) -> TenantId {
    ctx.tenant.id.clone()
}

impl Switchboard {
    /// A switchboard storing through `pool`, handing Twilio `urls`, texting through
    /// `outbox`, reading the tenant's own wording from its actor (`tenants`); `realtime` when
    /// the AI receptionist's provider is configured.
    pub fn new(
        pool: DbPool,
        urls: CallbackUrls,
        outbox: Addr<SmsOutbox>,
        tenants: TenantRegistry,
        realtime: bool,
    ) -> Self {
        Switchboard {
            pool,
            urls,
            notices: Notices::new(outbox),
            tenants,
            realtime,
            trial_limits: TrialLimits::default(),
        }
    }

    /// The same switchboard with these trial limits.
    pub fn with_trial_limits(mut self, limits: TrialLimits) -> Self {
        self.trial_limits = limits;
        self
    }

    /// The tenant's own SMS templates at the version its context was read at.
    async fn templates(&self, ctx: &TenantContext) -> Result<TenantTemplates, SwitchboardError> {
        let tenant = tenant_id(ctx);
        Ok(self
            .tenants
            .templates(&tenant, Freshness::Seen(ctx.version))
            .await)
    }

    fn db(&self, ctx: &TenantContext) -> Result<TenantDb, SwitchboardError> {
        Ok(TenantDb::new(self.pool.clone(), tenant_id(ctx)))
    }

    /// An incoming call to the number of `tenant` (none: no tenant owns it).
    pub async fn answer(
        &self,
        tenant: Option<&TenantContext>,
        event: &CallEvent,
    ) -> Result<Response, SwitchboardError> {
        let Some(ctx) = tenant else {
            tracing::warn!(call_sid = %event.call.call_sid, to = %event.call.to, "call to a number no tenant owns");
            return Ok(call_flow::answer_unknown_number());
        };
        let over_trial_limit = self
            .trial_limits
            .exceeded(&self.db(ctx)?, ctx.tenant.status, Metered::Call, Utc::now())
            .await?;
        let (route, doc) = if over_trial_limit {
            call_flow::answer_over_trial_limit(ctx, &event.call, &self.urls)
        } else {
            call_flow::answer_incoming(ctx, &event.call, &self.urls, self.realtime)
        };
        tracing::info!(call_sid = %event.call.call_sid, route = route.as_str(), "incoming call");
        observe_call(&self.db(ctx)?, event.observation(Some(route))).await?;
        Ok(doc)
    }

    /// A menu choice (`digits`; none when the menu timed out) on menu `attempt`.
    pub async fn menu(
        &self,
        ctx: &TenantContext,
        event: &CallEvent,
        digits: Option<&str>,
        attempt: u32,
    ) -> Result<Response, SwitchboardError> {
        let call = &event.call;
        let digits = digits.filter(|d| !d.is_empty());
        let joke_pick = call.call_sid.bytes().map(usize::from).sum();
        let outcome = call_flow::answer_ivr(ctx, call, digits, attempt, &self.urls, joke_pick);
        tracing::info!(call_sid = %call.call_sid, digits, attempt, "ivr choice");
        if let Some(IvrAction::TextBookingLink { url }) = outcome.action {
            match call.caller.clone() {
                Some(to) => {
                    let body = packs::booking_link_text(
                        &self.templates(ctx).await?,
                        packs::pack(&ctx.tenant.industry).ok(),
                        &ctx.tenant.name,
                        &url,
                    );
                    self.notices
                        .text(&tenant_id(ctx), to, body, "booking_link")
                        .await;
                }
                None => {
                    tracing::warn!(call_sid = %call.call_sid, "caller number cannot receive texts")
                }
            }
        }
        Ok(outcome.twiml)
    }

    /// A forwarded call ended with `dial_status` (Twilio's `DialCallStatus`; none is
    /// no answer).
    pub fn after_dial(
        &self,
        ctx: &TenantContext,
        event: &CallEvent,
        dial_status: Option<&str>,
    ) -> Response {
        let status = dial_status.unwrap_or("no-answer");
        call_flow::after_dial(ctx, &event.call, status, &self.urls)
    }

    /// A voicemail recording callback (`from`: the caller, from the callback URL): stored
    /// once when completed, and the owner told of it.
    pub async fn recording(
        &self,
        ctx: &TenantContext,
        form: &Form,
        from: Option<String>,
    ) -> Result<(), SwitchboardError> {
        let status = form.get("RecordingStatus");
        if status.is_some_and(|s| s != "completed") {
            tracing::warn!(status, "recording not completed; nothing stored");
            return Ok(());
        }
        let report = RecordingReport {
            call_sid: form.require("CallSid")?.to_owned(),
            recording_sid: form.require("RecordingSid")?.to_owned(),
            recording_url: form.require("RecordingUrl")?.to_owned(),
            duration_seconds: form
                .get("RecordingDuration")
                .and_then(|d| d.parse().ok())
                .unwrap_or(0),
            from: from.unwrap_or_default(),
        };
        let tenant = tenant_id(ctx);
        let db = self.db(ctx)?;
        let Some(stored) = store_voicemail(&db, report.clone()).await? else {
            tracing::info!(recording_sid = %report.recording_sid, "duplicate recording callback");
            return Ok(());
        };
        tracing::info!(call_sid = %report.call_sid, voicemail_id = stored.id, "voicemail stored");
        let notice = voicemail_notice(ctx, &self.templates(ctx).await?, &report);
        if self
            .notices
            .text_owner(ctx, &tenant, notice, "voicemail_notice")
            .await
        {
            if let Err(e) = mark_owner_notified(&db, stored.id).await {
                tracing::error!(error = %e, "could not mark voicemail notified");
            }
        }
        Ok(())
    }

    /// Call progress of the number of `tenant` (none: no tenant owns it, nothing stored).
    pub async fn status(
        &self,
        tenant: Option<&TenantContext>,
        event: &CallEvent,
    ) -> Result<(), SwitchboardError> {
        let Some(ctx) = tenant else {
            tracing::warn!(call_sid = %event.call.call_sid, "status for a call no tenant owns");
            return Ok(());
        };
        observe_call(&self.db(ctx)?, event.observation(None)).await?;
        Ok(())
    }
}

/// The owner's notice of a new voicemail, in the tenant's words.
fn voicemail_notice(
    ctx: &TenantContext,
    templates: &TenantTemplates,
    report: &RecordingReport,
) -> String {
    let duration = format!("{}s", report.duration_seconds);
    let caller = if report.from.is_empty() {
        "an unknown caller"
    } else {
        report.from.as_str()
    };
    templates.render(
        packs::pack(&ctx.tenant.industry).ok(),
        SmsTemplateKey::VoicemailNoticeOwner,
        &[
            ("caller", caller),
            ("duration", &duration),
            ("recording_url", &report.recording_url),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_call_event_reads_twilios_fields_and_defaults_what_is_missing() {
        let form = Form::from(vec![
            ("CallSid".to_owned(), "CA1".to_owned()),
            ("From".to_owned(), "+14158675309".to_owned()),
            ("Direction".to_owned(), "outbound-dial".to_owned()),
            ("CallDuration".to_owned(), "42".to_owned()),
            (
                "Timestamp".to_owned(),
                "Mon, 30 Nov 2026 15:04:05 +0000".to_owned(),
            ),
        ]);
        let event = CallEvent::parse(&form).unwrap();
        assert_eq!(event.call.call_sid, "CA1");
        assert_eq!(event.call.to, "");
        assert_eq!(
            event.call.caller.as_ref().map(E164::as_str),
            Some("+14158675309")
        );
        assert_eq!(event.direction, Direction::Outbound);
        assert_eq!(event.duration_seconds, Some(42));
        assert_eq!(event.at.to_rfc3339(), "2026-11-30T15:04:05+00:00");
        let observed = event.observation(Some(Route::Ivr));
        assert_eq!(observed.status, "ringing");
        assert_eq!(observed.route.as_deref(), Some("ivr"));
    }

    #[test]
    fn an_anonymous_caller_is_kept_raw_with_no_number() {
        let form = Form::from(vec![
            ("CallSid".to_owned(), "CA2".to_owned()),
            ("From".to_owned(), "anonymous".to_owned()),
        ]);
        let event = CallEvent::parse(&form).unwrap();
        assert_eq!(event.call.from, "anonymous");
        assert_eq!(event.call.caller, None);
        assert_eq!(event.direction, Direction::Inbound);
    }

    #[test]
    fn a_call_event_needs_its_call_sid() {
        let form = Form::from(vec![("From".to_owned(), "+14158675309".to_owned())]);
        assert_eq!(
            CallEvent::parse(&form).unwrap_err(),
            MissingField {
                name: "CallSid".to_owned()
            }
        );
    }
}
