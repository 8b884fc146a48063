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
use servicepro_schema::features::enabled_features;
use servicepro_schema::{policy, PlanTier};

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
    let t = &done.context.tenant;
    Ok(HttpResponse::Ok().json(serde_json::json!({
        "id": t.id,
        "name": t.name,
        "industry": t.industry,
        "plan_tier": t.plan_tier,
        "status": t.status,
        "trial_ends_at": t.trial_ends_at,
        "features": enabled_features(t.plan_tier, t.status),
        "phone_number": done.context.phone_number(),
        "banner": policy::banner(t.status),
        "billing": {
            "checkout_required": done.checkout_required,
            "provisioning": if done.provisioning { "pending" } else { "done" },
        },
    })))
}
