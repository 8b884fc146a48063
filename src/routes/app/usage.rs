//! `GET /app/usage`: this month's texts in and out, call minutes, AI minutes
//! and bookings (all and by the AI), as numbers and as 30-day bar charts drawn
//! on the server (`web::chart`), with the nudges the usage calls for.

use super::layout::OwnerPage;
use super::nudges::{self, NudgeView};
use crate::error::ApiError;
use crate::state::AppState;
use crate::web::chart;
use crate::web::chrome::Chrome;
use crate::web::page::{self, Caching};
use crate::web::session::OwnerSession;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use servicepro_actors::dashboard::usage;
use servicepro_schema::UsageKind;

struct Metric {
    id: &'static str,
    label: &'static str,
    month: i64,
    /// A trusted SVG string from `chart::bars` (numbers and an escaped label only).
    chart: String,
}

#[derive(Template)]
#[template(path = "web/app/usage.html")]
struct UsagePage {
    chrome: Chrome,
    csrf: String,
    back: &'static str,
    nudges: Vec<NudgeView>,
    month_name: String,
    range: String,
    metrics: Vec<Metric>,
    ai_bookings: i64,
}

/// `GET /app/usage`.
pub async fn show(
    state: web::Data<AppState>,
    owner: OwnerSession,
) -> Result<HttpResponse, ApiError> {
    let page_data = OwnerPage::load(&state, &owner, "Usage", "/app/usage").await?;
    let now = (state.clock)();
    let report = usage::report(&page_data.db, page_data.tz, now).await?;
    let nudges = nudges::for_page(&state, &page_data).await?;
    let kinds = [
        ("texts-in", "Texts received", UsageKind::SmsIn),
        ("texts-out", "Texts sent", UsageKind::SmsOut),
        ("call-minutes", "Call minutes", UsageKind::CallMinutes),
        (
            "ai-minutes",
            "AI receptionist minutes",
            UsageKind::AiMinutes,
        ),
        ("bookings", "Bookings", UsageKind::Bookings),
    ];
    let metrics = kinds
        .into_iter()
        .map(|(id, label, kind)| Metric {
            id,
            label,
            month: report.month.get(kind),
            chart: chart::bars(&format!("{label}, last 30 days"), &report.series(kind)),
        })
        .collect();
    let range = match (report.days.first(), report.days.last()) {
        (Some(a), Some(b)) => format!("{} – {}", a.day.format("%-d %b"), b.day.format("%-d %b")),
        _ => String::new(),
    };
    let tpl = UsagePage {
        csrf: page_data.csrf.clone(),
        back: "/app/usage",
        nudges,
        month_name: now.with_timezone(&page_data.tz).format("%B").to_string(),
        range,
        metrics,
        ai_bookings: report.ai_bookings,
        chrome: page_data.chrome,
    };
    page::render(StatusCode::OK, Caching::Private, &tpl)
}
