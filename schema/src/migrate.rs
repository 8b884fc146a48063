//! Embedded migrations, applied by `servicepro migrate` and at `serve`
//! start-up, over the async connection (no libpq needed).

use crate::error::{cause_of, DbError};
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_async::AsyncPgConnection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use std::sync::Arc;

/// The schema's migrations, compiled into the binary.
pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

/// Applies pending migrations to the database at `database_url` (connecting
/// as the owner, not the restricted app role) and returns the versions applied.
pub async fn run_migrations(database_url: &str) -> Result<Vec<String>, DbError> {
    let url = database_url.to_owned();
    tokio::task::spawn_blocking(move || {
        use diesel::Connection;
        let mut conn = AsyncConnectionWrapper::<AsyncPgConnection>::establish(&url)
            .map_err(|e| DbError::Unavailable(cause_of(e)))?;
        let applied = conn
            .run_pending_migrations(MIGRATIONS)
            .map_err(|e| DbError::Migration(Arc::from(e)))?;
        Ok(applied.iter().map(ToString::to_string).collect())
    })
    .await
    .map_err(|e| DbError::Task(cause_of(e)))?
}
