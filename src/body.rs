//! Request bodies read within bounds: at most a route's byte limit (413 past it) and
//! within the configured body-read deadline (408 past it, so a client that sends its
//! body a byte at a time cannot hold a connection). The Twilio extractor reads its
//! form this way; JSON routes take a [`BoundedBody`].

use crate::error::ApiError;
use crate::state::AppState;
use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::web::{Bytes, BytesMut, Data};
use actix_web::{FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use futures_util::StreamExt;
use std::time::Duration;

/// The body limit of the JSON API routes (a chat message is at most a few KiB; a
/// tenant's creation request a few more).
pub const JSON_BODY_LIMIT: usize = 64 * 1024;

/// Reads `payload` whole: 413 past `limit` bytes (checked per chunk, so no more than
/// `limit` plus one chunk is ever held), 408 when it has not all arrived by `deadline`.
pub async fn read_bounded(
    payload: Payload,
    limit: usize,
    deadline: Duration,
) -> Result<BytesMut, ApiError> {
    match tokio::time::timeout(deadline, read_limited(payload, limit)).await {
        Ok(body) => body,
        Err(_) => Err(ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            "request_timeout",
            format!(
                "the request body did not arrive within {} ms",
                deadline.as_millis()
            ),
        )),
    }
}

async fn read_limited(mut payload: Payload, limit: usize) -> Result<BytesMut, ApiError> {
    let mut body = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk =
            chunk.map_err(|e| ApiError::bad_request(format!("request body not read: {e}")))?;
        if body.len() + chunk.len() > limit {
            return Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!("the request body is at most {limit} bytes"),
            ));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The body deadline configured for the app of `req` (the default without state).
pub fn body_deadline(req: &HttpRequest) -> Duration {
    req.app_data::<Data<AppState>>()
        .map(|state| state.config.edge.body_read_timeout)
        .unwrap_or(crate::config::edge::DEFAULT_BODY_READ_TIMEOUT)
}

/// A request body of at most [`JSON_BODY_LIMIT`] bytes, read within the body deadline.
pub struct BoundedBody(pub Bytes);

impl std::ops::Deref for BoundedBody {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl FromRequest for BoundedBody {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let deadline = body_deadline(req);
        let payload = payload.take();
        Box::pin(async move {
            let body = read_bounded(payload, JSON_BODY_LIMIT, deadline).await?;
            Ok(BoundedBody(body.freeze()))
        })
    }
}
