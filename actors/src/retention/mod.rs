//! Retention and the tenant purge (issue 18, item 6) — the engine, no HTTP.
//!
//! - [`policy::may_purge`] is the one rule: a tenant may be purged only when
//!   it is suspended or cancelled and has been so for the retention window
//!   (`tenants.status_changed_at`, kept by a trigger on every status change);
//!   otherwise the refusal says why and from when it would be allowed.
//! - [`purge::Purger::purge`] is the one action, run only when an operator asks
//!   (the root API and the root drill-down page), never by a timer: it writes
//!   the full export with recordings to the archive directory, verifies the
//!   zip, then in one audited transaction deletes every row of the tenant from
//!   every tenant table ([`servicepro_schema::tenant_tables`]) and marks the
//!   `tenants` row purged (the tombstone: its id and number answer as unknown).

pub mod policy;
pub mod purge;

pub use policy::{may_purge, PurgeRefused, RetentionWindow};
pub use purge::{PurgeError, PurgeReport, Purger};
