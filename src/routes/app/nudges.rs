//! Nudges on the owner's pages and `POST /app/nudges/dismiss {kind, back}`:
//! the rules are the engine's (`dashboard::nudges`); this file shows what they
//! return on a page and stores a dismissal for the nudge's current period.

use super::layout::OwnerPage;
use crate::error::ApiError;
use crate::state::AppState;
use crate::web::page;
use crate::web::session::{self, safe_next, OwnerSession};
use actix_web::{web, HttpResponse};
use servicepro_actors::dashboard::nudges::{self, NudgeKind};

/// A nudge as a page shows it.
pub struct NudgeView {
    /// Its kind (the dismiss form's value).
    pub kind: &'static str,
    /// What it says.
    pub text: String,
    /// The plan it suggests, as its name (`Pro`).
    pub suggests: Option<String>,
}

/// The nudges `page`'s tenant should see now.
pub async fn for_page(state: &AppState, page: &OwnerPage) -> Result<Vec<NudgeView>, ApiError> {
    let inputs = nudges::inputs(&page.db, page.tz, (state.clock)()).await?;
    Ok(nudges::shown(&page.db, &inputs)
        .await?
        .into_iter()
        .map(|n| NudgeView {
            kind: n.kind.as_str(),
            text: n.text,
            suggests: n.suggests.map(|t| super::billing::tier_name(t).to_owned()),
        })
        .collect())
}

/// The dismiss form.
#[derive(serde::Deserialize)]
pub struct DismissForm {
    csrf: Option<String>,
    kind: Option<String>,
    back: Option<String>,
}

/// `POST /app/nudges/dismiss`: 303 back to the page; 403 without the form's
/// token; 422 naming `kind` when it is not a nudge.
pub async fn dismiss(
    state: web::Data<AppState>,
    owner: OwnerSession,
    form: web::Form<DismissForm>,
) -> Result<HttpResponse, ApiError> {
    let form = form.into_inner();
    let back = safe_next(form.back.as_deref(), "/app");
    if let Some(res) =
        session::refuse_bad_csrf(&state, &owner.csrf_binding, form.csrf.as_deref(), &back)
    {
        return Ok(res);
    }
    let kind: NudgeKind = form
        .kind
        .as_deref()
        .unwrap_or_default()
        .parse()
        .map_err(|e: nudges::UnknownNudge| ApiError::invalid_field("kind", e.to_string()))?;
    let page_data = OwnerPage::load(&state, &owner, "Nudges", &back).await?;
    let db = &page_data.db;
    let tz = page_data.tz;
    let inputs = nudges::inputs(db, tz, (state.clock)()).await?;
    let stored = nudges::dismiss(db, &inputs, kind).await?;
    tracing::info!(kind = kind.as_str(), stored, "nudge dismissed");
    Ok(page::see_other(&back))
}
