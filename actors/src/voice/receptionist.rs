//! Wiring the AI voice receptionist (`call::CallActor`) to this tenant's
//! world: its instructions from the tenant and pack, the agent brain's
//! tools as Realtime function calls, live-call redirects through Twilio's
//! REST API, and the call record written when the call ends.

use crate::brain::db_tools::DbTools;
use crate::brain::llm::{execute_tool, realtime_tool_definitions, ToolContext};
use crate::brain::tools::AgentTools;
use crate::call::{
    CallControl, CallControlError, CallFinalizer, CallSummary, Speaker, ToolExecutor,
};
use crate::messaging::{TwilioCredentials, TwilioRest};
use crate::packs;
use crate::realtime::openai_events::Tool;
use crate::tenant_context::TenantContext;
use crate::voice::call_flow::{self, IncomingCall};
use crate::voice::callback_urls::CallbackUrls;
use futures_util::future::BoxFuture;
use servicepro_schema::{DbPool, TenantDb};
use std::sync::Arc;
use tokio::sync::Mutex;

/// The receptionist's system prompt for this tenant.
pub fn instructions(ctx: &TenantContext) -> String {
    let business = &ctx.tenant.name;
    let pack = packs::pack(&ctx.tenant.industry).ok();
    let tone = pack.map(|p| p.agent.tone.clone()).unwrap_or_default();
    let services = pack
        .map(|p| {
            p.services
                .iter()
                .map(|s| {
                    format!(
                        "{} ({}{}, about {} min)",
                        s.name,
                        if s.starting_at { "from " } else { "" },
                        packs::format_usd(s.price_cents),
                        s.duration_minutes
                    )
                })
                .collect::<Vec<_>>()
                .join("; ")
        })
        .unwrap_or_default();
    format!(
        "You are the friendly phone receptionist of {business}. {tone} \
         Services and prices: {services}. Answer questions with search_kb and get_services; \
         never invent prices, policies or times. To book: learn the service, the job details, \
         the address (check_service_area), offer only times from check_availability, confirm, \
         then book_appointment. If the caller asks for a person, use handoff_to_human. \
         Keep every answer short and natural for the phone. Greet the caller first."
    )
}

/// The agent brain's tools, as Realtime function calls over the database.
pub struct BrainTools {
    tools: Arc<DbTools>,
    context: Arc<Mutex<ToolContext>>,
}

impl BrainTools {
    /// Tools for one call from `caller`.
    pub fn new(tools: DbTools, caller: Option<&str>, now: chrono::DateTime<chrono::Utc>) -> Self {
        BrainTools {
            tools: Arc::new(tools),
            context: Arc::new(Mutex::new(ToolContext::new(caller, now))),
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
        Box::pin(async move {
            let mut ctx = context.lock().await;
            let mut result = execute_tool(
                &name,
                &arguments,
                tools.as_ref() as &dyn AgentTools,
                &mut ctx,
            )
            .await;
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
/// and AI minutes metered once per call.
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
            tracing::warn!(tenant_id = %summary.tenant_id, "call ended before its start frame; nothing to record");
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
            handle.spawn(task);
        } else {
            tracing::error!("no runtime to finalise the call record");
        }
    }
}
