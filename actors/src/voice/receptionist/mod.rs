//! Wiring the AI voice receptionist (`call::CallActor`) to this tenant's
//! world: its instructions from the tenant and pack, the agent brain's
//! tools as Realtime function calls, live-call redirects through Twilio's
//! REST API, and the call record written when the call ends; [`Receptionist`] builds a
//! call's dependencies from the tenant and starts its actor (`answer`).

mod answer;

pub use answer::{Receptionist, OUTBOUND_CAPACITY, VOICE};

use crate::brain::db_tools::DbTools;
use crate::brain::llm::{execute_tool, realtime_tool_definitions, ToolContext, ToolEffect};
use crate::brain::tools::{AgentTools, AppointmentInfo};
use crate::call::{
    CallControl, CallControlError, CallFinalizer, CallSummary, SavedRecording, Speaker,
    ToolExecutor,
};
use crate::messaging::{SendSms, SmsOutbox};
use crate::messaging::{TwilioCredentials, TwilioRest};
use crate::realtime::openai_events::Tool;
use crate::tenant::context::TenantContext;
use crate::voice::call_flow::{self, IncomingCall};
use crate::voice::callback_urls::CallbackUrls;
use actix::Addr;
use futures_util::future::BoxFuture;
use servicepro_schema::{DbPool, TenantDb};
use servicepro_schema::{TenantId, E164};
use std::sync::Arc;
use tokio::sync::Mutex;
use tracing::Instrument;

/// Where a booking made during a call is confirmed by text, like an SMS booking.
#[derive(Clone)]
pub struct Confirmations {
    /// The outbox.
    pub outbox: Addr<SmsOutbox>,
    /// The tenant.
    pub tenant: TenantId,
    /// The caller's number.
    pub caller: E164,
}

/// The agent brain's tools, as Realtime function calls over the database.
pub struct BrainTools {
    tools: Arc<DbTools>,
    context: Arc<Mutex<ToolContext>>,
    confirmations: Option<Confirmations>,
}

impl BrainTools {
    /// Tools for one call from `caller`; bookings are confirmed by text
    /// through `confirmations` when given.
    pub fn new(
        tools: DbTools,
        caller: Option<&str>,
        now: chrono::DateTime<chrono::Utc>,
        confirmations: Option<Confirmations>,
    ) -> Self {
        BrainTools {
            tools: Arc::new(tools),
            context: Arc::new(Mutex::new(ToolContext::new(caller, now))),
            confirmations,
        }
    }
}

impl ToolExecutor for BrainTools {
    fn tools(&self) -> Vec<Tool> {
        realtime_tool_definitions()
            .into_iter()
            .filter_map(|def| {
                Some(Tool::function(
                    def.get("name")?.as_str()?,
                    def.get("description")?.as_str()?,
                    def.get("parameters")?.clone(),
                ))
            })
            .collect()
    }

    fn execute(&self, name: &str, arguments: &str) -> BoxFuture<'static, serde_json::Value> {
        let (tools, context, name, arguments) = (
            self.tools.clone(),
            self.context.clone(),
            name.to_owned(),
            arguments.to_owned(),
        );
        let confirmations = self.confirmations.clone();
        Box::pin(async move {
            let mut ctx = context.lock().await;
            let effects_before = ctx.effects.len();
            let mut result = execute_tool(
                &name,
                &arguments,
                tools.as_ref() as &dyn AgentTools,
                &mut ctx,
            )
            .await;
            let booked: Vec<AppointmentInfo> = ctx.effects[effects_before.min(ctx.effects.len())..]
                .iter()
                .filter_map(|e| match e {
                    ToolEffect::Booked(a) | ToolEffect::Rescheduled(a) => Some(a.clone()),
                    _ => None,
                })
                .collect();
            if let Some(confirm) = confirmations {
                for appointment in booked {
                    let send = SendSms {
                        tenant: confirm.tenant.clone(),
                        to: confirm.caller.clone(),
                        body: crate::brain::engine::booking_confirmation(
                            tools.profile(),
                            &appointment,
                        ),
                        purpose: "booking_confirmation".to_owned(),
                        conversation_id: None,
                        customer_id: None,
                    };
                    if let Err(e) = confirm.outbox.send(send).await {
                        tracing::error!(error = %e, "booking confirmation not queued");
                    }
                }
            }
            if name == "handoff_to_human" && result.get("error").is_none() {
                if let Some(map) = result.as_object_mut() {
                    map.insert("handoff".to_owned(), serde_json::Value::Bool(true));
                }
            }
            result
        })
    }
}

/// Redirects the live call through Twilio's REST API.
pub struct TwilioCallControl {
    rest: TwilioRest,
    credentials: Option<TwilioCredentials>,
    ctx: Arc<TenantContext>,
    call: IncomingCall,
    urls: CallbackUrls,
}

impl TwilioCallControl {
    /// Control of `call` for the tenant in `ctx`.
    pub fn new(
        rest: TwilioRest,
        credentials: Option<TwilioCredentials>,
        ctx: Arc<TenantContext>,
        call: IncomingCall,
        urls: CallbackUrls,
    ) -> Self {
        TwilioCallControl {
            rest,
            credentials,
            ctx,
            call,
            urls,
        }
    }

    fn redirect(
        &self,
        call_sid: &str,
        twiml: String,
    ) -> BoxFuture<'static, Result<(), CallControlError>> {
        let (rest, credentials, call_sid) = (
            self.rest.clone(),
            self.credentials.clone(),
            call_sid.to_owned(),
        );
        Box::pin(async move {
            let Some(credentials) = credentials else {
                return Err(CallControlError(
                    "no Twilio credentials for this tenant".to_owned(),
                ));
            };
            rest.redirect_call(&credentials, &call_sid, &twiml)
                .await
                .map_err(|e| CallControlError(e.to_string()))
        })
    }
}

