//! A tenant's booking link, one rule: its own `tenant_config.booking_url`
//! when the owner set one, otherwise the hosted booking page
//! `{SERVICEPRO_PUBLIC_URL}/{tenant}/book` that every tenant has from the
//! moment it exists. IVR key 2, the agents' `send_booking_link` and every text
//! that carries `{booking_url}` read it from here.

use servicepro_schema::TenantId;

/// The public base URL the hosted pages live under (no trailing slash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicBase(String);

impl PublicBase {
    /// The base of `public_url` (`SERVICEPRO_PUBLIC_URL`).
    pub fn new(public_url: &url::Url) -> Self {
        PublicBase(public_url.as_str().trim_end_matches('/').to_owned())
    }

    /// A base already without its trailing slash.
    pub(crate) fn from_trimmed(base: &str) -> Self {
        PublicBase(base.trim_end_matches('/').to_owned())
    }

    /// The tenant's hosted booking page.
    pub fn booking_page(&self, tenant: &TenantId) -> String {
        format!("{}/{tenant}/book", self.0)
    }
}

/// The link customers are sent to book with `tenant`: the configured one, else
/// the hosted page.
pub fn booking_link(configured: Option<&str>, base: &PublicBase, tenant: &TenantId) -> String {
    match configured.map(str::trim).filter(|u| !u.is_empty()) {
        Some(url) => url.to_owned(),
        None => base.booking_page(tenant),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_configured_link_wins_and_the_hosted_page_is_the_default() {
        let base = PublicBase::new(&url::Url::parse("https://sp.example.com/").unwrap());
        let acme = TenantId::parse("acme").unwrap();
        assert_eq!(
            booking_link(None, &base, &acme),
            "https://sp.example.com/acme/book"
        );
        assert_eq!(
            booking_link(Some(" "), &base, &acme),
            "https://sp.example.com/acme/book"
        );
        assert_eq!(
            booking_link(Some("https://book.example/acme"), &base, &acme),
            "https://book.example/acme"
        );
    }
}
