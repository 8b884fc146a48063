//! The hosted booking page's engine (no HTTP): one step per page —
//! service → details → day → time → address & contact → confirm → done.
//!
//! The browser carries what was chosen so far in hidden fields; every post is
//! checked again from the first step ([`BookingPage::check`]), so nothing the
//! browser sends is trusted: the service must be active, each detail must
//! answer the pack's question (its [`AnswerKind`]), the time must be a real
//! free slot now, the address must be inside the service area. The booking
//! goes through the same [`DbTools::book_appointment`] (the tenant's
//! `BookingActor`) as SMS and voice, and the customer is texted the same
//! [`booking_confirmation`]. A lost race for the last slot answers
//! [`Booked::Taken`] with that day's fresh slots.

use std::collections::BTreeMap;
use std::sync::Arc;

use actix::Addr;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use servicepro_schema::{TenantDb, E164};

use crate::booking::availability::{free_slots, Slot};
use crate::booking::{store, BookingDesk};
use crate::brain::db_tools::{DbTools, TenantSnapshot};
use crate::brain::engine::{
    booking_confirmation, clock, day_label, duration_phrase, price_phrase, usd,
};
use crate::brain::tools::{
    AgentTools, AppointmentInfo, AreaCheck, BookOutcome, BookingRequest, ServiceInfo, ToolError,
};
use crate::clock::Clock;
use crate::messaging::outbox::{SendSms, SmsOutbox};
use crate::packs::{AnswerKind, BookingQuestion};

/// The channel bookings from the page are recorded with.
pub const CHANNEL: &str = "web";
/// How many days ahead the day step looks for free slots.
pub const DAYS_SHOWN: i64 = 14;
/// Longest name, address or text detail accepted.
pub const MAX_TEXT: usize = 200;

/// A page of the flow, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    /// Pick a service.
    Service,
    /// The job details the pack asks for.
    Details,
    /// Pick a day with free slots.
    Day,
    /// Pick a free time on that day.
    Time,
    /// Address (service-area check), name and phone.
    Contact,
    /// Review and book.
    Confirm,
}

impl Step {
    /// Every step, in order.
    pub const ALL: [Step; 6] = [
        Step::Service,
        Step::Details,
        Step::Day,
        Step::Time,
        Step::Contact,
        Step::Confirm,
    ];

    /// The step's name in forms and URLs.
    pub fn name(self) -> &'static str {
        match self {
            Step::Service => "service",
            Step::Details => "details",
            Step::Day => "day",
            Step::Time => "time",
            Step::Contact => "contact",
            Step::Confirm => "confirm",
        }
    }

    /// The step named `raw`.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == raw)
    }

    /// The step after this one (the last stays).
    pub fn next(self) -> Self {
        match self {
            Step::Service => Step::Details,
            Step::Details => Step::Day,
            Step::Day => Step::Time,
            Step::Time => Step::Contact,
            Step::Contact | Step::Confirm => Step::Confirm,
        }
    }

    /// The step a posted field belongs to (details are `d_<key>`).
    pub fn of_field(field: &str) -> Option<Self> {
        match field {
            "service" => Some(Step::Service),
            "day" => Some(Step::Day),
            "start" => Some(Step::Time),
            "address" | "name" | "phone" => Some(Step::Contact),
            f if f.starts_with(DETAIL_PREFIX) => Some(Step::Details),
            _ => None,
        }
    }
}

/// The form-field prefix of a job detail (`d_vehicle`).
pub const DETAIL_PREFIX: &str = "d_";

/// What a browser posted (field → value).
pub type Posted = BTreeMap<String, String>;

