//! Tenants: who they are, how they are set up, and the one actor per active tenant
//! that keeps what the engine knows about it and changes it.
//!
//! * [`context`] — [`context::TenantContext`], everything the engine needs to
//!   answer a call or send a text for one tenant (its row, number and settings, and
//!   the version they were read at).
//! * [`actor`] — [`actor::TenantActor`]: one per active tenant, the one cache of its
//!   context and the brain's snapshot (checked against the tenant's version on every
//!   request), and the one place its status, plan tier and settings change.
//! * [`profile`] — the owner's view of their tenant (`GET /api/tenant`): profile,
//!   features, number, this month's usage, billing state and banner.
//! * [`catalog`] — the owner's services and prices and automated-text wording
//!   ([`catalog::change_catalog`], for the web app and the API).
//! * [`byo_twilio`] — switching to the tenant's own Twilio account (credentials
//!   checked with Twilio first, sealed) and back.
//! * [`registry`] — [`registry::TenantRegistry`]: finds or starts a tenant's actor
//!   (sharded, keyed by tenant), stops idle ones, replaces dead ones; every channel
//!   asks it instead of reading tenant rows.
//! * [`settings`] — the typed, validated [`settings::SettingsUpdate`] an owner may make.
//! * [`trial_limits`] — the trial's daily soft limits on texts and call minutes.
//! * `changes` — the database writes behind the actor's change messages.
//! * [`admin`] — root administration: create, list and inspect tenants through
//!   the audited cross-tenant path.
//! * [`api_keys`] — checking a presented tenant API key (inside the tenant's own
//!   row-level scope) and rotating a tenant's key.
//! * [`signup`] — self-serve signup: field rules, the tenant id from the business
//!   name, the owner's argon2id password hash, creation through the admin insert.
//! * [`seed`] — setting a tenant up from its industry pack (services, SMS
//!   templates, scheduling defaults), and the root tenant at start-up.

pub mod actor;
pub mod admin;
pub mod api_keys;
pub mod byo_twilio;
pub mod catalog;
mod changes;
pub mod context;
pub mod profile;
pub mod registry;
pub mod seed;
pub mod settings;
pub mod signup;
pub mod trial_limits;

pub use actor::{ChangedBy, RootWrite, TenantActor};
pub use registry::{Freshness, TenantRegistry, DEFAULT_IDLE_STOP};
pub use settings::{SettingsError, SettingsUpdate, SuspendedCallBehavior};

use crate::brain::tools::ToolError;
use servicepro_schema::DbError;

/// Why a tenant could not be read or changed.
#[derive(Debug, thiserror::Error)]
pub enum TenantError {
    /// The database failed (`NotFound`: no such tenant).
    #[error(transparent)]
    Db(#[from] DbError),
    /// The brain's snapshot could not be built.
    #[error("tenant snapshot could not be built")]
    Snapshot(#[source] ToolError),
    /// A settings change was refused.
    #[error(transparent)]
    Settings(#[from] SettingsError),
    /// The tenant's actor could not be reached.
    #[error("tenant actor unavailable")]
    Unavailable(#[from] actix::MailboxError),
    /// The status policy refuses this now (e.g. an owner's change while suspended).
    #[error(transparent)]
    Refused(#[from] servicepro_schema::policy::Refused),
}

impl From<TenantError> for ToolError {
    fn from(err: TenantError) -> Self {
        match err {
            TenantError::Snapshot(e) => e,
            TenantError::Settings(e) => ToolError::Invalid(e.to_string()),
            TenantError::Refused(e) => ToolError::Invalid(e.to_string()),
            other => ToolError::unavailable(other),
        }
    }
}
