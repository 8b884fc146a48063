//! `GET /root/tenants/{id}`: one tenant — plan and status with the actions
//! (suspend, reactivate, change tier, retry buying the number, purge once the
//! retention window allows it), phone
//! configuration, billing and its audit trail, recent calls, texts, bookings
//! and errors. 404 for an id that is not a tenant.

use super::layout::{self, ACTOR};
use crate::error::ApiError;
use crate::state::AppState;
use crate::web::chrome::{Banner, Chrome, Tone};
use crate::web::page::{self, Caching};
use crate::web::session::RootSession;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use servicepro_actors::dashboard::drill_down::{self, TenantDetail};
use servicepro_actors::retention::PurgeError;
use servicepro_schema::{PlanTier, ProvisioningState, TenantId, TenantStatus};

#[derive(Template)]
#[template(path = "web/root/tenant.html")]
struct TenantPage {
    chrome: Chrome,
    csrf: String,
    id: String,
    d: TenantDetail,
    status: &'static str,
    tier: &'static str,
    tiers: Vec<&'static str>,
    can_suspend: bool,
    can_reactivate: bool,
    can_retry: bool,
    /// Whether the retention rule allows the purge now.
    can_purge: bool,
    /// Why not, when it does not (with the date it would).
    retention_note: String,
    retention_months: u32,
}

/// `?done=` after an action, in words.
#[derive(serde::Deserialize)]
pub struct Done {
    done: Option<String>,
}

fn notice(done: &str) -> Option<&'static str> {
    match done {
        "suspended" => Some("Tenant suspended."),
        "active" => Some("Tenant reactivated."),
        "tier" => Some("Plan changed."),
        "provisioned" => Some("The number is bought and configured."),
        "purged" => Some(
            "Tenant archived and purged: its rows are deleted; the audit trail names the archive and its SHA-256.",
        ),
        _ => None,
    }
}

/// The tenant id in the path, or 404.
pub fn tenant_of(path: &str) -> Result<TenantId, ApiError> {
    TenantId::parse(path).map_err(|_| ApiError::not_found("tenant"))
}

/// Renders `id`'s page with `status` and an optional `banner`.
pub async fn render(
    state: &AppState,
    root: &RootSession,
    id: &TenantId,
    status: StatusCode,
    banner: Option<Banner>,
) -> Result<HttpResponse, ApiError> {
    let Some(d) = drill_down::load(&state.root_db, ACTOR, id).await? else {
        return Ok(crate::web::problem::page(
            StatusCode::NOT_FOUND,
            "There is no tenant with that id.",
            "/root",
        ));
    };
    let (mut chrome, csrf) = layout::chrome(state, root, d.head.name.clone(), "");
    chrome.banner = banner;
    let st = d.head.status;
    let (can_purge, retention_note) = match state.purger.check(id, (state.clock)()).await {
        Ok(()) => (true, String::new()),
        Err(PurgeError::Refused(why)) => (false, why.to_string()),
        Err(e) => return Err(e.into()),
    };
    let tpl = TenantPage {
        can_purge,
        retention_note,
        retention_months: state.purger.window().as_months(),
        csrf,
        id: id.as_str().to_owned(),
        status: st.as_str(),
        tier: d.head.plan_tier.as_str(),
        tiers: PlanTier::ALL
            .iter()
            .filter(|t| **t != d.head.plan_tier)
            .map(|t| t.as_str())
            .collect(),
        can_suspend: st != TenantStatus::Suspended && st != TenantStatus::Cancelled,
        can_reactivate: st != TenantStatus::Active,
        can_retry: d.provisioning.as_ref().is_some_and(|p| {
            matches!(
                p.state,
                ProvisioningState::Pending | ProvisioningState::Buying | ProvisioningState::Bought
            )
        }),
        d,
        chrome,
    };
    page::render(status, Caching::Private, &tpl)
}

/// `GET /root/tenants/{id}`.
pub async fn show(
    state: web::Data<AppState>,
    root: RootSession,
    path: web::Path<String>,
    query: web::Query<Done>,
) -> Result<HttpResponse, ApiError> {
    let id = match tenant_of(&path.into_inner()) {
        Ok(id) => id,
        Err(_) => {
            return Ok(crate::web::problem::page(
                StatusCode::NOT_FOUND,
                "There is no tenant with that id.",
                "/root",
            ))
        }
    };
    let banner = query.done.as_deref().and_then(notice).map(|text| Banner {
        tone: Tone::Ok,
        text: text.to_owned(),
    });
    render(&state, &root, &id, StatusCode::OK, banner).await
}

impl TenantPage {
    fn when(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        layout::when(*at)
    }

    fn dollars(&self, cents: &i64) -> String {
        let c = cents.abs();
        let sign = if *cents < 0 { "-" } else { "" };
        format!("{sign}${}.{:02}", c / 100, c % 100)
    }

    fn price(&self, cents: &i32) -> String {
        self.dollars(&i64::from(*cents))
    }
}
