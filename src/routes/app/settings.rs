//! `GET /app/settings` and `POST /app/settings/{hours|area|calls|contact}`,
//! plus what every settings form shares (`writable`, `answer`, `render`;
//! the service and template forms are `services.rs` and `templates.rs`).
//!
//! Each form is turned into the JSON shape of `PATCH /api/tenant/settings`,
//! read by the same field rules (`tenant_api::parse_settings`) and saved
//! through the same engine path (`TenantRegistry::update_settings` as the
//! owner), so the page and the API cannot drift. A refusal re-renders the page
//! (422) with the reason next to its field and what was typed kept. While the
//! status policy refuses dashboard writes (suspended, cancelled) the forms are
//! disabled and a post is refused (403, the policy's reason).

use super::layout::{money, OwnerPage};
use crate::error::ApiError;
use crate::routes::json_fields::Fields;
use crate::routes::tenant_api::parse_settings;
use crate::state::AppState;
use crate::web::chrome::Chrome;
use crate::web::form::FormErrors;
use crate::web::page::{self, Caching};
use crate::web::problem;
use crate::web::session::{self, OwnerSession};
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde_json::{json, Map, Value};
use servicepro_actors::owner_app::catalog;
use servicepro_actors::packs::{self, SmsTemplateKey};
use servicepro_actors::tenant::ChangedBy;
use servicepro_schema::policy::{self, Action};
use std::collections::HashMap;

/// The sections saved through the settings update (`POST /app/settings/{section}`).
const SECTIONS: [&str; 4] = ["hours", "area", "calls", "contact"];

/// The weekdays as stored (`mon`…) and shown.
const DAYS: [(&str, &str); 7] = [
    ("mon", "Monday"),
    ("tue", "Tuesday"),
    ("wed", "Wednesday"),
    ("thu", "Thursday"),
    ("fri", "Friday"),
    ("sat", "Saturday"),
    ("sun", "Sunday"),
];

/// Every field's current text, stored values overridden by what was posted.
#[derive(Default)]
struct Values(HashMap<String, String>);

impl Values {
    fn get(&self, key: &str) -> &str {
        self.0.get(key).map(String::as_str).unwrap_or("")
    }

    fn set(&mut self, key: &str, value: impl Into<String>) {
        self.0.insert(key.to_owned(), value.into());
    }
}

struct DayRow {
    key: &'static str,
    label: &'static str,
    open: String,
    close: String,
    closed: bool,
}

/// One service's form: its values as text and the reason beside each field.
struct ServiceRow {
    /// The row's id (`new` for the add form), in its inputs' ids and action.
    id: String,
    name: String,
    price: String,
    minutes: String,
    addon: bool,
    err_name: Option<String>,
    err_price: Option<String>,
    err_minutes: Option<String>,
}

/// One automated text's form.
struct TemplateRow {
    key: &'static str,
    label: String,
    body: String,
    allowed: String,
    error: Option<String>,
}

/// A refused field in the error summary: the input it links to and why.
struct SummaryLine {
    anchor: String,
    field: String,
    reason: String,
}

#[derive(Template)]
#[template(path = "web/app/settings.html")]
struct SettingsPage {
    chrome: Chrome,
    csrf: String,
    read_only: bool,
    has_number: bool,
    saved: Option<&'static str>,
    errors: FormErrors,
    summary: Vec<SummaryLine>,
    days: Vec<DayRow>,
    v: Values,
    services: Vec<ServiceRow>,
    new_service: ServiceRow,
    templates: Vec<TemplateRow>,
}

fn join(list: Option<&Value>) -> String {
    list.and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default()
}

