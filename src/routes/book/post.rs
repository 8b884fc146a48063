//! `POST /{tenant}/book`: one step submitted. Rate-limited per address, the
//! CSRF token checked against the anonymous form cookie, the honeypot
//! answered with a fake success (counted, nothing booked), then everything
//! posted is checked again from the first step.

use super::view::{self, Shown};
use super::{open, unavailable};
use crate::error::ApiError;
use crate::state::AppState;
use crate::web::csrf::{FIELD, FORM_COOKIE};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use servicepro_actors::booking::web_page::{Booked, Posted, Step};

/// The honeypot field: hidden from people, filled by bots.
pub const HONEYPOT: &str = "website";

/// One step posted; a refusal (429, 403, 404, 503) as a page.
pub async fn submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    form: web::Form<Posted>,
) -> HttpResponse {
    let back = format!("/{}/book", path.as_str());
    super::as_page(submit_step(state, req, path, form).await, &back)
}

async fn submit_step(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    form: web::Form<Posted>,
) -> Result<HttpResponse, ApiError> {
    if let Some(ip) = req.peer_addr().map(|a| a.ip()) {
        state
            .book_limiter
            .check(ip)
            .map_err(|wait| ApiError::too_many_requests("from this address", wait))?;
    }
    let posted = form.into_inner();
    let binding = req
        .cookie(FORM_COOKIE)
        .map(|c| c.value().to_owned())
        .unwrap_or_default();
    state
        .csrf
        .verify(&binding, posted.get(FIELD).map(String::as_str))
        .map_err(|e| ApiError::new(StatusCode::FORBIDDEN, "csrf", e.to_string()))?;
    let page = open(&state, &path).await?;
    if posted.get(HONEYPOT).is_some_and(|v| !v.trim().is_empty()) {
        state.metrics.booking_page_bots.inc();
        tracing::info!("booking page honeypot filled; answered a fake success");
        return view::done(
            page.business_name(),
            &path,
            Vec::new(),
            "Thanks! We'll be in touch.".to_owned(),
        );
    }
    let shown = Shown::new(&path, state.csrf.token(&binding));
    let Some(submitted) = posted.get("step").and_then(|s| Step::parse(s)) else {
        return Err(ApiError::invalid_field("step", "unknown booking step"));
    };
    let draft = match page.check(&posted, submitted).await.map_err(unavailable)? {
        Ok(draft) => draft,
        Err(refusal) => {
            return view::step(
                &page,
                shown,
                refusal.step,
                &posted,
                Some((refusal.errors, None)),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    };
    if submitted != Step::Confirm {
        return view::step(
            &page,
            shown,
            submitted.next(),
            &posted,
            None,
            StatusCode::OK,
        )
        .await;
    }
    let summary = page.summary(&draft);
    match page.book(&draft).await.map_err(unavailable)? {
        Ok(Booked::Done { confirmation, .. }) => {
            view::done(page.business_name(), &path, summary, confirmation)
        }
        Ok(Booked::Taken { message }) => {
            let mut fresh = posted.clone();
            fresh.remove("start");
            view::step(
                &page,
                shown,
                Step::Time,
                &fresh,
                Some((Vec::new(), Some(message))),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(refusal) => {
            view::step(
                &page,
                shown,
                refusal.step,
                &posted,
                Some((refusal.errors, None)),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}
