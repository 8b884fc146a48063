//! The connection pool. Every pooled connection drops to the unprivileged
//! `servicepro_app` role (subject to row level security) and carries a
//! statement timeout and an application name. A connection that is privileged
//! after setup is refused; one that leaves a transaction still carrying a role
//! or tenant setting is discarded instead of reused (checked in the round trip
//! of the transaction's own COMMIT or ROLLBACK, not with a query per checkout).

use crate::error::{cause_of, DbError};
use diesel::result::{ConnectionError, ConnectionResult};
use diesel_async::pooled_connection::deadpool::{Object, Pool};
use diesel_async::pooled_connection::{
    AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod,
};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};
use futures_util::FutureExt;
use std::time::Duration;

/// The role every pooled connection runs as: no superuser, no BYPASSRLS.
pub const APP_ROLE: &str = "servicepro_app";

/// A pooled, role-restricted connection.
pub type PooledConn = Object<AsyncPgConnection>;

/// How to build the pool.
#[derive(Debug, Clone)]
pub struct PoolSettings {
    /// The PostgreSQL URL (the migrating owner; pooled connections `SET ROLE` down).
    pub database_url: String,
    /// The most connections the pool opens.
    pub max_size: usize,
    /// How long a request waits for a free connection before failing with 503.
    pub acquire_timeout: Duration,
    /// Server-side limit on any one statement.
    pub statement_timeout: Duration,
    /// Shown in `pg_stat_activity`.
    pub application_name: String,
}

impl PoolSettings {
    /// Settings with production defaults for `database_url`.
    pub fn new(database_url: impl Into<String>) -> Self {
        PoolSettings {
            database_url: database_url.into(),
            max_size: 16,
            acquire_timeout: Duration::from_secs(5),
            statement_timeout: Duration::from_secs(10),
            application_name: "servicepro".to_owned(),
        }
    }
}

/// The shared pool of role-restricted connections.
#[derive(Clone)]
pub struct DbPool {
    pool: Pool<AsyncPgConnection>,
}

impl std::fmt::Debug for DbPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DbPool")
            .field("status", &self.pool.status())
            .finish()
    }
}

#[derive(diesel::QueryableByName)]
struct ConnectionState {
    #[diesel(sql_type = diesel::sql_types::Text)]
    role: String,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    privileged: bool,
}

async fn connection_state(conn: &mut AsyncPgConnection) -> diesel::QueryResult<ConnectionState> {
    diesel::sql_query(
        "SELECT current_user::text AS role, \
                (SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user) AS privileged",
    )
    .get_result(conn)
    .await
}

fn setup_connection(
    url: &str,
    init_sql: String,
) -> futures_util::future::BoxFuture<'_, ConnectionResult<AsyncPgConnection>> {
    async move {
        let mut conn = AsyncPgConnection::establish(url).await?;
        conn.batch_execute(&init_sql)
            .await
            .map_err(|e| ConnectionError::BadConnection(format!("connection setup failed: {e}")))?;
        let state = connection_state(&mut conn)
            .await
            .map_err(|e| ConnectionError::BadConnection(e.to_string()))?;
        if state.role != APP_ROLE || state.privileged {
            return Err(ConnectionError::BadConnection(format!(
                "pooled connection runs as {} (privileged: {}); refusing",
                state.role, state.privileged
            )));
        }
        Ok(conn)
    }
    .boxed()
}

impl DbPool {
    /// Builds the pool. Connections are opened lazily; call [`DbPool::ping`]
    /// to check the database at start-up.
    pub fn new(settings: &PoolSettings) -> Result<Self, DbError> {
        let init_sql = format!(
            "SET application_name = '{}'; SET statement_timeout = {}; \
             SET idle_in_transaction_session_timeout = {}; SET ROLE {APP_ROLE};",
            settings.application_name.replace('\'', ""),
            settings.statement_timeout.as_millis(),
            settings.statement_timeout.as_millis().saturating_mul(3),
        );
        let mut config = ManagerConfig::<AsyncPgConnection>::default();
        config.custom_setup = Box::new(move |url| setup_connection(url, init_sql.clone()));
        // No query per checkout: every transaction proves its connection clean in the
        // round trip of its own COMMIT/ROLLBACK (`servicepro_check_connection`) and a
        // connection that fails is never returned (see `tenant_db::run_to_completion`).
        config.recycling_method = RecyclingMethod::Fast;
        let manager =
            AsyncDieselConnectionManager::new_with_config(settings.database_url.clone(), config);
        let pool = Pool::builder(manager)
            .max_size(settings.max_size)
            .wait_timeout(Some(settings.acquire_timeout))
            .create_timeout(Some(settings.acquire_timeout))
            .recycle_timeout(Some(settings.acquire_timeout))
            .runtime(deadpool::Runtime::Tokio1)
            .build()
            .map_err(|e| DbError::Unavailable(cause_of(e)))?;
        Ok(DbPool { pool })
    }

    /// Takes a connection from the pool.
    pub async fn get(&self) -> Result<PooledConn, DbError> {
        self.pool
            .get()
            .await
            .map_err(|e| DbError::Unavailable(cause_of(e)))
    }

    /// Checks the database answers (readiness probe).
    pub async fn ping(&self) -> Result<(), DbError> {
        let mut conn = self.get().await?;
        diesel::sql_query("SELECT 1").execute(&mut conn).await?;
        Ok(())
    }

    /// Connections open and idle, for `/metrics`.
    pub fn status(&self) -> (usize, usize) {
        let status = self.pool.status();
        (status.size, status.available)
    }
}
