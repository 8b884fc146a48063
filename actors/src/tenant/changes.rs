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

/// Sets `tenant`'s status (audited as `tenant.status`).
pub(super) async fn set_status(
    root: &RootDb,
    by: &str,
    tenant: &TenantId,
    status: TenantStatus,
) -> Result<(), DbError> {
    let mut audit = AuditEntry::new(by, "tenant.status", Some(tenant));
    audit.detail = serde_json::json!({ "status": status });
    let id = tenant.as_str().to_owned();
    root.transaction(audit, move |tx| {
        Box::pin(async move {
            let n = diesel::update(tenants::table)
                .filter(tenants::id.eq(&id))
                .set((
                    tenants::status.eq(status),
                    tenants::updated_at.eq(Utc::now()),
                ))
                .execute(tx.conn())
                .await?;
            found(n)
        })
    })
    .await
}

/// Sets `tenant`'s plan tier (audited as `tenant.tier`).
pub(super) async fn set_tier(
    root: &RootDb,
    by: &str,
    tenant: &TenantId,
    tier: PlanTier,
) -> Result<(), DbError> {
    let mut audit = AuditEntry::new(by, "tenant.tier", Some(tenant));
    audit.detail = serde_json::json!({ "plan_tier": tier });
    let id = tenant.as_str().to_owned();
    root.transaction(audit, move |tx| {
        Box::pin(async move {
            let n = diesel::update(tenants::table)
                .filter(tenants::id.eq(&id))
                .set((
                    tenants::plan_tier.eq(tier),
                    tenants::updated_at.eq(Utc::now()),
                ))
                .execute(tx.conn())
                .await?;
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
fn found(rows: usize) -> Result<(), DbError> {
    if rows == 0 {
        Err(DbError::NotFound)
    } else {
        Ok(())
    }
}
