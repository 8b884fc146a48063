//! Session and sign-in link tokens: random secrets that name what they open.
//!
//! `o_<tenant>_<64 hex>` opens an owner session of `<tenant>`, `r_<64 hex>` a
//! root session, `l_<tenant>_<64 hex>` is a texted sign-in link. Tenant ids are
//! `[a-z0-9-]`, so `_` separates unambiguously. Only [`hash`] of a token is
//! stored; the plaintext lives in the browser's cookie (or the text) alone.

use rand::RngCore;
use servicepro_schema::{SecretString, TenantId};
use sha2::{Digest, Sha256};

/// Who a session belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKind {
    /// A tenant's owner.
    Owner,
    /// The platform operator (signed in with the root token).
    Root,
}

impl SessionKind {
    /// The stored `kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            SessionKind::Owner => "owner",
            SessionKind::Root => "root",
        }
    }
}

/// A presented or freshly issued token (never printed).
#[derive(Clone)]
pub struct SessionToken(SecretString);

impl std::fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionToken(..)")
    }
}

/// What a well-formed token claims to open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// An owner session of this tenant.
    Owner(TenantId),
    /// A root session.
    Root,
    /// A sign-in link of this tenant.
    Link(TenantId),
}

fn secret_hex() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

fn is_secret(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

impl SessionToken {
    /// A new owner session token of `tenant`.
    pub fn new_owner(tenant: &TenantId) -> Self {
        SessionToken(SecretString::new(format!(
            "o_{}_{}",
            tenant.as_str(),
            secret_hex()
        )))
    }

    /// A new root session token.
    pub fn new_root() -> Self {
        SessionToken(SecretString::new(format!("r_{}", secret_hex())))
    }

    /// A new sign-in link token of `tenant`.
    pub fn new_link(tenant: &TenantId) -> Self {
        SessionToken(SecretString::new(format!(
            "l_{}_{}",
            tenant.as_str(),
            secret_hex()
        )))
    }

    /// A token presented by a browser (a cookie or a link).
    pub fn presented(raw: &str) -> Self {
        SessionToken(SecretString::new(raw.to_owned()))
    }

    /// The plaintext, for the cookie or the link only.
    pub fn expose_secret(&self) -> &str {
        self.0.expose_secret()
    }

    /// What the token claims to open, if it is well formed.
    pub fn claim(&self) -> Option<Claim> {
        let raw = self.0.expose_secret();
        if let Some(secret) = raw.strip_prefix("r_") {
            return is_secret(secret).then_some(Claim::Root);
        }
        let (owner, rest) = if let Some(rest) = raw.strip_prefix("o_") {
            (true, rest)
        } else {
            (false, raw.strip_prefix("l_")?)
        };
        let (tenant, secret) = rest.rsplit_once('_')?;
        if !is_secret(secret) {
            return None;
        }
        let tenant = TenantId::parse(tenant).ok()?;
        Some(if owner {
            Claim::Owner(tenant)
        } else {
            Claim::Link(tenant)
        })
    }

    /// The stored form: hex SHA-256 of the whole token.
    pub fn hash(&self) -> String {
        hash(self.0.expose_secret())
    }
}

/// Hex SHA-256 of `token`.
pub fn hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_name_what_they_open_and_malformed_ones_claim_nothing() {
        let t = TenantId::parse("shine-co").unwrap();
        assert_eq!(
            SessionToken::new_owner(&t).claim(),
            Some(Claim::Owner(t.clone()))
        );
        assert_eq!(
            SessionToken::new_link(&t).claim(),
            Some(Claim::Link(t.clone()))
        );
        assert_eq!(SessionToken::new_root().claim(), Some(Claim::Root));
        for bad in [
            "",
            "r_abc",
            "o_shine-co_xyz",
            "o__",
            "x_shine-co_00",
            "o_BAD_".to_owned().as_str(),
        ] {
            assert_eq!(SessionToken::presented(bad).claim(), None, "{bad}");
        }
        let a = SessionToken::new_root();
        assert_ne!(a.hash(), SessionToken::new_root().hash());
        assert_eq!(a.hash().len(), 64);
        assert_eq!(format!("{a:?}"), "SessionToken(..)");
    }
}
