//! `GET /app/appointments/{id}`: one appointment — customer, address, details,
//! and how it was booked (text, web chat, a call with its transcript). Another
//! tenant's id, or no such id, is 404.

use super::appointments::monday_of;
use super::layout::{dial, money, pretty_phone, OwnerPage};
use super::today::who;
use crate::error::ApiError;
use crate::state::AppState;
use crate::web::chrome::Chrome;
use crate::web::page::{self, Caching};
use crate::web::problem;
use crate::web::session::OwnerSession;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use servicepro_actors::owner_app::appointments;

#[derive(Template)]
#[template(path = "web/app/appointment.html")]
struct AppointmentPage {
    chrome: Chrome,
    week: String,
    service: String,
    when: String,
    until: String,
    status: String,
    price: String,
    customer: String,
    phone: String,
    dial: String,
    address: Option<String>,
    booked_by: &'static str,
    conversation_id: Option<i64>,
    call_id: Option<i64>,
    details: Vec<(String, String)>,
}

/// How a channel reads.
fn booked_by(channel: Option<&str>) -> &'static str {
    match channel {
        Some("sms") => "By text message, with the AI",
        Some("web") => "On the web chat, with the AI",
        Some("voice") => "On a phone call, with the AI receptionist",
        _ => "By hand or through the API",
    }
}

/// A details object's entries as text (nested values as compact JSON).
fn detail_lines(details: &serde_json::Value) -> Vec<(String, String)> {
    match details {
        serde_json::Value::Object(map) => map
            .iter()
            .map(|(k, v)| {
                let text = match v {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                (k.replace('_', " "), text)
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The 404 page for an id the tenant does not have.
pub fn not_found(what: &str, back: &str) -> HttpResponse {
    problem::page(
        StatusCode::NOT_FOUND,
        &format!("There is no such {what} in your account."),
        back,
    )
}

/// `GET /app/appointments/{id}`.
pub async fn show(
    state: web::Data<AppState>,
    owner: OwnerSession,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let Ok(id) = path.into_inner().parse::<i64>() else {
        return Ok(not_found("appointment", "/app/appointments"));
    };
    let p = OwnerPage::load(&state, &owner, "Appointment", "/app/appointments").await?;
    let Some(found) = appointments::one(&p.db, id).await? else {
        return Ok(not_found("appointment", "/app/appointments"));
    };
    let a = found.appointment;
    let tpl = AppointmentPage {
        week: monday_of(a.starts_at.with_timezone(&p.tz).date_naive()).to_string(),
        when: p.when(a.starts_at),
        until: p.time(a.ends_at),
        price: money(a.price_cents),
        customer: who(a.customer_name.as_deref(), &a.customer_phone),
        phone: pretty_phone(&a.customer_phone),
        dial: dial(&a.customer_phone),
        booked_by: booked_by(a.channel.as_deref()),
        conversation_id: a.conversation_id,
        call_id: found.call_id,
        details: detail_lines(&a.details),
        service: a.service,
        status: a.status,
        address: a.address,
        chrome: p.chrome,
    };
    page::render(StatusCode::OK, Caching::Private, &tpl)
}
