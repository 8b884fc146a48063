//! The ServicePro engine: supervised actix actors and the domain services
//! they own. It knows the database (through `servicepro-schema`) and the
//! media core, never HTTP.
//!
//! * [`tenant`] — a tenant's context, settings and status: `TenantActor`,
//!   its registry, admin and seeding.
//! * [`billing`] — Stripe through the `BillingActor` (webhooks, upgrades) and the
//!   trial scheduler; the status policy itself is `servicepro_schema::policy`.
//! * [`conversation`] — texts and web chat: `inbound_text`, `web_chat`,
//!   `ConversationActor`, the group-commit `TextWriter`.
//! * [`voice`] — calls: the pure call flow, the webhooks' `Switchboard`, the
//!   speech turn, the AI receptionist's wiring, call records, voicemail.
//! * [`call`] — `CallActor`: one live AI call bridged to the Realtime provider.
//! * [`realtime`] — the OpenAI Realtime and Twilio Media Streams wire contracts.
//! * [`brain`] — understanding customers and driving bookings (NLU, the
//!   offline engine, the LLM brain, the tools, per-channel phrasing).
//! * [`area`] — service areas: cities, ZIPs, a radius over the vendored ZIP map.
//! * [`booking`] — availability and appointments (`BookingActor`).
//! * [`knowledge`], [`packs`] — the knowledge base and the industry packs.
//! * [`messaging`] — outbound texts: outbox, rate limits, Twilio REST, notices.
//! * [`provisioning`] — buying a tenant's platform number (`ensure_number`) and
//!   the retry job `NumberProvisioner`.
//! * [`twilio`] — Twilio's signature, form and TwiML contracts.
//! * [`owner_app`] — what the owner's web app reads (appointments, threads, calls).
//! * [`web_session`] — browser sessions of owners and root, owner sign-in.
//! * [`export`], [`retention`] — a tenant's data export, and the retention rule
//!   with the operator's purge.
//! * [`metrics`], [`clock`], [`tls`], [`kb_admin`] — shared plumbing.

pub mod area;
pub mod billing;
pub mod booking;
pub mod brain;
pub mod call;
pub mod clock;
pub mod conversation;
pub mod dashboard;
pub mod export;
pub mod kb_admin;
pub mod knowledge;
#[cfg(any(test, feature = "testkit"))]
pub mod log_capture;
#[cfg(any(test, feature = "testkit"))]
pub mod loopback;
pub mod messaging;
pub mod metrics;
pub mod owner_app;
pub mod packs;
pub mod provisioning;
pub mod realtime;
pub mod retention;
pub mod tenant;
pub mod tls;
pub mod twilio;
pub mod voice;
pub mod web_session;
pub mod website;
