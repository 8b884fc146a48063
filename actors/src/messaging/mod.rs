//! Outbound texting: the Twilio REST client, the process-wide rate limiter
//! every outbound text passes, the outbox that stores, paces and sends, and
//! the engine's own notices (to customers and owners) through it.

pub mod delivery_status;
pub mod notice;
pub mod outbox;
pub mod rate_limit;
pub mod resend;
pub mod twilio_rest;

pub use notice::Notices;
pub use outbox::{OutboxConfig, Queued, SendSms, SmsOutbox};
pub use rate_limit::{MaySend, RateLimitActor, RateLimits, SendDecision};
pub use resend::SendStored;
pub use twilio_rest::{SmsFrom, TwilioCredentials, TwilioError, TwilioRest};
