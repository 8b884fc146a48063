//! One-time codes (`web_verification_codes`): six random digits texted to the
//! number a web visitor gave, stored only as SHA-256 over a random per-code salt
//! and the digits, compared in constant time. A code lives [`CodePolicy::ttl`],
//! allows [`MAX_CODE_ATTEMPTS`] wrong tries and is then burned; a number gets at
//! most [`CODES_PER_PHONE_PER_HOUR`] codes an hour, whichever visitor asks. A
//! visitor has one live code (a new one replaces it), which remembers the
//! message that needed it, answered once the code is right.

use diesel::sql_types::{BigInt, Bool, Bytea, Integer, Text};
use diesel_async::RunQueryDsl;
use rand::Rng;
use servicepro_schema::{DbError, TenantDb};
use sha2::{Digest, Sha256};
use std::time::Duration;
use subtle::ConstantTimeEq;

/// Wrong tries after which a code is burned.
pub const MAX_CODE_ATTEMPTS: i32 = 5;
/// Codes texted to one number per hour, across visitors (the resend limit).
pub const CODES_PER_PHONE_PER_HOUR: i64 = 5;
/// The `messages.purpose` of a code's text (the resend limit counts them).
pub const CODE_PURPOSE: &str = "chat_code";

/// How codes are issued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodePolicy {
    /// How long a code is valid.
    pub ttl: Duration,
}

/// Six digits and nothing else (spaces around or inside allowed): what a
/// visitor types when answering with a code.
pub fn code_in(text: &str) -> Option<String> {
    let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    (digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

fn hash(salt: &[u8], code: &str) -> Vec<u8> {
    let mut h = Sha256::new();
    h.update(salt);
    h.update(code.as_bytes());
    h.finalize().to_vec()
}

/// What issuing a code came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Issued {
    /// Stored: these digits are to be texted (and never stored).
    Code(String),
    /// The number already got [`CODES_PER_PHONE_PER_HOUR`] codes this hour.
    TooMany,
}

/// Stores a new code for `visitor` to prove `phone`, remembering `pending_text`,
/// unless the number had its hourly codes.
pub async fn issue(
    db: &TenantDb,
    visitor: i64,
    phone: &str,
    pending_text: &str,
    policy: CodePolicy,
) -> Result<Issued, DbError> {
    let (code, salt) = {
        let mut rng = rand::rng();
        let code = format!("{:06}", rng.random_range(0..1_000_000u32));
        let salt: [u8; 16] = rng.random();
        (code, salt)
    };
    let digest = hash(&salt, &code);
    let (phone, pending) = (phone.to_owned(), pending_text.to_owned());
    let ttl_secs = i64::try_from(policy.ttl.as_secs()).unwrap_or(i64::MAX);
    let stored = db
        .transaction(move |tx| {
            Box::pin(async move {
                Ok(diesel::sql_query(
                    "INSERT INTO web_verification_codes \
                       (tenant_id, visitor_id, phone, salt, code_hash, expires_at, pending_text) \
                     SELECT current_setting('app.tenant_id', true), $1, $2, $3, $4, \
                            now() + $5 * interval '1 second', $6 \
                     WHERE (SELECT count(*) FROM messages \
                            WHERE tenant_id = current_setting('app.tenant_id', true) \
                              AND purpose = 'chat_code' AND to_number = $2 \
                              AND created_at > now() - interval '1 hour') < $7 \
                     ON CONFLICT (tenant_id, visitor_id) DO UPDATE SET phone = EXCLUDED.phone, \
                       salt = EXCLUDED.salt, code_hash = EXCLUDED.code_hash, \
                       expires_at = EXCLUDED.expires_at, attempts = 0, \
                       pending_text = EXCLUDED.pending_text, created_at = now()",
                )
                .bind::<BigInt, _>(visitor)
                .bind::<Text, _>(&phone)
                .bind::<Bytea, _>(salt.as_slice())
                .bind::<Bytea, _>(&digest)
                .bind::<BigInt, _>(ttl_secs)
                .bind::<Text, _>(&pending)
                .bind::<BigInt, _>(CODES_PER_PHONE_PER_HOUR)
                .execute(tx.conn())
                .await?)
            })
        })
        .await?;
    Ok(if stored == 0 {
        Issued::TooMany
    } else {
        Issued::Code(code)
    })
}

#[derive(diesel::QueryableByName)]
struct LiveCode {
    #[diesel(sql_type = Text)]
    phone: String,
    #[diesel(sql_type = Bytea)]
    salt: Vec<u8>,
    #[diesel(sql_type = Bytea)]
    code_hash: Vec<u8>,
    #[diesel(sql_type = Bool)]
    expired: bool,
    #[diesel(sql_type = Integer)]
    attempts: i32,
    #[diesel(sql_type = Text)]
    pending_text: String,
}

/// What a typed code came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Checked {
    /// The visitor has no live code (the text is an ordinary message).
    NoCode,
    /// Wrong; this many tries are left.
    Wrong {
        /// Tries left before the code is burned.
        left: i32,
    },
    /// Wrong, and the last try: the code is gone.
    Burned,
    /// The code had expired (it is gone).
    Expired,
    /// Right: the visitor now owns `phone`; `pending_text` is the message that
    /// needed the code.
    Verified {
        /// The proven number.
        phone: String,
        /// The message to answer now.
        pending_text: String,
    },
}

