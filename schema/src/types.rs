//! Closed sets of values stored as text with a CHECK constraint: plan tiers,
//! tenant statuses, call-routing modes, the voice audio format, directions,
//! usage kinds and appointment statuses. One macro keeps the Rust enum, its
//! text form, serde and diesel mapping in step.

use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::pg::{Pg, PgValue};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;
use std::io::Write;

/// A value outside a closed set.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not one of {allowed}")]
pub struct UnknownVariant {
    /// What was given.
    pub value: String,
    /// The accepted values, comma separated.
    pub allowed: &'static str,
}

macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, AsExpression, FromSqlRow)]
        #[diesel(sql_type = Text)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            const ALLOWED: &'static str = concat!($($text, " "),+);

            /// The stored text form.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl std::str::FromStr for $name {
            type Err = UnknownVariant;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(UnknownVariant { value: s.to_owned(), allowed: $name::ALLOWED.trim_end() }),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let raw = String::deserialize(d)?;
                raw.parse().map_err(serde::de::Error::custom)
            }
        }

        impl ToSql<Text, Pg> for $name {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
                out.write_all(self.as_str().as_bytes())?;
                Ok(serialize::IsNull::No)
            }
        }

        impl FromSql<Text, Pg> for $name {
            fn from_sql(bytes: PgValue<'_>) -> deserialize::Result<Self> {
                let text = std::str::from_utf8(bytes.as_bytes())?;
                Ok(text.parse::<$name>()?)
            }
        }
    };
}

text_enum!(
    /// A tenant's plan: features are gated by it (see [`crate::features`]).
    PlanTier {
        /// Entry tier: no AI agents, no dedicated number.
        Starter => "starter",
        /// Adds the AI SMS agent, a dedicated number and campaigns.
        Pro => "pro",
        /// Adds the AI voice receptionist.
        Elite => "elite",
    }
);

text_enum!(
    /// A tenant's billing status: telephony and automations degrade by it,
    /// data is never deleted because of it.
    TenantStatus {
        /// In the free trial.
        Trialing => "trialing",
        /// Paying and in good standing.
        Active => "active",
        /// A payment failed: inbound still works, outbound automations stop.
        PastDue => "past_due",
        /// Paused: callers hear a paused message, data kept and exportable.
        Suspended => "suspended",
        /// Closed: callers hear a closing message, data kept and exportable.
        Cancelled => "cancelled",
    }
);

text_enum!(
    /// How a tenant's number answers calls.
    IvrMode {
        /// Forward to the owner's SIP softphone or phone number.
        Simple => "simple",
        /// A DTMF menu (talk to a person, booking link, voicemail, joke).
        Ivr => "ivr",
        /// The AI voice receptionist over Twilio Media Streams.
        AiVoice => "ai-voice",
    }
);

text_enum!(
    /// The audio a tenant's AI calls use with the Realtime provider
    /// (`tenant_phone_config.voice_audio`, CHECK in migration 0004).
    VoiceAudio {
        /// μ-law 8 kHz passed through untouched.
        Pcmu => "pcmu",
        /// Transcoded to PCM16 24 kHz by the media crate.
        Pcm16 => "pcm16",
    }
);

text_enum!(
    /// Where buying a tenant's platform number stands
    /// (`number_provisioning.state`, CHECK in migration 0015).
    ProvisioningState {
        /// Not bought yet; the retry job keeps trying.
        Pending => "pending",
        /// About to ask Twilio to buy (recorded first, so a crash is reconciled).
        Buying => "buying",
        /// Bought at Twilio (SID recorded), not yet attached to the tenant.
        Bought => "bought",
        /// Attached: the tenant's `tenant_phone_config` row exists.
        Done => "done",
        /// Released back to Twilio (a cancelled tenant after its retention window).
        Released => "released",
    }
);

text_enum!(
    /// Which way a text or call went (`messages.direction`, `calls.direction`;
    /// CHECK in migration 0002).
    Direction {
        /// From the customer to the tenant.
        Inbound => "inbound",
        /// From the tenant to the customer.
        Outbound => "outbound",
    }
);

text_enum!(
    /// What a usage event meters (`usage_events.kind`, CHECK in migration 0002).
    UsageKind {
        /// An inbound text.
        SmsIn => "sms_in",
        /// An outbound text.
        SmsOut => "sms_out",
        /// Minutes of a call.
        CallMinutes => "call_minutes",
        /// Minutes of the AI receptionist.
        AiMinutes => "ai_minutes",
        /// A booking made.
        Bookings => "bookings",
    }
);

text_enum!(
    /// An appointment's state (`appointments.status`, CHECK in migration 0003).
    AppointmentStatus {
        /// On the calendar.
        Booked => "booked",
        /// Cancelled (its slot is free again).
        Cancelled => "cancelled",
        /// Done.
        Completed => "completed",
    }
);

