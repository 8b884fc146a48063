//! One span per HTTP request, so every log line a request causes carries who
//! asked for what. The span (`request`) holds:
//!
//! | field | value |
//! |---|---|
//! | `request_id` | the caller's `X-Request-Id` when sane ([`sane_request_id`]), else 16 random bytes in hex |
//! | `method` | the HTTP method |
//! | `route` | the matched route pattern (`/twilio/media-stream/{tenant}`), never the raw path |
//! | `tenant_id` | empty until authentication knows it ([`record_tenant`]) |
//!
//! Every response answers with the request id in `X-Request-Id`. Secrets never
//! go into the span: no headers, query strings or bodies are recorded.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use tracing::Instrument;

/// The header carrying a request id, in and out.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// The longest caller-given request id taken as is.
pub const MAX_REQUEST_ID_LEN: usize = 128;

/// The caller's request id when it is short and made only of ASCII letters,
/// digits, `-`, `_`, `.` and `:` (safe to log and echo); `None` otherwise.
pub fn sane_request_id(given: &str) -> Option<&str> {
    let ok = !given.is_empty()
        && given.len() <= MAX_REQUEST_ID_LEN
        && given
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'));
    ok.then_some(given)
}

/// A new request id: 16 random bytes in hex.
fn fresh_request_id() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

/// Records the authenticated tenant on the current request's span (a no-op
/// outside one).
pub fn record_tenant(tenant: &str) {
    tracing::Span::current().record("tenant_id", tenant);
}

/// The middleware: opens the request's span around the rest of the chain and
/// answers with `X-Request-Id`. Wrap it outermost so every other layer logs inside it.
pub async fn request_span(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let request_id = req
        .headers()
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .and_then(sane_request_id)
        .map_or_else(fresh_request_id, str::to_owned);
    let route = req
        .match_pattern()
        .unwrap_or_else(|| "unmatched".to_owned());
    let span = tracing::info_span!(
        "request",
        request_id = %request_id,
        method = %req.method(),
        route = %route,
        tenant_id = tracing::field::Empty,
    );
    let mut res = next.call(req).instrument(span).await?;
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        res.headers_mut()
            .insert(HeaderName::from_static(REQUEST_ID_HEADER), value);
    }
    Ok(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_id_is_taken() {
        assert_eq!(sane_request_id("req-42_a.b:c"), Some("req-42_a.b:c"));
    }

    #[test]
    fn odd_ids_are_replaced() {
        assert_eq!(sane_request_id(""), None);
        assert_eq!(sane_request_id("a b"), None);
        assert_eq!(sane_request_id("x\ny"), None);
        assert_eq!(sane_request_id("é"), None);
        assert_eq!(sane_request_id(&"a".repeat(MAX_REQUEST_ID_LEN + 1)), None);
        assert!(sane_request_id(&"a".repeat(MAX_REQUEST_ID_LEN)).is_some());
    }
}
