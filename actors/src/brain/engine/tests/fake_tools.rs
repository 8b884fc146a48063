//! An in-memory tenant for the engine's tests: services from an industry
//! pack, real availability over a busy calendar, a configurable service
//! area, and switches for a lost race and failing tools. Its
//! `AgentTools` face is in `fake_agent_tools`.

use servicepro_schema::AppointmentStatus;
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

use crate::booking::availability::{
    fits, offer, AvailabilityRules, Busy, DayFilter, Slot, SlotPreference,
};
use crate::brain::tools::{
    AppointmentInfo, AreaCheck, BookOutcome, BookingRequest, KbAnswer, ServiceInfo, TenantProfile,
    ToolError,
};
use crate::knowledge::{global_entries_with_hours, KnowledgeBase};
use crate::packs::pack;

/// Ids of add-ons start here, so they never collide with services.
const ADDON_IDS: i64 = 100;

/// An appointment in the fake calendar.
#[derive(Debug, Clone)]
pub(crate) struct Stored {
    pub(crate) info: AppointmentInfo,
    pub(crate) phone: Option<String>,
    pub(crate) crew: u8,
    pub(crate) addon_ids: Vec<i64>,
    pub(crate) customer_name: Option<String>,
    pub(crate) details: serde_json::Value,
    pub(crate) preexisting: bool,
}

/// Mutable calendar and call log.
#[derive(Debug, Default)]
pub(super) struct Inner {
    now: Option<DateTime<Utc>>,
    busy: Vec<Busy>,
    appointments: Vec<Stored>,
    take_next: bool,
    area: crate::area::ServiceArea,
    failing: Vec<String>,
    pub(super) handoffs: Vec<String>,
    pub(super) messages: Vec<String>,
    pub(super) links: Vec<String>,
    /// The job lengths `check_availability` was asked about, in order.
    pub(super) checked_minutes: Vec<i32>,
    next_id: i64,
}

/// The test double.
pub(crate) struct FakeTools {
    pack: &'static crate::packs::IndustryPack,
    profile: TenantProfile,
    services: Vec<ServiceInfo>,
    kb: KnowledgeBase,
    rules: AvailabilityRules,
    inner: Mutex<Inner>,
}

impl FakeTools {
    /// A tenant of `industry` with the pack's services and default rules.
    pub(crate) fn new(industry: &str, now: DateTime<Utc>) -> Self {
        let p = pack(industry).expect("known industry");
        let mut services: Vec<ServiceInfo> = p
            .services
            .iter()
            .zip(1..)
            .map(|(s, id)| ServiceInfo {
                id,
                name: s.name.clone(),
                description: s.description.clone(),
                price_cents: i32::try_from(s.price_cents).unwrap_or(0),
                starting_at: s.starting_at,
                duration_minutes: i32::try_from(s.duration_minutes).unwrap_or(60),
                is_addon: false,
                aliases: s.aliases.clone(),
                upsell_line: None,
                pairs_with: Vec::new(),
            })
            .collect();
        services.extend(p.addons.iter().zip(ADDON_IDS..).map(|(a, id)| ServiceInfo {
            id,
            name: a.name.clone(),
            description: a.description.clone(),
            price_cents: i32::try_from(a.price_cents).unwrap_or(0),
            starting_at: false,
            duration_minutes: i32::try_from(a.duration_minutes).unwrap_or(30),
            is_addon: true,
            aliases: a.aliases.clone(),
            upsell_line: Some(a.upsell_line.clone()),
            pairs_with: a.pairs_with.clone(),
        }));
        Self {
            pack: p,
            profile: TenantProfile {
                business_name: format!("Test {}", p.display_name),
                industry: industry.to_owned(),
                time_zone: p.defaults.time_zone,
                booking_url: Some(String::from("https://book.example.com/test")),
                owner_phone: Some(String::from("+19185550000")),
                templates: crate::packs::TenantTemplates::default(),
            },
            services,
            kb: KnowledgeBase::layered(global_entries_with_hours(&p.defaults.hours), p, Vec::new()),
            rules: AvailabilityRules::from_pack_defaults(&p.defaults),
            inner: Mutex::new(Inner {
                now: Some(now),
                next_id: 1000,
                ..Inner::default()
            }),
        }
    }

    /// Restricts the service area (the real check runs on it).
    pub(crate) fn set_area(&self, area: crate::area::ServiceArea) {
        self.inner.lock().unwrap().area = area;
    }

