//! One way to answer an HTML page: the template rendered, the headers set.

use crate::error::ApiError;
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::HttpResponse;

/// The Content-Security-Policy of every page: only our own scripts, styles and
/// images (plus `data:` images for inline SVG), no framing, forms post home.
pub const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; \
     script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Whether a page may be cached by the browser and shared caches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caching {
    /// Signed-in pages and forms: never stored (`no-store`).
    Private,
    /// Public pages (a tenant's site): cacheable for a minute, revalidated after.
    Public,
}

/// Renders `template` with `status`; a template failure is logged and answered 500.
pub fn render<T: askama::Template>(
    status: StatusCode,
    caching: Caching,
    template: &T,
) -> Result<HttpResponse, ApiError> {
    let body = template.render().map_err(|e| {
        tracing::error!(error = %e, "template failed to render");
        ApiError::internal()
    })?;
    Ok(html(status, caching, body))
}

/// An HTML response with the page headers around an already-rendered `body`.
pub fn html(status: StatusCode, caching: Caching, body: String) -> HttpResponse {
    let mut res = HttpResponse::build(status);
    res.insert_header((
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    ))
    .insert_header((
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    ))
    .insert_header((
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    ))
    .insert_header((
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    ));
    let cache = match caching {
        Caching::Private => "no-store",
        Caching::Public => "public, max-age=60",
    };
    res.insert_header((header::CACHE_CONTROL, HeaderValue::from_static(cache)));
    res.body(body)
}

/// 303 See Other to `location` (the answer to a form post that worked).
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .finish()
}
