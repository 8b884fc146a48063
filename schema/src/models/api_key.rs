//! Tenant API keys: `spk_<tenant id>_<secret>`. Only a SHA-256 of the whole
//! key is stored; the key is shown once. The key names its tenant so the
//! lookup runs inside that tenant's scope.

use crate::ids::TenantId;
use crate::schema::api_keys;
use crate::secret_string::SecretString;
use base64::Engine;
use chrono::{DateTime, Utc};
use diesel::{Insertable, Queryable, Selectable};
use rand::RngCore;
use sha2::{Digest, Sha256};

const PREFIX: &str = "spk_";

/// A stored key (hash only).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = api_keys, check_for_backend(diesel::pg::Pg))]
pub struct ApiKey {
    /// Owning tenant.
    pub tenant_id: TenantId,
    /// Row id within the tenant.
    pub id: i64,
    /// Label.
    pub name: String,
    /// The first characters of the key, to recognise it in lists.
    pub key_prefix: String,
    /// Hex SHA-256 of the whole key.
    pub key_hash: String,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last used.
    pub last_used_at: Option<DateTime<Utc>>,
    /// Revoked keys never authenticate.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A freshly issued key: the plaintext (show once) and the row to store.
#[derive(Debug, Clone)]
pub struct IssuedApiKey {
    /// The key to hand to the user, once (never printed by `Debug`).
    pub plaintext: SecretString,
    /// What is stored.
    pub row: NewApiKey,
}

/// The stored form of a new key.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = api_keys)]
pub struct NewApiKey {
    /// Label.
    pub name: String,
    /// Display prefix.
    pub key_prefix: String,
    /// Hex SHA-256 of the key.
    pub key_hash: String,
}

impl IssuedApiKey {
    /// Issues a new random key for `tenant`.
    pub fn generate(tenant: &TenantId, name: &str) -> Self {
        let mut secret = [0u8; 32];
        rand::rng().fill_bytes(&mut secret);
        let plaintext = format!(
            "{PREFIX}{}_{}",
            tenant.as_str(),
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret)
        );
        let key_prefix = plaintext
            .chars()
            .take(PREFIX.len() + tenant.as_str().len() + 5)
            .collect();
        IssuedApiKey {
            row: NewApiKey {
                name: name.to_owned(),
                key_prefix,
                key_hash: hash_key(&plaintext),
            },
            plaintext: SecretString::from(plaintext),
        }
    }
}

/// Hex SHA-256 of a presented key.
pub fn hash_key(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

/// The tenant a presented key claims to belong to, if it is well formed.
pub fn tenant_of_key(key: &str) -> Option<TenantId> {
    let rest = key.strip_prefix(PREFIX)?;
    let (tenant, secret) = rest.split_once('_')?;
    if secret.len() < 32 {
        return None;
    }
    TenantId::parse(tenant).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_name_their_tenant_and_hash_stably() {
        let t = TenantId::parse("acme-lawn").unwrap();
        let k = IssuedApiKey::generate(&t, "default");
        let plaintext = k.plaintext.expose_secret();
        assert_eq!(tenant_of_key(plaintext), Some(t));
        assert_eq!(k.row.key_hash, hash_key(plaintext));
        assert!(plaintext.starts_with(&k.row.key_prefix));
        let secret_part = &plaintext[k.row.key_prefix.len()..];
        assert!(
            !format!("{k:?}").contains(secret_part),
            "Debug of an issued key shows its prefix at most"
        );
        assert_eq!(tenant_of_key("spk_acme_short"), None);
        assert_eq!(tenant_of_key("bearer nonsense"), None);
    }
}