impl CallControl for TwilioCallControl {
    fn redirect_to_person(
        &self,
        call_sid: &str,
    ) -> BoxFuture<'static, Result<(), CallControlError>> {
        let twiml = call_flow::connect_to_person(
            &self.ctx,
            &self.call,
            &self.urls,
            "One moment, I'll put you through.",
        )
        .render();
        self.redirect(call_sid, twiml)
    }

    fn fallback_to_ivr(&self, call_sid: &str) -> BoxFuture<'static, Result<(), CallControlError>> {
        let twiml = call_flow::answer_ivr(&self.ctx, &self.call, None, 0, &self.urls, 0)
            .twiml
            .render();
        self.redirect(call_sid, twiml)
    }
}

/// Writes the call record when a call ends: transcript, a short summary,
/// and AI minutes metered once per call; and, for tenants that record
/// calls, the recording's path and length once its file is complete.
pub struct DbCallFinalizer {
    pool: DbPool,
}

impl DbCallFinalizer {
    /// A finalizer writing through `pool`.
    pub fn new(pool: DbPool) -> Self {
        DbCallFinalizer { pool }
    }
}

/// The stored summary line of a call.
pub fn summarize(summary: &CallSummary) -> String {
    let first = summary
        .transcript
        .iter()
        .find(|(speaker, _)| *speaker == Speaker::Caller)
        .map(|(_, text)| text.chars().take(160).collect::<String>())
        .unwrap_or_else(|| "the caller said nothing the receptionist understood".to_owned());
    format!(
        "AI call ({:?}, {:.0} s): caller: {first}",
        summary.ended, summary.ai_seconds
    )
}

impl CallFinalizer for DbCallFinalizer {
    fn finalize(&self, summary: CallSummary) {
        let pool = self.pool.clone();
        let Some(call_sid) = summary.call_sid.clone() else {
            tracing::warn!("call ended before its start frame; nothing to record");
            return;
        };
        let transcript: Vec<serde_json::Value> = summary
            .transcript
            .iter()
            .map(|(speaker, text)| serde_json::json!({ "speaker": if *speaker == Speaker::Caller { "caller" } else { "agent" }, "text": text }))
            .collect();
        let line = summarize(&summary);
        let minutes = (summary.ai_seconds / 60.0).ceil().max(0.0) as i32;
        let db = TenantDb::new(pool, summary.tenant_id.clone());
        let task = async move {
            let result = db
                .transaction(move |tx| {
                    Box::pin(async move {
                        use diesel::sql_types::{Integer, Jsonb, Text};
                        use diesel_async::RunQueryDsl;
                        diesel::sql_query(
                            "UPDATE calls SET transcript = transcript || $2, summary = $3, updated_at = now() \
                             WHERE tenant_id = current_setting('app.tenant_id', true) AND call_sid = $1",
                        )
                        .bind::<Text, _>(&call_sid)
                        .bind::<Jsonb, _>(serde_json::Value::Array(transcript))
                        .bind::<Text, _>(&line)
                        .execute(tx.conn())
                        .await?;
                        if minutes > 0 {
                            diesel::sql_query(
                                "INSERT INTO usage_events (tenant_id, kind, quantity, source_key) \
                                 VALUES (current_setting('app.tenant_id', true), 'ai_minutes', $1, $2) ON CONFLICT DO NOTHING",
                            )
                            .bind::<Integer, _>(minutes)
                            .bind::<Text, _>(&call_sid)
                            .execute(tx.conn())
                            .await?;
                        }
                        Ok(())
                    })
                })
                .await;
            if let Err(e) = result {
                tracing::error!(error = %e, "call record not finalised");
            }
        };
        if let Ok(handle) = tokio::runtime::Handle::try_current() {
            handle.spawn(task.in_current_span());
        } else {
            tracing::error!("no runtime to finalise the call record");
        }
    }

    fn recording_saved(&self, recording: SavedRecording) {
        let SavedRecording {
            tenant_id,
            call_sid,
            path,
            duration_ms,
            ..
        } = recording;
        let path = path.to_string_lossy().into_owned();
        let duration_ms = i32::try_from(duration_ms).unwrap_or(i32::MAX);
        let db = TenantDb::new(self.pool.clone(), tenant_id.clone());
        let Ok(handle) = tokio::runtime::Handle::try_current() else {
            tracing::error!("no runtime to link the recording to its call");
            return;
        };
        let task = async move {
            let sid = call_sid.clone();
            let result = db
                .transaction(move |tx| {
                    Box::pin(async move {
                        use diesel::sql_types::{Integer, Text};
                        use diesel_async::RunQueryDsl;
                        Ok(diesel::sql_query(
                            "UPDATE calls SET recording_path = $2, recording_duration_ms = $3, updated_at = now() \
                             WHERE tenant_id = current_setting('app.tenant_id', true) AND call_sid = $1",
                        )
                        .bind::<Text, _>(&sid)
                        .bind::<Text, _>(&path)
                        .bind::<Integer, _>(duration_ms)
                        .execute(tx.conn())
                        .await?)
                    })
                })
                .await;
            match result {
                Ok(0) => {
                    tracing::warn!("recording saved for a call without a record")
                }
                Ok(_) => {}
                Err(e) => {
                    tracing::error!(error = %e, "recording not linked to its call")
                }
            }
        };
        handle.spawn(task.in_current_span());
    }
}
