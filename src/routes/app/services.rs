//! `POST /app/settings/services` (add), `POST /app/settings/services/{id}`
//! (edit) and `POST /app/settings/services/{id}/remove`: a service's name,
//! price and duration, read by the engine's rules (`ServiceDraft::from_text`)
//! and saved through `tenant::catalog::change_catalog`, the API's path. A
//! refused field re-renders Settings (422) beside that service's field;
//! another tenant's or an unknown id is a 404; while suspended, a 403.

use super::settings::{answer, writable};
use crate::error::ApiError;
use crate::state::AppState;
use crate::web::session::OwnerSession;
use actix_web::{web, HttpResponse};
use servicepro_actors::tenant::catalog::{change_catalog, CatalogChange, ServiceDraft};
use std::collections::HashMap;

type Form = web::Form<HashMap<String, String>>;

fn draft(form: &HashMap<String, String>) -> Result<ServiceDraft, ApiError> {
    let get = |k: &str| form.get(k).map(String::as_str).unwrap_or("");
    Ok(ServiceDraft::from_text(
        get("name"),
        get("price"),
        get("duration_minutes"),
    )?)
}

/// The one path of the three actions: a writable tenant, the change read from the
/// form, `change_catalog`, and Settings answered beside the field `anchor`.
async fn save(
    state: &AppState,
    owner: &OwnerSession,
    form: Form,
    anchor: &str,
    change: impl FnOnce(&HashMap<String, String>) -> Result<CatalogChange, ApiError>,
) -> Result<HttpResponse, ApiError> {
    let form = form.into_inner();
    let p = match writable(state, owner, &form).await? {
        Ok(p) => p,
        Err(refused) => return Ok(refused),
    };
    let result = match change(&form) {
        Ok(change) => change_catalog(&p.db, change)
            .await
            .map(|_| ())
            .map_err(ApiError::from),
        Err(e) => Err(e),
    };
    answer(p, result, "services", anchor, &form).await
}

/// `POST /app/settings/services`: a new service.
pub async fn add(
    state: web::Data<AppState>,
    owner: OwnerSession,
    form: Form,
) -> Result<HttpResponse, ApiError> {
    save(&state, &owner, form, "service-new", |f| {
        draft(f).map(CatalogChange::AddService)
    })
    .await
}

/// `POST /app/settings/services/{id}`: new values for one service.
pub async fn edit(
    state: web::Data<AppState>,
    owner: OwnerSession,
    path: web::Path<i64>,
    form: Form,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    save(&state, &owner, form, &format!("service-{id}"), |f| {
        draft(f).map(|d| CatalogChange::EditService(id, d))
    })
    .await
}

/// `POST /app/settings/services/{id}/remove`: the service is no longer offered.
pub async fn remove(
    state: web::Data<AppState>,
    owner: OwnerSession,
    path: web::Path<i64>,
    form: Form,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    save(&state, &owner, form, &format!("service-{id}"), |_| {
        Ok(CatalogChange::RemoveService(id))
    })
    .await
}
