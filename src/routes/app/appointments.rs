//! `GET /app/appointments?week=YYYY-MM-DD`: the week (Monday first, in the
//! tenant's zone) containing that date — seven columns on a wide screen,
//! stacked on a phone — and every appointment coming up as a list.

use super::layout::OwnerPage;
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
use chrono::{Datelike, Days, NaiveDate, TimeZone};
use servicepro_actors::owner_app::appointments;

struct Slot {
    id: i64,
    time: String,
    service: String,
    customer: String,
    cancelled: bool,
}

struct Day {
    label: String,
    today: bool,
    items: Vec<Slot>,
}

#[derive(Template)]
#[template(path = "web/app/appointments.html")]
struct WeekPage {
    chrome: Chrome,
    range: String,
    prev: String,
    next: String,
    days: Vec<Day>,
    list: Vec<Slot>,
}

/// `?week=`.
#[derive(serde::Deserialize)]
pub struct WeekQuery {
    week: Option<String>,
}

/// The Monday of the week containing `day`.
pub fn monday_of(day: NaiveDate) -> NaiveDate {
    day - Days::new(u64::from(day.weekday().num_days_from_monday()))
}

/// `GET /app/appointments`.
pub async fn week(
    state: web::Data<AppState>,
    owner: OwnerSession,
    query: web::Query<WeekQuery>,
) -> Result<HttpResponse, ApiError> {
    let p = OwnerPage::load(&state, &owner, "Appointments", "/app/appointments").await?;
    let now = (state.clock)();
    let today = now.with_timezone(&p.tz).date_naive();
    let asked = match query.week.as_deref().filter(|w| !w.is_empty()) {
        None => today,
        Some(raw) => match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
            Ok(d) => d,
            Err(_) => {
                return Ok(problem::page(
                    StatusCode::BAD_REQUEST,
                    "week: expected a date like 2026-12-07",
                    "/app/appointments",
                ))
            }
        },
    };
    let monday = monday_of(asked);
    let start_of = |d: NaiveDate| {
        p.tz.from_local_datetime(&d.and_time(chrono::NaiveTime::MIN))
            .earliest()
            .map(|t| t.with_timezone(&chrono::Utc))
    };
    let (Some(from), Some(to)) = (start_of(monday), start_of(monday + Days::new(7))) else {
        return Ok(problem::page(
            StatusCode::BAD_REQUEST,
            "week: that date has no midnight in the business's time zone",
            "/app/appointments",
        ));
    };
    let rows = appointments::between(&p.db, from, to).await?;
    let mut days: Vec<Day> = (0..7)
        .map(|i| {
            let d = monday + Days::new(i);
            Day {
                label: d.format("%a %-d %b").to_string(),
                today: d == today,
                items: Vec::new(),
            }
        })
        .collect();
    for a in rows {
        let local = a.starts_at.with_timezone(&p.tz).date_naive();
        let index = (local - monday).num_days();
        if let Some(day) = usize::try_from(index).ok().and_then(|i| days.get_mut(i)) {
            day.items.push(Slot {
                id: a.id,
                time: p.time(a.starts_at),
                service: a.service,
                customer: who(a.customer_name.as_deref(), &a.customer_phone),
                cancelled: a.status == "cancelled",
            });
        }
    }
    let list = appointments::upcoming(&p.db, now, 50)
        .await?
        .into_iter()
        .map(|a| Slot {
            id: a.id,
            time: p.when(a.starts_at),
            service: a.service,
            customer: who(a.customer_name.as_deref(), &a.customer_phone),
            cancelled: false,
        })
        .collect();
    let sunday = monday + Days::new(6);
    let tpl = WeekPage {
        range: format!(
            "{} – {}",
            monday.format("%-d %b"),
            sunday.format("%-d %b %Y")
        ),
        prev: (monday - Days::new(7)).to_string(),
        next: (monday + Days::new(7)).to_string(),
        days,
        list,
        chrome: p.chrome,
    };
    page::render(StatusCode::OK, Caching::Private, &tpl)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_week_starts_on_its_monday() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default();
        assert_eq!(monday_of(d("2026-12-04")), d("2026-11-30"));
        assert_eq!(monday_of(d("2026-11-30")), d("2026-11-30"));
        assert_eq!(monday_of(d("2026-12-06")), d("2026-11-30"));
    }
}
