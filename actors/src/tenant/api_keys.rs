//! Tenant API keys: checking a presented key, and rotating a tenant's key.
//!
//! A key (`spk_<tenant>_<secret>`, see `servicepro_schema::models::api_key`) names
//! its tenant, so the lookup runs inside that tenant's row-level scope: a key of
//! tenant A can never match a row of tenant B. Only the SHA-256 of a key is stored;
//! the comparison is the database's equality on the hash of the presented key.

use chrono::Utc;
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl};
use diesel_async::RunQueryDsl;
use servicepro_schema::models::api_key::{hash_key, tenant_of_key};
use servicepro_schema::models::IssuedApiKey;
use servicepro_schema::schema::api_keys;
use servicepro_schema::{DbError, DbPool, TenantDb, TenantId};

/// A key that authenticated: its tenant and its row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyOwner {
    /// The tenant the key belongs to.
    pub tenant: TenantId,
    /// The key's row id within the tenant (for rotation and audit).
    pub key_id: i64,
}

/// The tenant and key row of `presented`, if it is a live key; `None` for a
/// malformed, unknown or revoked key. Marks the key used.
pub async fn authenticate(pool: &DbPool, presented: &str) -> Result<Option<KeyOwner>, DbError> {
    let Some(tenant) = tenant_of_key(presented) else {
        return Ok(None);
    };
    let hash = hash_key(presented);
    let db = TenantDb::new(pool.clone(), tenant.clone());
    let key_id = db
        .transaction(move |tx| {
            Box::pin(async move {
                let id: Option<i64> = diesel::update(
                    tx.scope(api_keys::table)
                        .filter(api_keys::key_hash.eq(hash))
                        .filter(api_keys::revoked_at.is_null()),
                )
                .set(api_keys::last_used_at.eq(Utc::now()))
                .returning(api_keys::id)
                .get_result(tx.conn())
                .await
                .optional()?;
                Ok(id)
            })
        })
        .await?;
    Ok(key_id.map(|key_id| KeyOwner { tenant, key_id }))
}

/// Issues a new key for the tenant and revokes every other live key of it, in
/// one transaction; the new key's plaintext is returned once.
pub async fn rotate(db: &TenantDb, name: &str) -> Result<IssuedApiKey, DbError> {
    let issued = IssuedApiKey::generate(db.tenant(), name);
    let row = issued.row.clone();
    db.transaction(move |tx| {
        Box::pin(async move {
            diesel::update(
                tx.scope(api_keys::table)
                    .filter(api_keys::revoked_at.is_null()),
            )
            .set(api_keys::revoked_at.eq(Utc::now()))
            .execute(tx.conn())
            .await?;
            tx.insert(api_keys::table, row).execute(tx.conn()).await?;
            Ok(())
        })
    })
    .await?;
    Ok(issued)
}
