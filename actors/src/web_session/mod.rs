//! Browser sessions of owners and of the root operator, and owner sign-in.
//!
//! * [`token`] — the cookie's token (`o_<tenant>_<hex>` for owners, `r_<hex>`
//!   for root), its SHA-256 (the only form stored), and a secret that never prints.
//! * [`store`] — create, look up (touching `last_seen_at`), revoke one, revoke
//!   all of a tenant's. An owner's row is read in its tenant's row-level scope
//!   (the token names the tenant, like an API key); root rows only through the
//!   `root_session_*` SECURITY DEFINER functions (migration 0050).
//! * [`sign_in`] — owner sign-in: e-mail and argon2id password, or a one-time
//!   link (15 minutes, single use, hashed) texted to the owner's phone.
//!
//! Every time check is the database's `now()`, so one clock decides expiry.

pub mod sign_in;
pub mod store;
pub mod token;

pub use store::{OwnerSession, RootSession, SessionError};
pub use token::{SessionKind, SessionToken};

/// How long a session lasts after sign-in (no sliding renewal).
pub const SESSION_TTL: std::time::Duration = std::time::Duration::from_secs(30 * 24 * 3600);
/// How long a texted sign-in link is valid.
pub const LINK_TTL: std::time::Duration = std::time::Duration::from_secs(15 * 60);
