//! `GET /app/conversations` (every thread, latest first) and
//! `GET /app/conversations/{id}` (one thread's messages; 404 when not the
//! tenant's).

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
use servicepro_actors::owner_app::inbox;

struct Thread {
    id: i64,
    who: String,
    channel: String,
    last: String,
    when: String,
    count: i64,
    handed_off: bool,
    dial: Option<String>,
}

#[derive(Template)]
#[template(path = "web/app/conversations.html")]
struct ListPage {
    chrome: Chrome,
    threads: Vec<Thread>,
}

fn thread_who(t: &inbox::ThreadView) -> String {
    match t.customer_phone.as_deref() {
        Some(phone) => who(t.customer_name.as_deref(), phone),
        None => "Web visitor".to_owned(),
    }
}

/// `GET /app/conversations`.
pub async fn list(
    state: web::Data<AppState>,
    owner: OwnerSession,
) -> Result<HttpResponse, ApiError> {
    let p = OwnerPage::load(&state, &owner, "Conversations", "/app/conversations").await?;
    let threads = inbox::threads(&p.db, 100)
        .await?
        .into_iter()
        .map(|t| Thread {
            who: thread_who(&t),
            id: t.id,
            when: p.when(t.updated_at),
            last: t.last_body.unwrap_or_default(),
            count: t.messages,
            handed_off: t.handed_off_at.is_some(),
            dial: t.customer_phone.as_deref().map(dial),
            channel: t.channel,
        })
        .collect();
    let tpl = ListPage {
        chrome: p.chrome,
        threads,
    };
    page::render(StatusCode::OK, Caching::Private, &tpl)
}

struct Message {
    side: &'static str,
    who: &'static str,
    body: String,
    when: String,
    failed: bool,
}

#[derive(Template)]
#[template(path = "web/app/conversation.html")]
struct ThreadPage {
    chrome: Chrome,
    who: String,
    channel: String,
    dial: Option<String>,
    messages: Vec<Message>,
}

/// `GET /app/conversations/{id}`.
pub async fn show(
    state: web::Data<AppState>,
    owner: OwnerSession,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let Ok(id) = path.into_inner().parse::<i64>() else {
        return Ok(not_found("conversation", "/app/conversations"));
    };
    let p = OwnerPage::load(&state, &owner, "Conversation", "/app/conversations").await?;
    let Some((head, messages)) = inbox::thread(&p.db, id).await? else {
        return Ok(not_found("conversation", "/app/conversations"));
    };
    let messages = messages
        .into_iter()
        .map(|m| {
            let inbound = m.direction == "inbound";
            Message {
                side: if inbound { "in" } else { "out" },
                who: if inbound { "Customer" } else { "You / the AI" },
                when: p.when(m.created_at),
                failed: matches!(m.status.as_str(), "failed" | "undelivered"),
                body: m.body,
            }
        })
        .collect();
    let tpl = ThreadPage {
        who: thread_who(&head),
        dial: head.customer_phone.as_deref().map(dial),
        channel: head.channel,
        messages,
        chrome: p.chrome,
    };
    page::render(StatusCode::OK, Caching::Private, &tpl)
}
