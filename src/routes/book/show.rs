//! `GET /{tenant}/book`: the services, and the anonymous form cookie.

use super::view::{self, Shown};
use super::{open, secure};
use crate::error::ApiError;
use crate::state::AppState;
use crate::web::csrf::anonymous_binding;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use servicepro_actors::booking::web_page::{Posted, Step};

/// The first step; a refusal (404, 503) as a page.
pub async fn first_step(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> HttpResponse {
    super::as_page(show(state, req, path).await, "/")
}

async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let page = open(&state, &path).await?;
    let (binding, cookie) = anonymous_binding(&req, secure(&state));
    let shown = Shown::new(&path, state.csrf.token(&binding));
    let mut res = view::step(
        &page,
        shown,
        Step::Service,
        &Posted::new(),
        None,
        StatusCode::OK,
    )
    .await?;
    if let Some(cookie) = cookie {
        res.add_cookie(&cookie).map_err(|e| {
            tracing::error!(error = %e, "form cookie not set");
            ApiError::internal()
        })?;
    }
    Ok(res)
}
