//! Stripe's webhook signature (`Stripe-Signature: t=…,v1=…,v1=…`): HMAC-SHA256
//! over `{t}.{raw body}` keyed with the whole endpoint secret (`whsec_…`), any
//! `v1` may match (Stripe sends several while a secret is being rolled), compared
//! in constant time, and `t` must be within the tolerance of the caller's clock.
//! Other schemes (`v0`, test-mode) are ignored, as Stripe's libraries do.

use crate::twilio::signature::hmac_block_key;
use chrono::{DateTime, Utc};
use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use servicepro_schema::SecretString;
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// Stripe's default tolerance between `t` and now (its libraries use 300 s).
pub const TOLERANCE_SECS: i64 = 300;

type HmacSha256 = Hmac<Sha256>;

/// Why a signature was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// No header, no `t`, or no `v1`.
    #[error("Stripe-Signature header is missing or malformed")]
    Malformed,
    /// `t` is further from now than the tolerance (a replay of an old delivery).
    #[error("Stripe-Signature timestamp is outside the tolerance")]
    Stale,
    /// No `v1` matches the body.
    #[error("no Stripe-Signature v1 matches the body")]
    Mismatch,
}

/// The `v1` signature of `body` sent at `t` (hex), as Stripe computes it.
pub fn sign(secret: &SecretString, t: i64, body: &[u8]) -> String {
    hex::encode(mac(secret, t, body).finalize().into_bytes())
}

fn mac(secret: &SecretString, t: i64, body: &[u8]) -> HmacSha256 {
    let key = hmac_block_key::<HmacSha256, Sha256>(secret.expose_secret().as_bytes());
    let mut mac = <HmacSha256 as KeyInit>::new(&key);
    mac.update(t.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// Checks `header` against `body` at `now`; `Ok(t)` (the signed timestamp) when
/// one `v1` matches and `t` is within [`TOLERANCE_SECS`] of `now`.
pub fn verify(
    secret: &SecretString,
    header: Option<&str>,
    body: &[u8],
    now: DateTime<Utc>,
) -> Result<i64, SignatureError> {
    let header = header.ok_or(SignatureError::Malformed)?;
    let mut t = None;
    let mut candidates = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", value)) => {
                t = Some(
                    value
                        .parse::<i64>()
                        .map_err(|_| SignatureError::Malformed)?,
                )
            }
            Some(("v1", value)) => candidates.push(value),
            _ => {}
        }
    }
    let t = t.ok_or(SignatureError::Malformed)?;
    if candidates.is_empty() {
        return Err(SignatureError::Malformed);
    }
    if (now.timestamp() - t).abs() > TOLERANCE_SECS {
        return Err(SignatureError::Stale);
    }
    let expected = mac(secret, t, body).finalize().into_bytes();
    let matched = candidates
        .iter()
        .fold(subtle::Choice::from(0), |any, hex_sig| {
            let given = hex::decode(hex_sig).unwrap_or_default();
            any | given.as_slice().ct_eq(expected.as_slice())
        });
    if bool::from(matched) {
        Ok(t)
    } else {
        Err(SignatureError::Mismatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Known answers: DESIGN.md §7 (secret `whsec_test_secret`, t=1700000000, payload
    // `{"id":"evt_test","object":"event"}`), computed per Stripe's published scheme
    // (https://docs.stripe.com/webhooks#verify-manually: HMAC-SHA256, key = the endpoint
    // secret, message = `{t}.{payload}`) and checked independently with Python's
    // `hmac.new(b'whsec_test_secret', b'1700000000.' + payload, hashlib.sha256).hexdigest()`.
    const SECRET: &str = "whsec_test_secret";
    const PAYLOAD: &[u8] = br#"{"id":"evt_test","object":"event"}"#;
    const V1_AT_1700000000: &str =
        "8042376f6ca064adbe037642a718227dfd59047137eb49497a54c49eb0cfb724";
    const V1_AT_1700000300: &str =
        "1f655ed7991bba283280ac0a743255ce6e727d30595a7ad0bae24bea66a15fdf";

    fn secret() -> SecretString {
        SecretString::new(SECRET)
    }

    fn at(t: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(t, 0).unwrap_or_default()
    }

    #[test]
    fn known_answers() {
        assert_eq!(sign(&secret(), 1_700_000_000, PAYLOAD), V1_AT_1700000000);
        assert_eq!(sign(&secret(), 1_700_000_300, PAYLOAD), V1_AT_1700000300);
        let header = format!("t=1700000000,v1={V1_AT_1700000000}");
        assert_eq!(
            verify(&secret(), Some(&header), PAYLOAD, at(1_700_000_010)),
            Ok(1_700_000_000)
        );
    }

    #[test]
    fn any_v1_may_match_and_v0_is_ignored() {
        let header = format!(
            "t=1700000000,v0={V1_AT_1700000000},v1={},v1={V1_AT_1700000000}",
            "00".repeat(32)
        );
        assert!(verify(&secret(), Some(&header), PAYLOAD, at(1_700_000_000)).is_ok());
        let only_v0 = format!("t=1700000000,v0={V1_AT_1700000000}");
        assert_eq!(
            verify(&secret(), Some(&only_v0), PAYLOAD, at(1_700_000_000)),
            Err(SignatureError::Malformed)
        );
    }

    #[test]
    fn tolerance_is_300_seconds_either_way() {
        let header = format!("t=1700000000,v1={V1_AT_1700000000}");
        for now in [1_700_000_300, 1_699_999_700] {
            assert!(verify(&secret(), Some(&header), PAYLOAD, at(now)).is_ok());
        }
        for now in [1_700_000_301, 1_699_999_699] {
            assert_eq!(
                verify(&secret(), Some(&header), PAYLOAD, at(now)),
                Err(SignatureError::Stale)
            );
        }
    }

    #[test]
    fn tampered_body_wrong_secret_and_garbage_are_refused() {
        let header = format!("t=1700000000,v1={V1_AT_1700000000}");
        let now = at(1_700_000_000);
        let tampered = br#"{"id":"evt_test","object":"evenT"}"#;
        assert_eq!(
            verify(&secret(), Some(&header), tampered, now),
            Err(SignatureError::Mismatch)
        );
        let other = SecretString::new("whsec_other");
        assert_eq!(
            verify(&other, Some(&header), PAYLOAD, now),
            Err(SignatureError::Mismatch)
        );
        for bad in ["", "t=abc,v1=00", "v1=00", "t=1700000000", "garbage"] {
            assert_eq!(
                verify(&secret(), Some(bad), PAYLOAD, now),
                Err(SignatureError::Malformed),
                "{bad}"
            );
        }
        assert_eq!(
            verify(&secret(), None, PAYLOAD, now),
            Err(SignatureError::Malformed)
        );
    }
}