/// The stored settings as form text.
fn stored(p: &OwnerPage) -> Values {
    let mut v = Values::default();
    let hours = p.business_hours();
    for ((key, _), (_, open)) in DAYS.iter().zip(hours.week()) {
        if let Some(h) = open {
            v.set(&format!("{key}_open"), h.open.format("%H:%M").to_string());
            v.set(&format!("{key}_close"), h.close.format("%H:%M").to_string());
        } else {
            v.set(&format!("{key}_closed"), "on");
        }
    }
    if let Some(c) = p.ctx.config.as_ref() {
        let area = &c.service_area;
        v.set("cities", join(area.get("cities")));
        v.set("zips", join(area.get("zips")));
        if let Some(r) = area.get("radius_miles").and_then(Value::as_u64) {
            v.set("radius_miles", r.to_string());
        }
        if let Some(b) = area.get("base").and_then(Value::as_str) {
            v.set("base", b);
        }
        v.set("owner_phone", c.owner_phone.clone().unwrap_or_default());
        v.set("owner_email", c.owner_email.clone().unwrap_or_default());
        v.set("booking_url", c.booking_url.clone().unwrap_or_default());
    }
    if let Some(phone) = p.ctx.phone.as_ref() {
        v.set("ivr_mode", phone.ivr_mode.as_str());
        v.set("voice_audio", phone.voice_audio.as_str());
        v.set(
            "forward",
            phone
                .sip_uri
                .clone()
                .or_else(|| phone.forward_to.clone())
                .unwrap_or_default(),
        );
        if phone.record_calls {
            v.set("record_calls", "on");
        }
    }
    v.set("time_zone", p.ctx.tenant.time_zone.clone());
    v
}

/// Which form a post came from: a settings section (`hours`, `area`,
/// `calls`, `contact`), a service (`service-new`, `service-{id}`) or a
/// template (`template-{key}`).
pub(super) type Posted<'a> = Option<(&'a str, &'a HashMap<String, String>)>;

/// The input a refused `field` of the form `section` is shown beside.
fn anchor(section: &str, field: &str) -> String {
    if section.starts_with("service-") {
        format!("{section}-{field}")
    } else if section.starts_with("template-") {
        section.to_owned()
    } else {
        field.to_owned()
    }
}

fn service_rows(
    list: Vec<servicepro_schema::models::Service>,
    errors: &FormErrors,
    posted: Posted<'_>,
) -> (Vec<ServiceRow>, ServiceRow) {
    let err = |section: &str, field: &str| {
        posted
            .filter(|(s, _)| *s == section)
            .and_then(|_| errors.get(field).map(str::to_owned))
    };
    let row = |id: String, name: String, price: String, minutes: String, addon: bool| {
        let section = format!("service-{id}");
        let (name, price, minutes) = match posted {
            Some((s, form)) if s == section => {
                let get = |k: &str| form.get(k).cloned().unwrap_or_default();
                (get("name"), get("price"), get("duration_minutes"))
            }
            _ => (name, price, minutes),
        };
        ServiceRow {
            err_name: err(&section, "name"),
            err_price: err(&section, "price"),
            err_minutes: err(&section, "duration_minutes"),
            id,
            name,
            price,
            minutes,
            addon,
        }
    };
    let rows = list
        .into_iter()
        .map(|s| {
            row(
                s.id.to_string(),
                s.name,
                money(s.price_cents).trim_start_matches('$').to_owned(),
                s.duration_minutes.to_string(),
                s.is_addon,
            )
        })
        .collect();
    let new = row(
        "new".into(),
        String::new(),
        String::new(),
        String::new(),
        false,
    );
    (rows, new)
}

fn template_rows(
    industry: &str,
    own: Vec<servicepro_schema::models::SmsTemplate>,
    errors: &FormErrors,
    posted: Posted<'_>,
) -> Vec<TemplateRow> {
    let pack = packs::pack(industry).ok();
    SmsTemplateKey::ALL
        .into_iter()
        .map(|key| {
            let section = format!("template-{key}");
            let stored = own
                .iter()
                .find(|t| t.template_key == key.as_str())
                .map(|t| t.body.clone())
                .or_else(|| pack.map(|p| p.sms_templates.get(key).to_owned()))
                .unwrap_or_default();
            let (body, error) = match posted {
                Some((s, form)) if s == section => (
                    form.get("body").cloned().unwrap_or_default(),
                    errors.get(key.as_str()).map(str::to_owned),
                ),
                _ => (stored, None),
            };
            TemplateRow {
                key: key.as_str(),
                label: key.as_str().replace('_', " "),
                body,
                allowed: key
                    .allowed_placeholders()
                    .iter()
                    .map(|p| format!("{{{p}}}"))
                    .collect::<Vec<_>>()
                    .join(" "),
                error,
            }
        })
        .collect()
}

