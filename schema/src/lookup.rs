//! Lookups that must run before the tenant is known — which tenant owns a
//! dialled number — through the narrow `SECURITY DEFINER` functions the
//! migrations define. They reveal a tenant id and the row versions of its
//! settings (for cache validation), nothing else.

use crate::error::DbError;
use crate::ids::TenantId;
use crate::pool::DbPool;
use diesel_async::RunQueryDsl;

#[derive(diesel::QueryableByName)]
struct OwnerVersion {
    #[diesel(sql_type = diesel::sql_types::Text)]
    tenant_id: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    version: String,
}

/// The tenant whose number is `e164`, if any, with the version of its cached settings
/// (it changes whenever its tenant row, phone configuration or settings change).
pub async fn tenant_version_by_phone(
    pool: &DbPool,
    e164: &str,
) -> Result<Option<(TenantId, String)>, DbError> {
    let mut conn = pool.get().await?;
    let found: Option<OwnerVersion> = diesel::OptionalExtension::optional(
        diesel::sql_query("SELECT tenant_id, version FROM resolve_tenant_version_by_phone($1)")
            .bind::<diesel::sql_types::Text, _>(e164)
            .get_result(&mut *conn)
            .await,
    )?;
    Ok(found.and_then(|o| Some((TenantId::parse(&o.tenant_id).ok()?, o.version))))
}
