//! `POST /root/tenants/{id}/purge {csrf, confirm}`: the operator's purge from
//! the drill-down page — the same engine call as `POST
//! /api/admin/tenants/{id}/purge` ([`Purger::purge`](servicepro_actors::retention::Purger::purge)),
//! confirmed by typing the tenant's id. 303 back to the page on success; a
//! refusal (inside the window, still active, wrong confirmation) re-renders the
//! page with the reason; 403 without the session's CSRF token.

use super::actions::{check, refused, ActionForm};
use super::layout::ACTOR;
use crate::error::ApiError;
use crate::routes::admin_purge::confirmed;
use crate::state::AppState;
use crate::web::page;
use crate::web::session::RootSession;
use actix_web::{web, HttpResponse};

/// `POST /root/tenants/{id}/purge`.
pub async fn purge(
    state: web::Data<AppState>,
    root: RootSession,
    path: web::Path<String>,
    form: web::Form<ActionForm>,
) -> Result<HttpResponse, ApiError> {
    let id = match check(&state, &root, &path, &form) {
        Ok(id) => id,
        Err(res) => return Ok(*res),
    };
    let outcome = match confirmed(&id, form.confirm.as_deref().unwrap_or_default()) {
        Ok(()) => state
            .purger
            .purge(&id, ACTOR, (state.clock)())
            .await
            .map_err(ApiError::from),
        Err(e) => Err(e),
    };
    match outcome {
        Ok(_) => Ok(page::see_other(&format!(
            "/root/tenants/{}?done=purged",
            id.as_str()
        ))),
        Err(e) => refused(&state, &root, &id, e).await,
    }
}