/// The fields of the steps before `showing`, to carry in hidden inputs.
pub fn carried(posted: &Posted, showing: Step) -> Vec<(String, String)> {
    posted
        .iter()
        .filter(|(k, _)| Step::of_field(k).is_some_and(|s| s < showing))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// A service as the page lists it.
#[derive(Debug, Clone)]
pub struct ServiceView {
    /// Its id (the form value).
    pub id: i64,
    /// Its name.
    pub name: String,
    /// One line about it.
    pub description: String,
    /// "$75" or "from $275".
    pub price: String,
    /// "about 2 hours".
    pub duration: String,
}

/// A day with free slots.
#[derive(Debug, Clone)]
pub struct DayView {
    /// `2026-12-07` (the form value).
    pub value: String,
    /// "Monday Dec 7".
    pub label: String,
    /// How many start times are free.
    pub free: usize,
}

/// A free start time.
#[derive(Debug, Clone)]
pub struct TimeView {
    /// RFC 3339 UTC start (the form value).
    pub value: String,
    /// "9:00 AM" in the tenant's zone.
    pub label: String,
}

/// The customer's contact and where the job is.
#[derive(Debug, Clone)]
pub struct Contact {
    /// Name.
    pub name: String,
    /// Mobile number (the confirmation goes there).
    pub phone: E164,
    /// Street address.
    pub address: String,
    /// A travel fee the address costs, in cents.
    pub travel_fee_cents: Option<u32>,
}

/// Everything checked up to some step.
#[derive(Debug, Clone)]
pub struct Draft {
    /// The service.
    pub service: ServiceInfo,
    /// The details, by question key.
    pub details: BTreeMap<String, String>,
    /// The day, once chosen.
    pub day: Option<NaiveDate>,
    /// The slot, once chosen.
    pub slot: Option<Slot>,
    /// Contact and address, once given.
    pub contact: Option<Contact>,
}

/// A post refused: the step to show again and the reason per field.
#[derive(Debug, Clone)]
pub struct Refusal {
    /// The first step with a refused field.
    pub step: Step,
    /// Field → reason.
    pub errors: Vec<(String, String)>,
}

/// What a confirm post came to.
#[derive(Debug, Clone)]
pub enum Booked {
    /// Booked; the confirmation was texted.
    Done {
        /// The appointment.
        appointment: AppointmentInfo,
        /// The confirmation text (the same as SMS and voice send).
        confirmation: String,
    },
    /// Someone took the time first: that day's fresh slots.
    Taken {
        /// Why, for the customer.
        message: String,
    },
}

/// One tenant's booking page.
pub struct BookingPage {
    snapshot: Arc<TenantSnapshot>,
    tools: DbTools,
    db: TenantDb,
    outbox: Addr<SmsOutbox>,
    now: DateTime<Utc>,
}

impl BookingPage {
    /// The page over the tenant's cached snapshot.
    pub fn new(
        snapshot: Arc<TenantSnapshot>,
        db: TenantDb,
        desk: BookingDesk,
        outbox: Addr<SmsOutbox>,
        clock: Clock,
    ) -> Self {
        let now = clock();
        let tools = DbTools::with_snapshot(
            Arc::clone(&snapshot),
            db.clone(),
            desk,
            outbox.clone(),
            clock,
            CHANNEL,
        );
        BookingPage {
            snapshot,
            tools,
            db,
            outbox,
            now,
        }
    }

    /// The business's name.
    pub fn business_name(&self) -> &str {
        &self.snapshot.profile().business_name
    }

    /// The bookable services (add-ons are not booked alone).
    pub async fn services(&self) -> Result<Vec<ServiceInfo>, ToolError> {
        Ok(self
            .tools
            .get_services()
            .await?
            .into_iter()
            .filter(|s| !s.is_addon)
            .collect())
    }

    /// The services as listed.
    pub async fn service_views(&self) -> Result<Vec<ServiceView>, ToolError> {
        Ok(self
            .services()
            .await?
            .iter()
            .map(|s| ServiceView {
                id: s.id,
                name: s.name.clone(),
                description: s.description.clone(),
                price: price_phrase(s),
                duration: duration_phrase(s.duration_minutes),
            })
            .collect())
    }

    /// The pack's questions for `service`, in order.
    pub fn questions(&self, service: &str) -> Vec<&BookingQuestion> {
        self.snapshot
            .pack()
            .agent
            .booking_questions
            .iter()
            .filter(|q| q.applies_to(service))
            .collect()
    }

    /// Days in the next [`DAYS_SHOWN`] with free slots for `service`.
    pub async fn days(&self, service: &ServiceInfo) -> Result<Vec<DayView>, ToolError> {
        let tz = self.snapshot.rules().time_zone;
        let today = self.now.with_timezone(&tz).date_naive();
        let slots = self
            .free(service, today, today + Duration::days(DAYS_SHOWN))
            .await?;
        let mut days: Vec<DayView> = Vec::new();
        for slot in slots {
            let date = slot.start.with_timezone(&tz).date_naive();
            let value = date.to_string();
            match days.last_mut() {
                Some(day) if day.value == value => day.free += 1,
                _ => days.push(DayView {
                    value,
                    label: day_label(date),
                    free: 1,
                }),
            }
        }
        Ok(days)
    }

    /// The free start times of `service` on `day`.
    pub async fn times(
        &self,
        service: &ServiceInfo,
        day: NaiveDate,
    ) -> Result<Vec<TimeView>, ToolError> {
        let tz = self.snapshot.rules().time_zone;
        Ok(self
            .free(service, day, day)
            .await?
            .iter()
            .map(|s| TimeView {
                value: s.start.to_rfc3339(),
                label: clock(s.start, tz),
            })
            .collect())
    }

    /// Real free slots (the availability engine over the busy calendar now).
    async fn free(
        &self,
        service: &ServiceInfo,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Slot>, ToolError> {
        let rules = self.snapshot.rules();
        let until = self.now + Duration::days(i64::from(rules.horizon_days) + 2);
        let busy = store::busy_between(&self.db, self.now - Duration::days(1), until, None)
            .await
            .map_err(ToolError::unavailable)?;
        let duration = Duration::minutes(i64::from(service.duration_minutes.max(1)));
        Ok(free_slots(rules, &busy, duration, self.now, from, to))
    }

    /// Checks everything posted for the steps up to and including `through`.
    pub async fn check(
        &self,
        posted: &Posted,
        through: Step,
    ) -> Result<Result<Draft, Refusal>, ToolError> {
        let refuse = |step: Step, field: &str, reason: String| Refusal {
            step,
            errors: vec![(field.to_owned(), reason)],
        };
        let field = |name: &str| posted.get(name).map(|v| v.trim()).unwrap_or_default();
        let services = self.services().await?;
        let Some(service) = field("service")
            .parse::<i64>()
            .ok()
            .and_then(|id| services.into_iter().find(|s| s.id == id))
        else {
            return Ok(Err(refuse(
                Step::Service,
                "service",
                "Choose one of the services listed.".to_owned(),
            )));
        };
        let mut draft = Draft {
            service,
            details: BTreeMap::new(),
            day: None,
            slot: None,
            contact: None,
        };
        if through == Step::Service {
            return Ok(Ok(draft));
        }
        let mut errors = Vec::new();
        for q in self.questions(&draft.service.name) {
            let name = format!("{DETAIL_PREFIX}{}", q.key);
            let raw = field(&name);
            if raw.is_empty() && !q.required {
                continue;
            }
            if raw.chars().count() > MAX_TEXT {
                errors.push((name, format!("Keep it under {MAX_TEXT} characters.")));
                continue;
            }
            match q.answer.parse(raw) {
                Ok(_) if matches!(q.answer, AnswerKind::Choice { .. }) && !exact_choice(q, raw) => {
                    errors.push((name, "Choose one of the options listed.".to_owned()))
                }
                Ok(answer) => {
                    draft.details.insert(q.key.clone(), answer_text(&answer));
                }
                Err(e) => errors.push((name, format!("{}: {e}.", q.question))),
            }
        }
        if !errors.is_empty() {
            return Ok(Err(Refusal {
                step: Step::Details,
                errors,
            }));
        }
        if through == Step::Details {
            return Ok(Ok(draft));
        }
        let Ok(day) = NaiveDate::parse_from_str(field("day"), "%Y-%m-%d") else {
            return Ok(Err(refuse(
                Step::Day,
                "day",
                "Choose one of the days listed.".to_owned(),
            )));
        };
        let days = self.days(&draft.service).await?;
        if !days.iter().any(|d| d.value == day.to_string()) {
            return Ok(Err(refuse(
                Step::Day,
                "day",
                "That day has no free times left; choose another.".to_owned(),
            )));
        }
        draft.day = Some(day);
        if through == Step::Day {
            return Ok(Ok(draft));
        }
        let start = DateTime::parse_from_rfc3339(field("start"))
            .ok()
            .map(|t| t.with_timezone(&Utc));
        let free = self.free(&draft.service, day, day).await?;
        let Some(slot) = start.and_then(|t| free.into_iter().find(|s| s.start == t)) else {
            return Ok(Err(refuse(
                Step::Time,
                "start",
                "That time is not free any more; choose one of the times listed.".to_owned(),
            )));
        };
        draft.slot = Some(slot);
        if through == Step::Time {
            return Ok(Ok(draft));
        }
        let contact = self
            .contact(field("name"), field("phone"), field("address"))
            .await?;
        match contact {
            Ok(contact) => draft.contact = Some(contact),
            Err(errors) => {
                return Ok(Err(Refusal {
                    step: Step::Contact,
                    errors,
                }))
            }
        }
        Ok(Ok(draft))
    }

    async fn contact(
        &self,
        name: &str,
        phone: &str,
        address: &str,
    ) -> Result<Result<Contact, Vec<(String, String)>>, ToolError> {
        let mut errors = Vec::new();
        let mut note = |field: &str, reason: String| errors.push((field.to_owned(), reason));
        if address.is_empty() || address.chars().count() > MAX_TEXT {
            note(
                "address",
                "Enter the street address, city and ZIP code.".to_owned(),
            );
        }
        let mut travel_fee_cents = None;
        if !address.is_empty() && address.chars().count() <= MAX_TEXT {
            match self.tools.check_service_area(address).await? {
                AreaCheck::Served => {}
                AreaCheck::TravelFee { fee_cents, .. } => travel_fee_cents = Some(fee_cents),
                AreaCheck::NotServed { reason } => note(
                    "address",
                    format!("Sorry, that address is outside our service area: {reason}."),
                ),
                AreaCheck::Unknown => note(
                    "address",
                    "We couldn't place that address; add the ZIP code.".to_owned(),
                ),
            }
        }
        if name.is_empty() || name.chars().count() > MAX_TEXT {
            note("name", "Enter your name.".to_owned());
        }
        let phone = match E164::parse(phone) {
            Ok(p) => Some(p),
            Err(_) => {
                note(
                    "phone",
                    "Enter a US mobile number, like (555) 010-2000.".to_owned(),
                );
                None
            }
        };
        Ok(match phone {
            Some(phone) if errors.is_empty() => Ok(Contact {
                name: name.to_owned(),
                phone,
                address: address.to_owned(),
                travel_fee_cents,
            }),
            _ => Err(errors),
        })
    }

    /// The review lines of a complete draft (label, value).
    pub fn summary(&self, draft: &Draft) -> Vec<(String, String)> {
        let tz = self.snapshot.rules().time_zone;
        let mut lines = vec![(
            "Service".to_owned(),
            format!("{} · {}", draft.service.name, price_phrase(&draft.service)),
        )];
        for q in self.questions(&draft.service.name) {
            if let Some(v) = draft.details.get(&q.key) {
                lines.push((q.question.clone(), v.clone()));
            }
        }
        if let Some(slot) = draft.slot {
            lines.push((
                "When".to_owned(),
                format!(
                    "{} at {}",
                    day_label(slot.start.with_timezone(&tz).date_naive()),
                    clock(slot.start, tz)
                ),
            ));
        }
        if let Some(c) = &draft.contact {
            lines.push(("Address".to_owned(), c.address.clone()));
            if let Some(fee) = c.travel_fee_cents {
                lines.push((
                    "Travel fee".to_owned(),
                    usd(i32::try_from(fee).unwrap_or(i32::MAX)),
                ));
            }
            lines.push(("Name".to_owned(), c.name.clone()));
            lines.push(("Mobile".to_owned(), c.phone.as_str().to_owned()));
        }
        lines
    }

    /// Books a complete draft through the tenant's `BookingActor` and texts the
    /// confirmation.
    pub async fn book(&self, draft: &Draft) -> Result<Result<Booked, Refusal>, ToolError> {
        let (Some(slot), Some(contact)) = (draft.slot, draft.contact.as_ref()) else {
            return Err(ToolError::Invalid("the booking is not complete".to_owned()));
        };
        let mut details: serde_json::Map<String, serde_json::Value> = draft
            .details
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
            .collect();
        if let Some(fee) = contact.travel_fee_cents {
            details.insert(
                "travel_fee".to_owned(),
                usd(i32::try_from(fee).unwrap_or(i32::MAX)).into(),
            );
        }
        let request = BookingRequest {
            customer_phone: Some(contact.phone.as_str().to_owned()),
            customer_name: Some(contact.name.clone()),
            service_id: draft.service.id,
            addon_ids: Vec::new(),
            slot,
            address: Some(contact.address.clone()),
            details: serde_json::Value::Object(details),
            conversation_id: None,
        };
        match self.tools.book_appointment(request).await? {
            BookOutcome::Booked(appointment) => {
                let confirmation = booking_confirmation(self.snapshot.profile(), &appointment);
                let send = SendSms {
                    tenant: self.db.tenant().clone(),
                    to: contact.phone.clone(),
                    body: confirmation.clone(),
                    purpose: "booking_confirmation".to_owned(),
                    conversation_id: None,
                    customer_id: None,
                };
                match self.outbox.send(send).await {
                    Ok(Ok(_)) => {}
                    Ok(Err(e)) => {
                        tracing::error!(error = %e, "booking confirmation not queued")
                    }
                    Err(e) => tracing::error!(error = %e, "booking confirmation not queued"),
                }
                Ok(Ok(Booked::Done {
                    appointment,
                    confirmation,
                }))
            }
            BookOutcome::SlotTaken { .. } => Ok(Ok(Booked::Taken {
                message: "Sorry, someone just booked that time. Here are the times still free."
                    .to_owned(),
            })),
            BookOutcome::Rejected { reason, .. } => Ok(Err(Refusal {
                step: Step::Time,
                errors: vec![("start".to_owned(), format!("Sorry, {reason}."))],
            })),
        }
    }
}

/// Whether `raw` is exactly one of the question's choices (the page offers
/// them as a list; "suv or truck" is not an answer).
fn exact_choice(q: &BookingQuestion, raw: &str) -> bool {
    match &q.answer {
        AnswerKind::Choice { choices } => choices.iter().any(|c| c.eq_ignore_ascii_case(raw)),
        _ => true,
    }
}

fn answer_text(answer: &crate::packs::Answer) -> String {
    use crate::packs::Answer;
    match answer {
        Answer::Text(t) | Answer::Choice(t) => t.clone(),
        Answer::Integer(n) => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_round_trip_and_fields_belong_to_their_step() {
        for s in Step::ALL {
            assert_eq!(Step::parse(s.name()), Some(s));
        }
        assert_eq!(Step::of_field("d_vehicle"), Some(Step::Details));
        assert_eq!(Step::of_field("start"), Some(Step::Time));
        assert_eq!(Step::of_field("csrf"), None);
        let posted: Posted = [
            ("service", "1"),
            ("d_vehicle", "2019 Civic"),
            ("day", "2026-12-07"),
            ("csrf", "t"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        let kept: Vec<String> = carried(&posted, Step::Day)
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        assert_eq!(kept, vec!["d_vehicle".to_owned(), "service".to_owned()]);
    }
}
