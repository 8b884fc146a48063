//! `GET /app/calls` (the latest calls) and `GET /app/calls/{id}` (one call: the
//! AI's summary, the transcript, and the recording in an `<audio>` element over
//! a signed, time-limited link; 404 when not the tenant's).

use super::appointment::not_found;
use super::layout::{dial, OwnerPage};
use super::today::who;
use crate::error::ApiError;
use crate::state::AppState;
use crate::web::chrome::Chrome;
use crate::web::page::{self, Caching};
use crate::web::session::OwnerSession;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use servicepro_actors::owner_app::inbox::{self, CallView};

struct Row {
    id: i64,
    who: String,
    route: &'static str,
    ai: bool,
    recorded: bool,
    when: String,
    length: String,
    summary: Option<String>,
    dial: String,
}

#[derive(Template)]
#[template(path = "web/app/calls.html")]
struct ListPage {
    chrome: Chrome,
    calls: Vec<Row>,
}

/// How a call's route reads.
fn route_label(route: Option<&str>) -> &'static str {
    match route {
        Some("ai-voice") | Some("ai-voice-turns") => "AI answered",
        Some("forward") | Some("paused-forward") => "Forwarded",
        Some("ivr") | Some("ivr-fallback") => "Menu",
        Some("paused") | Some("cancelled") | Some("trial-limit") => "Not answered",
        _ => "Call",
    }
}

fn length(seconds: Option<i32>) -> String {
    match seconds {
        Some(s) if s >= 60 => format!("{} min {} s", s / 60, s % 60),
        Some(s) => format!("{s} s"),
        None => "in progress".to_owned(),
    }
}

fn is_ai(c: &CallView) -> bool {
    matches!(
        c.route.as_deref(),
        Some("ai-voice") | Some("ai-voice-turns")
    )
}

/// `GET /app/calls`.
pub async fn list(
    state: web::Data<AppState>,
    owner: OwnerSession,
) -> Result<HttpResponse, ApiError> {
    let p = OwnerPage::load(&state, &owner, "Calls", "/app/calls").await?;
    let calls = inbox::calls(&p.db, false, 100)
        .await?
        .into_iter()
        .map(|c| Row {
            id: c.id,
            who: who(c.customer_name.as_deref(), &c.from_number),
            route: route_label(c.route.as_deref()),
            ai: is_ai(&c),
            recorded: c.recording_path.is_some(),
            when: p.when(c.started_at),
            length: length(c.duration_seconds),
            dial: dial(&c.from_number),
            summary: c.summary,
        })
        .collect();
    let tpl = ListPage {
        chrome: p.chrome,
        calls,
    };
    page::render(StatusCode::OK, Caching::Private, &tpl)
}

#[derive(Template)]
#[template(path = "web/app/call.html")]
struct CallPage {
    chrome: Chrome,
    who: String,
    when: String,
    length: String,
    route: &'static str,
    dial: String,
    summary: Option<String>,
    recording: Option<String>,
    transcript: Vec<(String, String)>,
}

/// `[{speaker, text}]` as (who, what) lines.
fn transcript_lines(transcript: &serde_json::Value) -> Vec<(String, String)> {
    let Some(turns) = transcript.as_array() else {
        return Vec::new();
    };
    turns
        .iter()
        .filter_map(|t| {
            let text = t.get("text")?.as_str()?.to_owned();
            let speaker = match t.get("speaker").and_then(|s| s.as_str()) {
                Some("caller") | Some("user") | Some("customer") => "Caller",
                _ => "AI",
            };
            Some((speaker.to_owned(), text))
        })
        .collect()
}

/// `GET /app/calls/{id}`.
pub async fn show(
    state: web::Data<AppState>,
    owner: OwnerSession,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let Ok(id) = path.into_inner().parse::<i64>() else {
        return Ok(not_found("call", "/app/calls"));
    };
    let p = OwnerPage::load(&state, &owner, "Call", "/app/calls").await?;
    let Some(c) = inbox::call(&p.db, id).await? else {
        return Ok(not_found("call", "/app/calls"));
    };
    let recording = c.recording_path.as_ref().map(|_| {
        state
            .recording_links
            .url(&owner.tenant, &c.call_sid, (state.clock)().timestamp())
    });
    let tpl = CallPage {
        who: who(c.customer_name.as_deref(), &c.from_number),
        when: p.when(c.started_at),
        length: length(c.duration_seconds),
        route: route_label(c.route.as_deref()),
        dial: dial(&c.from_number),
        transcript: transcript_lines(&c.transcript),
        summary: c.summary,
        recording,
        chrome: p.chrome,
    };
    page::render(StatusCode::OK, Caching::Private, &tpl)
}
