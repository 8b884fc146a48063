//! `GET /root?sort=&status=&tier=&q=`: platform health (live calls, queue
//! depths, webhook rejections, provider errors in the last hour) and the
//! tenants table, sorted and filtered by plain links and a GET form (no
//! script). An unknown filter value answers 422 with the reason by its field.

use super::layout::{self, ACTOR};
use crate::error::ApiError;
use crate::state::AppState;
use crate::web::chrome::Chrome;
use crate::web::form::FormErrors;
use crate::web::page::{self, Caching};
use crate::web::session::RootSession;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use servicepro_actors::dashboard::root_tenants::{SortKey, TableQuery};
use servicepro_actors::dashboard::{health, root_tenants};
use servicepro_schema::{PlanTier, TenantStatus};

/// The table's GET parameters, as typed.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Params {
    sort: Option<String>,
    status: Option<String>,
    tier: Option<String>,
    q: Option<String>,
}

struct Row {
    id: String,
    name: String,
    tier: &'static str,
    status: &'static str,
    tone: &'static str,
    trial_end: String,
    next_billing: String,
    texts: i64,
    calls: i64,
    bookings: i64,
    error_rate: String,
    provisioning: &'static str,
}

struct Column {
    key: &'static str,
    label: &'static str,
    href: String,
    current: bool,
}

struct Health {
    live_calls: i64,
    conversations: i64,
    texts_queued: i64,
    numbers_pending: i64,
    webhook_rejections: u64,
    provider_errors: i64,
    failed_texts: i64,
    failed_calls: i64,
}

#[derive(Template)]
#[template(path = "web/root/tenants.html")]
struct TenantsPage {
    chrome: Chrome,
    health: Health,
    rows: Vec<Row>,
    total: usize,
    columns: Vec<Column>,
    statuses: Vec<(&'static str, bool)>,
    tiers: Vec<(&'static str, bool)>,
    sort: &'static str,
    q: String,
    errors: FormErrors,
}

/// Parses `params`; each unknown value is an error by its field (and ignored).
fn parse(params: &Params) -> (TableQuery, FormErrors) {
    let mut errors = FormErrors::none();
    let mut query = TableQuery::default();
    let given = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    if let Some(s) = given(&params.sort) {
        match s.parse::<SortKey>() {
            Ok(k) => query.sort = k,
            Err(e) => errors.add("sort", e.to_string()),
        }
    }
    if let Some(s) = given(&params.status) {
        match s.parse::<TenantStatus>() {
            Ok(v) => query.status = Some(v),
            Err(e) => errors.add("status", e.to_string()),
        }
    }
    if let Some(s) = given(&params.tier) {
        match s.parse::<PlanTier>() {
            Ok(v) => query.tier = Some(v),
            Err(e) => errors.add("tier", e.to_string()),
        }
    }
    query.q = given(&params.q);
    (query, errors)
}

/// The link sorting by `key` with the current filters kept.
fn sort_href(query: &TableQuery, key: SortKey) -> String {
    let mut s = url::form_urlencoded::Serializer::new(String::new());
    s.append_pair("sort", key.as_str());
    if let Some(v) = query.status {
        s.append_pair("status", v.as_str());
    }
    if let Some(v) = query.tier {
        s.append_pair("tier", v.as_str());
    }
    if let Some(v) = &query.q {
        s.append_pair("q", v);
    }
    format!("/root?{}", s.finish())
}

fn tone(s: TenantStatus) -> &'static str {
    match s {
        TenantStatus::Active | TenantStatus::Trialing => "ok",
        TenantStatus::PastDue => "warn",
        TenantStatus::Suspended | TenantStatus::Cancelled => "bad",
    }
}

/// `GET /root`.
pub async fn show(
    state: web::Data<AppState>,
    root: RootSession,
    params: web::Query<Params>,
) -> Result<HttpResponse, ApiError> {
    let (chrome, _csrf) = layout::chrome(&state, &root, "Tenants", "/root");
    let (query, errors) = parse(&params);
    let now = (state.clock)();
    let all = root_tenants::load(&state.root_db, ACTOR, now).await?;
    let total = all.len();
    let rows = query.apply(all);
    let db = health::last_hour(&state.root_db, ACTOR, now).await?;
    let labels = [
        (SortKey::Name, "Tenant"),
        (SortKey::Tier, "Plan"),
        (SortKey::Status, "Status"),
        (SortKey::TrialEnd, "Trial ends"),
        (SortKey::NextBilling, "Next billing"),
        (SortKey::Texts, "Texts (30 d)"),
        (SortKey::Calls, "Calls (30 d)"),
        (SortKey::Bookings, "Bookings (30 d)"),
        (SortKey::ErrorRate, "Error rate"),
    ];
    let tpl = TenantsPage {
        health: Health {
            live_calls: state.call_metrics.live_calls.get(),
            conversations: i64::try_from(state.conversations.live()).unwrap_or(i64::MAX),
            texts_queued: db.texts_queued,
            numbers_pending: db.numbers_pending,
            webhook_rejections: state.metrics.tenants.webhook_rejections_last_hour(),
            provider_errors: db.provider_errors(),
            failed_texts: db.failed_texts,
            failed_calls: db.failed_calls,
        },
        rows: rows
            .iter()
            .map(|r| Row {
                id: r.id.clone(),
                name: r.name.clone(),
                tier: super::super::app::billing::tier_name(r.plan_tier),
                status: r.status.as_str(),
                tone: tone(r.status),
                trial_end: r.trial_ends_at.map(layout::day).unwrap_or_default(),
                next_billing: r.next_billing().map(layout::day).unwrap_or_default(),
                texts: r.texts,
                calls: r.calls,
                bookings: r.bookings,
                error_rate: format!("{:.1}%", r.error_rate() * 100.0),
                provisioning: r.provisioning.map_or("", |p| p.as_str()),
            })
            .collect(),
        total,
        columns: labels
            .into_iter()
            .map(|(key, label)| Column {
                key: key.as_str(),
                label,
                href: sort_href(&query, key),
                current: key == query.sort,
            })
            .collect(),
        statuses: TenantStatus::ALL
            .iter()
            .map(|s| (s.as_str(), query.status == Some(*s)))
            .collect(),
        tiers: PlanTier::ALL
            .iter()
            .map(|t| (t.as_str(), query.tier == Some(*t)))
            .collect(),
        sort: query.sort.as_str(),
        q: query.q.clone().unwrap_or_default(),
        chrome,
        errors: errors.clone(),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    page::render(status, Caching::Private, &tpl)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_filters_are_named_and_known_ones_kept_in_sort_links() {
        let params = Params {
            sort: Some("price".into()),
            status: Some("suspended".into()),
            tier: Some("gold".into()),
            q: Some(" lawn ".into()),
        };
        let (query, errors) = parse(&params);
        assert!(errors.get("sort").is_some() && errors.get("tier").is_some());
        assert!(errors.get("status").is_none());
        assert_eq!(query.status, Some(TenantStatus::Suspended));
        assert_eq!(query.q.as_deref(), Some("lawn"));
        assert_eq!(
            sort_href(&query, SortKey::Texts),
            "/root?sort=texts&status=suspended&q=lawn"
        );
    }
}
