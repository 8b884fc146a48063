//! An in-memory [`AgentTools`] for the LLM brain's tests: three services,
//! a fixed list of free slots, and a log of every call.

use servicepro_schema::AppointmentStatus;
use std::sync::{Mutex, MutexGuard};

use chrono::{DateTime, TimeZone, Utc};
use futures_util::future::BoxFuture;

use crate::booking::availability::{Offer, Slot, SlotPreference};
use crate::brain::tools::{
    AgentTools, AppointmentInfo, AreaCheck, BookOutcome, BookingRequest, KbAnswer, ServiceInfo,
    TenantProfile, ToolError,
};

/// The customer's phone in every test.
pub(crate) const PHONE: &str = "+19185550100";

/// Thursday 2026-03-12, 10:00 in Chicago.
pub(crate) fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 12, 15, 0, 0)
        .single()
        .expect("valid instant")
}

/// The free slots, in order: Fri 9:00, Sat 10:00, Mon 13:00 (Chicago), 3 h.
pub(crate) fn slot(index: usize) -> Slot {
    let starts = [(13, 14), (14, 15), (16, 18)];
    let (day, hour) = starts[index];
    let start = Utc
        .with_ymd_and_hms(2026, 3, day, hour, 0, 0)
        .single()
        .expect("valid instant");
    Slot {
        start,
        end: start + chrono::Duration::hours(3),
        crew: 0,
    }
}

/// Everything the tools were asked.
#[derive(Debug, Default)]
pub(crate) struct Log {
    pub(crate) availability: Vec<(i32, SlotPreference, usize)>,
    pub(crate) bookings: Vec<BookingRequest>,
    pub(crate) appointments: Vec<(String, AppointmentInfo)>,
    pub(crate) rescheduled: Vec<(i64, Slot)>,
    pub(crate) cancelled: Vec<i64>,
    pub(crate) handoffs: Vec<String>,
    pub(crate) messages: Vec<String>,
    pub(crate) links: Vec<String>,
    pub(crate) take_next: bool,
}

/// The double.
pub(crate) struct MemTools {
    profile: TenantProfile,
    services: Vec<ServiceInfo>,
    log: Mutex<Log>,
}

fn service(id: i64, name: &str, cents: i32, minutes: i32, addon: bool) -> ServiceInfo {
    ServiceInfo {
        id,
        name: name.to_owned(),
        description: format!("{name}, done right"),
        price_cents: cents,
        starting_at: false,
        duration_minutes: minutes,
        is_addon: addon,
        aliases: Vec::new(),
        upsell_line: None,
        pairs_with: Vec::new(),
    }
}

impl MemTools {
    /// A mobile detailer in Chicago time.
    pub(crate) fn new() -> Self {
        MemTools {
            profile: TenantProfile {
                business_name: "Clean Machine".to_owned(),
                industry: "mobile-detailing".to_owned(),
                time_zone: chrono_tz::America::Chicago,
                booking_url: Some("https://book.example/clean".to_owned()),
                owner_phone: None,
                templates: crate::packs::TenantTemplates::default(),
            },
            services: vec![
                service(1, "Full Detail", 19_900, 180, false),
                service(2, "Interior Detail", 12_900, 120, false),
                service(101, "Pet Hair Removal", 4_000, 30, true),
            ],
            log: Mutex::new(Log::default()),
        }
    }

    /// The call log.
    pub(crate) fn log(&self) -> MutexGuard<'_, Log> {
        self.log.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Adds an upcoming appointment for `phone`.
    pub(crate) fn with_appointment(self, phone: &str, id: i64, slot: Slot) -> Self {
        self.log()
            .appointments
            .push((phone.to_owned(), info(id, 1, "Full Detail", slot, None)));
        self
    }
}

fn info(
    id: i64,
    service_id: i64,
    name: &str,
    slot: Slot,
    address: Option<String>,
) -> AppointmentInfo {
    AppointmentInfo {
        id,
        service_name: name.to_owned(),
        service_id,
        starts_at: slot.start,
        ends_at: slot.end,
        price_cents: 19_900,
        address,
        status: AppointmentStatus::Booked,
    }
}

type Fut<'a, T> = BoxFuture<'a, Result<T, ToolError>>;

impl AgentTools for MemTools {
    fn profile(&self) -> &TenantProfile {
        &self.profile
    }

