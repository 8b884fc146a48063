//! A page that says why a request was refused (403 bad form token, 404 not
//! yours or not there, 429 too many tries) in words, with a way back.

use super::chrome::Chrome;
use super::page::{self, Caching};
use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use askama::Template;

#[derive(Template)]
#[template(path = "web/problem.html")]
struct Problem<'a> {
    chrome: Chrome,
    heading: &'a str,
    reason: &'a str,
    back: &'a str,
}

/// The page for `status` with `reason`, linking back to `back`.
pub fn page(status: StatusCode, reason: &str, back: &str) -> HttpResponse {
    let heading = status.canonical_reason().unwrap_or("Refused");
    let tpl = Problem {
        chrome: Chrome::public(heading),
        heading,
        reason,
        back,
    };
    match page::render(status, Caching::Private, &tpl) {
        Ok(res) => res,
        Err(e) => actix_web::ResponseError::error_response(&e),
    }
}

/// 429 with `Retry-After` (whole seconds, at least one): too many tries.
pub fn too_many(wait: std::time::Duration, back: &str) -> HttpResponse {
    let secs = (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1);
    let mut res = page(
        StatusCode::TOO_MANY_REQUESTS,
        &format!("Too many sign-in attempts. Try again in {secs} seconds."),
        back,
    );
    if let Ok(v) = actix_web::http::header::HeaderValue::from_str(&secs.to_string()) {
        res.headers_mut()
            .insert(actix_web::http::header::RETRY_AFTER, v);
    }
    res
}

/// An [`ApiError`](crate::error::ApiError) answered to a browser: the page
/// for its status with its reason (a 5xx's message is already generic), and
/// `Retry-After` when it has one. For pages whose handlers share the API's
/// error type (the booking page).
pub fn from_api(err: &crate::error::ApiError, back: &str) -> HttpResponse {
    let mut res = page(err.status, &err.message, back);
    if let Some(secs) = err.retry_after {
        if let Ok(v) = actix_web::http::header::HeaderValue::from_str(&secs.to_string()) {
            res.headers_mut()
                .insert(actix_web::http::header::RETRY_AFTER, v);
        }
    }
    res
}
