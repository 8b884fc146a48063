//! `TenantDb`: the only way to reach tenant data.
//!
//! Each unit of work runs in one transaction on a pooled, role-restricted
//! connection with `app.tenant_id` set by `set_config(..., true)` (so it
//! ends with the transaction and can never reach another tenant's work).
//! The database's row level security is the guarantee: every tenant-owned
//! table has `ENABLE` + `FORCE ROW LEVEL SECURITY`, so a statement run here
//! sees and writes only this tenant's rows whether or not it filters. The
//! typed helpers ([`TenantTx::scope`], [`TenantTx::insert`]) also filter and
//! stamp in code, but only the diesel-DSL reads and writes use them (context,
//! snapshot, outbox, delivery status, owner views). The raw statements —
//! `sql_query` and the PL/pgSQL functions they call, across `actors/src`
//! (`grep -rln sql_query actors/src`; ARCHITECTURE.md, "Tenant isolation",
//! names the files) — filter by `tenant_id` by hand (bound from
//! [`TenantDb::tenant`]), and RLS is what holds if one forgets.
//!
//! The transaction runs to completion in its own task, whatever happens to
//! the caller's future: a diesel-async transaction dropped half-way could
//! hand the pool a connection with an open transaction.

use crate::error::{cause, cause_of, DbError};
use crate::ids::TenantId;
use crate::pool::{DbPool, PooledConn};
use diesel::dsl::{Eq, Filter};
use diesel::query_builder::InsertStatement;
use diesel::query_dsl::methods::FilterDsl;
use diesel::{ExpressionMethods, Insertable, Table};
use diesel_async::{AsyncPgConnection, SimpleAsyncConnection};
use futures_util::future::BoxFuture;
use futures_util::FutureExt;
use std::panic::AssertUnwindSafe;

/// A table whose rows belong to one tenant, with the column naming it.
pub trait TenantScoped: Table + Sized {
    /// The `tenant_id` column (the `id` column for `tenants` itself).
    type TenantColumn: diesel::Column<Table = Self>
        + diesel::Expression<SqlType = diesel::sql_types::Text>
        + ExpressionMethods
        + Default;
}

type TenantEq<T> = Eq<<T as TenantScoped>::TenantColumn, String>;

/// A tenant table filtered to one tenant's rows.
pub type Scoped<T> = Filter<T, TenantEq<T>>;

macro_rules! tenant_scoped {
    ($($table:ident => $column:ident),+ $(,)?) => {
        $(impl TenantScoped for crate::schema::$table::table {
            type TenantColumn = crate::schema::$table::$column;
        })+
    };
}

tenant_scoped!(
    tenants => id,
    tenant_billing => tenant_id,
    tenant_phone_config => tenant_id,
    tenant_config => tenant_id,
    customers => tenant_id,
    services => tenant_id,
    sms_templates => tenant_id,
    api_keys => tenant_id,
    calls => tenant_id,
    voicemails => tenant_id,
    conversations => tenant_id,
    messages => tenant_id,
    usage_events => tenant_id,
    appointments => tenant_id,
    kb_entries => tenant_id,
    tenant_versions => tenant_id,
    tenant_owners => tenant_id,
    number_provisioning => tenant_id,
    web_sign_in_links => tenant_id,
    tenant_websites => tenant_id,
    website_images => tenant_id,
    tenant_domains => tenant_id,
);

/// Opens tenant-scoped transactions for one tenant.
#[derive(Debug, Clone)]
pub struct TenantDb {
    pool: DbPool,
    tenant: TenantId,
}

/// One open transaction of one tenant: the connection and the tenant it serves.
pub struct TenantTx {
    conn: PooledConn,
    tenant: TenantId,
}

impl TenantTx {
    /// The tenant this transaction is scoped to.
    pub fn tenant(&self) -> &TenantId {
        &self.tenant
    }

    /// The connection, for queries built with [`TenantTx::scope`] and
    /// [`TenantTx::insert`] (row level security applies to anything else).
    pub fn conn(&mut self) -> &mut AsyncPgConnection {
        &mut self.conn
    }

    /// `table` filtered to this tenant's rows: the source of every select,
    /// update and delete.
    pub fn scope<T>(&self, table: T) -> Scoped<T>
    where
        T: TenantScoped + FilterDsl<TenantEq<T>>,
    {
        let column = T::TenantColumn::default();
        table.filter(column.eq(self.tenant.as_str().to_owned()))
    }

    /// An insert of `values` into `table` stamped with this tenant's id
    /// (the values type carries no tenant column of its own).
    pub fn insert<T, V>(
        &self,
        table: T,
        values: V,
    ) -> InsertStatement<T, <(TenantEq<T>, V) as Insertable<T>>::Values>
    where
        T: TenantScoped,
        (TenantEq<T>, V): Insertable<T>,
    {
        let column = T::TenantColumn::default();
        diesel::insert_into(table).values((column.eq(self.tenant.as_str().to_owned()), values))
    }
}

