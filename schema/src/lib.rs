//! PostgreSQL schema, migrations, pool and tenant-scoped access for ServicePro.
//!
//! Tenant data is reached only through [`TenantDb`], which opens a transaction
//! with `app.tenant_id` set locally so the database's row level security
//! policies apply, and filters and stamps every statement with the tenant id
//! in code as well. The explicit cross-tenant path is [`RootDb`], which audits
//! every use.

pub mod database_admin;
pub mod error;
pub mod features;
pub mod ids;
pub mod lookup;
pub mod migrate;
pub mod models;
pub mod policy;
pub mod pool;
pub mod root_db;
#[allow(missing_docs)]
pub mod schema;
pub mod secret_string;
pub mod secrets;
pub mod tenant_db;
pub mod tenant_tables;
pub mod types;

pub use error::DbError;
pub use features::{has_feature, Feature, TIER_FEATURES};
pub use ids::{IdError, TenantId, E164};
pub use lookup::TenantVersion;
pub use pool::{DbPool, PoolSettings};
pub use root_db::RootDb;
pub use secret_string::SecretString;
pub use secrets::SecretBox;
pub use tenant_db::{TenantDb, TenantScoped, TenantTx};
pub use types::{
    AppointmentStatus, Direction, InvoiceOutcome, IvrMode, MessageStatus, PlanTier,
    ProvisioningState, SubscriptionStatus, TenantStatus, UsageKind, VoiceAudio,
};
