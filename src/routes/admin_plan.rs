//! Root admin status and tier actions (root token): `POST
//! /api/admin/tenants/{id}/status {status}` and `POST /api/admin/tenants/{id}/tier
//! {plan_tier}`. Both go through the tenant's actor (`TenantRegistry`), which writes
//! the audit row with the change; what the tenant may then do is the status policy's
//! answer, returned with it. Neither touches Stripe (an operator's override; the next
//! Stripe event about the subscription applies on top).

use crate::auth::RootAdmin;
use crate::body::BoundedBody;
use crate::error::ApiError;
use crate::request_span::record_tenant;
use crate::routes::json_fields::Fields;
use crate::state::AppState;
use actix_web::{web, HttpResponse};
use servicepro_actors::tenant::context::TenantContext;
use servicepro_actors::tenant::{Freshness, TenantError};
use servicepro_schema::features::enabled_features;
use servicepro_schema::policy::{self, Action};
use servicepro_schema::{DbError, PlanTier, TenantId, TenantStatus};
use std::sync::Arc;

fn tenant_of(path: web::Path<String>) -> Result<TenantId, ApiError> {
    let id = TenantId::parse(&path.into_inner()).map_err(|_| ApiError::not_found("tenant"))?;
    record_tenant(id.as_str());
    Ok(id)
}

async fn current(state: &AppState, id: &TenantId) -> Result<Arc<TenantContext>, ApiError> {
    match state.tenants.context(id, Freshness::Check).await {
        Ok(ctx) => Ok(ctx),
        Err(TenantError::Db(DbError::NotFound)) => Err(ApiError::not_found("tenant")),
        Err(e) => Err(e.into()),
    }
}

/// The tenant after a change, with what its status allows now.
fn render(ctx: &TenantContext) -> HttpResponse {
    let t = &ctx.tenant;
    let allowed: Vec<Action> = Action::ALL
        .into_iter()
        .filter(|a| policy::may(t.status, *a))
        .collect();
    HttpResponse::Ok().json(serde_json::json!({
        "id": t.id,
        "status": t.status,
        "plan_tier": t.plan_tier,
        "features": enabled_features(t.plan_tier, t.status),
        "allowed": allowed,
        "banner": policy::banner(t.status),
    }))
}

/// A change an operator asks for.
#[derive(Debug, Clone, Copy)]
pub enum PlanChange {
    /// Move to this status.
    Status(TenantStatus),
    /// Move to this tier.
    Tier(PlanTier),
}

/// Applies `change` to tenant `id` through its actor, audited as `by`; 404 for
/// no such tenant, 409 when it is so already. The one path of the admin API
/// and the root dashboard.
pub async fn apply_change(
    state: &AppState,
    id: &TenantId,
    change: PlanChange,
    by: &str,
) -> Result<Arc<TenantContext>, ApiError> {
    let now = current(state, id).await?;
    let ctx = match change {
        PlanChange::Status(s) if s == now.tenant.status => {
            return Err(ApiError::conflict(
                "status",
                format!("the tenant is {s} already"),
            ))
        }
        PlanChange::Tier(t) if t == now.tenant.plan_tier => {
            return Err(ApiError::conflict(
                "plan_tier",
                format!("the tenant is on {t} already"),
            ))
        }
        PlanChange::Status(s) => state.tenants.change_status(id, s, by).await?,
        PlanChange::Tier(t) => state.tenants.change_tier(id, t, by).await?,
    };
    tracing::info!(?change, by, "tenant plan changed by an operator");
    Ok(ctx)
}

/// Applies `change` to the tenant at `path` through its actor; 409 when it is so already.
async fn apply(
    state: &AppState,
    path: web::Path<String>,
    change: impl Fn(&Fields) -> Result<PlanChange, ApiError>,
    body: &[u8],
) -> Result<HttpResponse, ApiError> {
    let id = tenant_of(path)?;
    let change = change(&Fields::parse(body)?)?;
    let ctx = apply_change(state, &id, change, RootAdmin::ACTOR).await?;
    Ok(render(&ctx))
}

/// `POST /api/admin/tenants/{id}/status {status}`: 409 when already in it.
pub async fn change_status(
    _admin: RootAdmin,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: BoundedBody,
) -> Result<HttpResponse, ApiError> {
    let parse = |f: &Fields| Ok(PlanChange::Status(f.required("status", str::parse)?));
    apply(&state, path, parse, &body).await
}

/// `POST /api/admin/tenants/{id}/tier {plan_tier}`: 409 when already on it.
pub async fn change_tier(
    _admin: RootAdmin,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: BoundedBody,
) -> Result<HttpResponse, ApiError> {
    let parse = |f: &Fields| Ok(PlanChange::Tier(f.required("plan_tier", str::parse)?));
    apply(&state, path, parse, &body).await
}