const DELETE_CODE: &str = "DELETE FROM web_verification_codes \
     WHERE tenant_id = current_setting('app.tenant_id', true) AND visitor_id = $1";

/// Checks `code` against `visitor`'s live code (locked for the check, so two
/// tries at once count twice); a right code proves its number on the visitor
/// (linking the customer with that number, if there is one) and is used up.
pub async fn check(db: &TenantDb, visitor: i64, code: &str) -> Result<Checked, DbError> {
    let code = code.to_owned();
    db.transaction(move |tx| {
        Box::pin(async move {
            let live: Vec<LiveCode> = diesel::sql_query(
                "SELECT phone, salt, code_hash, expires_at <= now() AS expired, attempts, pending_text \
                 FROM web_verification_codes \
                 WHERE tenant_id = current_setting('app.tenant_id', true) AND visitor_id = $1 \
                 FOR UPDATE",
            )
            .bind::<BigInt, _>(visitor)
            .load(tx.conn())
            .await?;
            let Some(live) = live.into_iter().next() else {
                return Ok(Checked::NoCode);
            };
            let right = bool::from(hash(&live.salt, &code).ct_eq(&live.code_hash));
            let attempts = live.attempts + 1;
            let outcome = if live.expired {
                Checked::Expired
            } else if right {
                Checked::Verified {
                    phone: live.phone,
                    pending_text: live.pending_text,
                }
            } else if attempts >= MAX_CODE_ATTEMPTS {
                Checked::Burned
            } else {
                Checked::Wrong {
                    left: MAX_CODE_ATTEMPTS - attempts,
                }
            };
            match &outcome {
                Checked::Wrong { .. } => {
                    diesel::sql_query(
                        "UPDATE web_verification_codes SET attempts = $2 \
                         WHERE tenant_id = current_setting('app.tenant_id', true) AND visitor_id = $1",
                    )
                    .bind::<BigInt, _>(visitor)
                    .bind::<Integer, _>(attempts)
                    .execute(tx.conn())
                    .await?;
                }
                Checked::Verified { phone, .. } => {
                    diesel::sql_query(
                        "UPDATE web_visitors SET verified_phone = $2, claimed_phone = $2, \
                           verified_at = now(), \
                           customer_id = COALESCE((SELECT id FROM customers \
                             WHERE tenant_id = current_setting('app.tenant_id', true) AND phone = $2), \
                             customer_id) \
                         WHERE tenant_id = current_setting('app.tenant_id', true) AND id = $1",
                    )
                    .bind::<BigInt, _>(visitor)
                    .bind::<Text, _>(phone)
                    .execute(tx.conn())
                    .await?;
                    diesel::sql_query(DELETE_CODE)
                        .bind::<BigInt, _>(visitor)
                        .execute(tx.conn())
                        .await?;
                }
                Checked::Burned | Checked::Expired => {
                    diesel::sql_query(DELETE_CODE)
                        .bind::<BigInt, _>(visitor)
                        .execute(tx.conn())
                        .await?;
                }
                Checked::NoCode => {}
            }
            Ok(outcome)
        })
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_six_digits_and_nothing_else() {
        assert_eq!(code_in("123456"), Some("123456".to_owned()));
        assert_eq!(code_in(" 123 456 "), Some("123456".to_owned()));
        assert_eq!(code_in("12345"), None);
        assert_eq!(code_in("code 123456"), None);
        assert_eq!(code_in("1234567"), None);
    }

    #[test]
    fn the_hash_depends_on_salt_and_digits() {
        let a = hash(b"salt-one", "123456");
        assert_eq!(a, hash(b"salt-one", "123456"));
        assert_ne!(a, hash(b"salt-two", "123456"));
        assert_ne!(a, hash(b"salt-one", "123457"));
    }
}
