//! An export written to a path of the caller's choosing, outside the
//! `data_exports` bookkeeping: the `servicepro export` command and the tenant
//! purge's archive. The same [`job::write_export`] as the background job; the
//! file appears complete or not at all (written as `{path}.part`, renamed).

use super::job::{self, Progress};
use super::ExportError;
use diesel::sql_types::{Bool, Nullable, Timestamptz};
use diesel::QueryableByName;
use diesel_async::RunQueryDsl;
use servicepro_schema::{DbError, DbPool, TenantDb, TenantId};
use std::future::Future;
use std::path::Path;

#[derive(QueryableByName)]
struct Exists {
    #[diesel(sql_type = Bool)]
    found: bool,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    purged_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// Writes `tenant`'s export (with call recordings when asked) to `out`,
/// reporting [`Progress`] after every page; returns the archive's size.
/// Refused with [`ExportError::UnknownTenant`] / [`ExportError::Purged`]
/// before anything is written.
pub async fn export_to_file<F, Fut>(
    pool: &DbPool,
    tenant: &TenantId,
    include_recordings: bool,
    out: &Path,
    progress: F,
) -> Result<u64, ExportError>
where
    F: FnMut(Progress) -> Fut,
    Fut: Future<Output = Result<(), DbError>>,
{
    let db = TenantDb::new(pool.clone(), tenant.clone());
    // Row level security shows a tenant connection its own `tenants` row only.
    let row: Exists = db
        .transaction(|tx| {
            Box::pin(async move {
                Ok(diesel::sql_query(
                    "SELECT count(*) > 0 AS found, max(purged_at) AS purged_at FROM tenants \
                     WHERE id = current_setting('app.tenant_id', true)",
                )
                .get_result(tx.conn())
                .await?)
            })
        })
        .await?;
    if !row.found {
        return Err(ExportError::UnknownTenant(tenant.clone()));
    }
    if row.purged_at.is_some() {
        return Err(ExportError::Purged(tenant.clone()));
    }
    job::write_export(&db, include_recordings, out.to_path_buf(), progress).await
}
