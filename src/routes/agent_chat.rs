//! `POST /api/agent/messages`: the web-chat channel of the same agent brain.
//! A tenant is named by its public id; a visitor by a `visitor_id` the
//! widget keeps (or their phone).

use crate::error::ApiError;
use crate::routes::json_fields::Fields;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use servicepro_actors::brain::agent::{AgentRequest, Channel, UserRole};
use servicepro_actors::brain::tools::ToolError;
use servicepro_actors::tenant::{Freshness, TenantError};
use servicepro_schema::{DbError, Feature, TenantId, E164};

/// The longest chat message accepted.
pub const MAX_MESSAGE_CHARS: usize = 2_000;

/// `POST /api/agent/messages` with `{tenant_id, message, visitor_id?, phone?}`.
pub async fn post_message(
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let fields = Fields::parse(&body)?;
    let tenant = fields.required("tenant_id", TenantId::parse)?;
    let message = fields.required_str("message")?;
    if message.chars().count() > MAX_MESSAGE_CHARS {
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
    let ctx = match state.tenants.context(&tenant, Freshness::Check).await {
        Ok(ctx) => ctx,
        Err(TenantError::Db(DbError::NotFound)) => return Err(ApiError::not_found("tenant")),
        Err(e) => return Err(e.into()),
    };
    if !ctx.tenant.has_feature(Feature::AiSmsAgent) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "feature_not_in_plan",
            "the AI agent is not part of this business's plan",
        ));
    }
    let request = AgentRequest {
        tenant_id: tenant,
        channel: Channel::Web,
        role: UserRole::Customer,
        text: message,
        conversation_id: None,
        phone,
        context: serde_json::json!({ "visitor_id": visitor }),
    };
    match state.conversations.handle_agent_message(request).await {
        Ok(response) => Ok(HttpResponse::Ok().json(response)),
        Err(ToolError::Invalid(reason)) => Err(ApiError::bad_request(reason)),
        Err(ToolError::Unavailable(reason)) => {
            tracing::warn!(%reason, "agent unavailable");
            Err(ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "the assistant is unavailable; try again shortly",
            ))
        }
    }
}