text_enum!(
    /// A Stripe subscription's `status` (`tenant_billing.subscription_status`, CHECK in
    /// migration 0014), every value Stripe documents.
    SubscriptionStatus {
        /// In its trial period.
        Trialing => "trialing",
        /// Paid and in good standing.
        Active => "active",
        /// The latest renewal payment failed; Stripe is retrying.
        PastDue => "past_due",
        /// Retries ran out; invoices stay open.
        Unpaid => "unpaid",
        /// Ended.
        Canceled => "canceled",
        /// The first payment failed or needs the customer's action.
        Incomplete => "incomplete",
        /// The first payment never succeeded within 23 hours.
        IncompleteExpired => "incomplete_expired",
        /// A trial ended without a payment method.
        Paused => "paused",
    }
);

text_enum!(
    /// What became of a tenant's latest invoice (`tenant_billing.latest_invoice_status`,
    /// CHECK in migration 0014). Ranked: `paid` is final for an invoice.
    InvoiceOutcome {
        /// The payment failed (`invoice.payment_failed`).
        PaymentFailed => "payment_failed",
        /// The payment needs the customer (3-D Secure; `invoice.payment_action_required`).
        ActionRequired => "action_required",
        /// Paid (`invoice.paid`).
        Paid => "paid",
    }
);

text_enum!(
    /// Where a text is in its life (`messages.status`): our own `pending` and
    /// `refused`, and every `MessageStatus` Twilio documents for its callbacks.
    MessageStatus {
        /// Stored, waiting for the rate limiter (ours, before Twilio has it).
        Pending => "pending",
        /// Not sent, with the reason in `error_message` (ours).
        Refused => "refused",
        /// Twilio took it for a Messaging Service.
        Accepted => "accepted",
        /// Twilio will send it later.
        Scheduled => "scheduled",
        /// A scheduled text was cancelled.
        Canceled => "canceled",
        /// Twilio queued it.
        Queued => "queued",
        /// Twilio is sending it.
        Sending => "sending",
        /// The carrier took it.
        Sent => "sent",
        /// Twilio or the carrier could not take it.
        Failed => "failed",
        /// The handset got it.
        Delivered => "delivered",
        /// The carrier could not deliver it.
        Undelivered => "undelivered",
        /// An inbound text arriving.
        Receiving => "receiving",
        /// An inbound text we accepted.
        Received => "received",
        /// The recipient read it (WhatsApp, RCS).
        Read => "read",
        /// Some parts of a long text arrived.
        PartiallyDelivered => "partially_delivered",
    }
);

impl MessageStatus {
    /// Where the status sits in a text's life, so late or repeated callbacks never
    /// move a text back: pending < accepted/scheduled < queued < sending < sent <
    /// a final outcome < read.
    pub fn rank(self) -> u8 {
        use MessageStatus::*;
        match self {
            Pending | Receiving | Received => 0,
            Accepted | Scheduled => 1,
            Queued => 2,
            Sending => 3,
            Sent => 4,
            Delivered | Undelivered | Failed | Canceled | Refused | PartiallyDelivered => 5,
            Read => 6,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_statuses_only_move_forward_through_a_texts_life() {
        use MessageStatus::*;
        let life = [Pending, Accepted, Queued, Sending, Sent, Delivered, Read];
        for pair in life.windows(2) {
            assert!(pair[0].rank() < pair[1].rank(), "{pair:?}");
        }
        assert_eq!(Undelivered.rank(), Delivered.rank());
        for s in MessageStatus::ALL {
            assert_eq!(s.as_str().parse::<MessageStatus>(), Ok(*s));
        }
        assert!("partially_delivered".parse::<MessageStatus>().is_ok());
        assert!("teleported".parse::<MessageStatus>().is_err());
    }

    #[test]
    fn round_trips_and_refuses_unknown() {
        for t in PlanTier::ALL {
            assert_eq!(t.as_str().parse::<PlanTier>(), Ok(*t));
        }
        assert_eq!(
            "past_due".parse::<TenantStatus>(),
            Ok(TenantStatus::PastDue)
        );
        assert_eq!("ai-voice".parse::<IvrMode>(), Ok(IvrMode::AiVoice));
        assert_eq!("pcm16".parse::<VoiceAudio>(), Ok(VoiceAudio::Pcm16));
        assert_eq!("outbound".parse::<Direction>(), Ok(Direction::Outbound));
        assert_eq!("ai_minutes".parse::<UsageKind>(), Ok(UsageKind::AiMinutes));
        assert_eq!(
            "completed".parse::<AppointmentStatus>(),
            Ok(AppointmentStatus::Completed)
        );
        let err = "gold".parse::<PlanTier>().err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("\"gold\" is not one of starter pro elite")
        );
    }
}
