//! [`IdentityGuard`]: the tools a web visitor's turn runs with. A phone number
//! typed into the website chat proves nothing, so the tools that read, move or
//! cancel an EXISTING appointment refuse (with [`ToolError::VerificationRequired`])
//! until the visitor has proven that number with a texted code. The refusal is
//! recorded in the guard; the turn's runner sees it, drops the turn and asks for
//! the code instead (`conversation::web_chat`). Both brains (offline and LLM)
//! act only through these tools, so one guard covers both.
//!
//! The refusal never depends on what the number has booked, so the reply cannot
//! tell a visitor whether a number has appointments.

use crate::booking::availability::{Offer, Slot, SlotPreference};
use crate::brain::tools::{
    AgentTools, AppointmentInfo, AreaCheck, BookOutcome, BookingRequest, KbAnswer, ServiceInfo,
    TenantProfile, ToolError,
};
use futures_util::future::BoxFuture;
use servicepro_schema::E164;
use std::sync::OnceLock;

/// What a web visitor's turn knows of the visitor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebCaller {
    /// `web_visitors.id`.
    pub visitor: i64,
    /// The number the visitor proved with a code, if any.
    pub verified: Option<E164>,
    /// The number the visitor gave (unproven), if any.
    pub claimed: Option<E164>,
}

/// The tools of a web visitor's turn: `inner`'s, with existing appointments
/// reachable only through the proven number.
pub struct IdentityGuard<'a> {
    inner: &'a dyn AgentTools,
    caller: &'a WebCaller,
    needed: OnceLock<String>,
}

impl<'a> IdentityGuard<'a> {
    /// Guards `inner` for `caller`.
    pub fn new(inner: &'a dyn AgentTools, caller: &'a WebCaller) -> Self {
        IdentityGuard {
            inner,
            caller,
            needed: OnceLock::new(),
        }
    }

    /// The number a tool needed proven during the turn (the first one), if any.
    pub fn verification_needed(&self) -> Option<&str> {
        self.needed.get().map(String::as_str)
    }

    fn is_verified(&self, phone: &str) -> bool {
        self.caller
            .verified
            .as_ref()
            .is_some_and(|v| v.as_str() == phone)
    }

    /// Refuses, remembering which number must be proven.
    fn refuse(&self, phone: &str) -> ToolError {
        // Only the first number of a turn is asked for; a second refusal keeps it.
        let _ = self.needed.set(phone.to_owned());
        ToolError::VerificationRequired
    }

    /// `appointment_id` is one of the proven number's upcoming appointments;
    /// otherwise the refusal (no proven number) or "no such appointment".
    async fn owns(&self, appointment_id: i64) -> Result<(), ToolError> {
        let Some(verified) = self.caller.verified.as_ref() else {
            return Err(match self.caller.claimed.as_ref() {
                Some(claimed) => self.refuse(claimed.as_str()),
                None => ToolError::Invalid("no such appointment".to_owned()),
            });
        };
        let theirs = self.inner.upcoming_appointments(verified.as_str()).await?;
        if theirs.iter().any(|a| a.id == appointment_id) {
            Ok(())
        } else {
            Err(ToolError::Invalid("no such appointment".to_owned()))
        }
    }
}

impl AgentTools for IdentityGuard<'_> {
    fn profile(&self) -> &TenantProfile {
        self.inner.profile()
    }

    fn get_services(&self) -> BoxFuture<'_, Result<Vec<ServiceInfo>, ToolError>> {
        self.inner.get_services()
    }

    fn search_kb<'b>(
        &'b self,
        question: &'b str,
    ) -> BoxFuture<'b, Result<Option<KbAnswer>, ToolError>> {
        self.inner.search_kb(question)
    }

    fn check_service_area<'b>(
        &'b self,
        address: &'b str,
    ) -> BoxFuture<'b, Result<AreaCheck, ToolError>> {
        self.inner.check_service_area(address)
    }

    fn check_availability<'b>(
        &'b self,
        duration_minutes: i32,
        preference: &'b SlotPreference,
        count: usize,
    ) -> BoxFuture<'b, Result<Offer, ToolError>> {
        self.inner
            .check_availability(duration_minutes, preference, count)
    }

    /// A new booking needs no proof (it reveals nothing already stored).
    fn book_appointment(
        &self,
        request: BookingRequest,
    ) -> BoxFuture<'_, Result<BookOutcome, ToolError>> {
        self.inner.book_appointment(request)
    }

    fn may_read_appointments(&self, phone: &str) -> bool {
        self.is_verified(phone)
    }

    fn upcoming_appointments<'b>(
        &'b self,
        customer_phone: &'b str,
    ) -> BoxFuture<'b, Result<Vec<AppointmentInfo>, ToolError>> {
        Box::pin(async move {
            if !self.is_verified(customer_phone) {
                return Err(self.refuse(customer_phone));
            }
            self.inner.upcoming_appointments(customer_phone).await
        })
    }

    fn reschedule_appointment(
        &self,
        appointment_id: i64,
        slot: Slot,
    ) -> BoxFuture<'_, Result<BookOutcome, ToolError>> {
        Box::pin(async move {
            self.owns(appointment_id).await?;
            self.inner
                .reschedule_appointment(appointment_id, slot)
                .await
        })
    }

    fn cancel_appointment(
        &self,
        appointment_id: i64,
    ) -> BoxFuture<'_, Result<AppointmentInfo, ToolError>> {
        Box::pin(async move {
            self.owns(appointment_id).await?;
            self.inner.cancel_appointment(appointment_id).await
        })
    }

    fn send_booking_link<'b>(&'b self, phone: &'b str) -> BoxFuture<'b, Result<bool, ToolError>> {
        self.inner.send_booking_link(phone)
    }

    /// Skipped once the turn needs a code: the turn is dropped and the owner
    /// would be told of a conversation that did not happen.
    fn handoff_to_human<'b>(
        &'b self,
        customer_phone: Option<&'b str>,
        summary: &'b str,
    ) -> BoxFuture<'b, Result<(), ToolError>> {
        if self.needed.get().is_some() {
            return Box::pin(async { Ok(()) });
        }
        self.inner.handoff_to_human(customer_phone, summary)
    }

    /// Skipped once the turn needs a code, as [`Self::handoff_to_human`].
    fn take_message<'b>(
        &'b self,
        customer_phone: Option<&'b str>,
        message: &'b str,
    ) -> BoxFuture<'b, Result<(), ToolError>> {
        if self.needed.get().is_some() {
            return Box::pin(async { Ok(()) });
        }
        self.inner.take_message(customer_phone, message)
    }
}
