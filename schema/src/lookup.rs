//! Lookups that must run before the tenant is known — which tenant owns a
//! dialled number — through the narrow `SECURITY DEFINER` functions the
//! migrations define. They reveal a tenant id and its version (for cache
//! validation), nothing else.

use crate::error::DbError;
use crate::ids::TenantId;
use crate::pool::DbPool;
use diesel_async::RunQueryDsl;

/// The version of everything cached about a tenant (`tenant_versions.version`, migration
/// 0011): it changes with every write to the tenant's row, numbers, settings, services,
/// knowledge base or templates, by any path (a row trigger moves it), and is never reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TenantVersion(i64);

impl TenantVersion {
    /// The version with this stored value.
    pub fn new(value: i64) -> Self {
        TenantVersion(value)
    }

    /// The stored value.
    pub fn get(self) -> i64 {
        self.0
    }
}

impl std::fmt::Display for TenantVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[derive(diesel::QueryableByName)]
struct OwnerVersion {
    #[diesel(sql_type = diesel::sql_types::Text)]
    tenant_id: String,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    version: i64,
}

#[derive(diesel::QueryableByName)]
struct Version {
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    version: Option<i64>,
}

/// The tenant whose number is `e164`, if any, with its current version.
pub async fn tenant_version_by_phone(
    pool: &DbPool,
    e164: &str,
) -> Result<Option<(TenantId, TenantVersion)>, DbError> {
    let mut conn = pool.get().await?;
    let found: Option<OwnerVersion> = diesel::OptionalExtension::optional(
        diesel::sql_query("SELECT tenant_id, version FROM resolve_tenant_version_by_phone($1)")
            .bind::<diesel::sql_types::Text, _>(e164)
            .get_result(&mut *conn)
            .await,
    )?;
    Ok(found.and_then(|o| {
        Some((
            TenantId::parse(&o.tenant_id).ok()?,
            TenantVersion::new(o.version),
        ))
    }))
}

/// `tenant`'s current version, or `None` when no such tenant exists. One round trip.
pub async fn tenant_version(
    pool: &DbPool,
    tenant: &TenantId,
) -> Result<Option<TenantVersion>, DbError> {
    let mut conn = pool.get().await?;
    let found: Version = diesel::sql_query("SELECT resolve_tenant_version($1) AS version")
        .bind::<diesel::sql_types::Text, _>(tenant.as_str())
        .get_result(&mut *conn)
        .await?;
    Ok(found.version.map(TenantVersion::new))
}

#[derive(diesel::QueryableByName)]
struct Owner {
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    tenant_id: Option<String>,
}

/// The tenant a Stripe customer (`cus_…`) pays for, if one (migration 0014).
pub async fn tenant_by_stripe_customer(
    pool: &DbPool,
    customer: &str,
) -> Result<Option<TenantId>, DbError> {
    let mut conn = pool.get().await?;
    let found: Owner =
        diesel::sql_query("SELECT resolve_tenant_by_stripe_customer($1) AS tenant_id")
            .bind::<diesel::sql_types::Text, _>(customer)
            .get_result(&mut *conn)
            .await?;
    Ok(found.tenant_id.and_then(|t| TenantId::parse(&t).ok()))
}

/// Expired trials without a subscription and the status each moves to now:
/// `past_due` when the trial has ended, `suspended` once `grace` has passed too
/// (migration 0014). A hint for the trial scheduler, whose writes re-check it.
pub async fn expired_trials(
    pool: &DbPool,
    now: chrono::DateTime<chrono::Utc>,
    grace_days: i32,
) -> Result<Vec<(TenantId, crate::TenantStatus)>, DbError> {
    #[derive(diesel::QueryableByName)]
    struct Due {
        #[diesel(sql_type = diesel::sql_types::Text)]
        tenant_id: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        next_status: crate::TenantStatus,
    }
    let mut conn = pool.get().await?;
    let due: Vec<Due> =
        diesel::sql_query("SELECT tenant_id, next_status FROM billing_expired_trials($1, $2)")
            .bind::<diesel::sql_types::Timestamptz, _>(now)
            .bind::<diesel::sql_types::Integer, _>(grace_days)
            .load(&mut *conn)
            .await?;
    Ok(due
        .into_iter()
        .filter_map(|d| Some((TenantId::parse(&d.tenant_id).ok()?, d.next_status)))
        .collect())
}

#[derive(diesel::QueryableByName)]
struct DueTenant {
    #[diesel(sql_type = diesel::sql_types::Text)]
    tenant_id: String,
}

/// Up to `limit` tenants whose number provisioning is due for another try now
/// (not done, its next attempt time passed, no live lease), oldest first.
pub async fn due_number_provisioning(pool: &DbPool, limit: i32) -> Result<Vec<TenantId>, DbError> {
    let mut conn = pool.get().await?;
    let rows: Vec<DueTenant> = diesel::sql_query(
        "SELECT due_number_provisioning AS tenant_id FROM due_number_provisioning($1)",
    )
    .bind::<diesel::sql_types::Integer, _>(limit)
    .load(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| TenantId::parse(&r.tenant_id).ok())
        .collect())
}