/// The Settings page with `errors` beside the fields of the form `posted`
/// came from (what was typed kept there), answered with `status`.
pub(super) async fn render(
    p: OwnerPage,
    status: StatusCode,
    saved: Option<&'static str>,
    errors: FormErrors,
    posted: Posted<'_>,
) -> Result<HttpResponse, ApiError> {
    let mut v = stored(&p);
    if let Some((section, form)) = posted {
        if section == "hours" {
            for (key, _) in DAYS {
                v.0.remove(&format!("{key}_closed"));
            }
        }
        if section == "calls" {
            v.0.remove("record_calls");
        }
        if SECTIONS.contains(&section) {
            for (k, val) in form.iter().filter(|(k, _)| k.as_str() != "csrf") {
                v.set(k, val.clone());
            }
        }
    }
    let days = DAYS
        .iter()
        .map(|(key, label)| DayRow {
            key,
            label,
            open: v.get(&format!("{key}_open")).to_owned(),
            close: v.get(&format!("{key}_close")).to_owned(),
            closed: v.get(&format!("{key}_closed")) == "on",
        })
        .collect();
    let (services, new_service) = service_rows(catalog::services(&p.db).await?, &errors, posted);
    let templates = template_rows(
        &p.ctx.tenant.industry,
        catalog::templates(&p.db).await?,
        &errors,
        posted,
    );
    let section = posted.map(|(s, _)| s).unwrap_or("");
    let summary = errors
        .fields()
        .iter()
        .map(|(field, reason)| SummaryLine {
            anchor: anchor(section, field),
            field: field.clone(),
            reason: reason.clone(),
        })
        .collect();
    let tpl = SettingsPage {
        has_number: p.ctx.phone.is_some(),
        csrf: p.csrf.clone(),
        read_only: p.read_only,
        saved,
        errors,
        summary,
        days,
        v,
        services,
        new_service,
        templates,
        chrome: p.chrome,
    };
    page::render(status, Caching::Private, &tpl)
}

/// `?saved=` after a save.
#[derive(serde::Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

fn saved_text(section: &str) -> Option<&'static str> {
    match section {
        "hours" => Some("Business hours saved."),
        "area" => Some("Service area saved."),
        "calls" => Some("Call settings saved."),
        "contact" => Some("Contact details saved."),
        "services" => Some("Services saved."),
        "templates" => Some("Text template saved."),
        _ => None,
    }
}

/// `GET /app/settings`.
pub async fn page(
    state: web::Data<AppState>,
    owner: OwnerSession,
    query: web::Query<SavedQuery>,
) -> Result<HttpResponse, ApiError> {
    let p = OwnerPage::load(&state, &owner, "Settings", "/app/settings").await?;
    let saved = query.saved.as_deref().and_then(saved_text);
    render(p, StatusCode::OK, saved, FormErrors::none(), None).await
}

fn text<'a>(form: &'a HashMap<String, String>, key: &str) -> Option<&'a str> {
    form.get(key).map(|s| s.trim()).filter(|s| !s.is_empty())
}

fn list(raw: Option<&str>) -> Value {
    Value::Array(
        raw.unwrap_or("")
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| Value::String(s.to_owned()))
            .collect(),
    )
}

/// The API-shaped body of one section's form, or the field it cannot read.
fn body_of(
    section: &str,
    form: &HashMap<String, String>,
    current_area: &Value,
) -> Result<Map<String, Value>, ApiError> {
    let mut body = Map::new();
    match section {
        "hours" => {
            let mut hours = Map::new();
            for (key, label) in DAYS {
                if form.contains_key(&format!("{key}_closed")) {
                    continue;
                }
                match (
                    text(form, &format!("{key}_open")),
                    text(form, &format!("{key}_close")),
                ) {
                    (Some(open), Some(close)) => {
                        hours.insert(key.to_owned(), json!({ "open": open, "close": close }));
                    }
                    (None, None) => {}
                    _ => {
                        return Err(ApiError::invalid_field(
                            "business_hours",
                            format!(
                                "{label}: give both an opening and a closing time, or tick Closed"
                            ),
                        ))
                    }
                }
            }
            body.insert("business_hours".into(), Value::Object(hours));
        }
        "area" => {
            let mut area = Map::new();
            area.insert("cities".into(), list(text(form, "cities")));
            area.insert("zips".into(), list(text(form, "zips")));
            if let Some(r) = text(form, "radius_miles") {
                let miles: u32 = r.parse().map_err(|_| {
                    ApiError::invalid_field(
                        "service_area",
                        "miles around your base: a whole number, e.g. 25",
                    )
                })?;
                area.insert("radius_miles".into(), json!(miles));
            }
            if let Some(b) = text(form, "base") {
                area.insert("base".into(), json!(b));
            }
            // What the form does not show is kept.
            if let Some(fee) = current_area.get("travel_fee") {
                area.insert("travel_fee".into(), fee.clone());
            }
            body.insert("service_area".into(), Value::Object(area));
        }
        "calls" => {
            for key in ["ivr_mode", "voice_audio"] {
                if let Some(v) = text(form, key) {
                    body.insert(key.into(), json!(v));
                }
            }
            body.insert(
                "record_calls".into(),
                json!(form.contains_key("record_calls")),
            );
            if let Some(target) = text(form, "forward") {
                let key = if target.starts_with("sip:") {
                    "sip_uri"
                } else {
                    "forward_to"
                };
                body.insert(key.into(), json!(target));
            }
        }
        "contact" => {
            for key in ["owner_phone", "owner_email", "booking_url", "time_zone"] {
                if let Some(v) = text(form, key) {
                    body.insert(key.into(), json!(v));
                }
            }
        }
        _ => return Err(ApiError::not_found("settings section")),
    }
    Ok(body)
}

