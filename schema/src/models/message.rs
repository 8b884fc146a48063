//! The `messages` row: every text in and out.

use crate::ids::TenantId;
use crate::schema::messages;
use crate::types::{Direction, MessageStatus};
use chrono::{DateTime, Utc};
use diesel::{Insertable, Queryable, Selectable};

/// A stored text.
#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = messages, check_for_backend(diesel::pg::Pg))]
pub struct MessageRow {
    /// Owning tenant.
    pub tenant_id: TenantId,
    /// Row id within the tenant.
    pub id: i64,
    /// Thread it belongs to.
    pub conversation_id: Option<i64>,
    /// The customer on the other end.
    pub customer_id: Option<i64>,
    /// Which way it went.
    pub direction: Direction,
    /// Sender.
    pub from_number: String,
    /// Recipient.
    pub to_number: String,
    /// Text.
    pub body: String,
    /// Twilio's message SID, once known.
    pub twilio_sid: Option<String>,
    /// Delivery status.
    pub status: MessageStatus,
    /// Twilio error code or our refusal code.
    pub error_code: Option<String>,
    /// Why it failed or was refused.
    pub error_message: Option<String>,
    /// Why it was sent (`reply`, `booking_link`, `voicemail_notice`, ...).
    pub purpose: String,
    /// Stored.
    pub created_at: DateTime<Utc>,
    /// Handed to Twilio.
    pub sent_at: Option<DateTime<Utc>>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// The carrier's URLs of the pictures or files sent with it (MMS); PostgreSQL
    /// arrays admit NULL elements, though the webhook never stores one.
    pub media_urls: Vec<Option<String>>,
}

/// A text to store.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = messages)]
pub struct NewMessage {
    /// Thread.
    pub conversation_id: Option<i64>,
    /// Customer.
    pub customer_id: Option<i64>,
    /// Which way it went.
    pub direction: Direction,
    /// Sender.
    pub from_number: String,
    /// Recipient.
    pub to_number: String,
    /// Text.
    pub body: String,
    /// Twilio SID, when known at insert (inbound).
    pub twilio_sid: Option<String>,
    /// Initial status.
    pub status: MessageStatus,
    /// Refusal code.
    pub error_code: Option<String>,
    /// Refusal reason.
    pub error_message: Option<String>,
    /// Why it is sent.
    pub purpose: String,
}
