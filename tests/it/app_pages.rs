//! The owner's pages: Today, Appointments, Conversations, Calls, Settings —
//! status codes, what they show, another tenant's ids (404), CSRF refusal,
//! and the read-only rule while suspended.

use crate::support::web_client::WebClient;

/// The CSRF token on `path`'s page (signed in).
pub async fn csrf_on(web: &WebClient, path: &str) -> String {
    let page = web.get(path).await;
    assert_eq!(page.status, 200, "{path}: {}", page.body);
    page.csrf()
}