    /// Marks crew time as taken by jobs outside the test.
    pub(crate) fn add_busy(&self, busy: Busy) {
        self.inner.lock().unwrap().busy.push(busy);
    }

    /// Makes the next booking lose its race.
    pub(crate) fn take_next_slot(&self) {
        self.inner.lock().unwrap().take_next = true;
    }

    /// Makes the named tools fail.
    pub(crate) fn set_failing(&self, tools: Vec<String>) {
        self.inner.lock().unwrap().failing = tools;
    }

    /// An existing appointment for `service` at `start`.
    pub(crate) fn add_appointment(&self, service: &str, start: DateTime<Utc>, phone: Option<&str>) {
        let s = self
            .services
            .iter()
            .find(|s| s.name.eq_ignore_ascii_case(service))
            .unwrap_or_else(|| panic!("unknown service {service}"))
            .clone();
        let mut inner = self.inner.lock().unwrap();
        inner.next_id += 1;
        let end = start + Duration::minutes(i64::from(s.duration_minutes));
        let stored = Stored {
            info: AppointmentInfo {
                id: inner.next_id,
                service_name: s.name.clone(),
                service_id: s.id,
                starts_at: start,
                ends_at: end,
                price_cents: s.price_cents,
                address: Some(String::from("500 Elm St, Tulsa, OK 74135")),
                status: AppointmentStatus::Booked,
            },
            phone: phone.map(str::to_owned),
            crew: 0,
            addon_ids: Vec::new(),
            customer_name: None,
            details: serde_json::Value::Null,
            preexisting: true,
        };
        inner.appointments.push(stored);
    }

    /// The tenant facts.
    pub(super) fn tenant(&self) -> &TenantProfile {
        &self.profile
    }

    /// The services and add-ons.
    pub(super) fn services(&self) -> &[ServiceInfo] {
        &self.services
    }

    /// The scheduling rules.
    pub(super) fn rules(&self) -> &AvailabilityRules {
        &self.rules
    }

    /// Records a call in the log.
    pub(super) fn record(&self, write: impl FnOnce(&mut Inner)) {
        write(&mut self.inner.lock().unwrap());
    }

    /// Marks an appointment cancelled.
    pub(super) fn cancel_now(&self, id: i64) -> Result<AppointmentInfo, ToolError> {
        let mut inner = self.inner.lock().unwrap();
        let stored = inner
            .appointments
            .iter_mut()
            .find(|a| a.info.id == id)
            .ok_or_else(|| ToolError::Invalid(String::from("no such appointment")))?;
        stored.info.status = AppointmentStatus::Cancelled;
        Ok(stored.info.clone())
    }

    /// Every appointment, in creation order.
    /// The job lengths `check_availability` was asked about, in order.
    pub(crate) fn checked_minutes(&self) -> Vec<i32> {
        self.inner.lock().unwrap().checked_minutes.clone()
    }

    pub(crate) fn appointments(&self) -> Vec<Stored> {
        self.inner.lock().unwrap().appointments.clone()
    }

    /// Handoff summaries sent to the owner.
    pub(crate) fn handoffs(&self) -> Vec<String> {
        self.inner.lock().unwrap().handoffs.clone()
    }

    /// Messages taken for the owner.
    pub(crate) fn messages(&self) -> Vec<String> {
        self.inner.lock().unwrap().messages.clone()
    }

    /// The service with `id`.
    pub(crate) fn service(&self, id: i64) -> Option<&ServiceInfo> {
        self.services.iter().find(|s| s.id == id)
    }

    pub(super) fn fails(&self, tool: &str) -> bool {
        let inner = self.inner.lock().unwrap();
        inner.failing.iter().any(|t| t == tool || t == "all")
    }

    pub(super) fn now(&self) -> DateTime<Utc> {
        self.inner.lock().unwrap().now.unwrap_or_else(Utc::now)
    }

    /// Busy time, optionally without one appointment (being moved).
    pub(super) fn busy(&self, except: Option<i64>) -> Vec<Busy> {
        let inner = self.inner.lock().unwrap();
        let mut busy = inner.busy.clone();
        busy.extend(
            inner
                .appointments
                .iter()
                .filter(|a| a.info.status == AppointmentStatus::Booked && Some(a.info.id) != except)
                .map(|a| Busy {
                    crew: a.crew,
                    start: a.info.starts_at,
                    end: a.info.ends_at,
                }),
        );
        busy
    }

