//! The hosted booking page `/{tenant}/book` (engine:
//! `servicepro_actors::booking::web_page`).
//!
//! * [`show`] — `GET`: the first step (services), and the anonymous CSRF cookie.
//! * [`post`] — `POST`: one step submitted; the next step, the same step again
//!   with reasons (422), the time step with fresh slots after a lost race
//!   (409), or the done page.
//! * [`view`] — the template and what it is filled with.
//!
//! A refusal (unknown tenant 404, bad form token 403, too many posts 429 with
//! `Retry-After`, engine unavailable 503) is an HTML page, never JSON.

pub mod post;
pub mod show;
pub mod view;

use crate::error::ApiError;
use crate::state::AppState;
use actix_web::http::StatusCode;
use servicepro_actors::booking::web_page::BookingPage;
use servicepro_actors::brain::tools::ToolError;
use servicepro_actors::tenant::{Freshness, TenantError};
use servicepro_schema::{DbError, TenantId};

/// The page of the tenant named in the path (404 when there is none).
async fn open(state: &AppState, raw: &str) -> Result<BookingPage, ApiError> {
    let tenant = TenantId::parse(raw).map_err(|_| ApiError::not_found("tenant"))?;
    let snapshot = match state.tenants.snapshot(&tenant, Freshness::Check).await {
        Ok(s) => s,
        Err(TenantError::Db(DbError::NotFound)) => return Err(ApiError::not_found("tenant")),
        Err(e) => return Err(e.into()),
    };
    Ok(BookingPage::new(
        snapshot,
        state.tenant_db(tenant),
        state.desk.clone(),
        state.outbox.clone(),
        state.clock.clone(),
    ))
}

/// A tool failure as the page answers it.
fn unavailable(err: ToolError) -> ApiError {
    tracing::error!(error = %err, "booking page engine failed");
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "unavailable",
        "booking is unavailable right now; try again shortly or call us",
    )
}

/// A handler's answer for a browser: its page, or its refusal as the problem
/// page (`web::problem::from_api`) rather than the API's JSON.
fn as_page(
    result: Result<actix_web::HttpResponse, ApiError>,
    back: &str,
) -> actix_web::HttpResponse {
    result.unwrap_or_else(|e| {
        if e.status.is_server_error() {
            tracing::warn!(status = %e.status, "booking page refused");
        }
        crate::web::problem::from_api(&e, back)
    })
}

/// Whether cookies must be `Secure` (the public URL is https).
fn secure(state: &AppState) -> bool {
    state.config.public_url.scheme() == "https"
}
