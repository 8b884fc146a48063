//! `POST /api/agent/messages`: the web-chat channel of the same agent brain.
//! A tenant is named by its public id; a visitor by a `visitor_id` the
//! widget keeps (or their phone). The route parses and validates the body,
//! loads the tenant, calls [`web_chat`] and renders the answer as JSON.

use crate::body::BoundedBody;
use crate::error::ApiError;
use crate::request_span::record_tenant;
use crate::routes::json_fields::Fields;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use servicepro_actors::brain::tools::ToolError;
use servicepro_actors::conversation::web_chat::MAX_MESSAGE_CHARS;
use servicepro_actors::conversation::{web_chat, ChatError, ChatMessage};
use servicepro_actors::tenant::{Freshness, TenantError};
use servicepro_schema::{DbError, TenantId, E164};

/// `POST /api/agent/messages` with `{tenant_id, message, visitor_id?, phone?}`.
pub async fn post_message(
    state: web::Data<AppState>,
    body: BoundedBody,
) -> Result<HttpResponse, ApiError> {
    let message = parse(&body)?;
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
    match web_chat(&state.conversations, &ctx, message).await {
        Ok(response) => Ok(HttpResponse::Ok().json(response)),
        Err(ChatError::NotInPlan) => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "feature_not_in_plan",
            "the AI agent is not part of this business's plan",
        )),
        Err(ChatError::Agent(ToolError::Invalid(reason))) => Err(ApiError::bad_request(reason)),
        Err(ChatError::Agent(ToolError::Unavailable(reason))) => {
            tracing::warn!(%reason, "agent unavailable");
            Err(ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "the assistant is unavailable; try again shortly",
            ))
        }
        Err(ChatError::Agent(ToolError::State(error))) => {
            tracing::error!(%error, "turn failed: its state could not be stored");
            Err(ApiError::internal())
        }
    }
}

/// The request body, validated.
fn parse(body: &[u8]) -> Result<ChatMessage, ApiError> {
    let fields = Fields::parse(body)?;
    let tenant = fields.required("tenant_id", TenantId::parse)?;
    let text = fields.required_str("message")?;
    if text.chars().count() > MAX_MESSAGE_CHARS {
        return Err(ApiError::invalid_field(
            "message",
            format!("message must be at most {MAX_MESSAGE_CHARS} characters"),
        ));
    }
    let phone = fields.optional("phone", E164::parse)?;
    let visitor = fields.optional_str("visitor_id")?;
    if phone.is_none() && visitor.is_none() {
        return Err(ApiError::invalid_field(
            "visitor_id",
            "visitor_id or phone is required",
        ));
    }
    Ok(ChatMessage {
        tenant,
        text,
        phone,
        visitor,
    })
}
