//! `POST /app/settings/templates/{key}`: the owner's wording for one automated
//! text, checked by the rules the built-in packs meet (placeholders allowed and
//! required for that text, STOP/START where carriers ask, plain text, length)
//! and saved through `tenant::catalog::change_catalog`. A refusal re-renders
//! Settings (422) with the reasons beside that template; an unknown key is a
//! 404; while suspended, a 403.

use super::settings::{answer, writable};
use crate::error::ApiError;
use crate::state::AppState;
use crate::web::problem;
use crate::web::session::OwnerSession;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use servicepro_actors::packs::SmsTemplateKey;
use servicepro_actors::tenant::catalog::{change_catalog, CatalogChange};
use std::collections::HashMap;

/// `POST /app/settings/templates/{key}`.
pub async fn save(
    state: web::Data<AppState>,
    owner: OwnerSession,
    path: web::Path<String>,
    form: web::Form<HashMap<String, String>>,
) -> Result<HttpResponse, ApiError> {
    let form = form.into_inner();
    let p = match writable(&state, &owner, &form).await? {
        Ok(p) => p,
        Err(refused) => return Ok(refused),
    };
    let Some(key) = SmsTemplateKey::from_key(&path) else {
        return Ok(problem::page(
            StatusCode::NOT_FOUND,
            "There is no such text template.",
            "/app/settings",
        ));
    };
    // Line endings as browsers send them (CRLF) are stored as one newline.
    let body = form
        .get("body")
        .map(|b| b.replace("\r\n", "\n").trim().to_owned())
        .unwrap_or_default();
    let result = change_catalog(&p.db, CatalogChange::SetTemplate(key, body))
        .await
        .map(|_| ())
        .map_err(ApiError::from);
    answer(p, result, "templates", &format!("template-{key}"), &form).await
}
