//! The operator's actions on one tenant, each a POST form with the session's
//! CSRF token, answering 303 back to the tenant's page:
//!
//! * `POST /root/tenants/{id}/status {status}` — suspend or reactivate, and
//! * `POST /root/tenants/{id}/tier {plan_tier}` — change the plan: both through
//!   [`admin_plan::apply_change`], the same code (tenant actor, status policy,
//!   audit row) as `POST /api/admin/tenants/{id}/status|tier`.
//! * `POST /root/tenants/{id}/provisioning` — try buying the number now
//!   (audited `provisioning.retry`, then the provisioner's own attempt).
//! * `POST /root/tenants/{id}/purge {confirm}` — in [`super::purge`].
//!
//! A refused change (already so, unknown value) re-renders the page, 422, with
//! the reason in the banner; another tenant's unknown id is 404.

use super::layout::ACTOR;
use super::tenant::{render, tenant_of};
use crate::error::ApiError;
use crate::routes::admin_plan::{self, PlanChange};
use crate::state::AppState;
use crate::web::chrome::{Banner, Tone};
use crate::web::page;
use crate::web::session::{self, RootSession};
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use servicepro_schema::root_db::AuditEntry;
use servicepro_schema::{PlanTier, TenantId, TenantStatus};

/// An action's form.
#[derive(serde::Deserialize)]
pub struct ActionForm {
    pub(super) csrf: Option<String>,
    status: Option<String>,
    plan_tier: Option<String>,
    /// The tenant's id typed again (the purge's confirmation).
    pub(super) confirm: Option<String>,
}

/// Re-renders the tenant's page with `err`'s reason (404 page for no tenant).
pub(super) async fn refused(
    state: &AppState,
    root: &RootSession,
    id: &TenantId,
    err: ApiError,
) -> Result<HttpResponse, ApiError> {
    if err.status.is_server_error() {
        return Err(err);
    }
    if err.status == StatusCode::NOT_FOUND {
        return Ok(crate::web::problem::page(
            StatusCode::NOT_FOUND,
            "There is no tenant with that id.",
            "/root",
        ));
    }
    let text = match &err.field {
        Some(f) => format!("{f}: {}", err.message),
        None => err.message.clone(),
    };
    let banner = Banner {
        tone: Tone::Bad,
        text,
    };
    render(
        state,
        root,
        id,
        StatusCode::UNPROCESSABLE_ENTITY,
        Some(banner),
    )
    .await
}

/// Checks the token and the id; `Err` is the answer to give instead.
pub(super) fn check(
    state: &AppState,
    root: &RootSession,
    path: &str,
    form: &ActionForm,
) -> Result<TenantId, Box<HttpResponse>> {
    let id = tenant_of(path).map_err(|_| {
        Box::new(crate::web::problem::page(
            StatusCode::NOT_FOUND,
            "There is no tenant with that id.",
            "/root",
        ))
    })?;
    if let Some(res) = session::refuse_bad_csrf(
        state,
        &root.csrf_binding,
        form.csrf.as_deref(),
        &format!("/root/tenants/{}", id.as_str()),
    ) {
        return Err(Box::new(res));
    }
    Ok(id)
}

async fn change(
    state: &AppState,
    root: &RootSession,
    id: TenantId,
    parsed: Result<PlanChange, ApiError>,
    done: &str,
) -> Result<HttpResponse, ApiError> {
    let result = match parsed {
        Ok(c) => admin_plan::apply_change(state, &id, c, ACTOR).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(page::see_other(&format!(
            "/root/tenants/{}?done={done}",
            id.as_str()
        ))),
        Err(e) => refused(state, root, &id, e).await,
    }
}

/// `POST /root/tenants/{id}/status`.
pub async fn status(
    state: web::Data<AppState>,
    root: RootSession,
    path: web::Path<String>,
    form: web::Form<ActionForm>,
) -> Result<HttpResponse, ApiError> {
    let id = match check(&state, &root, &path, &form) {
        Ok(id) => id,
        Err(res) => return Ok(*res),
    };
    let parsed = form
        .status
        .as_deref()
        .unwrap_or_default()
        .parse::<TenantStatus>()
        .map(PlanChange::Status)
        .map_err(|e| ApiError::invalid_field("status", e.to_string()));
    let done = form.status.as_deref().unwrap_or_default().to_owned();
    change(&state, &root, id, parsed, &done).await
}

/// `POST /root/tenants/{id}/tier`.
pub async fn tier(
    state: web::Data<AppState>,
    root: RootSession,
    path: web::Path<String>,
    form: web::Form<ActionForm>,
) -> Result<HttpResponse, ApiError> {
    let id = match check(&state, &root, &path, &form) {
        Ok(id) => id,
        Err(res) => return Ok(*res),
    };
    let parsed = form
        .plan_tier
        .as_deref()
        .unwrap_or_default()
        .parse::<PlanTier>()
        .map(PlanChange::Tier)
        .map_err(|e| ApiError::invalid_field("plan_tier", e.to_string()));
    change(&state, &root, id, parsed, "tier").await
}

/// `POST /root/tenants/{id}/provisioning`.
pub async fn provisioning(
    state: web::Data<AppState>,
    root: RootSession,
    path: web::Path<String>,
    form: web::Form<ActionForm>,
) -> Result<HttpResponse, ApiError> {
    let id = match check(&state, &root, &path, &form) {
        Ok(id) => id,
        Err(res) => return Ok(*res),
    };
    let audit = AuditEntry::new(ACTOR, "provisioning.retry", Some(&id));
    state
        .root_db
        .transaction(audit, |_| Box::pin(async { Ok(()) }))
        .await?;
    match state.provisioner.ensure_number(&id).await {
        Ok(_) => Ok(page::see_other(&format!(
            "/root/tenants/{}?done=provisioned",
            id.as_str()
        ))),
        Err(e) => {
            tracing::warn!(error = %e, "operator's provisioning retry failed");
            let err = ApiError::new(
                StatusCode::CONFLICT,
                "provisioning_failed",
                format!("buying the number failed: {e}"),
            );
            refused(&state, &root, &id, err).await
        }
    }
}
