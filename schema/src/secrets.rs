//! Encryption at rest for per-tenant secrets (SIP passwords, BYO Twilio auth
//! tokens): XChaCha20-Poly1305 under a key from `SERVICEPRO_SECRET_KEY`, a
//! random nonce per value, the nonce stored in front of the ciphertext.

use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::secret_string::SecretString;

const NONCE_LEN: usize = 24;

/// Why a secret could not be opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    /// The stored bytes are too short or were not sealed with this key.
    #[error("secret cannot be decrypted with the configured key")]
    Undecryptable,
    /// The value is too large to encrypt.
    #[error("secret too large to encrypt")]
    TooLarge,
}

/// Seals and opens secrets with the server's key.
#[derive(Clone)]
pub struct SecretBox {
    cipher: XChaCha20Poly1305,
}

impl std::fmt::Debug for SecretBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretBox(..)")
    }
}

impl SecretBox {
    /// A box keyed by SHA-256 of the configured secret key string.
    pub fn new(secret_key: &SecretString) -> Self {
        let key = Sha256::digest(secret_key.expose_secret().as_bytes());
        SecretBox {
            cipher: XChaCha20Poly1305::new(&key),
        }
    }

    /// Encrypts `plaintext`; each call uses a fresh random nonce.
    pub fn seal(&self, plaintext: &str) -> Result<Vec<u8>, SecretError> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let sealed = self
            .cipher
            .encrypt(XNonce::from_slice(&nonce), plaintext.as_bytes())
            .map_err(|_| SecretError::TooLarge)?;
        let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// Decrypts what [`SecretBox::seal`] produced.
    pub fn open(&self, sealed: &[u8]) -> Result<SecretString, SecretError> {
        if sealed.len() < NONCE_LEN {
            return Err(SecretError::Undecryptable);
        }
        let (nonce, body) = sealed.split_at(NONCE_LEN);
        let plain = self
            .cipher
            .decrypt(XNonce::from_slice(nonce), body)
            .map_err(|_| SecretError::Undecryptable)?;
        String::from_utf8(plain)
            .map(SecretString::from)
            .map_err(|_| SecretError::Undecryptable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seals_and_opens() {
        let b = SecretBox::new(&SecretString::from("k1"));
        let sealed = b.seal("auth-token-123").unwrap();
        assert!(!sealed.windows(5).any(|w| w == b"auth-"));
        let opened = b.open(&sealed).unwrap();
        assert_eq!(opened.expose_secret(), "auth-token-123");
        assert!(!format!("{opened:?}").contains("auth-token"));
        assert_ne!(
            b.seal("x").unwrap(),
            b.seal("x").unwrap(),
            "fresh nonce per value"
        );
        assert_eq!(
            SecretBox::new(&SecretString::from("k2"))
                .open(&sealed)
                .unwrap_err(),
            SecretError::Undecryptable
        );
        assert_eq!(b.open(&[1, 2, 3]).unwrap_err(), SecretError::Undecryptable);
    }
}
