//! CSRF tokens for every HTML form.
//!
//! A token is `HMAC-SHA256(key, binding)`, base64url, where the key is derived
//! from the server's secret key and the binding is what the browser proves it
//! holds: the session id for signed-in pages, or, for anonymous forms (the
//! booking page), a random value in the `sp_form` cookie set when the form is
//! first shown. A cross-site page can make the browser post, but cannot read
//! the token out of our page, so the post is refused (403, reason named). The
//! check is constant-time. `SameSite=Lax` cookies are the second wall.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::HttpRequest;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use rand::RngCore;
use servicepro_schema::SecretString;
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// The form field every page posts its token in.
pub const FIELD: &str = "csrf";
/// The cookie binding anonymous forms.
pub const FORM_COOKIE: &str = "sp_form";

type HmacSha256 = Hmac<Sha256>;

/// Why a post's token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CsrfError {
    /// The form carried no token.
    #[error("the form's security token is missing; reload the page and try again")]
    Missing,
    /// The token does not belong to this browser's session.
    #[error("the form's security token does not match; reload the page and try again")]
    Mismatch,
}

/// Issues and checks tokens (cheap to clone; the key never prints).
#[derive(Clone)]
pub struct Csrf {
    key: [u8; 32],
}

impl std::fmt::Debug for Csrf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Csrf(..)")
    }
}

fn mac(key: &[u8]) -> HmacSha256 {
    // HMAC takes keys of any length: this cannot fail.
    match HmacSha256::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC accepts every key length"),
    }
}

impl Csrf {
    /// Derives the CSRF key from the server's secret key.
    pub fn new(secret: &SecretString) -> Self {
        let mut m = mac(secret.expose_secret().as_bytes());
        m.update(b"servicepro csrf key v1");
        Csrf {
            key: m.finalize().into_bytes().into(),
        }
    }

    /// The token for `binding` (a session id, or the anonymous form cookie).
    pub fn token(&self, binding: &str) -> String {
        let mut m = mac(&self.key);
        m.update(binding.as_bytes());
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(m.finalize().into_bytes())
    }

    /// Checks a posted `token` against `binding`.
    pub fn verify(&self, binding: &str, token: Option<&str>) -> Result<(), CsrfError> {
        let token = token.filter(|t| !t.is_empty()).ok_or(CsrfError::Missing)?;
        let expected = self.token(binding);
        if bool::from(expected.as_bytes().ct_eq(token.as_bytes())) {
            Ok(())
        } else {
            Err(CsrfError::Mismatch)
        }
    }
}

/// The anonymous binding a request carries in [`FORM_COOKIE`], or a new random
/// one with the cookie to set (`Secure` when `secure`).
pub fn anonymous_binding(req: &HttpRequest, secure: bool) -> (String, Option<Cookie<'static>>) {
    if let Some(existing) = req
        .cookie(FORM_COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| v.len() >= 16 && v.len() <= 64)
    {
        return (existing, None);
    }
    let mut bytes = [0u8; 18];
    rand::rng().fill_bytes(&mut bytes);
    let value = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let cookie = Cookie::build(FORM_COOKIE, value.clone())
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .finish();
    (value, Some(cookie))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csrf() -> Csrf {
        Csrf::new(&SecretString::new("k".repeat(32)))
    }

    #[test]
    fn a_token_verifies_for_its_own_binding_only() {
        let c = csrf();
        let t = c.token("session-a");
        assert_eq!(c.verify("session-a", Some(&t)), Ok(()));
        assert_eq!(c.verify("session-b", Some(&t)), Err(CsrfError::Mismatch));
        assert_eq!(c.verify("session-a", None), Err(CsrfError::Missing));
        assert_eq!(c.verify("session-a", Some("")), Err(CsrfError::Missing));
        let mut tampered = t.clone().into_bytes();
        tampered[0] ^= 1;
        let tampered = String::from_utf8(tampered).unwrap_or_default();
        assert_eq!(
            c.verify("session-a", Some(&tampered)),
            Err(CsrfError::Mismatch)
        );
    }

    #[test]
    fn another_server_key_gives_other_tokens() {
        let other = Csrf::new(&SecretString::new("z".repeat(32)));
        assert_ne!(csrf().token("s"), other.token("s"));
    }
}
