//! `POST /twilio/sms/incoming`: every text to every tenant's number.
//!
//! Order matters: verify the signature, then store the message before
//! anything else (Twilio does not retry; a text we accepted must never be
//! lost), dedupe by `MessageSid`, honour carrier keywords (STOP, START,
//! HELP, and opt-out requests in the customer's own words such as "stop
//! texting me"), apply the tier gate, and only then ask the agent — replying
//! inline with TwiML `<Message>` when the answer is ready within
//! [`REPLY_DEADLINE`], else the conversation actor texts it afterwards.

use crate::error::ApiError;
use crate::routes::twiml_response::{empty, twiml};
use crate::state::AppState;
use crate::twilio_webhook::{verify, TenantFrom};
use actix_web::{web, HttpRequest, HttpResponse};
use servicepro_actors::brain::agent::{AgentRequest, Channel, UserRole};
use servicepro_actors::brain::nlu::{carrier_keyword, normalize, opt_out_request, CarrierKeyword};
use servicepro_actors::conversation::batch_store::ReceiveText;
use servicepro_actors::conversation::store::{self, Thread};
use servicepro_actors::conversation::{Prepared, Turn};
use servicepro_actors::packs::{self, SmsTemplateKey};
use servicepro_actors::tenant::context::TenantContext;
use servicepro_actors::twilio::form::Form;
use servicepro_actors::twilio::twiml::{Message, Response};
use servicepro_schema::{Feature, TenantId, E164};
use std::time::{Duration, Instant};

/// How long the webhook waits for the agent before answering Twilio with
/// no inline reply (Twilio gives up at 15 s).
pub const REPLY_DEADLINE: Duration = Duration::from_secs(8);

fn compliance_reply(ctx: &TenantContext, key: SmsTemplateKey) -> String {
    let owner = ctx
        .config
        .as_ref()
        .and_then(|c| c.owner_phone.clone())
        .unwrap_or_default();
    let business = ctx.tenant.name.as_str();
    packs::pack(&ctx.tenant.industry)
        .ok()
        .and_then(|p| p.render_sms(key, &[("business_name", business), ("owner_phone", &owner)]).ok())
        .unwrap_or_else(|| match key {
            SmsTemplateKey::OptOutConfirmation => format!("{business}: you're unsubscribed and will get no more texts. Reply START to resubscribe."),
            _ => format!("{business}: reply with your question, or call {owner}. Reply STOP to opt out."),
        })
}

