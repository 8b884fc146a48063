//! Twilio messaging webhooks: delivery status of our outbound texts.

use crate::error::ApiError;
use crate::routes::twiml_response::empty;
use crate::state::AppState;
use crate::twilio_webhook::{query_param, verify, TenantFrom};
use actix_web::{web, HttpRequest, HttpResponse};
use servicepro_actors::messaging::delivery_status::{
    apply_delivery_report, DeliveryOutcome, DeliveryReport,
};
use servicepro_schema::TenantId;

/// `POST /twilio/sms/status`: a delivery report; may repeat or arrive out of order.
pub async fn status(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let hook = verify(&state, &req, &body, TenantFrom::Query).await?;
    let Some(ctx) = &hook.tenant else {
        return Err(ApiError::bad_request("the callback names no known tenant"));
    };
    let tenant =
        TenantId::parse(&ctx.tenant.id).map_err(|_| ApiError::bad_request("invalid tenant"))?;
    let message_id = query_param(&req, "message_id").and_then(|v| v.parse().ok());
    let report = DeliveryReport {
        message_id,
        message_sid: hook.require("MessageSid")?.to_owned(),
        status: hook.require("MessageStatus")?.to_owned(),
        error_code: hook
            .form
            .get("ErrorCode")
            .filter(|c| !c.is_empty())
            .map(str::to_owned),
    };
    let outcome = apply_delivery_report(&state.tenant_db(tenant.clone()), report.clone()).await?;
    if outcome == DeliveryOutcome::Unknown {
        tracing::warn!(tenant_id = %tenant, sid = %report.message_sid, "status for an unknown message");
    }
    Ok(empty())
}
