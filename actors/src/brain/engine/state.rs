//! What the engine remembers about one conversation between turns.
//!
//! The state is stored as JSON in `conversations.state`. It carries a
//! `version`; JSON from another version, or JSON that does not parse, is
//! read as a fresh conversation rather than an error, so a deploy that
//! changes the shape never breaks a customer's thread (at worst the bot
//! asks again for what it had).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::booking::availability::Slot;
use crate::brain::nlu::WhenPreference;

/// The shape version written into every stored state.
pub const STATE_VERSION: u32 = 1;

/// How many recent turns the state keeps for context and debugging.
pub const HISTORY_TURNS: usize = 6;

/// The longest text kept per side of a turn in the history.
const HISTORY_CHARS: usize = 200;

/// The conversation's memory: what the customer is doing, every booking
/// fact collected so far and what the last reply asked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConversationState {
    /// The shape version ([`STATE_VERSION`]).
    pub version: u32,
    /// What the customer is trying to get done.
    pub task: Task,
    /// What the last reply asked for, so a bare "2" or "yes" can be read.
    pub awaiting: Awaiting,
    /// The main service chosen (`services.id`).
    pub service_id: Option<i64>,
    /// Services an ambiguous word could mean, offered as a numbered list.
    pub service_choices: Vec<i64>,
    /// A service the customer asked about (price, length) but has not chosen.
    pub suggested_service: Option<i64>,
    /// Add-ons accepted.
    pub addons: Vec<i64>,
    /// Add-ons the customer said no to.
    pub declined_addons: Vec<i64>,
    /// The add-on offered as an upsell; set once, so it is never pushed twice.
    pub upsell_offered: Option<i64>,
    /// The upsell was in the last reply and is not answered yet.
    pub upsell_pending: bool,
    /// Job details by booking-question key (`vehicle`, `bedrooms`, ...).
    pub details: BTreeMap<String, String>,
    /// The job address, one line.
    pub address: Option<String>,
    /// A ZIP code given on its own, added to an address without one.
    pub zip: Option<String>,
    /// Whether the address is served, once checked.
    pub area: Option<AreaVerdict>,
    /// The customer's name, when they gave it.
    pub customer_name: Option<String>,
    /// When the customer wants the job.
    pub when: Option<WhenPreference>,
    /// The slots in the last offer, in the order listed.
    pub offered: Vec<Slot>,
    /// A single slot proposed for a yes/no (the exact time asked for).
    pub proposed: Option<Slot>,
    /// A person was asked to take over; the bot no longer drives a booking.
    pub handed_off: bool,
    /// The appointment being moved or cancelled.
    pub target: Option<TargetAppointment>,
    /// Appointments to choose from when the customer has several.
    pub appointment_choices: Vec<TargetAppointment>,
    /// Turns in a row the engine could not make sense of.
    pub unclear_turns: u8,
    /// The last reply offered a person; a "yes" means hand off.
    pub person_offered: bool,
    /// The last appointment booked in this conversation.
    pub last_booking: Option<i64>,
    /// The customer's upcoming appointments were looked at for this booking
    /// (a returning customer asked once: another visit, or move that one).
    pub existing_checked: bool,
    /// The most recent turns, oldest first.
    pub history: Vec<TurnRecord>,
}

impl Default for ConversationState {
    fn default() -> Self {
        Self {
            version: STATE_VERSION,
            task: Task::default(),
            awaiting: Awaiting::default(),
            service_id: None,
            service_choices: Vec::new(),
            suggested_service: None,
            addons: Vec::new(),
            declined_addons: Vec::new(),
            upsell_offered: None,
            upsell_pending: false,
            details: BTreeMap::new(),
            address: None,
            zip: None,
            area: None,
            customer_name: None,
            when: None,
            offered: Vec::new(),
            proposed: None,
            handed_off: false,
            target: None,
            appointment_choices: Vec::new(),
            unclear_turns: 0,
            person_offered: false,
            last_booking: None,
            existing_checked: false,
            history: Vec::new(),
        }
    }
}

