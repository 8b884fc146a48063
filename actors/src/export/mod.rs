//! Data export (issue 18, item 5) — the engine, no HTTP.
//!
//! - [`Exports::start_export`] records a `data_exports` row (one running per
//!   tenant: a second start is [`ExportError::AlreadyRunning`]) and runs the job
//!   in the background; [`Exports::export_status`] reads its state and progress.
//! - [`job`] reads every table of [`tables::TABLES`] in keyset pages (one tenant
//!   transaction per page, so row level security scopes each read) and hands
//!   them to [`writer`], a blocking zip writer behind a bounded channel: memory
//!   stays at a few pages whatever the tenant's size. `{table}.csv` and
//!   `{table}.json` per table, `recordings/` when asked.
//! - [`file::export_to_file`] writes the same archive to a given path (the
//!   `servicepro export` command and the tenant purge's archive).
//! - [`link`] signs and checks the time-limited download links.
//! - [`Exports::sweep`] removes archives older than the configured keep time.

pub mod file;
pub mod job;
pub mod link;
pub mod tables;
pub mod writer;

use chrono::{DateTime, Utc};
use diesel::sql_types::{Bool, Float4, Nullable, Text, Timestamptz};
use diesel::QueryableByName;
use diesel_async::RunQueryDsl;
use servicepro_schema::{DbError, DbPool, TenantDb, TenantId};
use std::path::PathBuf;
use std::sync::Arc;
use tracing::Instrument;

pub use job::Progress;
pub use link::{DownloadLink, LinkKey, LinkRefused};

/// A running export older than this (hours) is taken as interrupted by a crash.
pub const STALE_AFTER_HOURS: i32 = 6;

/// An export's id: 32 lowercase hex digits (128 random bits), also its file name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct ExportId(String);

impl ExportId {
    /// A fresh random id.
    pub fn random() -> Self {
        ExportId(hex::encode(rand::random::<[u8; 16]>()))
    }

    /// Parses an id presented in a URL.
    pub fn parse(raw: &str) -> Result<Self, ExportError> {
        if raw.len() == 32
            && raw
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            Ok(ExportId(raw.to_owned()))
        } else {
            Err(ExportError::BadId)
        }
    }

    /// The id's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Where exports go and how long they live.
#[derive(Debug, Clone)]
pub struct ExportSettings {
    /// The directory holding `{id}.zip` files.
    pub dir: PathBuf,
    /// How long a finished export is kept (then the sweep removes it).
    pub keep: chrono::Duration,
    /// How long a download link is valid.
    pub link_ttl: chrono::Duration,
    /// The key signing download links.
    pub key: LinkKey,
}

/// Why an export operation failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The tenant already has an export running.
    #[error("an export is already running for this tenant")]
    AlreadyRunning,
    /// No such export for this tenant.
    #[error("no such export")]
    NotFound,
    /// The id is not 32 lowercase hex digits.
    #[error("not an export id (32 lowercase hex digits)")]
    BadId,
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbError),
    /// Writing the archive failed.
    #[error(transparent)]
    Write(#[from] writer::WriteError),
    /// The writer stopped early (its own error is reported instead).
    #[error("the zip writer stopped")]
    WriterStopped,
    /// The writer's task panicked or was cancelled.
    #[error("the zip writer task failed: {0}")]
    Task(#[source] tokio::task::JoinError),
    /// A row could not be written as CSV.
    #[error("writing CSV: {0}")]
    Csv(#[source] csv::Error),
    /// A row's JSON could not be read.
    #[error("reading a row's JSON: {0}")]
    Json(#[source] serde_json::Error),
    /// The export directory cannot be used.
    #[error("export directory: {0}")]
    Dir(#[source] std::io::Error),
    /// No tenant has this id.
    #[error("no tenant has the id {0}")]
    UnknownTenant(TenantId),
    /// The tenant was purged: nothing of it is left to export.
    #[error("tenant {0} was purged; its archive is the export")]
    Purged(TenantId),
}

/// An export's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportState {
    /// Being written.
    Running,
    /// Complete and downloadable until `expires_at`.
    Done,
    /// Stopped by an error.
    Failed,
    /// Done, but past its keep time (removed).
    Expired,
}

/// What [`Exports::export_status`] reports.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ExportStatus {
    /// The export.
    pub id: ExportId,
    /// Its state.
    pub state: ExportState,
    /// 0..1.
    pub progress: f32,
    /// Whether call recordings are included.
    pub include_recordings: bool,
    /// When it started.
    pub created_at: DateTime<Utc>,
    /// When it finished.
    pub finished_at: Option<DateTime<Utc>>,
    /// When it is removed.
    pub expires_at: Option<DateTime<Utc>>,
    /// Why it failed.
    pub error: Option<String>,
}

#[derive(QueryableByName)]
struct StatusRow {
    #[diesel(sql_type = Text)]
    state: String,
    #[diesel(sql_type = Float4)]
    progress: f32,
    #[diesel(sql_type = Bool)]
    include_recordings: bool,
    #[diesel(sql_type = Timestamptz)]
    created_at: DateTime<Utc>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    finished_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    expires_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Text>)]
    error: Option<String>,
}