impl TenantDb {
    /// Access to `tenant`'s data through `pool`.
    pub fn new(pool: DbPool, tenant: TenantId) -> Self {
        TenantDb { pool, tenant }
    }

    /// The tenant served.
    pub fn tenant(&self) -> &TenantId {
        &self.tenant
    }

    /// Runs `work` in one transaction scoped to this tenant; commits on
    /// `Ok`, rolls back on `Err`. Runs to completion even if the caller's
    /// future is dropped.
    pub async fn transaction<R, F>(&self, work: F) -> Result<R, DbError>
    where
        R: Send + 'static,
        F: for<'t> FnOnce(&'t mut TenantTx) -> BoxFuture<'t, Result<R, DbError>> + Send + 'static,
    {
        let tenant = self.tenant.clone();
        // The id is `[a-z0-9-]` by construction (`TenantId::parse`), so it is a safe
        // literal; quotes are doubled all the same.
        let begin = format!(
            "BEGIN; SELECT set_config('app.tenant_id', '{}', true)",
            tenant.as_str().replace('\'', "''")
        );
        run_to_completion(
            self.pool.clone(),
            begin,
            move |conn| TenantTx { conn, tenant },
            |_: &mut TenantTx| Box::pin(async { Ok(()) }),
            work,
        )
        .await
    }
}

/// The state of one transaction: its connection plus what it is for.
pub(crate) trait TxState: Send + 'static {
    fn connection(&mut self) -> &mut PooledConn;
    fn into_connection(self) -> PooledConn;
}

impl TxState for TenantTx {
    fn connection(&mut self) -> &mut PooledConn {
        &mut self.conn
    }

    fn into_connection(self) -> PooledConn {
        self.conn
    }
}

/// Ends a transaction that did its work and proves, in the same round trip, that the
/// connection is clean again (the app role, no tenant set) before it goes back to the
/// pool; `servicepro_check_connection` raises otherwise.
const COMMIT_AND_CHECK: &str = "COMMIT; SELECT servicepro_check_connection()";
/// The same for a transaction whose work failed.
const ROLLBACK_AND_CHECK: &str = "ROLLBACK; SELECT servicepro_check_connection()";

/// Whether `err` is `servicepro_check_connection` refusing a tainted connection.
fn tainted(err: &diesel::result::Error) -> bool {
    matches!(err, diesel::result::Error::DatabaseError(_, info)
        if info.message().contains("pooled connection carries session state"))
}

/// Checks out a connection, opens the transaction with `begin` (one round trip:
/// `BEGIN` and whatever scopes it, such as the tenant setting), runs `prelude` then
/// `work`, and commits or rolls back — all in a spawned task, so a dropped caller
/// never leaves a half-finished transaction behind. The commit or rollback carries the
/// connection check; a connection that fails it, or whose transaction could not be
/// opened or ended, is taken out of the pool and closed, never reused.
pub(crate) async fn run_to_completion<S, R, B, P, F>(
    pool: DbPool,
    begin: String,
    build: B,
    prelude: P,
    work: F,
) -> Result<R, DbError>
where
    S: TxState,
    R: Send + 'static,
    B: FnOnce(PooledConn) -> S + Send + 'static,
    P: for<'s> FnOnce(&'s mut S) -> BoxFuture<'s, Result<(), DbError>> + Send + 'static,
    F: for<'s> FnOnce(&'s mut S) -> BoxFuture<'s, Result<R, DbError>> + Send + 'static,
{
    let task = tokio::spawn(async move {
        let mut state = build(pool.get().await?);
        if let Err(err) = state.connection().batch_execute(&begin).await {
            discard(state);
            return Err(err.into());
        }
        // A panic in the work must not hand the pool a connection still inside this
        // transaction (the next user's COMMIT would commit it): catch it and discard.
        let ran = AssertUnwindSafe(async {
            match prelude(&mut state).await {
                Ok(()) => work(&mut state).await,
                Err(e) => Err(e),
            }
        })
        .catch_unwind()
        .await;
        let Ok(outcome) = ran else {
            discard(state);
            return Err(DbError::Task(cause(
                "the transaction's work panicked; rolled back",
            )));
        };
        let end = if outcome.is_ok() {
            COMMIT_AND_CHECK
        } else {
            ROLLBACK_AND_CHECK
        };
        let ended = state.connection().batch_execute(end).await;
        match (outcome, ended) {
            (outcome, Ok(())) => outcome,
            (outcome, Err(err)) if tainted(&err) => {
                tracing::warn!(error = %err, "connection left its transaction tainted; discarded");
                discard(state);
                outcome
            }
            (Ok(_), Err(err)) => {
                discard(state);
                Err(err.into())
            }
            (Err(work_err), Err(err)) => {
                tracing::warn!(error = %err, "rollback failed; connection discarded");
                discard(state);
                Err(work_err)
            }
        }
    });
    task.await.map_err(|e| DbError::Task(cause_of(e)))?
}

/// Takes the transaction's connection out of the pool for good (it is closed on drop).
fn discard<S: TxState>(state: S) {
    drop(deadpool::managed::Object::take(state.into_connection()));
}
