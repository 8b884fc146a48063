//! The tenant purge: archive, verify, then delete in one audited transaction.

use super::policy::{may_purge, PurgeRefused, RetentionWindow};
use crate::export::{file::export_to_file, ExportError};
use chrono::{DateTime, Utc};
use diesel::sql_types::{BigInt, Nullable, Text, Timestamptz};
use diesel::QueryableByName;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use servicepro_schema::error::cause;
use servicepro_schema::root_db::AuditEntry;
use servicepro_schema::{tenant_tables, DbError, DbPool, RootDb, TenantDb, TenantId, TenantStatus};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The constraint name a purge's transaction reports when the tenant changed
/// under it (then nothing was deleted).
const CHANGED: &str = "tenant_purge_changed_meanwhile";

/// Why a purge did not happen.
#[derive(Debug, thiserror::Error)]
pub enum PurgeError {
    /// No tenant has this id.
    #[error("no such tenant")]
    NotFound,
    /// The retention rule refuses it (the reason says until when).
    #[error(transparent)]
    Refused(#[from] PurgeRefused),
    /// The tenant's rows or status changed between the archive and the delete;
    /// nothing was deleted (try again: the archive is written anew).
    #[error("the tenant changed while it was being archived; nothing was deleted")]
    Changed(#[source] DbError),
    /// Writing the archive failed (nothing was deleted).
    #[error("writing the archive: {0}")]
    Archive(#[source] ExportError),
    /// The archive did not read back whole (nothing was deleted).
    #[error("the archive {path} does not verify: {reason}")]
    Verify {
        /// The archive.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The archive directory cannot be used.
    #[error("archive directory: {0}")]
    Dir(#[source] std::io::Error),
    /// The database failed (nothing was deleted).
    #[error(transparent)]
    Db(#[from] DbError),
}

/// What a purge did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PurgeReport {
    /// The tenant.
    pub tenant_id: TenantId,
    /// When its rows were deleted.
    pub purged_at: DateTime<Utc>,
    /// The archive (the full export with recordings).
    pub archive: PathBuf,
    /// The archive's SHA-256, hex.
    pub sha256: String,
    /// The archive's size.
    pub bytes: u64,
    /// Rows deleted per table.
    pub rows: BTreeMap<String, i64>,
    /// Recording files removed after the rows.
    pub recordings_removed: usize,
    /// Recording files that could not be removed (logged; the rows are gone).
    pub recordings_left: Vec<PathBuf>,
}

/// Runs purges (cheap to clone).
#[derive(Debug, Clone)]
pub struct Purger {
    pool: DbPool,
    root: RootDb,
    archive_dir: PathBuf,
    window: RetentionWindow,
}

#[derive(QueryableByName)]
struct State {
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = Timestamptz)]
    status_changed_at: DateTime<Utc>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    purged_at: Option<DateTime<Utc>>,
}

impl State {
    fn check(&self, window: RetentionWindow, now: DateTime<Utc>) -> Result<(), PurgeError> {
        let status: TenantStatus = self
            .status
            .parse()
            .map_err(|e| DbError::Query(cause(format!("tenants.status: {e}"))))?;
        Ok(may_purge(
            status,
            self.status_changed_at,
            self.purged_at,
            window,
            now,
        )?)
    }
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct Recording {
    #[diesel(sql_type = Text)]
    path: String,
}

impl Purger {
    /// Purges through `pool`, archiving into `archive_dir`, under `window`.
    pub fn new(pool: DbPool, archive_dir: PathBuf, window: RetentionWindow) -> Self {
        Purger {
            root: RootDb::new(pool.clone()),
            pool,
            archive_dir,
            window,
        }
    }

    /// The retention window.
    pub fn window(&self) -> RetentionWindow {
        self.window
    }

    /// Whether `tenant` may be purged at `now` ([`PurgeError::NotFound`],
    /// [`PurgeError::Refused`] with the reason, else `Ok`).
    pub async fn check(&self, tenant: &TenantId, now: DateTime<Utc>) -> Result<(), PurgeError> {
        let db = TenantDb::new(self.pool.clone(), tenant.clone());
        let rows: Vec<State> = db
            .transaction(|tx| Box::pin(async move { state(tx.conn(), None).await }))
            .await?;
        rows.into_iter()
            .next()
            .ok_or(PurgeError::NotFound)?
            .check(self.window, now)
    }

    /// Purges `tenant` at `now` on `actor`'s request: checks the rule, writes
    /// and verifies the archive, then deletes every row of the tenant and marks
    /// it purged in one transaction whose audit row (`tenant.purge`) carries the
    /// archive, its SHA-256 and the rows per table. Nothing is deleted unless
    /// all of that succeeds.
    pub async fn purge(
        &self,
        tenant: &TenantId,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<PurgeReport, PurgeError> {
        self.check(tenant, now).await?;
        let expected = self.counts(tenant).await?;
        std::fs::create_dir_all(&self.archive_dir).map_err(PurgeError::Dir)?;
        let archive = self.archive_dir.join(format!(
            "{}-{}.zip",
            tenant.as_str(),
            now.format("%Y%m%dT%H%M%SZ")
        ));
        let bytes = export_to_file(&self.pool, tenant, true, &archive, |_| async { Ok(()) })
            .await
            .map_err(PurgeError::Archive)?;
        let sha256 = verify(archive.clone()).await?;
        let mut audit = AuditEntry::new(actor, "tenant.purge", Some(tenant));
        audit.detail = serde_json::json!({
            "archive": archive.display().to_string(),
            "sha256": sha256,
            "bytes": bytes,
            "rows": expected,
            "retention_months": self.window.as_months(),
        });
        let (window, id, rows) = (self.window, tenant.as_str().to_owned(), expected.clone());
        let recordings = self
            .root
            .transaction(audit, move |tx| {
                Box::pin(async move { delete_all(tx.conn(), &id, &rows, window, now).await })
            })
            .await
            .map_err(|e| match e {
                DbError::Conflict { ref constraint, .. } if constraint == CHANGED => {
                    PurgeError::Changed(e)
                }
                e => PurgeError::Db(e),
            })?;
        let (mut removed, mut left) = (0, Vec::new());
        for path in recordings.into_iter().map(PathBuf::from) {
            match std::fs::remove_file(&path) {
                Ok(()) => removed += 1,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => {
                    tracing::warn!(path = %path.display(), error = %e, "purged tenant's recording not removed");
                    left.push(path);
                }
            }
        }
        tracing::info!(tenant_id = %tenant.as_str(), archive = %archive.display(), "tenant purged");
        Ok(PurgeReport {
            tenant_id: tenant.clone(),
            purged_at: now,
            archive,
            sha256,
            bytes,
            rows: expected,
            recordings_removed: removed,
            recordings_left: left,
        })
    }

    /// The tenant's rows per tenant table (read through its own connection).
    async fn counts(&self, tenant: &TenantId) -> Result<BTreeMap<String, i64>, DbError> {
        let db = TenantDb::new(self.pool.clone(), tenant.clone());
        let id = tenant.as_str().to_owned();
        db.transaction(move |tx| {
            Box::pin(async move {
                let mut out = BTreeMap::new();
                for table in tenant_tables::in_delete_order(tx.conn()).await? {
                    let n = count(tx.conn(), &table, &id).await?;
                    out.insert(table, n);
                }
                Ok(out)
            })
        })
        .await
    }
}

/// The tenant's state (`FOR UPDATE` when `lock`), by `id` or, on a tenant
/// connection, its own row.
async fn state(conn: &mut AsyncPgConnection, id: Option<&str>) -> Result<Vec<State>, DbError> {
    let query = "SELECT status, status_changed_at, purged_at FROM tenants WHERE id = ";
    Ok(match id {
        Some(id) => {
            diesel::sql_query(format!("{query}$1 FOR UPDATE"))
                .bind::<Text, _>(id.to_owned())
                .load(conn)
                .await?
        }
        None => {
            diesel::sql_query(format!("{query}current_setting('app.tenant_id', true)"))
                .load(conn)
                .await?
        }
    })
}

async fn count(conn: &mut AsyncPgConnection, table: &str, id: &str) -> Result<i64, DbError> {
    // `table` comes from the catalogue (tenant_tables), never from input.
    let row: Count = diesel::sql_query(format!(
        "SELECT count(*) AS n FROM {table} WHERE tenant_id = $1"
    ))
    .bind::<Text, _>(id.to_owned())
    .get_result(conn)
    .await?;
    Ok(row.n)
}

fn changed(what: String) -> DbError {
    DbError::Conflict {
        constraint: CHANGED.to_owned(),
        source: cause(what),
    }
}

/// Inside the root transaction: re-checks the rule on the locked row, deletes
/// every row of tenant `id` (each table's count must be the archived one),
/// marks the tenant purged; returns its recording files.
async fn delete_all(
    conn: &mut AsyncPgConnection,
    id: &str,
    expected: &BTreeMap<String, i64>,
    window: RetentionWindow,
    now: DateTime<Utc>,
) -> Result<Vec<String>, DbError> {
    let locked = state(conn, Some(id))
        .await?
        .into_iter()
        .next()
        .ok_or(DbError::NotFound)?;
    if let Err(e) = locked.check(window, now) {
        return Err(changed(e.to_string()));
    }
    let recordings: Vec<Recording> = diesel::sql_query(
        "SELECT recording_path AS path FROM calls WHERE tenant_id = $1 AND recording_path IS NOT NULL",
    )
    .bind::<Text, _>(id.to_owned())
    .load(conn)
    .await?;
    let order = tenant_tables::in_delete_order(conn).await?;
    for table in &order {
        let deleted = diesel::sql_query(format!("DELETE FROM {table} WHERE tenant_id = $1"))
            .bind::<Text, _>(id.to_owned())
            .execute(conn)
            .await? as i64;
        let archived = expected.get(table).copied();
        if archived != Some(deleted) {
            return Err(changed(format!(
                "{table}: {deleted} row(s) to delete, {archived:?} archived"
            )));
        }
    }
    if order.len() != expected.len() {
        return Err(changed("the set of tenant tables changed".to_owned()));
    }
    diesel::sql_query("UPDATE tenants SET purged_at = $2 WHERE id = $1")
        .bind::<Text, _>(id.to_owned())
        .bind::<Timestamptz, _>(now)
        .execute(conn)
        .await?;
    Ok(recordings.into_iter().map(|r| r.path).collect())
}

/// Reads every entry of the archive back (each one's CRC is checked) and
/// returns the file's SHA-256.
async fn verify(path: PathBuf) -> Result<String, PurgeError> {
    tokio::task::spawn_blocking(move || {
        let bad = |reason: String| PurgeError::Verify {
            path: path.clone(),
            reason,
        };
        read_back(&path).map_err(|e| bad(e.to_string()))?;
        let mut hasher = Sha256::new();
        let mut file = std::fs::File::open(&path).map_err(|e| bad(e.to_string()))?;
        std::io::copy(&mut file, &mut hasher).map_err(|e| bad(e.to_string()))?;
        Ok(hex::encode(hasher.finalize()))
    })
    .await
    .map_err(|e| PurgeError::Verify {
        path: PathBuf::new(),
        reason: format!("the check's task failed: {e}"),
    })?
}

fn read_back(path: &Path) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path)?)?;
    let mut names = Vec::with_capacity(zip.len());
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i)?;
        // Reading to the end checks the entry's CRC.
        std::io::copy(&mut entry, &mut std::io::sink())?;
        names.push(entry.name()?.into_owned());
    }
    for table in crate::export::tables::TABLES {
        for entry in [table.csv_entry, table.json_entry] {
            if !names.iter().any(|n| n == entry) {
                return Err(format!("{entry} is missing").into());
            }
        }
    }
    Ok(())
}
