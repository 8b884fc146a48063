//! The text-message templates every pack must provide, and which
//! placeholders the product fills in for each.

use serde::{Deserialize, Serialize};

use super::template::{render_template, TemplateError};

/// The text messages the product sends. Each key is a moment in the
/// booking or call flow; the set is closed so a pack can never be missing
/// one the engine needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SmsTemplateKey {
    /// Sent to the customer when an appointment is booked.
    BookingConfirmation,
    /// Sent to the customer ahead of the appointment.
    Reminder,
    /// Sent to the customer when an appointment moves.
    RescheduleConfirmation,
    /// Sent to the customer when an appointment is cancelled.
    CancellationConfirmation,
    /// The online booking link (IVR option 2 and on request).
    BookingLink,
    /// Tells the owner a caller left a voicemail.
    VoicemailNoticeOwner,
    /// Sent to a caller whose call nobody answered.
    MissedCallText,
    /// The reply to HELP, required by carriers.
    HelpReply,
    /// The reply to STOP, required by carriers.
    OptOutConfirmation,
    /// Tells the owner a conversation needs a human.
    HandoffNoticeOwner,
}

impl SmsTemplateKey {
    /// Every key, in a fixed order (for seeding and checks).
    pub const ALL: [SmsTemplateKey; 10] = [
        Self::BookingConfirmation,
        Self::Reminder,
        Self::RescheduleConfirmation,
        Self::CancellationConfirmation,
        Self::BookingLink,
        Self::VoicemailNoticeOwner,
        Self::MissedCallText,
        Self::HelpReply,
        Self::OptOutConfirmation,
        Self::HandoffNoticeOwner,
    ];

    /// The key as stored in `sms_templates.template_key` and in pack files.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BookingConfirmation => "booking_confirmation",
            Self::Reminder => "reminder",
            Self::RescheduleConfirmation => "reschedule_confirmation",
            Self::CancellationConfirmation => "cancellation_confirmation",
            Self::BookingLink => "booking_link",
            Self::VoicemailNoticeOwner => "voicemail_notice_owner",
            Self::MissedCallText => "missed_call_text",
            Self::HelpReply => "help_reply",
            Self::OptOutConfirmation => "opt_out_confirmation",
            Self::HandoffNoticeOwner => "handoff_notice_owner",
        }
    }

    /// Parses a stored `template_key`; `None` for keys the product does not send.
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == key)
    }

    /// The placeholders the engine supplies when it sends this message; a
    /// template may use any of them and nothing else.
    pub fn allowed_placeholders(self) -> &'static [&'static str] {
        const BOOKING: &[&str] = &[
            "customer_name",
            "service",
            "date",
            "time",
            "address",
            "business_name",
            "price",
        ];
        /// A booking's placeholders but the price.
        const APPOINTMENT: &[&str] = BOOKING.split_at(6).0;
        match self {
            Self::BookingConfirmation => BOOKING,
            Self::Reminder | Self::RescheduleConfirmation => APPOINTMENT,
            Self::CancellationConfirmation => &[
                "customer_name",
                "service",
                "date",
                "time",
                "business_name",
                "booking_url",
            ],
            Self::BookingLink => &["customer_name", "business_name", "booking_url"],
            Self::VoicemailNoticeOwner => &["caller", "duration", "recording_url"],
            Self::MissedCallText => &["business_name", "booking_url"],
            Self::HelpReply => &["business_name", "owner_phone"],
            Self::OptOutConfirmation => &["business_name"],
            Self::HandoffNoticeOwner => &["customer_name", "customer_phone", "summary"],
        }
    }

    /// The placeholders a template for this key must use, because the
    /// message is pointless without them (a booking link with no link).
    pub fn required_placeholders(self) -> &'static [&'static str] {
        match self {
            Self::BookingConfirmation | Self::Reminder | Self::RescheduleConfirmation => {
                &["service", "date", "time"]
            }
            Self::CancellationConfirmation => &["date"],
            Self::BookingLink => &["booking_url"],
            Self::VoicemailNoticeOwner => &["caller", "recording_url"],
            Self::MissedCallText => &["business_name"],
            Self::HelpReply => &["business_name", "owner_phone"],
            Self::OptOutConfirmation => &["business_name"],
            Self::HandoffNoticeOwner => &["customer_phone", "summary"],
        }
    }

    /// A word carriers expect in the message (STOP in the HELP reply, START
    /// in the opt-out confirmation), if any.
    pub fn required_keyword(self) -> Option<&'static str> {
        match self {
            Self::HelpReply => Some("STOP"),
            Self::OptOutConfirmation => Some("START"),
            _ => None,
        }
    }
}

impl std::fmt::Display for SmsTemplateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A pack's text-message bodies, one per [`SmsTemplateKey`]. Every field is
/// required by deserialization, and unknown keys are rejected, so a loaded
/// pack always has the full set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmsTemplates {
    booking_confirmation: String,
    reminder: String,
    reschedule_confirmation: String,
    cancellation_confirmation: String,
    booking_link: String,
    voicemail_notice_owner: String,
    missed_call_text: String,
    help_reply: String,
    opt_out_confirmation: String,
    handoff_notice_owner: String,
}

impl SmsTemplates {
    /// The raw template body for `key`, with its `{placeholders}`.
    pub fn get(&self, key: SmsTemplateKey) -> &str {
        match key {
            SmsTemplateKey::BookingConfirmation => &self.booking_confirmation,
            SmsTemplateKey::Reminder => &self.reminder,
            SmsTemplateKey::RescheduleConfirmation => &self.reschedule_confirmation,
            SmsTemplateKey::CancellationConfirmation => &self.cancellation_confirmation,
            SmsTemplateKey::BookingLink => &self.booking_link,
            SmsTemplateKey::VoicemailNoticeOwner => &self.voicemail_notice_owner,
            SmsTemplateKey::MissedCallText => &self.missed_call_text,
            SmsTemplateKey::HelpReply => &self.help_reply,
            SmsTemplateKey::OptOutConfirmation => &self.opt_out_confirmation,
            SmsTemplateKey::HandoffNoticeOwner => &self.handoff_notice_owner,
        }
    }

    /// Every (key, body) pair, for seeding a tenant's `sms_templates`.
    pub fn iter(&self) -> impl Iterator<Item = (SmsTemplateKey, &str)> + '_ {
        SmsTemplateKey::ALL
            .into_iter()
            .map(|key| (key, self.get(key)))
    }

    /// The message for `key` with its placeholders filled from `values`.
    pub fn render(
        &self,
        key: SmsTemplateKey,
        values: &[(&str, &str)],
    ) -> Result<String, TemplateError> {
        render_template(self.get(key), values)
    }
}
