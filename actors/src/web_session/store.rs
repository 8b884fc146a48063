//! Sessions in `web_sessions`: create, look up, revoke.
//!
//! Owner rows are read and written inside their tenant's scope ([`TenantDb`]),
//! the statements also filtering by `tenant_id` by hand; root rows only through
//! the `root_session_*` functions. Expiry and revocation are checked by the
//! database (`now()`), and a lookup touches `last_seen_at`.

use super::token::{Claim, SessionToken};
use super::SESSION_TTL;
use diesel::sql_types::{BigInt, Integer, Nullable, Text};
use diesel::OptionalExtension;
use diesel_async::RunQueryDsl;
use servicepro_schema::{DbError, DbPool, TenantDb, TenantId};

/// Why a session could not be created, found or revoked.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// The database failed.
    #[error("session store: {0}")]
    Db(
        #[from]
        #[source]
        DbError,
    ),
}

/// A live owner session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnerSession {
    /// The tenant whose owner signed in.
    pub tenant: TenantId,
    /// The session's row id.
    pub session_id: i64,
}

/// A live root session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RootSession {
    /// The session's row id.
    pub session_id: i64,
}

#[derive(diesel::QueryableByName)]
struct Id {
    #[diesel(sql_type = Nullable<BigInt>)]
    id: Option<i64>,
}

/// Longest user agent kept.
const MAX_USER_AGENT: usize = 300;

fn clip(user_agent: Option<&str>) -> Option<String> {
    user_agent.map(|ua| ua.chars().take(MAX_USER_AGENT).collect::<String>())
}

fn ttl_seconds() -> i32 {
    i32::try_from(SESSION_TTL.as_secs()).unwrap_or(i32::MAX)
}

/// Signs `tenant`'s owner in: a new session and its token (returned once).
pub async fn create_owner(
    pool: &DbPool,
    tenant: &TenantId,
    user_agent: Option<&str>,
) -> Result<(SessionToken, OwnerSession), SessionError> {
    let token = SessionToken::new_owner(tenant);
    let hash = token.hash();
    let ua = clip(user_agent);
    let db = TenantDb::new(pool.clone(), tenant.clone());
    let session_id = db
        .transaction(move |tx| {
            Box::pin(async move {
                let tenant = tx.tenant().as_str().to_owned();
                let row: Id = diesel::sql_query(
                    "INSERT INTO web_sessions (kind, tenant_id, token_hash, user_agent, expires_at) \
                     VALUES ('owner', $1, $2, $3, now() + make_interval(secs => $4)) RETURNING id",
                )
                .bind::<Text, _>(tenant)
                .bind::<Text, _>(hash)
                .bind::<Nullable<Text>, _>(ua)
                .bind::<Integer, _>(ttl_seconds())
                .get_result(tx.conn())
                .await?;
                row.id.ok_or(DbError::NotFound)
            })
        })
        .await?;
    Ok((
        token,
        OwnerSession {
            tenant: tenant.clone(),
            session_id,
        },
    ))
}

/// Signs the root operator in: a new session and its token (returned once).
pub async fn create_root(
    pool: &DbPool,
    user_agent: Option<&str>,
) -> Result<(SessionToken, RootSession), SessionError> {
    let token = SessionToken::new_root();
    let mut conn = pool.get().await?;
    let row: Id = diesel::sql_query("SELECT root_session_create($1, $2, $3) AS id")
        .bind::<Text, _>(token.hash())
        .bind::<Nullable<Text>, _>(clip(user_agent))
        .bind::<Integer, _>(ttl_seconds())
        .get_result(&mut *conn)
        .await
        .map_err(DbError::from)?;
    let session_id = row.id.ok_or(DbError::NotFound)?;
    Ok((token, RootSession { session_id }))
}

/// The live owner session `token` opens; `None` when malformed, unknown,
/// expired, revoked, or not an owner token.
pub async fn lookup_owner(
    pool: &DbPool,
    token: &SessionToken,
) -> Result<Option<OwnerSession>, SessionError> {
    let Some(Claim::Owner(tenant)) = token.claim() else {
        return Ok(None);
    };
    let hash = token.hash();
    let db = TenantDb::new(pool.clone(), tenant.clone());
    let id = db
        .transaction(move |tx| {
            Box::pin(async move {
                let tenant = tx.tenant().as_str().to_owned();
                let row: Option<Id> = diesel::sql_query(
                    "UPDATE web_sessions SET last_seen_at = now() \
                     WHERE kind = 'owner' AND tenant_id = $1 AND token_hash = $2 \
                       AND revoked_at IS NULL AND expires_at > now() RETURNING id",
                )
                .bind::<Text, _>(tenant)
                .bind::<Text, _>(hash)
                .get_result(tx.conn())
                .await
                .optional()?;
                Ok(row.and_then(|r| r.id))
            })
        })
        .await?;
    Ok(id.map(|session_id| OwnerSession { tenant, session_id }))
}

/// The live root session `token` opens (see [`lookup_owner`]).
pub async fn lookup_root(
    pool: &DbPool,
    token: &SessionToken,
) -> Result<Option<RootSession>, SessionError> {
    if token.claim() != Some(Claim::Root) {
        return Ok(None);
    }
    let mut conn = pool.get().await?;
    let row: Id = diesel::sql_query("SELECT root_session_touch($1) AS id")
        .bind::<Text, _>(token.hash())
        .get_result(&mut *conn)
        .await
        .map_err(DbError::from)?;
    Ok(row.id.map(|session_id| RootSession { session_id }))
}

/// Revokes the session `token` opens (owner or root); `true` when a live one was.
pub async fn revoke(pool: &DbPool, token: &SessionToken) -> Result<bool, SessionError> {
    match token.claim() {
        Some(Claim::Owner(tenant)) => {
            let hash = token.hash();
            let db = TenantDb::new(pool.clone(), tenant);
            let n = db
                .transaction(move |tx| {
                    Box::pin(async move {
                        let tenant = tx.tenant().as_str().to_owned();
                        let n = diesel::sql_query(
                            "UPDATE web_sessions SET revoked_at = now() \
                             WHERE tenant_id = $1 AND token_hash = $2 AND revoked_at IS NULL",
                        )
                        .bind::<Text, _>(tenant)
                        .bind::<Text, _>(hash)
                        .execute(tx.conn())
                        .await?;
                        Ok(n)
                    })
                })
                .await?;
            Ok(n > 0)
        }
        Some(Claim::Root) => {
            let mut conn = pool.get().await?;
            let row: Id = diesel::sql_query("SELECT root_session_revoke($1) AS id")
                .bind::<Text, _>(token.hash())
                .get_result(&mut *conn)
                .await
                .map_err(DbError::from)?;
            Ok(row.id.is_some())
        }
        Some(Claim::Link(_)) | None => Ok(false),
    }
}

/// Revokes every live session of the tenant's owner ("sign out everywhere");
/// how many were.
pub async fn revoke_all(db: &TenantDb) -> Result<usize, SessionError> {
    let n = db
        .transaction(move |tx| {
            Box::pin(async move {
                let tenant = tx.tenant().as_str().to_owned();
                let n = diesel::sql_query(
                    "UPDATE web_sessions SET revoked_at = now() \
                     WHERE tenant_id = $1 AND revoked_at IS NULL",
                )
                .bind::<Text, _>(tenant)
                .execute(tx.conn())
                .await?;
                Ok(n)
            })
        })
        .await?;
    Ok(n)
}
