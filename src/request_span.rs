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
    tracing::Span::current().record("tenant_id", tracing::field::display(tenant));
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
    use actix_web::test as web_test;
    use actix_web::{web, App, HttpResponse};
    use servicepro_actors::log_capture::LogCapture;

    async fn handler() -> HttpResponse {
        record_tenant("acme");
        tracing::info!("inside the handler");
        HttpResponse::Ok().finish()
    }

    /// Calls `GET /things/42` through the middleware with `request_id`, if any; returns
    /// the answered `X-Request-Id` and the handler's log line.
    async fn call(request_id: Option<&str>) -> (String, String) {
        let capture = LogCapture::new();
        let _subscriber = tracing::subscriber::set_default(capture.subscriber());
        let app = web_test::init_service(
            App::new()
                .wrap(actix_web::middleware::from_fn(request_span))
                .route("/things/{id}", web::get().to(handler)),
        )
        .await;
        let mut req = web_test::TestRequest::get().uri("/things/42?token=secret");
        if let Some(id) = request_id {
            req = req.insert_header((REQUEST_ID_HEADER, id));
        }
        let res = web_test::call_service(&app, req.to_request()).await;
        let answered = res
            .headers()
            .get(REQUEST_ID_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let line = capture
            .line_with("inside the handler")
            .unwrap_or_else(|| panic!("not logged: {:?}", capture.lines()));
        (answered, line)
    }

    #[actix_web::test]
    async fn a_handler_logs_inside_the_request_span_with_the_callers_id() {
        let (answered, line) = call(Some("req-7")).await;
        assert_eq!(answered, "req-7");
        assert!(
            line.contains("request{request_id=req-7 method=GET route=/things/{id} tenant_id=acme}"),
            "{line}"
        );
        assert!(!line.contains("secret"), "{line}");
    }

    #[actix_web::test]
    async fn an_odd_request_id_is_replaced_by_a_fresh_one() {
        let (answered, line) = call(Some("two words")).await;
        assert_eq!(answered.len(), 32, "{answered}");
        assert!(
            answered.bytes().all(|b| b.is_ascii_hexdigit()),
            "{answered}"
        );
        assert!(line.contains(&format!("request_id={answered} ")), "{line}");
        let (fresh, _) = call(None).await;
        assert_eq!(fresh.len(), 32);
        assert_ne!(fresh, answered);
    }

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
