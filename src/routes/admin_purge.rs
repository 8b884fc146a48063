//! `POST /api/admin/tenants/{id}/purge {"confirm": "<id>"}` (root token): the
//! operator's purge of a closed tenant past the retention window
//! ([`Purger::purge`](servicepro_actors::retention::Purger::purge): archive,
//! verify, delete, audited). 200 with the report; 404 for no such tenant; 409
//! with the reason (and the date it becomes possible) when the retention rule
//! refuses; 422 when `confirm` does not repeat the tenant's id.

use crate::auth::RootAdmin;
use crate::body::BoundedBody;
use crate::error::ApiError;
use crate::request_span::record_tenant;
use crate::routes::json_fields::Fields;
use crate::state::AppState;
use actix_web::{web, HttpResponse};
use servicepro_schema::TenantId;

/// `confirm` must repeat the tenant's id: a purge is never one stray request away.
pub fn confirmed(id: &TenantId, confirm: &str) -> Result<(), ApiError> {
    if confirm == id.as_str() {
        Ok(())
    } else {
        Err(ApiError::invalid_field(
            "confirm",
            format!(
                "type the tenant's id ({}) to confirm the purge",
                id.as_str()
            ),
        ))
    }
}

/// `POST /api/admin/tenants/{id}/purge`.
pub async fn purge(
    _admin: RootAdmin,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: BoundedBody,
) -> Result<HttpResponse, ApiError> {
    let id = TenantId::parse(&path.into_inner()).map_err(|_| ApiError::not_found("tenant"))?;
    record_tenant(id.as_str());
    let fields = Fields::parse(&body)?;
    fields.only(&["confirm"])?;
    confirmed(&id, &fields.required_str("confirm")?)?;
    let report = state
        .purger
        .purge(&id, RootAdmin::ACTOR, (state.clock)())
        .await?;
    Ok(HttpResponse::Ok().json(report))
}
