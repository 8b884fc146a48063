//! The [`AgentTools`] face of [`FakeTools`]: each tool answers from the
//! in-memory calendar, or fails when the test says so.

use chrono::Duration;
use futures_util::future::BoxFuture;
use servicepro_schema::AppointmentStatus;

use crate::booking::availability::{offer, Offer, Slot, SlotPreference};
use crate::brain::tools::{
    AgentTools, AppointmentInfo, AreaCheck, BookOutcome, BookingRequest, KbAnswer, ServiceInfo,
    TenantProfile, ToolError,
};

use super::fake_tools::FakeTools;

fn unavailable<T>() -> Result<T, ToolError> {
    Err(ToolError::Unavailable(servicepro_schema::error::cause(
        "test says so",
    )))
}

impl AgentTools for FakeTools {
    fn profile(&self) -> &TenantProfile {
        self.tenant()
    }

    fn get_services(&self) -> BoxFuture<'_, Result<Vec<ServiceInfo>, ToolError>> {
        let out = if self.fails("get_services") {
            unavailable()
        } else {
            Ok(self.services().to_vec())
        };
        Box::pin(std::future::ready(out))
    }

    fn search_kb<'a>(
        &'a self,
        question: &'a str,
    ) -> BoxFuture<'a, Result<Option<KbAnswer>, ToolError>> {
        let out = if self.fails("search_kb") {
            unavailable()
        } else {
            Ok(self.kb(question))
        };
        Box::pin(std::future::ready(out))
    }

    fn check_service_area<'a>(
        &'a self,
        address: &'a str,
    ) -> BoxFuture<'a, Result<AreaCheck, ToolError>> {
        let out = if self.fails("check_service_area") {
            unavailable()
        } else {
            Ok(self.area_check(address))
        };
        Box::pin(std::future::ready(out))
    }

    fn check_availability<'a>(
        &'a self,
        duration_minutes: i32,
        preference: &'a SlotPreference,
        count: usize,
    ) -> BoxFuture<'a, Result<Offer, ToolError>> {
        self.record(|log| log.checked_minutes.push(duration_minutes));
        let out = if self.fails("check_availability") {
            unavailable()
        } else {
            Ok(offer(
                self.rules(),
                &self.busy(preference.moving),
                Duration::minutes(i64::from(duration_minutes)),
                self.now(),
                preference,
                count,
            ))
        };
        Box::pin(std::future::ready(out))
    }

    fn book_appointment(
        &self,
        request: BookingRequest,
    ) -> BoxFuture<'_, Result<BookOutcome, ToolError>> {
        let out = if self.fails("book_appointment") {
            unavailable()
        } else {
            self.book_now(&request)
        };
        Box::pin(std::future::ready(out))
    }

    fn upcoming_appointments<'a>(
        &'a self,
        customer_phone: &'a str,
    ) -> BoxFuture<'a, Result<Vec<AppointmentInfo>, ToolError>> {
        let out = if self.fails("upcoming_appointments") {
            unavailable()
        } else {
            let now = self.now();
            Ok(self
                .appointments()
                .into_iter()
                .filter(|a| a.phone.as_deref() == Some(customer_phone))
                .filter(|a| a.info.status == AppointmentStatus::Booked && a.info.starts_at > now)
                .map(|a| a.info)
                .collect())
        };
        Box::pin(std::future::ready(out))
    }

    fn reschedule_appointment(
        &self,
        appointment_id: i64,
        slot: Slot,
    ) -> BoxFuture<'_, Result<BookOutcome, ToolError>> {
        let out = if self.fails("reschedule_appointment") {
            unavailable()
        } else {
            self.move_now(appointment_id, slot)
        };
        Box::pin(std::future::ready(out))
    }

    fn cancel_appointment(
        &self,
        appointment_id: i64,
    ) -> BoxFuture<'_, Result<AppointmentInfo, ToolError>> {
        let out = if self.fails("cancel_appointment") {
            unavailable()
        } else {
            self.cancel_now(appointment_id)
        };
        Box::pin(std::future::ready(out))
    }

    fn send_booking_link<'a>(&'a self, phone: &'a str) -> BoxFuture<'a, Result<bool, ToolError>> {
        self.record(|log| log.links.push(phone.to_owned()));
        Box::pin(std::future::ready(Ok(true)))
    }

    fn handoff_to_human<'a>(
        &'a self,
        _customer_phone: Option<&'a str>,
        summary: &'a str,
    ) -> BoxFuture<'a, Result<(), ToolError>> {
        let out = if self.fails("handoff_to_human") {
            unavailable()
        } else {
            self.record(|log| log.handoffs.push(summary.to_owned()));
            Ok(())
        };
        Box::pin(std::future::ready(out))
    }

    fn take_message<'a>(
        &'a self,
        _customer_phone: Option<&'a str>,
        message: &'a str,
    ) -> BoxFuture<'a, Result<(), ToolError>> {
        self.record(|log| log.messages.push(message.to_owned()));
        Box::pin(std::future::ready(Ok(())))
    }
}
