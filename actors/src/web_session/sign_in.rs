//! Owner sign-in: e-mail and password, or a one-time link texted to the owner.
//!
//! Both answer the same whether the e-mail is known or not (the edge shows one
//! message): an unknown address still costs one argon2 verification, and a
//! link request for it does nothing visible. A link is `l_<tenant>_<hex>`,
//! stored hashed, valid [`LINK_TTL`](super::LINK_TTL), and consumed by the one
//! `UPDATE … WHERE used_at IS NULL` that can succeed once.

use super::token::{Claim, SessionToken};
use super::LINK_TTL;
use crate::messaging::{Notices, SmsOutbox};
use crate::tenant::signup::{hash_password, verify_password, SignupError};
use actix::Addr;
use diesel::sql_types::{BigInt, Integer, Nullable, Text};
use diesel::OptionalExtension;
use diesel_async::RunQueryDsl;
use servicepro_schema::{DbError, DbPool, SecretString, TenantDb, TenantId, E164};
use std::sync::LazyLock;

/// Why signing in failed for a reason other than wrong credentials.
#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    /// The database failed.
    #[error("sign-in: {0}")]
    Db(
        #[from]
        #[source]
        DbError,
    ),
    /// The password check could not run.
    #[error("sign-in: password check failed to run")]
    Hashing(#[source] tokio::task::JoinError),
    /// A new password could not be hashed.
    #[error("sign-in: {0}")]
    Password(
        #[from]
        #[source]
        SignupError,
    ),
}

#[derive(diesel::QueryableByName)]
struct OwnerRow {
    #[diesel(sql_type = Text)]
    tenant_id: String,
    #[diesel(sql_type = Nullable<Text>)]
    password_hash: Option<String>,
}

/// An argon2id hash no password matches, verified against when the address is
/// unknown so both answers take as long.
static DECOY_HASH: LazyLock<Option<String>> = LazyLock::new(|| {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let salt = SaltString::encode_b64(b"servicepro-decoy").ok()?;
    argon2::Argon2::default()
        .hash_password(b"decoy password that is never set", &salt)
        .ok()
        .map(|h| h.to_string())
});

/// The tenant whose owner has `email`, and their password hash.
async fn owner_by_email(
    pool: &DbPool,
    email: &str,
) -> Result<Option<(TenantId, Option<String>)>, DbError> {
    let mut conn = pool.get().await?;
    let row: Option<OwnerRow> =
        diesel::sql_query("SELECT tenant_id, password_hash FROM owner_sign_in_lookup($1)")
            .bind::<Text, _>(email.trim())
            .get_result(&mut *conn)
            .await
            .optional()?;
    Ok(row.and_then(|r| Some((TenantId::parse(&r.tenant_id).ok()?, r.password_hash))))
}

/// The tenant whose owner signs in with `email` and `password`; `None` when the
/// address is unknown, has no password, or the password is wrong.
pub async fn with_password(
    pool: &DbPool,
    email: &str,
    password: SecretString,
) -> Result<Option<TenantId>, SignInError> {
    let found = owner_by_email(pool, email).await?;
    let (tenant, hash) = match found {
        Some((tenant, Some(hash))) => (Some(tenant), Some(hash)),
        _ => (None, DECOY_HASH.clone()),
    };
    let Some(hash) = hash else {
        return Ok(None);
    };
    let ok = tokio::task::spawn_blocking(move || verify_password(password.expose_secret(), &hash))
        .await
        .map_err(SignInError::Hashing)?;
    Ok(tenant.filter(|_| ok))
}

/// Sets the owner's password (the demo's known credentials; a future
/// "change password" form).
pub async fn set_password(db: &TenantDb, password: SecretString) -> Result<(), SignInError> {
    let hash = hash_password(password).await?;
    db.transaction(move |tx| {
        Box::pin(async move {
            let tenant = tx.tenant().as_str().to_owned();
            let n = diesel::sql_query(
                "UPDATE tenant_owners SET password_hash = $2 WHERE tenant_id = $1",
            )
            .bind::<Text, _>(tenant)
            .bind::<Text, _>(hash)
            .execute(tx.conn())
            .await?;
            if n == 0 {
                return Err(DbError::NotFound);
            }
            Ok(())
        })
    })
    .await?;
    Ok(())
}

