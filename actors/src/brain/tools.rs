//! The tools the agent brain acts through — the same set the voice AI is
//! given as function calls. Each is a plain typed operation over one
//! tenant's data; [`AgentTools`] lets the conversation engine run against
//! the database in production and an in-memory double in its own tests.

use crate::booking::availability::{Offer, Slot, SlotPreference};
use crate::packs::TenantTemplates;
use chrono::{DateTime, Utc};
use futures_util::future::BoxFuture;
use serde::{Deserialize, Serialize};
use servicepro_schema::error::{cause_of, Cause};
use servicepro_schema::AppointmentStatus;
use std::sync::Arc;

/// A failure of a tool or a turn (the engine answers the customer and hands off).
#[derive(Debug, Clone, thiserror::Error)]
pub enum ToolError {
    /// The store (or the actor running the turn) could not be reached; try later.
    /// Keeps the database's or mailbox's error as its source.
    #[error("temporarily unavailable: {0}")]
    Unavailable(#[source] Cause),
    /// The request does not make sense (unknown service id, ...): a reason fit
    /// to show the caller.
    #[error("invalid request: {0}")]
    Invalid(String),
    /// The turn's conversation state could not be serialised, so the turn is
    /// not stored and fails (a bug, never stored as `null`).
    #[error("conversation state could not be serialised: {0}")]
    State(#[source] Arc<serde_json::Error>),
    /// The caller has not proven the phone whose appointments the tool would
    /// read or change (a web visitor; see [`crate::brain::identity`]).
    #[error("the phone number must be verified first")]
    VerificationRequired,
}

impl ToolError {
    /// An outage caused by `err` (a database, mailbox or outbox failure).
    pub fn unavailable<E: std::error::Error + Send + Sync + 'static>(err: E) -> Self {
        ToolError::Unavailable(cause_of(err))
    }
}

/// A service or add-on the tenant sells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceInfo {
    /// `services.id`.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Customer-facing description.
    pub description: String,
    /// Price in cents.
    pub price_cents: i32,
    /// Whether the price is a "starting at" price.
    pub starting_at: bool,
    /// How long the job takes.
    pub duration_minutes: i32,
    /// An add-on rather than a main service.
    pub is_addon: bool,
    /// Words customers use for it (from the industry pack).
    pub aliases: Vec<String>,
    /// For add-ons: the one-line offer the agent may make once.
    pub upsell_line: Option<String>,
    /// For add-ons: the services it pairs with (empty = all).
    pub pairs_with: Vec<String>,
}

/// A knowledge-base answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KbAnswer {
    /// The question it answers.
    pub question: String,
    /// The answer text.
    pub answer: String,
}

/// Whether an address is inside the tenant's service area.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AreaCheck {
    /// Served.
    Served,
    /// Not served, with the customer-facing reason.
    NotServed {
        /// e.g. "we serve Tulsa, Broken Arrow, Jenks and Bixby".
        reason: String,
    },
    /// Past the radius but within the tenant's travel-fee reach: served for a fee.
    TravelFee {
        /// The fee, in cents.
        fee_cents: u32,
        /// Miles from the base, rounded.
        miles: u32,
    },
    /// Cannot tell from this address (ask for a ZIP or city).
    Unknown,
}

/// A booking to commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingRequest {
    /// The customer's phone (the customer row is found or created by it).
    pub customer_phone: Option<String>,
    /// The customer's name, when known.
    pub customer_name: Option<String>,
    /// The main service.
    pub service_id: i64,
    /// Add-ons accepted.
    pub addon_ids: Vec<i64>,
    /// The slot the customer confirmed.
    pub slot: Slot,
    /// Where the job is.
    pub address: Option<String>,
    /// Job details collected (vehicle, lot size, bedrooms, pet, ...).
    pub details: serde_json::Value,
    /// The conversation it was booked in.
    pub conversation_id: Option<i64>,
}

/// A stored appointment as the agent talks about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppointmentInfo {
    /// `appointments.id`.
    pub id: i64,
    /// The main service's name.
    pub service_name: String,
    /// The main service's id.
    pub service_id: i64,
    /// Start.
    pub starts_at: DateTime<Utc>,
    /// End.
    pub ends_at: DateTime<Utc>,
    /// Total price in cents (service + add-ons).
    pub price_cents: i32,
    /// Where.
    pub address: Option<String>,
    /// Booked, cancelled or completed.
    pub status: AppointmentStatus,
}

