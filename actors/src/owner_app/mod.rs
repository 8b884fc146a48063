//! What the owner's web app (`/app`) reads, one tenant at a time through its
//! [`TenantDb`](servicepro_schema::TenantDb) (row-level scope; the raw
//! statements also filter by `current_setting('app.tenant_id')`).
//!
//! * [`appointments`] — a range (the week view), the next few (Today), one
//!   with its customer, details and how it was booked.
//! * [`catalog`] — services with prices and the tenant's SMS templates.
//! * [`inbox`] — conversation threads with their messages, calls with the AI's
//!   summary, transcript and recording, voicemails.
//!
//! Writes do not live here: settings go through the tenant's actor
//! (`TenantRegistry::update_settings`), services and templates through
//! `tenant::catalog::change_catalog`, like the API's.

pub mod appointments;
pub mod catalog;
pub mod inbox;