#[derive(diesel::QueryableByName)]
struct Phone {
    #[diesel(sql_type = Nullable<Text>)]
    owner_phone: Option<String>,
}

/// Texts a one-time sign-in link to the owner of `email`, when the address is
/// known and the tenant has an owner phone; `link_base` is the URL the token is
/// appended to (`…/app/sign-in/link?token=`). Says nothing about which.
pub async fn request_link(
    pool: &DbPool,
    outbox: &Addr<SmsOutbox>,
    email: &str,
    link_base: &str,
) -> Result<(), SignInError> {
    let Some((tenant, _)) = owner_by_email(pool, email).await? else {
        tracing::info!("sign-in link asked for an unknown address");
        return Ok(());
    };
    let token = SessionToken::new_link(&tenant);
    let hash = token.hash();
    let ttl = i32::try_from(LINK_TTL.as_secs()).unwrap_or(i32::MAX);
    let db = TenantDb::new(pool.clone(), tenant.clone());
    let phone = db
        .transaction(move |tx| {
            Box::pin(async move {
                let tenant = tx.tenant().as_str().to_owned();
                let phone: Option<Phone> =
                    diesel::sql_query("SELECT owner_phone FROM tenant_config WHERE tenant_id = $1")
                        .bind::<Text, _>(tenant.clone())
                        .get_result(tx.conn())
                        .await
                        .optional()?;
                let Some(phone) = phone
                    .and_then(|p| p.owner_phone)
                    .and_then(|p| E164::parse(&p).ok())
                else {
                    return Ok(None);
                };
                diesel::sql_query(
                    "INSERT INTO web_sign_in_links (tenant_id, token_hash, expires_at) \
                     VALUES ($1, $2, now() + make_interval(secs => $3))",
                )
                .bind::<Text, _>(tenant)
                .bind::<Text, _>(hash)
                .bind::<Integer, _>(ttl)
                .execute(tx.conn())
                .await?;
                Ok(Some(phone))
            })
        })
        .await?;
    let Some(phone) = phone else {
        tracing::warn!(tenant = %tenant, "sign-in link asked, but the owner has no phone");
        return Ok(());
    };
    let body = format!(
        "Your ServicePro sign-in link (15 minutes, once): {link_base}{}",
        token.expose_secret()
    );
    Notices::new(outbox.clone())
        .text(&tenant, phone, body, "sign_in_link")
        .await;
    Ok(())
}

#[derive(diesel::QueryableByName)]
struct Used {
    #[diesel(sql_type = BigInt)]
    #[allow(dead_code)]
    id: i64,
}

/// Uses up the link `token`: the tenant it signs in, once; `None` when it is
/// malformed, unknown, expired or used.
pub async fn consume_link(
    pool: &DbPool,
    token: &SessionToken,
) -> Result<Option<TenantId>, SignInError> {
    let Some(Claim::Link(tenant)) = token.claim() else {
        return Ok(None);
    };
    let hash = token.hash();
    let db = TenantDb::new(pool.clone(), tenant.clone());
    let used = db
        .transaction(move |tx| {
            Box::pin(async move {
                let tenant = tx.tenant().as_str().to_owned();
                let row: Option<Used> = diesel::sql_query(
                    "UPDATE web_sign_in_links SET used_at = now() \
                     WHERE tenant_id = $1 AND token_hash = $2 \
                       AND used_at IS NULL AND expires_at > now() RETURNING id",
                )
                .bind::<Text, _>(tenant)
                .bind::<Text, _>(hash)
                .get_result(tx.conn())
                .await
                .optional()?;
                Ok(row.is_some())
            })
        })
        .await?;
    Ok(used.then_some(tenant))
}