/// The checks every settings form shares: its CSRF token (else the 403
/// page), then whether the status policy lets the owner write now (else the
/// 403 page with the policy's reason). The page's data when both pass.
pub(super) async fn writable(
    state: &AppState,
    owner: &OwnerSession,
    form: &HashMap<String, String>,
) -> Result<Result<OwnerPage, HttpResponse>, ApiError> {
    if let Some(res) = session::refuse_bad_csrf(
        state,
        &owner.csrf_binding,
        form.get("csrf").map(String::as_str),
        "/app/settings",
    ) {
        return Ok(Err(res));
    }
    let p = OwnerPage::load(state, owner, "Settings", "/app/settings").await?;
    if let Err(refused) = policy::check(p.ctx.tenant.status, Action::DashboardWrite) {
        return Ok(Err(problem::page(
            StatusCode::FORBIDDEN,
            &refused.to_string(),
            "/app/settings",
        )));
    }
    Ok(Ok(p))
}

/// A settings form's answer: 303 back to the page with `?saved={saved}`; a
/// 403 from the engine as the refusal page; a 404 as the not-found page; any
/// other refusal re-renders the page (422) with the reason beside the field
/// of the form `section` and what was typed kept.
pub(super) async fn answer(
    p: OwnerPage,
    result: Result<(), ApiError>,
    saved: &str,
    section: &str,
    form: &HashMap<String, String>,
) -> Result<HttpResponse, ApiError> {
    match result {
        Ok(()) => {
            tracing::info!(section, "settings saved from the app");
            Ok(crate::web::page::see_other(&format!(
                "/app/settings?saved={saved}"
            )))
        }
        Err(e) if e.status == StatusCode::FORBIDDEN || e.status == StatusCode::NOT_FOUND => {
            Ok(problem::page(e.status, &e.message, "/app/settings"))
        }
        Err(e) => {
            let errors = FormErrors::from_api(e)?;
            render(
                p,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                errors,
                Some((section, form)),
            )
            .await
        }
    }
}

/// `POST /app/settings/{section}` (hours, area, calls, contact).
pub async fn save(
    state: web::Data<AppState>,
    owner: OwnerSession,
    path: web::Path<String>,
    form: web::Form<HashMap<String, String>>,
) -> Result<HttpResponse, ApiError> {
    let section = path.into_inner();
    let form = form.into_inner();
    let p = match writable(&state, &owner, &form).await? {
        Ok(p) => p,
        Err(refused) => return Ok(refused),
    };
    if !SECTIONS.contains(&section.as_str()) {
        return Ok(problem::page(
            StatusCode::NOT_FOUND,
            "There is no such settings form.",
            "/app/settings",
        ));
    }
    let current_area = p
        .ctx
        .config
        .as_ref()
        .map(|c| c.service_area.clone())
        .unwrap_or(Value::Null);
    let parsed = body_of(&section, &form, &current_area)
        .and_then(|body| parse_settings(&Fields::from_map(body)));
    let result = match parsed {
        Ok(update) => state
            .tenants
            .update_settings(&owner.tenant, update, ChangedBy::Owner)
            .await
            .map(|_| ())
            .map_err(ApiError::from),
        Err(e) => Err(e),
    };
    answer(p, result, &section, &section, &form).await
}
