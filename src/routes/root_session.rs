//! The root operator's browser sign-in: `GET /root/sign-in` (the form), `POST
//! /root/sign-in` (the root token, compared in constant time like the admin
//! API's bearer, rate-limited per address) → a root session cookie and 303 to
//! `next`; `POST /root/sign-out` revokes it. 404 when no root token is set.

use crate::error::ApiError;
use crate::state::AppState;
use crate::web::chrome::Chrome;
use crate::web::csrf::{self, FORM_COOKIE};
use crate::web::form::FormErrors;
use crate::web::page::{self, Caching};
use crate::web::session::{self, safe_next, RootSession};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use servicepro_actors::web_session::store;
use subtle::ConstantTimeEq;

#[derive(Template)]
#[template(path = "web/root_session/sign_in.html")]
struct SignInPage {
    chrome: Chrome,
    csrf: String,
    next: String,
    errors: FormErrors,
}

fn render(
    req: &HttpRequest,
    state: &AppState,
    status: StatusCode,
    next: String,
    errors: FormErrors,
) -> Result<HttpResponse, ApiError> {
    let (binding, cookie) = csrf::anonymous_binding(req, state.config.production);
    let tpl = SignInPage {
        chrome: Chrome::public("Operator sign-in"),
        csrf: state.csrf.token(&binding),
        next,
        errors,
    };
    let mut res = page::render(status, Caching::Private, &tpl)?;
    if let Some(c) = cookie {
        res.add_cookie(&c).map_err(|_| ApiError::internal())?;
    }
    Ok(res)
}

fn disabled() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "admin_disabled",
        "the root dashboard is off (SERVICEPRO_ROOT_TOKEN is not set)",
    )
}

/// `?next=`.
#[derive(serde::Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// `GET /root/sign-in`.
pub async fn form(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<NextQuery>,
) -> Result<HttpResponse, ApiError> {
    if state.config.root_token.is_none() {
        return Err(disabled());
    }
    let next = safe_next(query.next.as_deref(), "/root");
    render(&req, &state, StatusCode::OK, next, FormErrors::none())
}

/// The form's fields.
#[derive(serde::Deserialize)]
pub struct RootCredentials {
    csrf: Option<String>,
    next: Option<String>,
    token: Option<String>,
}

/// `POST /root/sign-in`.
pub async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<RootCredentials>,
) -> Result<HttpResponse, ApiError> {
    let Some(expected) = state.config.root_token.as_ref() else {
        return Err(disabled());
    };
    let form = form.into_inner();
    let binding = req
        .cookie(FORM_COOKIE)
        .map(|c| c.value().to_owned())
        .unwrap_or_default();
    if let Some(res) = session::refuse_bad_csrf(
        &state,
        &binding,
        form.csrf.as_deref(),
        session::ROOT_SIGN_IN,
    ) {
        return Ok(res);
    }
    let next = safe_next(form.next.as_deref(), "/root");
    let ip = req
        .peer_addr()
        .map(|a| a.ip())
        .ok_or_else(|| ApiError::bad_request("no client address"))?;
    if let Err(wait) = state.sign_in_limiter.check(ip, "root") {
        tracing::warn!(%ip, "root sign-in rate limited");
        return Ok(crate::web::problem::too_many(wait, session::ROOT_SIGN_IN));
    }
    let given = form.token.unwrap_or_default();
    let ok: bool = given
        .trim()
        .as_bytes()
        .ct_eq(expected.expose_secret().as_bytes())
        .into();
    if !ok {
        state.metrics.auth_rejected.inc();
        tracing::warn!("root sign-in refused");
        let mut errors = FormErrors::none();
        errors.add("token", "that is not the root token");
        return render(&req, &state, StatusCode::UNPROCESSABLE_ENTITY, next, errors);
    }
    let ua = req
        .headers()
        .get(actix_web::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok());
    let (token, _) = store::create_root(&state.pool, ua).await.map_err(|e| {
        tracing::error!(error = %e, "root session not created");
        ApiError::internal()
    })?;
    tracing::info!("root signed in");
    Ok(session::see_other_with(
        &next,
        session::cookie(&token, state.config.production),
    ))
}

/// A form carrying only its CSRF token.
#[derive(serde::Deserialize)]
pub struct CsrfOnly {
    csrf: Option<String>,
}

/// `POST /root/sign-out`.
pub async fn sign_out(
    req: HttpRequest,
    state: web::Data<AppState>,
    root: RootSession,
    form: web::Form<CsrfOnly>,
) -> Result<HttpResponse, ApiError> {
    if let Some(res) =
        session::refuse_bad_csrf(&state, &root.csrf_binding, form.csrf.as_deref(), "/root")
    {
        return Ok(res);
    }
    if let Some(token) = session::token_of(&req) {
        store::revoke(&state.pool, &token).await.map_err(|e| {
            tracing::error!(error = %e, "root sign-out failed");
            ApiError::internal()
        })?;
    }
    Ok(session::see_other_with(
        session::ROOT_SIGN_IN,
        session::removal(state.config.production),
    ))
}
