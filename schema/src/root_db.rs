//! `RootDb`: the explicit, audited cross-tenant path used by the root
//! (super-tenant) admin API and platform jobs. Each transaction switches to
//! the `servicepro_root` role for its own duration only and first appends an
//! `audit_log` row saying who did what to which tenant; if the audit row
//! cannot be written, nothing else happens.

use crate::error::DbError;
use crate::ids::TenantId;
use crate::pool::{DbPool, PooledConn};
use crate::schema::audit_log;
use crate::tenant_db::{run_to_completion, TxState};
use diesel::ExpressionMethods;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use futures_util::future::BoxFuture;

/// Who is acting and why, recorded before any cross-tenant work.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    /// The acting principal, e.g. `root-token` or `signup`.
    pub actor: String,
    /// What is being done, e.g. `tenant.create`.
    pub action: String,
    /// The tenant acted upon, if one.
    pub target: Option<TenantId>,
    /// Anything else worth keeping (never secrets).
    pub detail: serde_json::Value,
}

impl AuditEntry {
    /// An entry with no detail.
    pub fn new(actor: &str, action: &str, target: Option<&TenantId>) -> Self {
        AuditEntry {
            actor: actor.to_owned(),
            action: action.to_owned(),
            target: target.cloned(),
            detail: serde_json::Value::Object(Default::default()),
        }
    }
}

/// Opens audited cross-tenant transactions.
#[derive(Debug, Clone)]
pub struct RootDb {
    pool: DbPool,
}

/// One open cross-tenant transaction.
pub struct RootTx {
    conn: PooledConn,
    audit: AuditEntry,
}

impl RootTx {
    /// The connection, running as `servicepro_root` until the transaction ends.
    pub fn conn(&mut self) -> &mut AsyncPgConnection {
        &mut self.conn
    }
}

impl TxState for RootTx {
    fn connection(&mut self) -> &mut PooledConn {
        &mut self.conn
    }

    fn into_connection(self) -> PooledConn {
        self.conn
    }
}

impl RootDb {
    /// Cross-tenant access through `pool`.
    pub fn new(pool: DbPool) -> Self {
        RootDb { pool }
    }

    /// Runs `work` as the root role in one transaction, after recording `audit`.
    pub async fn transaction<R, F>(&self, audit: AuditEntry, work: F) -> Result<R, DbError>
    where
        R: Send + 'static,
        F: for<'t> FnOnce(&'t mut RootTx) -> BoxFuture<'t, Result<R, DbError>> + Send + 'static,
    {
        run_to_completion(
            self.pool.clone(),
            "BEGIN; SET LOCAL ROLE servicepro_root".to_owned(),
            move |conn| RootTx { conn, audit },
            |tx: &mut RootTx| Box::pin(record_audit(tx)),
            work,
        )
        .await
    }
}

async fn record_audit(tx: &mut RootTx) -> Result<(), DbError> {
    let entry = &tx.audit;
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::actor.eq(&entry.actor),
            audit_log::action.eq(&entry.action),
            audit_log::target_tenant_id.eq(entry.target.as_ref().map(TenantId::as_str)),
            audit_log::detail.eq(&entry.detail),
        ))
        .execute(&mut *tx.conn)
        .await?;
    tracing::info!(actor = %entry.actor, action = %entry.action,
        tenant_id = entry.target.as_ref().map(TenantId::as_str), "root access");
    Ok(())
}
