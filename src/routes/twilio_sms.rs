//! Twilio messaging webhooks: delivery status of our outbound texts.

use crate::error::ApiError;
use crate::routes::twiml_response::empty;
use crate::state::AppState;
use crate::twilio_webhook::{ByCallback, Twilio};
use actix_web::{web, HttpResponse};
use servicepro_actors::messaging::delivery_status::{
    apply_delivery_report, DeliveryReport, ReportError,
};

impl From<ReportError> for ApiError {
    fn from(err: ReportError) -> Self {
        match err {
            ReportError::Missing(missing) => missing.into(),
            ReportError::Status(e) => ApiError::invalid_field("MessageStatus", e.to_string()),
        }
    }
}

/// `POST /twilio/sms/status?message_id=…`: a delivery report; may repeat or arrive out
/// of order.
pub async fn status(
    state: web::Data<AppState>,
    hook: Twilio<ByCallback>,
) -> Result<HttpResponse, ApiError> {
    let tenant = hook.tenant.tenant.id.clone();
    let message_id = hook.query("message_id").and_then(|v| v.parse().ok());
    let report = DeliveryReport::parse(&hook.form, message_id)?;
    apply_delivery_report(&state.tenant_db(tenant), report).await?;
    Ok(empty())
}
