//! The writes behind the [`super::actor::TenantActor`]'s change messages: status and
//! plan tier through the audited root path, settings through the root path (audited)
//! or the tenant's own scoped path. Only the actor calls these, so its cache is
//! replaced with every change it makes (changes made elsewhere move the tenant's
//! version, which the actor checks on every request).

use super::actor::ChangedBy;
use super::settings::{self, SettingsUpdate};
use super::TenantError;
use chrono::Utc;
use diesel::ExpressionMethods;
use diesel_async::RunQueryDsl;
use servicepro_schema::root_db::AuditEntry;
use servicepro_schema::schema::tenants;
use servicepro_schema::{DbError, DbPool, PlanTier, RootDb, TenantDb, TenantId, TenantStatus};

/// A change to the tenant row that only an operator makes.
#[derive(Debug, Clone, Copy)]
pub(super) enum PlanChange {
    /// A new billing status (audited as `tenant.status`).
    Status(TenantStatus),
    /// A new plan tier (audited as `tenant.tier`).
    Tier(PlanTier),
}

/// Writes `change` to `tenant`'s row through the audited root path.
pub(super) async fn set_plan(
    root: &RootDb,
    by: &str,
    tenant: &TenantId,
    change: PlanChange,
) -> Result<(), DbError> {
    let (action, detail) = match change {
        PlanChange::Status(status) => ("tenant.status", serde_json::json!({ "status": status })),
        PlanChange::Tier(tier) => ("tenant.tier", serde_json::json!({ "plan_tier": tier })),
    };
    let mut audit = AuditEntry::new(by, action, Some(tenant));
    audit.detail = detail;
    let id = tenant.as_str().to_owned();
    root.transaction(audit, move |tx| {
        Box::pin(async move {
            let row = diesel::update(tenants::table).filter(tenants::id.eq(&id));
            let now = tenants::updated_at.eq(Utc::now());
            let n = match change {
                PlanChange::Status(status) => {
                    row.set((tenants::status.eq(status), now))
                        .execute(tx.conn())
                        .await?
                }
                PlanChange::Tier(tier) => {
                    row.set((tenants::plan_tier.eq(tier), now))
                        .execute(tx.conn())
                        .await?
                }
            };
            found(n)
        })
    })
    .await
}

/// Validates and writes a settings change: the audited root path (`tenant.settings`)
/// for an operator, the tenant-scoped path for the owner.
pub(super) async fn set_settings(
    pool: DbPool,
    tenant: &TenantId,
    update: &SettingsUpdate,
    by: &ChangedBy,
) -> Result<(), TenantError> {
    let prepared = update.prepare()?;
    let id = tenant.clone();
    match by {
        ChangedBy::Root(actor) => {
            let mut audit = AuditEntry::new(actor, "tenant.settings", Some(tenant));
            audit.detail = update.audit_detail()?;
            RootDb::new(pool)
                .transaction(audit, move |tx| {
                    Box::pin(async move { settings::write(tx.conn(), &id, prepared).await })
                })
                .await?
        }
        ChangedBy::Owner => {
            TenantDb::new(pool, tenant.clone())
                .transaction(move |tx| {
                    Box::pin(async move { settings::write(tx.conn(), &id, prepared).await })
                })
                .await?
        }
    }
    Ok(())
}

/// `NotFound` when an update matched no tenant.
pub(super) fn found(rows: usize) -> Result<(), DbError> {
    if rows == 0 {
        Err(DbError::NotFound)
    } else {
        Ok(())
    }
}