/// `POST /twilio/sms/incoming`.
pub async fn incoming(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let hook = verify(&state, &req, &body, TenantFrom::NumberFields(&["To"])).await?;
    let sid = hook.require("MessageSid")?.to_owned();
    let from_raw = hook.require("From")?.to_owned();
    let text = hook.form.get("Body").unwrap_or_default().to_owned();
    let media = media_urls(&hook.form);
    let Some(ctx) = &hook.tenant else {
        tracing::warn!(sid = %sid, to = hook.form.get("To"), "text to a number no tenant owns");
        return Ok(empty());
    };
    let tenant =
        TenantId::parse(&ctx.tenant.id).map_err(|_| ApiError::bad_request("invalid tenant"))?;
    let db = state.tenant_db(tenant.clone());
    let our_number = ctx.phone_number().unwrap_or_default().to_owned();
    let read_at = Instant::now();
    let received = state
        .text_writer
        .receive(ReceiveText {
            tenant: tenant.clone(),
            channel: Channel::Sms.as_str().to_owned(),
            from: from_raw.clone(),
            to: our_number.clone(),
            body: text.clone(),
            sid: sid.clone(),
            media,
        })
        .await?;
    if received.message_id.is_none() {
        tracing::info!(tenant_id = %tenant, sid = %sid, "duplicate inbound text ignored");
        return Ok(empty());
    }
    tracing::info!(tenant_id = %tenant, sid = %sid, "inbound text stored");
    let thread = received.thread();
    let opted_out = received.opted_out;
    let answer = Inline {
        state: &state,
        tenant: &tenant,
        thread,
        to: &from_raw,
        from: &our_number,
    };
    let words = normalize(&text);
    let keyword = carrier_keyword(&words)
        .or_else(|| opt_out_request(&words).then_some(CarrierKeyword::OptOut));
    match keyword {
        Some(CarrierKeyword::OptOut) => {
            store::set_opt_out(&db, &from_raw, true).await?;
            tracing::info!(tenant_id = %tenant, "number opted out");
            return Ok(answer
                .send(compliance_reply(ctx, SmsTemplateKey::OptOutConfirmation))
                .await);
        }
        Some(CarrierKeyword::OptIn) => {
            store::set_opt_out(&db, &from_raw, false).await?;
            let line = format!(
                "{}: you're subscribed again. Text us any time!",
                ctx.tenant.name
            );
            return Ok(answer.send(line).await);
        }
        Some(CarrierKeyword::Yes) if opted_out => {
            store::set_opt_out(&db, &from_raw, false).await?;
            let line = format!(
                "{}: you're subscribed again. Text us any time!",
                ctx.tenant.name
            );
            return Ok(answer.send(line).await);
        }
        Some(CarrierKeyword::Help) if !opted_out => {
            return Ok(answer
                .send(compliance_reply(ctx, SmsTemplateKey::HelpReply))
                .await);
        }
        _ => {}
    }
    if opted_out {
        tracing::info!(tenant_id = %tenant, "text from an opted-out number stored; no reply");
        return Ok(empty());
    }
    if !ctx.tenant.has_feature(Feature::AiSmsAgent) {
        notify_owner_of_text(&state, ctx, &tenant, &from_raw, &text).await;
        return Ok(empty());
    }
    let Ok(phone) = E164::parse(&from_raw) else {
        return Ok(empty());
    };
    let request = AgentRequest {
        tenant_id: tenant.clone(),
        channel: Channel::Sms,
        role: UserRole::Customer,
        text,
        conversation_id: Some(thread.conversation_id),
        phone: Some(phone),
        context: serde_json::Value::Null,
    };
    let (tx, mut rx) = tokio::sync::oneshot::channel();
    let actor = state.conversations.actor(&tenant, &from_raw, Channel::Sms);
    if let Err(e) = actor.try_send(Turn {
        request,
        reply_to: Some(tx),
        prepared: Some(Prepared {
            thread,
            state: received.state,
            read_at,
            tenant_version: ctx.version,
        }),
        inline_from: Some(our_number.clone()),
    }) {
        tracing::error!(tenant_id = %tenant, error = %e, "conversation busy; text stored, owner notified");
        notify_owner_of_text(
            &state,
            ctx,
            &tenant,
            &from_raw,
            hook.form.get("Body").unwrap_or_default(),
        )
        .await;
        return Ok(empty());
    }
    let reply = match tokio::time::timeout(REPLY_DEADLINE, &mut rx).await {
        Ok(Ok(response)) => Some(response),
        _ => {
            rx.close();
            rx.try_recv().ok()
        }
    };
    match reply {
        // The actor recorded this reply with the conversation's state.
        Some(response) if !response.reply.is_empty() => {
            Ok(twiml(Response::new().message(Message::new(response.reply))))
        }
        Some(_) => Ok(empty()),
        None => {
            tracing::info!(tenant_id = %tenant, "reply not ready in time; it will be texted");
            Ok(empty())
        }
    }
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

/// Where an inline reply to this text goes: the customer's thread.
struct Inline<'a> {
    state: &'a AppState,
    tenant: &'a TenantId,
    thread: Thread,
    to: &'a str,
    from: &'a str,
}

impl Inline<'_> {
    /// Answers with a TwiML `<Message>` and records it on the thread.
    async fn send(&self, body: String) -> HttpResponse {
        if let Err(e) = self
            .state
            .conversations
            .record_inline_reply(self.tenant, self.thread, self.to, self.from, &body)
            .await
        {
            tracing::error!(tenant_id = %self.tenant, error = %e, "inline reply not recorded");
        }
        twiml(Response::new().message(Message::new(body)))
    }
}

async fn notify_owner_of_text(
    state: &AppState,
    ctx: &TenantContext,
    tenant: &TenantId,
    from: &str,
    text: &str,
) {
    state
        .text_owner(
            ctx,
            tenant,
            format!("New text from {from}: {text}"),
            "owner_notice",
        )
        .await;
}
