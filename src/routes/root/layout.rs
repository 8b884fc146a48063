//! What every root page shares: the chrome (navigation, sign-out form with the
//! session's CSRF token) and the name root reads are audited under.

use crate::state::AppState;
use crate::web::chrome::{Chrome, SignOut};
use crate::web::session::RootSession;

/// The audit log's actor for reads and actions from the root dashboard.
pub const ACTOR: &str = "root-dashboard";

/// The chrome of a root page titled `title` in `section`, and the session's CSRF token.
pub fn chrome(
    state: &AppState,
    root: &RootSession,
    title: impl Into<String>,
    section: &str,
) -> (Chrome, String) {
    let csrf = root.csrf_token(state);
    let mut chrome = Chrome::public(title).link("Tenants", "/root", section);
    chrome.product = "ServicePro Operator";
    chrome.home = "/root";
    chrome.sign_out = Some(SignOut {
        action: "/root/sign-out",
        csrf: csrf.clone(),
    });
    (chrome, csrf)
}

/// `at` as `2026-12-04 15:30 UTC` (operators read one clock).
pub fn when(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// `at` as `2026-12-04`.
pub fn day(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%d").to_string()
}