/// What became of a booking or reschedule attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum BookOutcome {
    /// Committed.
    Booked(AppointmentInfo),
    /// Someone else took the slot first: fresh offers near it.
    SlotTaken {
        /// Alternatives to offer.
        alternatives: Vec<Slot>,
    },
    /// The slot is no longer bookable (too soon, outside hours, ...).
    Rejected {
        /// Customer-facing reason.
        reason: String,
        /// Alternatives to offer.
        alternatives: Vec<Slot>,
    },
}

/// The tenant facts the conversation engine needs.
#[derive(Debug, Clone)]
pub struct TenantProfile {
    /// Business name.
    pub business_name: String,
    /// Industry (the pack id).
    pub industry: String,
    /// IANA time zone of the business.
    pub time_zone: chrono_tz::Tz,
    /// The online booking page, when there is one.
    pub booking_url: Option<String>,
    /// The owner's phone, for "talk to a person".
    pub owner_phone: Option<String>,
    /// The tenant's own wording for its automated texts (its
    /// `sms_templates` rows), used before its pack's.
    pub templates: TenantTemplates,
}

/// The tools, over one tenant's data.
pub trait AgentTools: Send + Sync {
    /// The tenant facts.
    fn profile(&self) -> &TenantProfile;
    /// Whether this caller may see `phone`'s existing appointments without being
    /// asked to prove the number first (always, but on an unverified web chat). A
    /// courtesy lookup, such as "already booked?" before a new booking, is skipped
    /// rather than asking for a code when it may not.
    fn may_read_appointments(&self, _phone: &str) -> bool {
        true
    }
    /// `get_services`: active services and add-ons.
    fn get_services(&self) -> BoxFuture<'_, Result<Vec<ServiceInfo>, ToolError>>;
    /// `search_kb`: the best answer to a question, if one is good enough.
    fn search_kb<'a>(
        &'a self,
        question: &'a str,
    ) -> BoxFuture<'a, Result<Option<KbAnswer>, ToolError>>;
    /// `check_service_area`.
    fn check_service_area<'a>(
        &'a self,
        address: &'a str,
    ) -> BoxFuture<'a, Result<AreaCheck, ToolError>>;
    /// `check_availability`: up to `count` real free slots for a job of `duration_minutes`.
    fn check_availability<'a>(
        &'a self,
        duration_minutes: i32,
        preference: &'a SlotPreference,
        count: usize,
    ) -> BoxFuture<'a, Result<Offer, ToolError>>;
    /// `book_appointment`: the database is the final arbiter; a lost race
    /// comes back as [`BookOutcome::SlotTaken`] with fresh offers.
    fn book_appointment(
        &self,
        request: BookingRequest,
    ) -> BoxFuture<'_, Result<BookOutcome, ToolError>>;
    /// The customer's upcoming appointments (for reschedule and cancel).
    fn upcoming_appointments<'a>(
        &'a self,
        customer_phone: &'a str,
    ) -> BoxFuture<'a, Result<Vec<AppointmentInfo>, ToolError>>;
    /// `reschedule_appointment` to a new slot.
    fn reschedule_appointment(
        &self,
        appointment_id: i64,
        slot: Slot,
    ) -> BoxFuture<'_, Result<BookOutcome, ToolError>>;
    /// `cancel_appointment`.
    fn cancel_appointment(
        &self,
        appointment_id: i64,
    ) -> BoxFuture<'_, Result<AppointmentInfo, ToolError>>;
    /// `send_booking_link` by text to `phone`; returns whether it was queued.
    fn send_booking_link<'a>(&'a self, phone: &'a str) -> BoxFuture<'a, Result<bool, ToolError>>;
    /// `handoff_to_human`: tell the owner, with a summary.
    fn handoff_to_human<'a>(
        &'a self,
        customer_phone: Option<&'a str>,
        summary: &'a str,
    ) -> BoxFuture<'a, Result<(), ToolError>>;
    /// `take_message` for the owner.
    fn take_message<'a>(
        &'a self,
        customer_phone: Option<&'a str>,
        message: &'a str,
    ) -> BoxFuture<'a, Result<(), ToolError>>;
}
