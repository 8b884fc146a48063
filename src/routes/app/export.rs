//! "Export my data": `POST /app/export` starts the tenant's export (the same
//! engine call as `POST /api/exports`) and `GET /app/export/{id}` shows its
//! progress (the page refreshes itself while it runs, no JavaScript) and then
//! a signed, time-limited download link. Allowed in every status: a suspended
//! or cancelled business can always take its data.

use super::layout::OwnerPage;
use crate::error::ApiError;
use crate::routes::exports::download_url;
use crate::state::AppState;
use crate::web::chrome::Chrome;
use crate::web::page::{self, Caching};
use crate::web::session::{self, OwnerSession};
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use servicepro_actors::export::{ExportError, ExportId, ExportState};

/// The export form.
#[derive(Debug, serde::Deserialize)]
pub struct ExportForm {
    csrf: Option<String>,
    include_recordings: Option<String>,
}

#[derive(Template)]
#[template(path = "web/app/export.html")]
struct ExportPage {
    chrome: Chrome,
    started: String,
    running: bool,
    percent: u32,
    include_recordings: bool,
    download: Option<String>,
    kept_until: String,
    problem: String,
}

/// `POST /app/export`: 303 to the new export's page, or a 409 page when one
/// is already being prepared.
pub async fn start(
    state: web::Data<AppState>,
    owner: OwnerSession,
    form: web::Form<ExportForm>,
) -> Result<HttpResponse, ApiError> {
    let form = form.into_inner();
    if let Some(res) = session::refuse_bad_csrf(
        &state,
        &owner.csrf_binding,
        form.csrf.as_deref(),
        "/app/billing",
    ) {
        return Ok(res);
    }
    let include_recordings = form.include_recordings.as_deref() == Some("true");
    match state
        .exports
        .start_export(&owner.tenant, include_recordings)
        .await
    {
        Ok(id) => Ok(page::see_other(&format!("/app/export/{}", id.as_str()))),
        Err(ExportError::AlreadyRunning) => Ok(crate::web::problem::page(
            StatusCode::CONFLICT,
            "An export is already being prepared; it will be ready in a few minutes.",
            "/app/billing",
        )),
        Err(e) => Err(e.into()),
    }
}

/// `GET /app/export/{id}`: progress, then the download link (404 for an id of
/// another tenant's).
pub async fn show(
    state: web::Data<AppState>,
    owner: OwnerSession,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = ExportId::parse(&path.into_inner())?;
    let page_data = OwnerPage::load(&state, &owner, "Data export", "/app/billing").await?;
    let now = (state.clock)();
    let status = state.exports.export_status(&owner.tenant, &id, now).await?;
    let local = |at: chrono::DateTime<chrono::Utc>| {
        at.with_timezone(&page_data.tz)
            .format("%a %-d %b %Y, %H:%M")
            .to_string()
    };
    let download = (status.state == ExportState::Done).then(|| {
        let link = state.exports.link(&id, now, status.expires_at);
        download_url(&id, &link)
    });
    let problem = match status.state {
        ExportState::Failed => "The export failed; start a new one from Plan and billing.",
        ExportState::Expired => {
            "This export has been removed; start a new one from Plan and billing."
        }
        ExportState::Running | ExportState::Done => "",
    };
    page::render(
        StatusCode::OK,
        Caching::Private,
        &ExportPage {
            chrome: page_data.chrome,
            started: local(status.created_at),
            running: status.state == ExportState::Running,
            percent: (status.progress.clamp(0.0, 1.0) * 100.0).round() as u32,
            include_recordings: status.include_recordings,
            download,
            kept_until: status.expires_at.map(local).unwrap_or_default(),
            problem: problem.to_owned(),
        },
    )
}
