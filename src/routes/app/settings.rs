//! `GET /app/settings` and `POST /app/settings/{hours|area|calls|contact}`.
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
use servicepro_actors::tenant::ChangedBy;
use servicepro_schema::policy::{self, Action};
use std::collections::HashMap;

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

#[derive(Template)]
#[template(path = "web/app/settings.html")]
struct SettingsPage {
    chrome: Chrome,
    csrf: String,
    read_only: bool,
    has_number: bool,
    saved: Option<&'static str>,
    errors: FormErrors,
    days: Vec<DayRow>,
    v: Values,
    services: Vec<(String, String, String)>,
    templates: Vec<(String, String)>,
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

async fn render(
    p: OwnerPage,
    status: StatusCode,
    saved: Option<&'static str>,
    errors: FormErrors,
    posted: Option<(&str, &HashMap<String, String>)>,
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
        for (k, val) in form.iter().filter(|(k, _)| k.as_str() != "csrf") {
            v.set(k, val.clone());
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
    let services = catalog::services(&p.db)
        .await?
        .into_iter()
        .map(|s| {
            let name = if s.is_addon {
                format!("{} (add-on)", s.name)
            } else {
                s.name
            };
            (
                name,
                format!("{} min", s.duration_minutes),
                money(s.price_cents),
            )
        })
        .collect();
    let templates = catalog::templates(&p.db)
        .await?
        .into_iter()
        .map(|t| (t.template_key.replace('_', " "), t.body))
        .collect();
    let tpl = SettingsPage {
        has_number: p.ctx.phone.is_some(),
        csrf: p.csrf.clone(),
        read_only: p.read_only,
        saved,
        errors,
        days,
        v,
        services,
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

/// `POST /app/settings/{section}`.
pub async fn save(
    state: web::Data<AppState>,
    owner: OwnerSession,
    path: web::Path<String>,
    form: web::Form<HashMap<String, String>>,
) -> Result<HttpResponse, ApiError> {
    let section = path.into_inner();
    let form = form.into_inner();
    if let Some(res) = session::refuse_bad_csrf(
        &state,
        &owner.csrf_binding,
        form.get("csrf").map(String::as_str),
        "/app/settings",
    ) {
        return Ok(res);
    }
    if saved_text(&section).is_none() {
        return Ok(problem::page(
            StatusCode::NOT_FOUND,
            "There is no such settings form.",
            "/app/settings",
        ));
    }
    let p = OwnerPage::load(&state, &owner, "Settings", "/app/settings").await?;
    if let Err(refused) = policy::check(p.ctx.tenant.status, Action::DashboardWrite) {
        return Ok(problem::page(
            StatusCode::FORBIDDEN,
            &refused.to_string(),
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
    match result {
        Ok(()) => {
            tracing::info!(section, "settings saved from the app");
            Ok(crate::web::page::see_other(&format!(
                "/app/settings?saved={section}"
            )))
        }
        Err(e) if e.status == StatusCode::FORBIDDEN => Ok(problem::page(
            StatusCode::FORBIDDEN,
            &e.message,
            "/app/settings",
        )),
        Err(e) => {
            let errors = FormErrors::from_api(e)?;
            render(
                p,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                errors,
                Some((&section, &form)),
            )
            .await
        }
    }
}
