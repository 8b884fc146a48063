//! The texted sign-in link: `POST /app/sign-in/text-link` asks for one (same
//! answer whether the e-mail is known), `GET /app/sign-in/link?token=` shows a
//! button (so a phone's link preview cannot use it up), `POST
//! /app/sign-in/link` uses it once and signs in.

use super::sign_in::{form_binding, render, start_session};
use crate::error::ApiError;
use crate::state::AppState;
use crate::web::chrome::Chrome;
use crate::web::csrf;
use crate::web::form::FormErrors;
use crate::web::page::{self, Caching};
use crate::web::problem;
use crate::web::session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use servicepro_actors::web_session::{sign_in, SessionToken};

/// What the page says after a link was asked for (known e-mail or not).
pub const SENT: &str =
    "If that e-mail belongs to an account with an owner phone, a sign-in link is on its way by text.";

/// The request-a-link form.
#[derive(serde::Deserialize)]
pub struct LinkRequest {
    csrf: Option<String>,
    email: Option<String>,
}

/// `POST /app/sign-in/text-link`.
pub async fn request(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<LinkRequest>,
) -> Result<HttpResponse, ApiError> {
    let form = form.into_inner();
    if let Some(res) = session::refuse_bad_csrf(
        &state,
        &form_binding(&req),
        form.csrf.as_deref(),
        "/app/sign-in",
    ) {
        return Ok(res);
    }
    let email = form.email.unwrap_or_default().trim().to_owned();
    if email.is_empty() {
        let mut errors = FormErrors::none();
        errors.general = Some("Enter the e-mail you signed up with to get a link.".into());
        return render(
            &req,
            &state,
            StatusCode::UNPROCESSABLE_ENTITY,
            "/app".into(),
            email,
            None,
            errors,
        );
    }
    let ip = req
        .peer_addr()
        .map(|a| a.ip())
        .ok_or_else(|| ApiError::bad_request("no client address"))?;
    if let Err(wait) = state.sign_in_limiter.check(ip, &email) {
        tracing::warn!(%ip, "sign-in link rate limited");
        return Ok(crate::web::problem::too_many(wait, "/app/sign-in"));
    }
    let base = state
        .config
        .public_url
        .join("/app/sign-in/link?token=")
        .map_err(|_| ApiError::internal())?;
    sign_in::request_link(&state.pool, &state.outbox, &email, base.as_str())
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "sign-in link failed");
            ApiError::internal()
        })?;
    render(
        &req,
        &state,
        StatusCode::OK,
        "/app".into(),
        email,
        Some(SENT.into()),
        FormErrors::none(),
    )
}

#[derive(Template)]
#[template(path = "web/app/sign_in_link.html")]
struct LinkPage {
    chrome: Chrome,
    csrf: String,
    token: String,
}

/// `?token=` of a texted link.
#[derive(serde::Deserialize)]
pub struct LinkQuery {
    token: Option<String>,
}

/// `GET /app/sign-in/link?token=`: the button that uses the link.
pub async fn confirm(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<LinkQuery>,
) -> Result<HttpResponse, ApiError> {
    let (binding, cookie) = csrf::anonymous_binding(&req, state.config.production);
    let tpl = LinkPage {
        chrome: Chrome::public("Sign in"),
        csrf: state.csrf.token(&binding),
        token: query.into_inner().token.unwrap_or_default(),
    };
    let mut res = page::render(StatusCode::OK, Caching::Private, &tpl)?;
    if let Some(c) = cookie {
        res.add_cookie(&c).map_err(|_| ApiError::internal())?;
    }
    Ok(res)
}

/// The use-the-link form.
#[derive(serde::Deserialize)]
pub struct LinkUse {
    csrf: Option<String>,
    token: Option<String>,
}

/// `POST /app/sign-in/link`: signs in once; a used, expired or unknown link is
/// refused (403, the reason in words).
pub async fn consume(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<LinkUse>,
) -> Result<HttpResponse, ApiError> {
    let form = form.into_inner();
    if let Some(res) = session::refuse_bad_csrf(
        &state,
        &form_binding(&req),
        form.csrf.as_deref(),
        "/app/sign-in",
    ) {
        return Ok(res);
    }
    let token = SessionToken::presented(form.token.as_deref().unwrap_or_default());
    let tenant = sign_in::consume_link(&state.pool, &token)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "sign-in link check failed");
            ApiError::internal()
        })?;
    match tenant {
        Some(tenant) => start_session(&req, &state, &tenant, "/app").await,
        None => Ok(problem::page(
            StatusCode::FORBIDDEN,
            "This sign-in link was already used or has expired. Ask for a new one.",
            "/app/sign-in",
        )),
    }
}
