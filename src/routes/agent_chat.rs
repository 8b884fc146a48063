//! `POST /api/agent/messages`: the web-chat channel of the same agent brain.
//! A tenant is named by its public id, a visitor by the `visitor_id` the
//! widget keeps (8–64 of `A-Z a-z 0-9 _ -`); a `phone` is what the visitor
//! says their number is, proven only by the engine's texted code. The route
//! counts the request against the client IP's and the visitor's limits (429
//! with `Retry-After`), parses and validates the body, loads the tenant, calls
//! [`web_chat`] and renders the answer as JSON.

use crate::body::BoundedBody;
use crate::error::ApiError;
use crate::request_span::record_tenant;
use crate::routes::json_fields::Fields;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use servicepro_actors::brain::tools::ToolError;
use servicepro_actors::conversation::web_chat::visitor::VisitorId;
use servicepro_actors::conversation::web_chat::MAX_MESSAGE_CHARS;
use servicepro_actors::conversation::{web_chat, ChatError, ChatMessage};
use servicepro_actors::tenant::{Freshness, TenantError};
use servicepro_schema::{DbError, TenantId, E164};

/// `POST /api/agent/messages` with `{tenant_id, message, visitor_id, phone?}`.
pub async fn post_message(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: BoundedBody,
) -> Result<HttpResponse, ApiError> {
    if let Some(ip) = req.peer_addr().map(|a| a.ip()) {
        state
            .chat_limits
            .check_ip(ip)
            .map_err(|wait| ApiError::too_many_requests("from this address", wait))?;
    }
    let message = parse(&body)?;
    state
        .chat_limits
        .check_visitor(&message.tenant, &message.visitor)
        .map_err(|wait| ApiError::too_many_requests("from this visitor", wait))?;
    let ctx = match state
        .tenants
        .context(&message.tenant, Freshness::Check)
        .await
    {
        Ok(ctx) => ctx,
        Err(TenantError::Db(DbError::NotFound)) => return Err(ApiError::not_found("tenant")),
        Err(e) => return Err(e.into()),
    };
    record_tenant(message.tenant.as_str());
    match web_chat(&state.conversations, &ctx, message, state.web_chat_policy()).await {
        Ok(response) => Ok(HttpResponse::Ok().json(response)),
        Err(error) => Err(refusal(error)),
    }
}

/// A chat error as the API answers it.
fn refusal(error: ChatError) -> ApiError {
    match error {
        ChatError::NotInPlan => ApiError::new(
            StatusCode::FORBIDDEN,
            "feature_not_in_plan",
            "the AI agent is not part of this business's plan",
        ),
        ChatError::TooManyVisitors => ApiError::too_many_requests(
            "from new visitors to this business",
            std::time::Duration::from_secs(60),
        ),
        ChatError::Agent(ToolError::Invalid(reason)) => ApiError::bad_request(reason),
        ChatError::Agent(ToolError::Unavailable(reason)) => {
            tracing::warn!(%reason, "agent unavailable");
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "the assistant is unavailable; try again shortly",
            )
        }
        ChatError::Agent(ToolError::State(error)) => {
            tracing::error!(%error, "turn failed: its state could not be stored");
            ApiError::internal()
        }
        ChatError::Agent(ToolError::VerificationRequired) => {
            // The engine turns a guard's refusal into a texted code; one
            // reaching the edge is a bug.
            tracing::error!("a verification refusal reached the chat route");
            ApiError::internal()
        }
    }
}

/// The request body, validated.
fn parse(body: &[u8]) -> Result<ChatMessage, ApiError> {
    let fields = Fields::parse(body)?;
    let tenant = fields.required("tenant_id", TenantId::parse)?;
    let visitor = fields.required("visitor_id", VisitorId::parse)?;
    let text = fields.required_str("message")?;
    if text.chars().count() > MAX_MESSAGE_CHARS {
        return Err(ApiError::invalid_field(
            "message",
            format!("message must be at most {MAX_MESSAGE_CHARS} characters"),
        ));
    }
    let phone = fields.optional("phone", E164::parse)?;
    Ok(ChatMessage {
        tenant,
        text,
        phone,
        visitor,
    })
}
