//! `GET /app/recordings/{call_sid}?expires=&sig=`: a call's recording
//! (`{recordings_dir}/{tenant}/{call_sid}.opus`, served as `audio/ogg`) — only
//! with the tenant's own session AND a link signed for that tenant and call that
//! has not expired (403 otherwise, the reason named); 404 when the tenant has no
//! such recorded call.

use super::appointment::not_found;
use crate::error::ApiError;
use crate::state::AppState;
use crate::web::problem;
use crate::web::session::OwnerSession;
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use servicepro_actors::owner_app::inbox;

/// The link's query.
#[derive(serde::Deserialize)]
pub struct Signed {
    expires: Option<i64>,
    sig: Option<String>,
}

/// Whether `sid` looks like a Twilio call SID (and so is safe in a path).
fn plausible_sid(sid: &str) -> bool {
    (2..=64).contains(&sid.len()) && sid.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// `GET /app/recordings/{call_sid}`.
pub async fn recording(
    state: web::Data<AppState>,
    owner: OwnerSession,
    path: web::Path<String>,
    query: web::Query<Signed>,
) -> Result<HttpResponse, ApiError> {
    let call_sid = path.into_inner();
    if !plausible_sid(&call_sid) {
        return Ok(not_found("recording", "/app/calls"));
    }
    let (Some(expires), Some(sig)) = (query.expires, query.sig.as_deref()) else {
        return Ok(problem::page(
            StatusCode::FORBIDDEN,
            "expires and sig: this recording link is incomplete; open it from the call's page",
            "/app/calls",
        ));
    };
    let now = (state.clock)().timestamp();
    if let Err(e) = state
        .recording_links
        .verify(&owner.tenant, &call_sid, expires, sig, now)
    {
        tracing::warn!(reason = %e, "recording link refused");
        return Ok(problem::page(
            StatusCode::FORBIDDEN,
            &e.to_string(),
            "/app/calls",
        ));
    }
    let db = state.tenant_db(owner.tenant.clone());
    let call = inbox::call_by_sid(&db, call_sid.clone()).await?;
    if call.and_then(|c| c.recording_path).is_none() {
        return Ok(not_found("recording", "/app/calls"));
    }
    let file = state
        .config
        .recordings_dir
        .join(owner.tenant.as_str())
        .join(format!("{call_sid}.opus"));
    let bytes = match tokio::fs::read(&file).await {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            tracing::warn!("recording file missing");
            return Ok(not_found("recording", "/app/calls"));
        }
        Err(e) => {
            tracing::error!(error = %e, "recording unreadable");
            return Err(ApiError::internal());
        }
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, HeaderValue::from_static("audio/ogg")))
        .insert_header((
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        ))
        .insert_header((
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .body(bytes))
}
