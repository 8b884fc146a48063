//! What every request handler shares: the pool, the audited root path,
//! the secret box, configuration and metrics.

use crate::config::Config;
use servicepro_actors::metrics::Metrics;
use servicepro_schema::{DbPool, RootDb, SecretBox, TenantDb, TenantId};
use std::sync::Arc;

/// Shared application state (cheap to clone).
#[derive(Clone)]
pub struct AppState {
    /// Validated configuration.
    pub config: Arc<Config>,
    /// Role-restricted connection pool.
    pub pool: DbPool,
    /// The audited cross-tenant path.
    pub root_db: RootDb,
    /// Seals per-tenant secrets.
    pub secrets: SecretBox,
    /// Process metrics.
    pub metrics: Arc<Metrics>,
}

impl AppState {
    /// State for `config` over `pool`.
    pub fn new(config: Config, pool: DbPool) -> Self {
        AppState {
            secrets: SecretBox::new(&config.secret_key),
            root_db: RootDb::new(pool.clone()),
            config: Arc::new(config),
            pool,
            metrics: Arc::new(Metrics::default()),
        }
    }

    /// Tenant-scoped access for `tenant`.
    pub fn tenant_db(&self, tenant: TenantId) -> TenantDb {
        TenantDb::new(self.pool.clone(), tenant)
    }
}
