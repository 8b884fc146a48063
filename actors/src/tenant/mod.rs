//! Tenants: who they are, how they are set up and administered.
//!
//! * [`context`] — [`context::TenantContext`], everything the engine needs to
//!   answer a call or send a text for one tenant (its row, number and settings).
//! * [`admin`] — root administration: create, list and inspect tenants through
//!   the audited cross-tenant path.
//! * [`seed`] — setting a tenant up from its industry pack (services, SMS
//!   templates, scheduling defaults), and the root tenant at start-up.

pub mod admin;
pub mod context;
pub mod seed;
