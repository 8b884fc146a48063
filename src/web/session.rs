//! Signed-in browsers: the `sp_session` cookie and the extractors that turn it
//! into [`OwnerSession`] or [`RootSession`].
//!
//! A page handler takes the extractor as an argument; a missing, expired,
//! revoked or foreign cookie answers 303 to the sign-in page with `?next=` (the
//! page asked for), so the handler only ever runs signed in. The cookie is
//! `HttpOnly`, `SameSite=Lax`, `Path=/`, and `Secure` in production. Each
//! session's CSRF binding is its row id, so every form's token dies with the
//! session. [`refuse_bad_csrf`] is the one check every signed-in form calls.

use super::csrf::CsrfError;
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::{header, StatusCode};
use actix_web::{dev::Payload, web, FromRequest, HttpRequest, HttpResponse, ResponseError};
use futures_util::future::LocalBoxFuture;
use servicepro_actors::web_session::{store, SessionToken};
use servicepro_schema::TenantId;

/// The session cookie.
pub const COOKIE: &str = "sp_session";
/// The owner's sign-in page.
pub const OWNER_SIGN_IN: &str = "/app/sign-in";
/// The root operator's sign-in page.
pub const ROOT_SIGN_IN: &str = "/root/sign-in";

/// A signed-in owner (only their tenant is reachable).
#[derive(Debug, Clone)]
pub struct OwnerSession {
    /// The owner's tenant.
    pub tenant: TenantId,
    /// The session's row id.
    pub session_id: i64,
    /// What this session's CSRF tokens are bound to.
    pub csrf_binding: String,
}

/// A signed-in root operator.
#[derive(Debug, Clone)]
pub struct RootSession {
    /// The session's row id.
    pub session_id: i64,
    /// What this session's CSRF tokens are bound to.
    pub csrf_binding: String,
}

impl OwnerSession {
    /// The CSRF token of this session's forms.
    pub fn csrf_token(&self, state: &AppState) -> String {
        state.csrf.token(&self.csrf_binding)
    }
}

impl RootSession {
    /// The CSRF token of this session's forms.
    pub fn csrf_token(&self, state: &AppState) -> String {
        state.csrf.token(&self.csrf_binding)
    }
}

/// Why a page could not be shown signed in.
#[derive(Debug, thiserror::Error)]
pub enum SessionRejection {
    /// Nobody (live) is signed in: go sign in, then come back.
    #[error("sign in first")]
    SignIn {
        /// The sign-in page with `?next=`.
        location: String,
    },
    /// The session store failed.
    #[error(transparent)]
    Failed(#[from] ApiError),
}

impl ResponseError for SessionRejection {
    fn status_code(&self) -> StatusCode {
        match self {
            SessionRejection::SignIn { .. } => StatusCode::SEE_OTHER,
            SessionRejection::Failed(e) => e.status_code(),
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            SessionRejection::SignIn { location } => super::page::see_other(location),
            SessionRejection::Failed(e) => e.error_response(),
        }
    }
}

/// `sign_in` with `?next=` set to the page `req` asked for.
fn sign_in_location(sign_in: &str, req: &HttpRequest) -> String {
    let next = req
        .uri()
        .path_and_query()
        .map(|pq| pq.as_str())
        .unwrap_or("/");
    let encoded: String = url::form_urlencoded::byte_serialize(next.as_bytes()).collect();
    format!("{sign_in}?next={encoded}")
}

/// Where to go after signing in: `next` when it is a page under `prefix` of
/// this site, else `prefix` (never another origin).
pub fn safe_next(next: Option<&str>, prefix: &str) -> String {
    match next {
        Some(n)
            if (n == prefix
                || n.starts_with(&format!("{prefix}/"))
                || n.starts_with(&format!("{prefix}?")))
                && !n.contains("//")
                && !n.contains('\\') =>
        {
            n.to_owned()
        }
        _ => prefix.to_owned(),
    }
}

fn state_of(req: &HttpRequest) -> Result<web::Data<AppState>, SessionRejection> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| SessionRejection::Failed(ApiError::internal()))
}

fn presented(req: &HttpRequest) -> Option<SessionToken> {
    req.cookie(COOKIE)
        .map(|c| SessionToken::presented(c.value()))
}

