//! The booking page's template and what each step shows.

use super::unavailable;
use crate::error::ApiError;
use crate::web::chrome::Chrome;
use crate::web::form::FormErrors;
use crate::web::page::{self, Caching};
use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use askama::Template;
use servicepro_actors::booking::web_page::{
    carried, BookingPage, DayView, Posted, ServiceView, Step, TimeView, DETAIL_PREFIX,
};
use servicepro_actors::packs::AnswerKind;

/// A pack question as a form field.
#[derive(Debug, Clone)]
pub struct QuestionView {
    /// `d_<key>`.
    pub name: String,
    /// The question.
    pub label: String,
    /// The choices, for a choice question (else empty).
    pub choices: Vec<String>,
    /// Whether the answer is a number.
    pub number: bool,
    /// Whether it must be answered.
    pub required: bool,
}

/// What every step's form carries.
#[derive(Debug, Clone)]
pub struct Shown {
    /// The tenant id in the path.
    pub tenant: String,
    /// The CSRF token of this browser.
    pub csrf: String,
}

impl Shown {
    /// For `tenant`, with `csrf`.
    pub fn new(tenant: &str, csrf: String) -> Self {
        Shown {
            tenant: tenant.to_owned(),
            csrf,
        }
    }
}

/// The page.
#[derive(Template)]
#[template(path = "web/book.html")]
pub struct BookPage {
    chrome: Chrome,
    business: String,
    action: String,
    csrf: String,
    step: &'static str,
    number: usize,
    hidden: Vec<(String, String)>,
    values: Posted,
    errors: FormErrors,
    notice: Option<String>,
    services: Vec<ServiceView>,
    service_name: String,
    questions: Vec<QuestionView>,
    days: Vec<DayView>,
    day_label: String,
    times: Vec<TimeView>,
    summary: Vec<(String, String)>,
    confirmation: Option<String>,
}

impl BookPage {
    /// What the browser posted for `field` (kept on a refused post).
    fn val(&self, field: &str) -> &str {
        self.values
            .get(field)
            .map(String::as_str)
            .unwrap_or_default()
    }

    /// Whether `field` was posted as `value`.
    fn is(&self, field: &str, value: &str) -> bool {
        self.val(field) == value
    }
}

/// Refused fields with their reasons.
pub type FieldReasons = Vec<(String, String)>;

/// The total of steps shown to the customer.
pub const STEPS: usize = Step::ALL.len();

/// Renders `showing` for what was `posted`, with `errors` or a `notice`.
pub async fn step(
    page: &BookingPage,
    shown: Shown,
    showing: Step,
    posted: &Posted,
    refused: Option<(FieldReasons, Option<String>)>,
    status: StatusCode,
) -> Result<HttpResponse, ApiError> {
    let (refused, notice) = refused.unwrap_or_default();
    let mut errors = FormErrors::none();
    for (field, reason) in refused {
        errors.add(&field, reason);
    }
    let business = page.business_name().to_owned();
    let tenant = shown.tenant.clone();
    let mut tpl = BookPage {
        chrome: Chrome::public(format!("Book {business}")),
        action: format!("/{}/book", shown.tenant),
        csrf: shown.csrf,
        step: showing.name(),
        number: Step::ALL.iter().position(|s| *s == showing).unwrap_or(0) + 1,
        hidden: carried(posted, showing),
        values: posted.clone(),
        errors,
        notice,
        services: Vec::new(),
        service_name: String::new(),
        questions: Vec::new(),
        days: Vec::new(),
        day_label: String::new(),
        times: Vec::new(),
        summary: Vec::new(),
        confirmation: None,
        business,
    };
    if showing == Step::Service {
        tpl.services = page.service_views().await.map_err(unavailable)?;
        return page::render(status, Caching::Private, &tpl);
    }
    let before = Step::ALL
        .iter()
        .rev()
        .find(|s| **s < showing)
        .copied()
        .unwrap_or(Step::Service);
    let draft = match page.check(posted, before).await.map_err(unavailable)? {
        Ok(draft) => draft,
        // An earlier step no longer holds (a time taken, a service removed): show it.
        Err(refusal) => {
            return Box::pin(step(
                page,
                Shown::new(&tenant, tpl.csrf.clone()),
                refusal.step,
                posted,
                Some((refusal.errors, None)),
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
            .await
        }
    };
    tpl.service_name = draft.service.name.clone();
    match showing {
        Step::Service => {}
        Step::Details => {
            tpl.questions = page
                .questions(&draft.service.name)
                .into_iter()
                .map(|q| QuestionView {
                    name: format!("{DETAIL_PREFIX}{}", q.key),
                    label: q.question.clone(),
                    choices: match &q.answer {
                        AnswerKind::Choice { choices } => choices.clone(),
                        _ => Vec::new(),
                    },
                    number: matches!(q.answer, AnswerKind::Integer { .. }),
                    required: q.required,
                })
                .collect();
        }
        Step::Day => tpl.days = page.days(&draft.service).await.map_err(unavailable)?,
        Step::Time => {
            if let Some(day) = draft.day {
                tpl.day_label = day.format("%A %b %-d").to_string();
                tpl.times = page.times(&draft.service, day).await.map_err(unavailable)?;
            }
        }
        Step::Contact | Step::Confirm => tpl.summary = page.summary(&draft),
    }
    page::render(status, Caching::Private, &tpl)
}

/// The done page: what was booked and the text that was sent.
pub fn done(
    business: &str,
    tenant: &str,
    summary: Vec<(String, String)>,
    confirmation: String,
) -> Result<HttpResponse, ApiError> {
    let tpl = BookPage {
        chrome: Chrome::public(format!("Booked with {business}")),
        business: business.to_owned(),
        action: format!("/{tenant}/book"),
        csrf: String::new(),
        step: "done",
        number: STEPS,
        hidden: Vec::new(),
        values: Posted::new(),
        errors: FormErrors::none(),
        notice: None,
        services: Vec::new(),
        service_name: String::new(),
        questions: Vec::new(),
        days: Vec::new(),
        day_label: String::new(),
        times: Vec::new(),
        summary,
        confirmation: Some(confirmation),
    };
    page::render(StatusCode::OK, Caching::Private, &tpl)
}