    pub(super) fn offer_near(&self, slot: &Slot, minutes: i64) -> Vec<Slot> {
        let date = slot.start.with_timezone(&self.rules.time_zone).date_naive();
        let preference = SlotPreference {
            days: DayFilter::Date(date),
            ..SlotPreference::default()
        };
        offer(
            &self.rules,
            &self.busy(None),
            Duration::minutes(minutes),
            self.now(),
            &preference,
            3,
        )
        .slots
    }

    pub(super) fn book_now(&self, request: &BookingRequest) -> Result<BookOutcome, ToolError> {
        let service = self
            .service(request.service_id)
            .filter(|s| !s.is_addon)
            .ok_or_else(|| ToolError::Invalid(String::from("unknown service")))?
            .clone();
        let addons: Vec<ServiceInfo> = request
            .addon_ids
            .iter()
            .filter_map(|id| self.service(*id).cloned())
            .collect();
        let sized = self
            .pack
            .job_adjustment_json(&service.name, &request.details)
            .total;
        let minutes = i64::from(service.duration_minutes)
            + i64::from(sized.minutes)
            + addons
                .iter()
                .map(|a| i64::from(a.duration_minutes))
                .sum::<i64>();
        let price = service.price_cents
            + sized.price_cents
            + addons.iter().map(|a| a.price_cents).sum::<i32>();
        let start = request.slot.start;
        let end = start + Duration::minutes(minutes);
        let taken = std::mem::take(&mut self.inner.lock().unwrap().take_next);
        if taken {
            for crew in 0..self.rules.crews {
                self.add_busy(Busy { crew, start, end });
            }
            let alternatives = self.offer_near(&request.slot, minutes);
            return Ok(BookOutcome::SlotTaken { alternatives });
        }
        let crew = match fits(
            &self.rules,
            &self.busy(None),
            start,
            Duration::minutes(minutes),
            self.now(),
        ) {
            Ok(crew) => crew,
            Err(why) => {
                return Ok(BookOutcome::Rejected {
                    reason: why.to_string(),
                    alternatives: self.offer_near(&request.slot, minutes),
                })
            }
        };
        let mut inner = self.inner.lock().unwrap();
        inner.next_id += 1;
        let info = AppointmentInfo {
            id: inner.next_id,
            service_name: service.name.clone(),
            service_id: service.id,
            starts_at: start,
            ends_at: end,
            price_cents: price,
            address: request.address.clone(),
            status: AppointmentStatus::Booked,
        };
        inner.appointments.push(Stored {
            info: info.clone(),
            phone: request.customer_phone.clone(),
            crew,
            addon_ids: request.addon_ids.clone(),
            customer_name: request.customer_name.clone(),
            details: request.details.clone(),
            preexisting: false,
        });
        Ok(BookOutcome::Booked(info))
    }

    pub(super) fn area_check(&self, address: &str) -> AreaCheck {
        self.inner.lock().unwrap().area.check(address)
    }

    pub(super) fn kb(&self, question: &str) -> Option<KbAnswer> {
        let area = self.inner.lock().unwrap().area.clone();
        self.kb.best_answer(question).map(|e| KbAnswer {
            question: e.question.clone(),
            answer: area.faq_answer(&e.category, &e.answer),
        })
    }
}

impl FakeTools {
    pub(super) fn move_now(&self, id: i64, slot: Slot) -> Result<BookOutcome, ToolError> {
        let current = self
            .appointments()
            .into_iter()
            .find(|a| a.info.id == id)
            .ok_or_else(|| ToolError::Invalid(String::from("no such appointment")))?;
        let minutes = (current.info.ends_at - current.info.starts_at).num_minutes();
        let duration = Duration::minutes(minutes);
        let crew = match fits(
            &self.rules,
            &self.busy(Some(id)),
            slot.start,
            duration,
            self.now(),
        ) {
            Ok(crew) => crew,
            Err(why) => {
                return Ok(BookOutcome::Rejected {
                    reason: why.to_string(),
                    alternatives: self.offer_near(&slot, minutes),
                })
            }
        };
        let mut inner = self.inner.lock().unwrap();
        let stored = inner
            .appointments
            .iter_mut()
            .find(|a| a.info.id == id)
            .ok_or_else(|| ToolError::Invalid(String::from("no such appointment")))?;
        stored.info.starts_at = slot.start;
        stored.info.ends_at = slot.start + duration;
        stored.crew = crew;
        Ok(BookOutcome::Booked(stored.info.clone()))
    }
}
