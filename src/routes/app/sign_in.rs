//! `GET /app/sign-in` (the form) and `POST /app/sign-in` (e-mail and password):
//! rate-limited per address and per e-mail, one answer for an unknown e-mail and
//! a wrong password, then a session cookie and 303 to `next`.

use crate::error::ApiError;
use crate::state::AppState;
use crate::web::chrome::Chrome;
use crate::web::csrf::{self, FORM_COOKIE};
use crate::web::form::FormErrors;
use crate::web::page::{self, Caching};
use crate::web::session::{self, safe_next};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use servicepro_actors::web_session::{sign_in, store};
use servicepro_schema::SecretString;

/// The one answer to a wrong e-mail or password.
pub const WRONG: &str = "That e-mail and password do not match an account.";

#[derive(Template)]
#[template(path = "web/app/sign_in.html")]
pub(super) struct SignInPage {
    pub chrome: Chrome,
    pub csrf: String,
    pub next: String,
    pub email: String,
    pub notice: Option<String>,
    pub errors: FormErrors,
}

/// The `?next=` of the sign-in page.
#[derive(Debug, serde::Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// Renders the sign-in page (setting the anonymous form cookie when new).
pub(super) fn render(
    req: &HttpRequest,
    state: &AppState,
    status: StatusCode,
    next: String,
    email: String,
    notice: Option<String>,
    errors: FormErrors,
) -> Result<HttpResponse, ApiError> {
    let (binding, cookie) = csrf::anonymous_binding(req, state.config.production);
    let tpl = SignInPage {
        chrome: Chrome::public("Sign in"),
        csrf: state.csrf.token(&binding),
        next,
        email,
        notice,
        errors,
    };
    let mut res = page::render(status, Caching::Private, &tpl)?;
    if let Some(c) = cookie {
        res.add_cookie(&c).map_err(|_| ApiError::internal())?;
    }
    Ok(res)
}

/// `GET /app/sign-in`.
pub async fn form(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<NextQuery>,
) -> Result<HttpResponse, ApiError> {
    let next = safe_next(query.next.as_deref(), "/app");
    render(
        &req,
        &state,
        StatusCode::OK,
        next,
        String::new(),
        None,
        FormErrors::none(),
    )
}

/// The sign-in form's fields.
#[derive(serde::Deserialize)]
pub struct Credentials {
    csrf: Option<String>,
    next: Option<String>,
    email: Option<String>,
    password: Option<String>,
}

/// The binding of the anonymous form cookie the browser sent (empty when none).
pub(super) fn form_binding(req: &HttpRequest) -> String {
    req.cookie(FORM_COOKIE)
        .map(|c| c.value().to_owned())
        .unwrap_or_default()
}

/// `POST /app/sign-in`.
pub async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    form: web::Form<Credentials>,
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
    let next = safe_next(form.next.as_deref(), "/app");
    let email = form.email.unwrap_or_default().trim().to_owned();
    let password = form.password.unwrap_or_default();
    let mut errors = FormErrors::none();
    if email.is_empty() {
        errors.add("email", "enter the e-mail you signed up with");
    }
    if password.is_empty() {
        errors.add("password", "enter your password");
    }
    if !errors.is_empty() {
        return render(
            &req,
            &state,
            StatusCode::UNPROCESSABLE_ENTITY,
            next,
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
        tracing::warn!(%ip, "sign-in rate limited");
        return Ok(crate::web::problem::too_many(wait, "/app/sign-in"));
    }
    let tenant = sign_in::with_password(&state.pool, &email, SecretString::new(password))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "sign-in failed to run");
            ApiError::internal()
        })?;
    let Some(tenant) = tenant else {
        errors.general = Some(WRONG.to_owned());
        return render(
            &req,
            &state,
            StatusCode::UNPROCESSABLE_ENTITY,
            next,
            email,
            None,
            errors,
        );
    };
    start_session(&req, &state, &tenant, &next).await
}

/// A new owner session for `tenant`: the cookie and 303 to `next`.
pub(super) async fn start_session(
    req: &HttpRequest,
    state: &AppState,
    tenant: &servicepro_schema::TenantId,
    next: &str,
) -> Result<HttpResponse, ApiError> {
    let ua = req
        .headers()
        .get(actix_web::http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok());
    let (token, _) = store::create_owner(&state.pool, tenant, ua)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "session not created");
            ApiError::internal()
        })?;
    crate::request_span::record_tenant(tenant.as_str());
    tracing::info!("owner signed in");
    Ok(session::see_other_with(
        next,
        session::cookie(&token, state.config.production),
    ))
}
