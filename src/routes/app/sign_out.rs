//! `POST /app/sign-out` (this browser) and `POST /app/sign-out-everywhere`
//! (every session of the tenant's owner, from Settings): CSRF-checked, the
//! session revoked, the cookie removed, 303 to the sign-in page.

use crate::error::ApiError;
use crate::state::AppState;
use crate::web::session::{self, OwnerSession};
use actix_web::{web, HttpRequest, HttpResponse};
use servicepro_actors::web_session::store;
use servicepro_schema::TenantDb;

/// A form carrying only its CSRF token.
#[derive(serde::Deserialize)]
pub struct CsrfOnly {
    csrf: Option<String>,
}

fn failed(e: store::SessionError) -> ApiError {
    tracing::error!(error = %e, "sign-out failed");
    ApiError::internal()
}

/// `POST /app/sign-out`.
pub async fn sign_out(
    req: HttpRequest,
    state: web::Data<AppState>,
    owner: OwnerSession,
    form: web::Form<CsrfOnly>,
) -> Result<HttpResponse, ApiError> {
    if let Some(res) =
        session::refuse_bad_csrf(&state, &owner.csrf_binding, form.csrf.as_deref(), "/app")
    {
        return Ok(res);
    }
    if let Some(token) = session::token_of(&req) {
        store::revoke(&state.pool, &token).await.map_err(failed)?;
    }
    Ok(session::see_other_with(
        session::OWNER_SIGN_IN,
        session::removal(state.config.production),
    ))
}

/// `POST /app/sign-out-everywhere`.
pub async fn everywhere(
    state: web::Data<AppState>,
    owner: OwnerSession,
    form: web::Form<CsrfOnly>,
) -> Result<HttpResponse, ApiError> {
    if let Some(res) = session::refuse_bad_csrf(
        &state,
        &owner.csrf_binding,
        form.csrf.as_deref(),
        "/app/settings",
    ) {
        return Ok(res);
    }
    let db = TenantDb::new(state.pool.clone(), owner.tenant.clone());
    let n = store::revoke_all(&db).await.map_err(failed)?;
    tracing::info!(sessions = n, "owner signed out everywhere");
    Ok(session::see_other_with(
        session::OWNER_SIGN_IN,
        session::removal(state.config.production),
    ))
}
