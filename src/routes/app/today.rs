//! `GET /app`: Today — today's hours, the next appointments, conversations of
//! the last two days, this week's voicemails and the AI's latest calls, each
//! with one-tap call and text links.

use super::layout::{dial, pretty_phone, OwnerPage};
use crate::error::ApiError;
use crate::state::AppState;
use crate::web::chrome::Chrome;
use crate::web::page::{self, Caching};
use crate::web::session::OwnerSession;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use chrono::{Datelike, Duration};
use servicepro_actors::owner_app::{appointments, inbox};

const LIMIT: i64 = 8;

struct Upcoming {
    id: i64,
    when: String,
    service: String,
    customer: String,
    address: Option<String>,
    dial: String,
}

struct Thread {
    id: i64,
    who: String,
    channel: String,
    last: String,
    handed_off: bool,
    dial: Option<String>,
}

struct Voicemail {
    who: String,
    when: String,
    seconds: i32,
    dial: String,
}

struct Call {
    id: i64,
    who: String,
    when: String,
    summary: Option<String>,
    dial: String,
}

#[derive(Template)]
#[template(path = "web/app/today.html")]
struct TodayPage {
    chrome: Chrome,
    business: String,
    today: String,
    hours_today: String,
    upcoming: Vec<Upcoming>,
    threads: Vec<Thread>,
    voicemails: Vec<Voicemail>,
    calls: Vec<Call>,
}

/// A customer's name, or their number.
pub fn who(name: Option<&str>, phone: &str) -> String {
    match name.filter(|n| !n.trim().is_empty()) {
        Some(n) => n.to_owned(),
        None => pretty_phone(phone),
    }
}

/// `GET /app`.
pub async fn today(
    state: web::Data<AppState>,
    owner: OwnerSession,
) -> Result<HttpResponse, ApiError> {
    let page_data = OwnerPage::load(&state, &owner, "Today", "/app").await?;
    let now = (state.clock)();
    let local = now.with_timezone(&page_data.tz);
    let hours = page_data.business_hours();
    let hours_today = match hours.on(local.weekday()) {
        Some(h) => format!(
            "Open today {}–{}",
            h.open.format("%H:%M"),
            h.close.format("%H:%M")
        ),
        None => "Closed today".to_owned(),
    };
    let db = &page_data.db;
    let upcoming = appointments::upcoming(db, now, LIMIT).await?;
    let threads = inbox::threads_since(db, now - Duration::days(2), LIMIT).await?;
    let voicemails = inbox::voicemails_since(db, now - Duration::days(7), LIMIT).await?;
    let calls = inbox::calls(db, true, 5).await?;
    let tpl = TodayPage {
        business: page_data.ctx.tenant.name.clone(),
        today: local.format("%A %-d %B").to_string(),
        hours_today,
        upcoming: upcoming
            .into_iter()
            .map(|a| Upcoming {
                id: a.id,
                when: page_data.when(a.starts_at),
                service: a.service,
                customer: who(a.customer_name.as_deref(), &a.customer_phone),
                address: a.address,
                dial: dial(&a.customer_phone),
            })
            .collect(),
        threads: threads
            .into_iter()
            .map(|t| Thread {
                id: t.id,
                who: who(
                    t.customer_name.as_deref(),
                    t.customer_phone.as_deref().unwrap_or("Web visitor"),
                ),
                channel: t.channel,
                last: t.last_body.unwrap_or_default(),
                handed_off: t.handed_off_at.is_some(),
                dial: t.customer_phone.as_deref().map(dial),
            })
            .collect(),
        voicemails: voicemails
            .into_iter()
            .map(|v| Voicemail {
                who: who(v.customer_name.as_deref(), &v.from_number),
                when: page_data.when(v.created_at),
                seconds: v.duration_seconds,
                dial: dial(&v.from_number),
            })
            .collect(),
        calls: calls
            .into_iter()
            .map(|c| Call {
                id: c.id,
                who: who(c.customer_name.as_deref(), &c.from_number),
                when: page_data.when(c.started_at),
                summary: c.summary,
                dial: dial(&c.from_number),
            })
            .collect(),
        chrome: page_data.chrome,
    };
    page::render(StatusCode::OK, Caching::Private, &tpl)
}
