//! Data export routes (thin; the engine is `servicepro_actors::export`):
//! `POST /api/exports` starts one (202, 409 while one runs), `GET
//! /api/exports/{id}` reports it with a signed download URL once done, and
//! `GET /exports/{id}/download?expires=…&sig=…` serves the zip to whoever holds
//! a valid link (403 with the reason when expired or tampered). Allowed in every
//! tenant status (`policy::Action::DataExport`).

use crate::auth::TenantApi;
use crate::body::BoundedBody;
use crate::error::ApiError;
use crate::routes::json_fields::Fields;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use servicepro_actors::export::{DownloadLink, ExportError, ExportId, ExportState, LinkRefused};

/// `POST /api/exports` `{"include_recordings": bool}`: 202 with the export's id.
pub async fn start(
    auth: TenantApi,
    state: web::Data<AppState>,
    body: BoundedBody,
) -> Result<HttpResponse, ApiError> {
    let fields = if body.is_empty() {
        Fields::parse(b"{}")?
    } else {
        Fields::parse(&body)?
    };
    fields.only(&["include_recordings"])?;
    let include_recordings = fields.optional_bool("include_recordings")?.unwrap_or(false);
    let id = state
        .exports
        .start_export(&auth.tenant, include_recordings)
        .await?;
    Ok(HttpResponse::Accepted().json(serde_json::json!({
        "id": id,
        "status_url": format!("/api/exports/{}", id.as_str()),
    })))
}

/// `GET /api/exports/{id}`: state, progress 0..1 and, when done, `download_url`.
pub async fn status(
    auth: TenantApi,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = ExportId::parse(&path.into_inner())?;
    let now = (state.clock)();
    let status = state.exports.export_status(&auth.tenant, &id, now).await?;
    let mut body = serde_json::to_value(&status).map_err(|_| ApiError::internal())?;
    if status.state == ExportState::Done {
        let link = state.exports.link(&id, now, status.expires_at);
        body["download_url"] = serde_json::Value::String(download_url(&id, &link));
    }
    Ok(HttpResponse::Ok().json(body))
}

/// The path of `id`'s signed download link (the API and the app's page share it).
pub fn download_url(id: &ExportId, link: &DownloadLink) -> String {
    format!(
        "/exports/{}/download?expires={}&sig={}",
        id.as_str(),
        link.expires,
        link.sig
    )
}

/// The download link's query.
#[derive(Debug, serde::Deserialize)]
pub struct LinkQuery {
    expires: i64,
    sig: String,
}

/// `GET /exports/{id}/download?expires=…&sig=…`: the zip.
pub async fn download(
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: Result<web::Query<LinkQuery>, actix_web::Error>,
) -> Result<HttpResponse, ApiError> {
    let id = ExportId::parse(&path.into_inner())?;
    let web::Query(query) = query.map_err(|_| {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "link_refused",
            "the link needs expires and sig",
        )
    })?;
    let file = state
        .exports
        .verify_link(&id, query.expires, &query.sig, (state.clock)())
        .map_err(|refused| match refused {
            LinkRefused::BadSignature | LinkRefused::Expired => {
                ApiError::new(StatusCode::FORBIDDEN, "link_refused", refused.to_string())
            }
        })?;
    let file = match tokio::fs::File::open(&file).await {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(ApiError::new(
                StatusCode::GONE,
                "gone",
                "the export was removed",
            ))
        }
        Err(e) => {
            tracing::error!(error = %e, "reading an export failed");
            return Err(ApiError::internal());
        }
    };
    Ok(HttpResponse::Ok()
        .content_type("application/zip")
        .insert_header((
            "Content-Disposition",
            format!(
                "attachment; filename=\"servicepro-export-{}.zip\"",
                id.as_str()
            ),
        ))
        .streaming(chunks(file)))
}

/// The file as a stream of 64 KiB chunks (the archive is never held in memory).
fn chunks(
    file: tokio::fs::File,
) -> impl futures_util::Stream<Item = Result<web::Bytes, std::io::Error>> {
    futures_util::stream::unfold(Some(file), |file| async move {
        use tokio::io::AsyncReadExt;
        let mut file = file?;
        let mut buf = vec![0u8; 64 * 1024];
        match file.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok(web::Bytes::from(buf)), Some(file)))
            }
            Err(e) => Some((Err(e), None)),
        }
    })
}

impl From<ExportError> for ApiError {
    fn from(err: ExportError) -> Self {
        match err {
            e @ ExportError::AlreadyRunning => ApiError::conflict("export", e.to_string()),
            ExportError::NotFound => ApiError::not_found("export"),
            e @ ExportError::BadId => ApiError::invalid_field("id", e.to_string()),
            ExportError::Db(e) => e.into(),
            other => {
                tracing::error!(error = %other, "export failed");
                ApiError::internal()
            }
        }
    }
}