/// The export engine: cheap to clone, shared by the routes and the CLI.
#[derive(Debug, Clone)]
pub struct Exports {
    pool: DbPool,
    settings: Arc<ExportSettings>,
}

impl Exports {
    /// The engine over `pool` with `settings`.
    pub fn new(pool: DbPool, settings: ExportSettings) -> Self {
        Exports {
            pool,
            settings: Arc::new(settings),
        }
    }

    /// The settings.
    pub fn settings(&self) -> &ExportSettings {
        &self.settings
    }

    /// The archive's path on disk.
    pub fn file(&self, id: &ExportId) -> PathBuf {
        self.settings.dir.join(format!("{}.zip", id.as_str()))
    }

    /// Starts an export of `tenant`'s data in the background (on the current
    /// runtime) and returns its id. Refused with [`ExportError::AlreadyRunning`]
    /// while another export of the tenant runs. Allowed in every tenant status.
    pub async fn start_export(
        &self,
        tenant: &TenantId,
        include_recordings: bool,
    ) -> Result<ExportId, ExportError> {
        std::fs::create_dir_all(&self.settings.dir).map_err(ExportError::Dir)?;
        let id = ExportId::random();
        let db = TenantDb::new(self.pool.clone(), tenant.clone());
        let row_id = id.as_str().to_owned();
        let inserted = db
            .transaction(move |tx| {
                Box::pin(async move {
                    // A job a crash interrupted never finishes: after
                    // STALE_AFTER_HOURS it stops blocking new exports.
                    diesel::sql_query(
                        "UPDATE data_exports SET state = 'failed', error = 'interrupted', finished_at = now() \
                         WHERE tenant_id = current_setting('app.tenant_id', true) AND state = 'running' \
                           AND created_at < now() - make_interval(hours => $1)",
                    )
                    .bind::<diesel::sql_types::Integer, _>(STALE_AFTER_HOURS)
                    .execute(tx.conn())
                    .await?;
                    diesel::sql_query(
                        "INSERT INTO data_exports (tenant_id, id, include_recordings) \
                         VALUES (current_setting('app.tenant_id', true), $1, $2)",
                    )
                    .bind::<Text, _>(row_id)
                    .bind::<Bool, _>(include_recordings)
                    .execute(tx.conn())
                    .await?;
                    Ok(())
                })
            })
            .await;
        match inserted {
            Ok(()) => {}
            Err(DbError::Conflict { constraint, .. })
                if constraint == "data_exports_one_running" =>
            {
                return Err(ExportError::AlreadyRunning)
            }
            Err(e) => return Err(e.into()),
        }
        let engine = self.clone();
        let job_id = id.clone();
        let span = tracing::info_span!("export", tenant = %tenant.as_str(), export = %id.as_str());
        tokio::spawn(
            async move { engine.run(db, job_id, include_recordings).await }.instrument(span),
        );
        Ok(id)
    }

    /// Runs the job to its end and records the outcome in the row.
    async fn run(&self, db: TenantDb, id: ExportId, include_recordings: bool) {
        let path = self.file(&id);
        let progress_db = db.clone();
        let progress_id = id.clone();
        // The row is written when progress moved a percent (not after every page).
        let mut recorded = 0.0f32;
        let outcome = job::write_export(&db, include_recordings, path.clone(), move |p| {
            let due = p.fraction - recorded >= 0.01;
            if due {
                recorded = p.fraction;
            }
            let db = progress_db.clone();
            let id = progress_id.clone();
            async move {
                if due {
                    set_progress(&db, &id, p.fraction).await?;
                }
                Ok(())
            }
        })
        .await;
        let keep = self.settings.keep;
        let row_id = id.as_str().to_owned();
        let (state, error) = match &outcome {
            Ok(bytes) => {
                tracing::info!(bytes, "export written");
                ("done", None)
            }
            Err(e) => {
                tracing::error!(error = %e, "export failed");
                let _ = std::fs::remove_file(&path);
                ("failed", Some(e.to_string()))
            }
        };
        let recorded = db
            .transaction(move |tx| {
                Box::pin(async move {
                    diesel::sql_query(
                        "UPDATE data_exports SET state = $2, error = $3, finished_at = now(), \
                         progress = CASE WHEN $2 = 'done' THEN 1 ELSE progress END, \
                         expires_at = now() + make_interval(secs => $4) \
                         WHERE tenant_id = current_setting('app.tenant_id', true) AND id = $1",
                    )
                    .bind::<Text, _>(row_id)
                    .bind::<Text, _>(state)
                    .bind::<Nullable<Text>, _>(error)
                    .bind::<diesel::sql_types::Double, _>(keep.num_seconds() as f64)
                    .execute(tx.conn())
                    .await?;
                    Ok(())
                })
            })
            .await;
        if let Err(e) = recorded {
            tracing::error!(error = %e, "recording the export's outcome failed");
        }
    }

