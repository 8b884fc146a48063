//! [`SecretString`]: auth tokens, API keys and key material that never print
//! themselves. `Debug` shows `SecretString([redacted])`, there is no `Display`
//! and no `Serialize`, so a `{:?}` of a config, a credential or an error, or a
//! tracing field, cannot leak one. The value is read only through
//! [`SecretString::expose_secret`], at the point it is used (a signature, an
//! HTTP auth header, a cipher key). It guards printing, not memory: the bytes are
//! not wiped on drop.

use std::fmt;

/// A string that is a secret. See the module docs.
#[derive(Clone)]
pub struct SecretString(Box<str>);

impl SecretString {
    /// Wraps `value`.
    pub fn new(value: impl Into<String>) -> Self {
        SecretString(value.into().into_boxed_str())
    }

    /// The secret itself. Call it where the value is used, never to log it.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretString([redacted])")
    }
}

impl From<String> for SecretString {
    fn from(value: String) -> Self {
        SecretString::new(value)
    }
}

impl From<&str> for SecretString {
    fn from(value: &str) -> Self {
        SecretString::new(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let secret = SecretString::from("sk-live-0123456789");
        assert_eq!(secret.expose_secret(), "sk-live-0123456789");
        for shown in [
            format!("{secret:?}"),
            format!("{secret:#?}"),
            format!("{:?}", Some(secret.clone())),
            format!("{:?}", ("user", secret.clone())),
        ] {
            assert!(!shown.contains("sk-live"), "{shown}");
            assert!(shown.contains("[redacted]"), "{shown}");
        }
    }
}
