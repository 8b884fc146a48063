//! Signed, time-limited recording URLs:
//! `/app/recordings/{call_sid}?expires=<unix>&sig=<base64url HMAC-SHA256>` over
//! `tenant \n call_sid \n expires`, keyed from the server's secret key. The
//! check is constant-time; an expired or altered link is refused (403), and the
//! route also requires the tenant's own session, so a link is useless to anyone
//! else even before it expires.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use servicepro_schema::{SecretString, TenantId};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// How long a page's recording link works.
pub const LINK_TTL_SECS: i64 = 15 * 60;

type HmacSha256 = Hmac<Sha256>;

/// Why a recording link was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    /// Past its expiry.
    #[error("this recording link has expired; reload the call's page")]
    Expired,
    /// The signature does not match (altered, or another tenant's).
    #[error("this recording link is not valid")]
    BadSignature,
}

/// Signs and checks recording links (the key never prints).
#[derive(Clone)]
pub struct RecordingLinks {
    key: [u8; 32],
}

impl std::fmt::Debug for RecordingLinks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RecordingLinks(..)")
    }
}

fn mac(key: &[u8]) -> HmacSha256 {
    match HmacSha256::new_from_slice(key) {
        Ok(m) => m,
        Err(_) => unreachable!("HMAC accepts every key length"),
    }
}

impl RecordingLinks {
    /// Derives the signing key from the server's secret key.
    pub fn new(secret: &SecretString) -> Self {
        let mut m = mac(secret.expose_secret().as_bytes());
        m.update(b"servicepro recording links v1");
        RecordingLinks {
            key: m.finalize().into_bytes().into(),
        }
    }

    fn sig(&self, tenant: &TenantId, call_sid: &str, expires: i64) -> Vec<u8> {
        let mut m = mac(&self.key);
        m.update(format!("{}\n{call_sid}\n{expires}", tenant.as_str()).as_bytes());
        m.finalize().into_bytes().to_vec()
    }

    /// The URL of `call_sid`'s recording, valid until `now + LINK_TTL_SECS`.
    pub fn url(&self, tenant: &TenantId, call_sid: &str, now: i64) -> String {
        let expires = now + LINK_TTL_SECS;
        let sig = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(self.sig(tenant, call_sid, expires));
        let sid: String = url::form_urlencoded::byte_serialize(call_sid.as_bytes()).collect();
        format!("/app/recordings/{sid}?expires={expires}&sig={sig}")
    }

    /// Checks a presented link at `now`.
    pub fn verify(
        &self,
        tenant: &TenantId,
        call_sid: &str,
        expires: i64,
        sig: &str,
        now: i64,
    ) -> Result<(), LinkError> {
        let given = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(sig)
            .map_err(|_| LinkError::BadSignature)?;
        let expected = self.sig(tenant, call_sid, expires);
        if !bool::from(expected.ct_eq(&given)) {
            return Err(LinkError::BadSignature);
        }
        if now > expires {
            return Err(LinkError::Expired);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(url: &str) -> (i64, String) {
        let q = url.split_once('?').map(|(_, q)| q).unwrap_or_default();
        let mut expires = 0;
        let mut sig = String::new();
        for (k, v) in url::form_urlencoded::parse(q.as_bytes()) {
            match k.as_ref() {
                "expires" => expires = v.parse().unwrap_or_default(),
                "sig" => sig = v.into_owned(),
                _ => {}
            }
        }
        (expires, sig)
    }

    #[test]
    fn a_link_works_for_its_tenant_and_call_until_it_expires() {
        let links = RecordingLinks::new(&SecretString::new("k".repeat(32)));
        let a = TenantId::parse("shine-co").unwrap_or_else(|_| unreachable!());
        let b = TenantId::parse("other-co").unwrap_or_else(|_| unreachable!());
        let url = links.url(&a, "CA1", 1_000);
        let (expires, sig) = parts(&url);
        assert_eq!(links.verify(&a, "CA1", expires, &sig, 1_000), Ok(()));
        assert_eq!(
            links.verify(&a, "CA1", expires, &sig, expires + 1),
            Err(LinkError::Expired)
        );
        assert_eq!(
            links.verify(&b, "CA1", expires, &sig, 1_000),
            Err(LinkError::BadSignature)
        );
        assert_eq!(
            links.verify(&a, "CA2", expires, &sig, 1_000),
            Err(LinkError::BadSignature)
        );
        assert_eq!(
            links.verify(&a, "CA1", expires + 60, &sig, 1_000),
            Err(LinkError::BadSignature)
        );
        let mut bad = sig.clone().into_bytes();
        bad[3] = if bad[3] == b'A' { b'B' } else { b'A' };
        let bad = String::from_utf8(bad).unwrap_or_default();
        assert_eq!(
            links.verify(&a, "CA1", expires, &bad, 1_000),
            Err(LinkError::BadSignature)
        );
    }
}
