//! `POST /api/billing/upgrade {plan_tier}` (tenant API key): moves the tenant's
//! plan up or down through the `BillingActor`; 200 with the new profile, 402 when
//! Stripe refuses the payment, 409 when already on that tier, 422 for a bad tier.

use crate::auth::TenantApi;
use crate::body::BoundedBody;
use crate::error::ApiError;
use crate::request_span::record_tenant;
use crate::routes::json_fields::Fields;
use crate::state::AppState;
use actix::Addr;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use servicepro_actors::billing::{BillingActor, Upgrade};
use servicepro_actors::tenant::profile;
use servicepro_schema::PlanTier;

/// The billing actor, or 404 when billing is off.
pub fn billing(state: &AppState) -> Result<&Addr<BillingActor>, ApiError> {
    state.billing.as_ref().ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "billing_disabled",
            "billing is off (STRIPE_SECRET_KEY is not set)",
        )
    })
}

/// `POST /api/billing/upgrade`.
pub async fn upgrade(
    api: TenantApi,
    state: web::Data<AppState>,
    body: BoundedBody,
) -> Result<HttpResponse, ApiError> {
    record_tenant(api.tenant.as_str());
    let tier = Fields::parse(&body)?.required("plan_tier", str::parse::<PlanTier>)?;
    let billing = billing(&state)?;
    let msg = Upgrade {
        tenant: api.tenant,
        tier,
    };
    let done = billing.send(msg).await.map_err(|e| {
        tracing::error!(error = %e, "billing actor unavailable");
        ApiError::internal()
    })??;
    // The same profile as `GET /api/tenant`, read after the change, plus what the
    // upgrade itself left to do.
    let db = state.tenant_db(done.context.tenant.id.clone());
    let found = profile::profile(&db, (state.clock)()).await?;
    let mut body = serde_json::to_value(found).map_err(|e| {
        tracing::error!(error = %e, "profile not serialisable");
        ApiError::internal()
    })?;
    if let Some(billing) = body.get_mut("billing").and_then(|b| b.as_object_mut()) {
        billing.insert(
            "checkout_required".to_owned(),
            serde_json::Value::Bool(done.checkout_required),
        );
    }
    Ok(HttpResponse::Ok().json(body))
}
