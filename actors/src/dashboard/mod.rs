//! What the dashboards read and decide, with no HTTP in sight.
//!
//! * [`usage`] — a tenant's month and its last 30 days, day by day (owner's
//!   Usage page, the nudges).
//! * [`nudges`] — the plain-words suggestions computed from usage and the plan,
//!   every rule in one place, and their per-period dismissals.
//! * [`plan`] — the Plan and billing page: profile plus invoice state.
//! * [`root_tenants`] — the root dashboard's tenants table (one audited read),
//!   sorted and filtered.
//! * [`drill_down`] — one tenant as the operator sees it.
//! * [`health`] — the platform's last hour from the database.

pub mod drill_down;
pub mod health;
pub mod nudges;
pub mod plan;
pub mod root_tenants;
pub mod usage;
