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

/// `POST /app/settings/services`: a new service.
pub async fn add(
    state: web::Data<AppState>,
    owner: OwnerSession,
    form: Form,
) -> Result<HttpResponse, ApiError> {
    let form = form.into_inner();
    let p = match writable(&state, &owner, &form).await? {
        Ok(p) => p,
        Err(refused) => return Ok(refused),
    };
    let result = match draft(&form) {
        Ok(d) => change_catalog(&p.db, CatalogChange::AddService(d))
            .await
            .map(|_| ())
            .map_err(ApiError::from),
        Err(e) => Err(e),
    };
    answer(p, result, "services", "service-new", &form).await
}

/// `POST /app/settings/services/{id}`: new values for one service.
pub async fn edit(
    state: web::Data<AppState>,
    owner: OwnerSession,
    path: web::Path<i64>,
    form: Form,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let form = form.into_inner();
    let p = match writable(&state, &owner, &form).await? {
        Ok(p) => p,
        Err(refused) => return Ok(refused),
    };
    let result = match draft(&form) {
        Ok(d) => change_catalog(&p.db, CatalogChange::EditService(id, d))
            .await
            .map(|_| ())
            .map_err(ApiError::from),
        Err(e) => Err(e),
    };
    answer(p, result, "services", &format!("service-{id}"), &form).await
}

/// `POST /app/settings/services/{id}/remove`: the service is no longer offered.
pub async fn remove(
    state: web::Data<AppState>,
    owner: OwnerSession,
    path: web::Path<i64>,
    form: Form,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let form = form.into_inner();
    let p = match writable(&state, &owner, &form).await? {
        Ok(p) => p,
        Err(refused) => return Ok(refused),
    };
    let result = change_catalog(&p.db, CatalogChange::RemoveService(id))
        .await
        .map(|_| ())
        .map_err(ApiError::from);
    answer(p, result, "services", &format!("service-{id}"), &form).await
}