fn store_failed(e: store::SessionError) -> SessionRejection {
    tracing::error!(error = %e, "session lookup failed");
    SessionRejection::Failed(ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "unavailable",
        "sessions are unavailable; try again shortly",
    ))
}

impl FromRequest for OwnerSession {
    type Error = SessionRejection;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = state_of(req);
        let token = presented(req);
        let location = sign_in_location(OWNER_SIGN_IN, req);
        Box::pin(async move {
            let state = state?;
            let found = match token {
                Some(t) => store::lookup_owner(&state.pool, &t)
                    .await
                    .map_err(store_failed)?,
                None => None,
            };
            let Some(s) = found else {
                return Err(SessionRejection::SignIn { location });
            };
            crate::request_span::record_tenant(s.tenant.as_str());
            Ok(OwnerSession {
                csrf_binding: format!("owner-session:{}", s.session_id),
                tenant: s.tenant,
                session_id: s.session_id,
            })
        })
    }
}

impl FromRequest for RootSession {
    type Error = SessionRejection;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = state_of(req);
        let token = presented(req);
        let location = sign_in_location(ROOT_SIGN_IN, req);
        Box::pin(async move {
            let state = state?;
            let found = match token {
                Some(t) => store::lookup_root(&state.pool, &t)
                    .await
                    .map_err(store_failed)?,
                None => None,
            };
            let Some(s) = found else {
                return Err(SessionRejection::SignIn { location });
            };
            Ok(RootSession {
                csrf_binding: format!("root-session:{}", s.session_id),
                session_id: s.session_id,
            })
        })
    }
}

/// The cookie carrying a new session's `token`.
pub fn cookie(token: &SessionToken, secure: bool) -> Cookie<'static> {
    Cookie::build(COOKIE, token.expose_secret().to_owned())
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .max_age(actix_web::cookie::time::Duration::seconds(
            i64::try_from(servicepro_actors::web_session::SESSION_TTL.as_secs())
                .unwrap_or(i64::MAX),
        ))
        .finish()
}

/// A cookie that removes the session cookie.
pub fn removal(secure: bool) -> Cookie<'static> {
    let mut c = Cookie::build(COOKIE, "")
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .finish();
    c.make_removal();
    c
}

/// The session token the request carries, if any (for signing out).
pub fn token_of(req: &HttpRequest) -> Option<SessionToken> {
    presented(req)
}

/// Checks a posted form's `csrf` field against `binding`: `None` when it
/// matches, else the 403 page naming the reason (to answer instead).
pub fn refuse_bad_csrf(
    state: &AppState,
    binding: &str,
    token: Option<&str>,
    back: &str,
) -> Option<HttpResponse> {
    state.csrf.verify(binding, token).err().map(|e: CsrfError| {
        tracing::warn!(reason = %e, "form refused: CSRF token");
        super::problem::page(StatusCode::FORBIDDEN, &e.to_string(), back)
    })
}

/// 303 to `location`, setting `cookie`.
pub fn see_other_with(location: &str, cookie: Cookie<'static>) -> HttpResponse {
    let mut res = super::page::see_other(location);
    if let Err(e) = res.add_cookie(&cookie) {
        tracing::error!(error = %e, "cookie not set");
    }
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    res
}

#[cfg(test)]
mod tests {
    use super::{cookie, safe_next};
    use servicepro_actors::web_session::SessionToken;

    #[test]
    fn the_cookie_is_http_only_lax_and_secure_in_production() {
        let token = SessionToken::new_root();
        let prod = cookie(&token, true).to_string();
        let dev = cookie(&token, false).to_string();
        for c in [&prod, &dev] {
            assert!(
                c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.contains("Path=/"),
                "{c}"
            );
        }
        assert!(prod.contains("Secure") && !dev.contains("Secure"));
    }

    #[test]
    fn next_stays_on_the_signed_in_area() {
        assert_eq!(
            safe_next(Some("/app/appointments?week=2026-12-07"), "/app"),
            "/app/appointments?week=2026-12-07"
        );
        assert_eq!(safe_next(Some("/app"), "/app"), "/app");
        for bad in [
            "//evil.com",
            "/app//evil.com",
            "https://evil.com/app",
            "/apple",
            "/root",
            "/app\\x",
        ] {
            assert_eq!(safe_next(Some(bad), "/app"), "/app", "{bad}");
        }
        assert_eq!(safe_next(None, "/root"), "/root");
    }
}
