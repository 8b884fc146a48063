//! Time-limited download links: `sig = hex(HMAC-SHA256(key, "{id}.{expires}"))`,
//! checked in constant time (`subtle`). The key is derived from the server's
//! secret key, so links survive restarts and die with a key rotation.

use super::ExportId;
use crate::twilio::signature::hmac_block_key;
use chrono::{DateTime, Utc};
use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

type HmacSha256 = Hmac<Sha256>;

/// The key signing download links (never printed).
#[derive(Clone)]
pub struct LinkKey([u8; 32]);

impl std::fmt::Debug for LinkKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LinkKey(<redacted>)")
    }
}

impl LinkKey {
    /// The link key derived from the server's secret key.
    pub fn derive(secret_key: &str) -> Self {
        let mut mac = mac(secret_key.as_bytes());
        mac.update(b"servicepro export download links v1");
        LinkKey(mac.finalize().into_bytes().into())
    }

    /// The signature of a link to `id` valid until `expires` (unix seconds).
    pub fn sign(&self, id: &ExportId, expires: i64) -> String {
        hex::encode(self.tag(id, expires))
    }

    fn tag(&self, id: &ExportId, expires: i64) -> [u8; 32] {
        let mut mac = mac(&self.0);
        mac.update(format!("{}.{expires}", id.as_str()).as_bytes());
        mac.finalize().into_bytes().into()
    }

    /// Checks a presented link at `now`: the signature first (so a forged
    /// expiry learns nothing), then the expiry.
    pub fn verify(
        &self,
        id: &ExportId,
        expires: i64,
        sig: &str,
        now: DateTime<Utc>,
    ) -> Result<(), LinkRefused> {
        let presented = hex::decode(sig).map_err(|_| LinkRefused::BadSignature)?;
        let expected = self.tag(id, expires);
        if presented.len() != expected.len() || !bool::from(presented.ct_eq(&expected)) {
            return Err(LinkRefused::BadSignature);
        }
        if now.timestamp() > expires {
            return Err(LinkRefused::Expired);
        }
        Ok(())
    }
}

fn mac(key: &[u8]) -> HmacSha256 {
    <HmacSha256 as KeyInit>::new(&hmac_block_key::<HmacSha256, Sha256>(key))
}

/// Why a download link was refused (HTTP 403 with this reason).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LinkRefused {
    /// The signature does not match the id and expiry.
    #[error("the link's signature is not valid")]
    BadSignature,
    /// The link is past its expiry.
    #[error("the link has expired")]
    Expired,
}

/// A signed download link's query.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DownloadLink {
    /// Unix seconds after which the link is refused.
    pub expires: i64,
    /// Hex HMAC-SHA256 over the id and expiry.
    pub sig: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id() -> ExportId {
        ExportId::parse("0123456789abcdef0123456789abcdef").unwrap()
    }

    #[test]
    fn a_fresh_link_passes_and_tampering_or_expiry_is_refused() {
        let key = LinkKey::derive("secret");
        let now = DateTime::from_timestamp(1_000, 0).unwrap();
        let sig = key.sign(&id(), 2_000);
        assert_eq!(key.verify(&id(), 2_000, &sig, now), Ok(()));
        assert_eq!(
            key.verify(&id(), 2_001, &sig, now),
            Err(LinkRefused::BadSignature)
        );
        let mut bad = sig.clone().into_bytes();
        bad[0] = if bad[0] == b'0' { b'1' } else { b'0' };
        let bad = String::from_utf8(bad).unwrap();
        assert_eq!(
            key.verify(&id(), 2_000, &bad, now),
            Err(LinkRefused::BadSignature)
        );
        let late = DateTime::from_timestamp(2_001, 0).unwrap();
        assert_eq!(
            key.verify(&id(), 2_000, &sig, late),
            Err(LinkRefused::Expired)
        );
        assert_eq!(
            LinkKey::derive("other").verify(&id(), 2_000, &sig, now),
            Err(LinkRefused::BadSignature)
        );
    }
}
