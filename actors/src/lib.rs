//! The ServicePro engine: supervised actix actors and the domain services
//! they own. It knows the database (through `servicepro-schema`) and the
//! media core, never HTTP.

pub mod appointments;
pub mod booking;
pub mod brain;
pub mod call;
pub mod clock;
pub mod conversation;
pub mod kb_admin;
pub mod knowledge;
#[cfg(any(test, feature = "testkit"))]
pub mod log_capture;
pub mod messaging;
pub mod metrics;
pub mod packs;
pub mod realtime;
pub mod tenant;
pub mod tls;
pub mod twilio;
pub mod voice;