    /// The state of `tenant`'s export `id` at `now` ([`ExportError::NotFound`]
    /// for another tenant's id).
    pub async fn export_status(
        &self,
        tenant: &TenantId,
        id: &ExportId,
        now: DateTime<Utc>,
    ) -> Result<ExportStatus, ExportError> {
        let db = TenantDb::new(self.pool.clone(), tenant.clone());
        let row_id = id.as_str().to_owned();
        let rows: Vec<StatusRow> = db
            .transaction(move |tx| {
                Box::pin(async move {
                    Ok(diesel::sql_query(
                        "SELECT state, progress, include_recordings, created_at, finished_at, expires_at, error \
                         FROM data_exports WHERE tenant_id = current_setting('app.tenant_id', true) AND id = $1",
                    )
                    .bind::<Text, _>(row_id)
                    .load(tx.conn())
                    .await?)
                })
            })
            .await?;
        let row = rows.into_iter().next().ok_or(ExportError::NotFound)?;
        let state = match row.state.as_str() {
            "running" => ExportState::Running,
            "failed" => ExportState::Failed,
            _ if row.expires_at.is_some_and(|at| at <= now) => ExportState::Expired,
            _ => ExportState::Done,
        };
        Ok(ExportStatus {
            id: id.clone(),
            state,
            progress: row.progress,
            include_recordings: row.include_recordings,
            created_at: row.created_at,
            finished_at: row.finished_at,
            expires_at: row.expires_at,
            error: row.error,
        })
    }

    /// A download link for `id` valid for the configured time from `now`
    /// (never past the export's own expiry, when given).
    pub fn link(
        &self,
        id: &ExportId,
        now: DateTime<Utc>,
        until: Option<DateTime<Utc>>,
    ) -> DownloadLink {
        let mut expires = (now + self.settings.link_ttl).timestamp();
        if let Some(until) = until {
            expires = expires.min(until.timestamp());
        }
        self.link_until(id, expires)
    }

    /// A download link for `id` valid until `expires` (unix seconds).
    pub fn link_until(&self, id: &ExportId, expires: i64) -> DownloadLink {
        DownloadLink {
            expires,
            sig: self.settings.key.sign(id, expires),
        }
    }

    /// Checks a presented link at `now` and returns the archive's path, or why
    /// it is refused. A valid link to a removed archive is `Ok` with a path that
    /// no longer exists (the caller answers 404/410).
    pub fn verify_link(
        &self,
        id: &ExportId,
        expires: i64,
        sig: &str,
        now: DateTime<Utc>,
    ) -> Result<PathBuf, LinkRefused> {
        self.settings.key.verify(id, expires, sig, now)?;
        Ok(self.file(id))
    }

    /// Removes archives last modified more than the keep time ago (and stale
    /// `.part` files); returns how many were removed.
    pub fn sweep(&self) -> Result<usize, ExportError> {
        let keep = self.settings.keep.to_std().unwrap_or_default();
        let entries = match std::fs::read_dir(&self.settings.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
            Err(e) => return Err(ExportError::Dir(e)),
        };
        let mut removed = 0;
        for entry in entries {
            let entry = entry.map_err(ExportError::Dir)?;
            let age = entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok());
            if age.is_some_and(|age| age > keep) {
                std::fs::remove_file(entry.path()).map_err(ExportError::Dir)?;
                removed += 1;
            }
        }
        Ok(removed)
    }
}

async fn set_progress(db: &TenantDb, id: &ExportId, progress: f32) -> Result<(), DbError> {
    let row_id = id.as_str().to_owned();
    db.transaction(move |tx| {
        Box::pin(async move {
            diesel::sql_query(
                "UPDATE data_exports SET progress = $2 \
                 WHERE tenant_id = current_setting('app.tenant_id', true) AND id = $1",
            )
            .bind::<Text, _>(row_id)
            .bind::<Float4, _>(progress.clamp(0.0, 1.0))
            .execute(tx.conn())
            .await?;
            Ok(())
        })
    })
    .await
}