    fn get_services(&self) -> Fut<'_, Vec<ServiceInfo>> {
        Box::pin(async move { Ok(self.services.clone()) })
    }

    fn search_kb<'a>(&'a self, question: &'a str) -> Fut<'a, Option<KbAnswer>> {
        Box::pin(async move {
            Ok(question.contains("pay").then(|| KbAnswer {
                question: "How do I pay?".to_owned(),
                answer: "Card or cash after the job.".to_owned(),
            }))
        })
    }

    fn check_service_area<'a>(&'a self, address: &'a str) -> Fut<'a, AreaCheck> {
        // The real check, as the offline brain's fixtures use it: Tulsa
        // and 20 miles around, a $25 travel fee out to 35 miles.
        let area = crate::area::ServiceArea {
            radius_miles: Some(20),
            base: Some("Tulsa, OK".to_owned()),
            travel_fee: Some(crate::area::TravelFee {
                fee_cents: 2500,
                up_to_miles: 35,
            }),
            ..crate::area::ServiceArea::default()
        };
        Box::pin(async move { Ok(area.check(address)) })
    }

    fn check_availability<'a>(
        &'a self,
        duration_minutes: i32,
        preference: &'a SlotPreference,
        count: usize,
    ) -> Fut<'a, Offer> {
        Box::pin(async move {
            self.log()
                .availability
                .push((duration_minutes, preference.clone(), count));
            Ok(Offer {
                slots: (0..3).map(slot).collect(),
                matched_preference: true,
                note: None,
            })
        })
    }

    fn book_appointment(&self, request: BookingRequest) -> Fut<'_, BookOutcome> {
        Box::pin(async move {
            let mut log = self.log();
            if std::mem::take(&mut log.take_next) {
                return Ok(BookOutcome::SlotTaken {
                    alternatives: vec![slot(2)],
                });
            }
            let id = 500 + i64::try_from(log.bookings.len()).unwrap_or(0);
            let name = if request.service_id == 1 {
                "Full Detail"
            } else {
                "Interior Detail"
            };
            let booked = info(
                id,
                request.service_id,
                name,
                request.slot,
                request.address.clone(),
            );
            let phone = request.customer_phone.clone().unwrap_or_default();
            log.appointments.push((phone, booked.clone()));
            log.bookings.push(request);
            Ok(BookOutcome::Booked(booked))
        })
    }

    fn upcoming_appointments<'a>(
        &'a self,
        customer_phone: &'a str,
    ) -> Fut<'a, Vec<AppointmentInfo>> {
        Box::pin(async move {
            Ok(self
                .log()
                .appointments
                .iter()
                .filter(|(phone, a)| {
                    phone == customer_phone && a.status == AppointmentStatus::Booked
                })
                .map(|(_, a)| a.clone())
                .collect())
        })
    }

    fn reschedule_appointment(&self, appointment_id: i64, slot: Slot) -> Fut<'_, BookOutcome> {
        Box::pin(async move {
            let mut log = self.log();
            log.rescheduled.push((appointment_id, slot));
            let found = log
                .appointments
                .iter_mut()
                .find(|(_, a)| a.id == appointment_id)
                .ok_or_else(|| ToolError::Invalid("no such appointment".to_owned()))?;
            found.1.starts_at = slot.start;
            found.1.ends_at = slot.end;
            Ok(BookOutcome::Booked(found.1.clone()))
        })
    }

    fn cancel_appointment(&self, appointment_id: i64) -> Fut<'_, AppointmentInfo> {
        Box::pin(async move {
            let mut log = self.log();
            log.cancelled.push(appointment_id);
            let found = log
                .appointments
                .iter_mut()
                .find(|(_, a)| a.id == appointment_id)
                .ok_or_else(|| ToolError::Invalid("no such appointment".to_owned()))?;
            found.1.status = AppointmentStatus::Cancelled;
            Ok(found.1.clone())
        })
    }

    fn send_booking_link<'a>(&'a self, phone: &'a str) -> Fut<'a, bool> {
        Box::pin(async move {
            self.log().links.push(phone.to_owned());
            Ok(true)
        })
    }

    fn handoff_to_human<'a>(&'a self, _phone: Option<&'a str>, summary: &'a str) -> Fut<'a, ()> {
        Box::pin(async move {
            self.log().handoffs.push(summary.to_owned());
            Ok(())
        })
    }

    fn take_message<'a>(&'a self, _phone: Option<&'a str>, message: &'a str) -> Fut<'a, ()> {
        Box::pin(async move {
            self.log().messages.push(message.to_owned());
            Ok(())
        })
    }
}
