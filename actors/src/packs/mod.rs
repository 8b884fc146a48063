//! Industry packs: what a new tenant of each industry starts with.
//!
//! A pack is the starter kit for one trade (mobile detailing, lawn care,
//! house cleaning, window washing, pet grooming): services and add-ons
//! with prices, durations and the words customers use for them; FAQ
//! answers; the text messages the product sends; the phone-menu script;
//! how the booking agent talks and which job details it collects; and
//! scheduling defaults; which job details change the price and length
//! ([`Effect`]). Packs are TOML files under `data/`, embedded in
//! the binary, parsed and validated once, and shared as `&'static`.
//!
//! Every customer-facing text is a `{placeholder}` template; rendering
//! fails rather than send a half-filled message. Which template a text
//! uses (the tenant's own, the pack's, the built-in) is decided in one
//! place, [`TenantTemplates::render`].

mod agent;
mod defaults;
mod effect;
mod ivr;
mod loader;
mod model;
mod problem;
mod sms;
mod template;
mod validate;
mod wording;

#[cfg(test)]
mod invalid_tests;
#[cfg(test)]
mod tests;

pub use agent::{AgentProfile, Answer, AnswerError, AnswerKind, BookingQuestion, Vocabulary};
pub use defaults::{BusinessHours, OpenHours, PackDefaults};
pub use effect::{Adjustment, Effect, JobAdjustment, PerUnit};
pub use ivr::{IvrLine, IvrScript};
pub use loader::{all_packs, pack, parse_pack, INDUSTRIES};
pub use model::{
    format_usd, normalize_term, Faq, FaqCategory, IndustryPack, Offering, PackAddon, PackService,
};
pub use problem::{PackError, PackProblem};
pub use sms::{SmsTemplateKey, SmsTemplates};
pub use template::{placeholders, render_template, TemplateError};
pub use validate::{check_sms_template, validate};
pub use wording::{booking_link_text, carrier_reply, TenantTemplates};