/// What the customer is trying to get done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Task {
    /// Nothing yet (or the last task finished).
    #[default]
    Idle,
    /// Booking a new job.
    Booking,
    /// Moving an existing appointment.
    Rescheduling,
    /// Cancelling an existing appointment.
    Cancelling,
}

/// What the last reply asked the customer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "kind", content = "key", rename_all = "snake_case")]
pub enum Awaiting {
    /// Nothing in particular.
    #[default]
    Nothing,
    /// Which service.
    Service,
    /// The answer to the booking question with this key.
    Detail(String),
    /// The job address.
    Address,
    /// A ZIP code or city to place the address.
    AreaZip,
    /// Out of area: whether to pass a message to the owner.
    OutOfArea,
    /// A pick among the offered slots (or yes to the proposed one).
    Slot,
    /// Which of several appointments to move or cancel.
    PickAppointment,
    /// Yes/no to cancelling the target appointment.
    ConfirmCancel,
    /// A returning customer: another visit, or move the one booked (`target`).
    SecondVisit,
}

/// Whether the job address is in the service area.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum AreaVerdict {
    /// Served.
    Served,
    /// Not served, with the reason told to the customer.
    NotServed {
        /// Customer-facing reason.
        reason: String,
    },
    /// Past the radius, served for a travel fee (told once, kept in the details).
    TravelFee {
        /// The fee, in cents.
        fee_cents: u32,
        /// Miles from the base.
        miles: u32,
    },
    /// The address alone could not be placed.
    Unknown,
}

/// An existing appointment the customer wants to move or cancel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetAppointment {
    /// `appointments.id`.
    pub id: i64,
    /// The service's name.
    pub service_name: String,
    /// When it starts.
    pub starts_at: DateTime<Utc>,
    /// How long it runs, in minutes.
    pub duration_minutes: i32,
    /// Where.
    pub address: Option<String>,
}

/// One exchange, kept short.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TurnRecord {
    /// What the customer said.
    pub customer: String,
    /// What the engine replied.
    pub reply: String,
}

impl ConversationState {
    /// Reads a stored state; anything unreadable or of another version is
    /// a fresh conversation.
    pub fn from_json(json: &str) -> Self {
        let value: serde_json::Value = match serde_json::from_str(json) {
            Ok(v) => v,
            Err(_) => return Self::default(),
        };
        let version = value.get("version").and_then(serde_json::Value::as_u64);
        if version != Some(u64::from(STATE_VERSION)) {
            return Self::default();
        }
        serde_json::from_value(value).unwrap_or_default()
    }

    /// The state as JSON text (a failure is the caller's to report; turns
    /// store it through `conversation::saved_state`).
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string(self)
    }

    /// Forgets the booking in progress but keeps who the customer is and
    /// where they are, so a second booking does not re-ask them.
    pub fn reset_booking(&mut self) {
        let keep = Self {
            customer_name: self.customer_name.take(),
            address: self.address.take(),
            zip: self.zip.take(),
            area: self.area.take(),
            details: std::mem::take(&mut self.details),
            last_booking: self.last_booking,
            history: std::mem::take(&mut self.history),
            handed_off: self.handed_off,
            ..Self::default()
        };
        *self = keep;
    }

    /// Adds one exchange to the history, dropping the oldest beyond
    /// [`HISTORY_TURNS`].
    pub fn remember(&mut self, customer: &str, reply: &str) {
        self.history.push(TurnRecord {
            customer: clip_chars(customer, HISTORY_CHARS),
            reply: clip_chars(reply, HISTORY_CHARS),
        });
        let excess = self.history.len().saturating_sub(HISTORY_TURNS);
        self.history.drain(..excess);
    }
}

/// At most `max` characters of `text`.
fn clip_chars(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}
