//! What every signed-in `/app` page shares: the tenant's context (read once
//! through its actor), the navigation with the current section marked, the
//! status banner from the one status policy (`policy::banner`), the sign-out
//! form, whether forms are read-only (the policy refuses `DashboardWrite`), and
//! times shown in the tenant's own time zone.

use crate::error::ApiError;
use crate::state::AppState;
use crate::web::chrome::{Banner, Chrome, SignOut, Tone};
use crate::web::session::OwnerSession;
use chrono::{DateTime, Utc};
use servicepro_actors::packs::BusinessHours;
use servicepro_actors::tenant::context::TenantContext;
use servicepro_actors::tenant::Freshness;
use servicepro_schema::policy::{self, Action};
use servicepro_schema::{TenantDb, TenantStatus};
use std::sync::Arc;

/// The sections of the app, in navigation order: (label, path).
pub const SECTIONS: [(&str, &str); 7] = [
    ("Today", "/app"),
    ("Appointments", "/app/appointments"),
    ("Conversations", "/app/conversations"),
    ("Calls", "/app/calls"),
    ("Settings", "/app/settings"),
    ("Usage", "/app/usage"),
    ("Plan", "/app/billing"),
];

/// One signed-in page's shared parts.
pub struct OwnerPage {
    /// The layout's data.
    pub chrome: Chrome,
    /// The tenant as the engine knows it.
    pub ctx: Arc<TenantContext>,
    /// This session's CSRF token for the page's forms.
    pub csrf: String,
    /// Whether the status policy refuses writes now (forms are disabled).
    pub read_only: bool,
    /// The tenant's time zone.
    pub tz: chrono_tz::Tz,
    /// The tenant's data.
    pub db: TenantDb,
}

fn tone(status: TenantStatus) -> Tone {
    match status {
        TenantStatus::Suspended | TenantStatus::Cancelled => Tone::Bad,
        _ => Tone::Warn,
    }
}

impl OwnerPage {
    /// Loads what `owner`'s page titled `title` in `section` needs.
    pub async fn load(
        state: &AppState,
        owner: &OwnerSession,
        title: impl Into<String>,
        section: &str,
    ) -> Result<Self, ApiError> {
        let ctx = state
            .tenants
            .context(&owner.tenant, Freshness::Check)
            .await?;
        let csrf = owner.csrf_token(state);
        let mut chrome = Chrome::public(title);
        chrome.home = "/app";
        for (label, href) in SECTIONS {
            chrome = chrome.link(label, href, section);
        }
        let status = ctx.tenant.status;
        chrome.banner = policy::banner(status).map(|text| Banner {
            tone: tone(status),
            text: text.to_owned(),
        });
        chrome.sign_out = Some(SignOut {
            action: "/app/sign-out",
            csrf: csrf.clone(),
        });
        let tz = match ctx.tenant.time_zone.parse::<chrono_tz::Tz>() {
            Ok(tz) => tz,
            Err(_) => {
                tracing::warn!(time_zone = %ctx.tenant.time_zone, "stored time zone unknown; times shown in UTC");
                chrono_tz::UTC
            }
        };
        Ok(OwnerPage {
            chrome,
            read_only: !policy::may(status, Action::DashboardWrite),
            tz,
            csrf,
            db: state.tenant_db(owner.tenant.clone()),
            ctx,
        })
    }

    /// The tenant's opening hours (none set: closed every day).
    pub fn business_hours(&self) -> BusinessHours {
        let Some(config) = self.ctx.config.as_ref() else {
            return BusinessHours::default();
        };
        match serde_json::from_value(config.business_hours.clone()) {
            Ok(hours) => hours,
            Err(e) => {
                tracing::warn!(error = %e, "stored business hours unreadable; shown as closed");
                BusinessHours::default()
            }
        }
    }

    /// `at` in the tenant's zone, e.g. `Tue 8 Dec, 09:30`.
    pub fn when(&self, at: DateTime<Utc>) -> String {
        at.with_timezone(&self.tz)
            .format("%a %-d %b, %H:%M")
            .to_string()
    }

    /// The time of day of `at` in the tenant's zone, e.g. `09:30`.
    pub fn time(&self, at: DateTime<Utc>) -> String {
        at.with_timezone(&self.tz).format("%H:%M").to_string()
    }
}

/// `cents` as dollars, e.g. `$125.00`.
pub fn money(cents: i32) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let c = i64::from(cents).abs();
    format!("{sign}${}.{:02}", c / 100, c % 100)
}

/// A phone number as digits for `tel:` and `sms:` links (E.164 is already that).
pub fn dial(e164: &str) -> String {
    e164.chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect()
}

/// `+19185550142` as `(918) 555-0142` (North American numbers), else as given.
pub fn pretty_phone(e164: &str) -> String {
    match e164.strip_prefix("+1") {
        Some(d) if d.len() == 10 && d.bytes().all(|b| b.is_ascii_digit()) => {
            format!("({}) {}-{}", &d[..3], &d[3..6], &d[6..])
        }
        _ => e164.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_and_phones_read_well() {
        assert_eq!(money(12_500), "$125.00");
        assert_eq!(money(5), "$0.05");
        assert_eq!(money(-150), "-$1.50");
        assert_eq!(pretty_phone("+19185550142"), "(918) 555-0142");
        assert_eq!(pretty_phone("+442071838750"), "+442071838750");
        assert_eq!(dial("+1 918 555"), "+1918555");
    }
}
