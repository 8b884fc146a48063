//! The HTML side of the edge: what every server-rendered page shares.
//!
//! * [`page`]: renders an askama template into a response with the security
//!   headers every page carries (CSP without inline script, `nosniff`,
//!   `no-store` for private pages).
//! * [`csrf`]: form tokens, HMAC-bound to a signed-in session or, for anonymous
//!   forms (the booking page), to a random per-browser cookie.
//! * [`form`]: a form's field errors, for re-rendering it with the reason next
//!   to the field (status 422).
//! * [`chrome`]: what the layout shows around a page (title, navigation,
//!   banner, sign-out).
//! * [`session`]: the `sp_session` cookie, the `OwnerSession` / `RootSession`
//!   extractors (303 to sign-in with `?next=`), and the forms' CSRF check.
//! * [`recording_link`]: signed, time-limited URLs of call recordings.
//! * [`problem`]: the page saying why a request was refused.
//! * [`chart`]: inline SVG bar charts of daily numbers, their numbers in the title.
//! * [`assets`]: the one stylesheet, served with a content hash in its URL and
//!   cached for a year.
//!
//! Templates live in `templates/web/` (the layout is `base.html`); the pages
//! themselves are in `crate::routes` like every other surface.

pub mod assets;
pub mod chart;
pub mod chrome;
pub mod csrf;
pub mod form;
pub mod page;
pub mod problem;
pub mod recording_link;
pub mod session;
