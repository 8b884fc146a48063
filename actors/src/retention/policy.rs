//! Whether a tenant may be purged now: the retention rule, in one place.

use chrono::{DateTime, Months, Utc};
use servicepro_schema::TenantStatus;

/// How long nothing of a suspended or cancelled tenant may be deleted
/// (`SERVICEPRO_RETENTION_MONTHS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionWindow {
    months: u32,
}

impl RetentionWindow {
    /// A window of `months` (at least one).
    pub fn months(months: u32) -> Option<Self> {
        (months > 0).then_some(RetentionWindow { months })
    }

    /// The window's length in months.
    pub fn as_months(&self) -> u32 {
        self.months
    }

    /// When a tenant that entered its status at `since` leaves the window.
    pub fn ends(&self, since: DateTime<Utc>) -> DateTime<Utc> {
        since
            .checked_add_months(Months::new(self.months))
            .unwrap_or(DateTime::<Utc>::MAX_UTC)
    }
}

/// Why a purge is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PurgeRefused {
    /// The tenant is still a customer (trialing, active or past due).
    #[error("the tenant is {status}: only a suspended or cancelled tenant can be purged")]
    NotClosed {
        /// Its status.
        status: TenantStatus,
    },
    /// The tenant is inside the retention window.
    #[error(
        "the tenant has been {status} since {since} and is kept for {months} month(s): \
         it can be purged from {purgeable_at}"
    )]
    WithinWindow {
        /// Its status.
        status: TenantStatus,
        /// When it entered that status.
        since: DateTime<Utc>,
        /// The window.
        months: u32,
        /// When the window ends.
        purgeable_at: DateTime<Utc>,
    },
    /// The tenant was purged already.
    #[error("the tenant was purged at {at}")]
    AlreadyPurged {
        /// When.
        at: DateTime<Utc>,
    },
}

impl PurgeRefused {
    /// When the purge becomes possible, if it ever does.
    pub fn purgeable_at(&self) -> Option<DateTime<Utc>> {
        match self {
            PurgeRefused::WithinWindow { purgeable_at, .. } => Some(*purgeable_at),
            _ => None,
        }
    }
}

/// Whether a tenant in `status` since `since` (purged at `purged_at`, if so)
/// may be purged at `now` under `window`.
pub fn may_purge(
    status: TenantStatus,
    since: DateTime<Utc>,
    purged_at: Option<DateTime<Utc>>,
    window: RetentionWindow,
    now: DateTime<Utc>,
) -> Result<(), PurgeRefused> {
    if let Some(at) = purged_at {
        return Err(PurgeRefused::AlreadyPurged { at });
    }
    if !matches!(status, TenantStatus::Suspended | TenantStatus::Cancelled) {
        return Err(PurgeRefused::NotClosed { status });
    }
    let purgeable_at = window.ends(since);
    if now < purgeable_at {
        return Err(PurgeRefused::WithinWindow {
            status,
            since,
            months: window.months,
            purgeable_at,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 12, 0, 0).single().unwrap()
    }

    const YEAR: RetentionWindow = RetentionWindow { months: 12 };

    #[test]
    fn only_suspended_or_cancelled_tenants_past_the_window_may_be_purged() {
        let since = at(2025, 1, 31);
        for status in [TenantStatus::Suspended, TenantStatus::Cancelled] {
            assert_eq!(
                may_purge(status, since, None, YEAR, at(2026, 1, 31)),
                Ok(())
            );
            let refused = may_purge(status, since, None, YEAR, at(2026, 1, 30)).unwrap_err();
            assert_eq!(refused.purgeable_at(), Some(at(2026, 1, 31)));
            assert!(refused.to_string().contains("from 2026-01-31"), "{refused}");
        }
        for status in [
            TenantStatus::Active,
            TenantStatus::Trialing,
            TenantStatus::PastDue,
        ] {
            assert_eq!(
                may_purge(status, since, None, YEAR, at(2030, 1, 1)),
                Err(PurgeRefused::NotClosed { status })
            );
        }
    }

    #[test]
    fn a_purged_tenant_is_never_purged_again() {
        let refused = may_purge(
            TenantStatus::Cancelled,
            at(2020, 1, 1),
            Some(at(2024, 1, 1)),
            YEAR,
            at(2030, 1, 1),
        );
        assert_eq!(
            refused,
            Err(PurgeRefused::AlreadyPurged { at: at(2024, 1, 1) })
        );
    }

    #[test]
    fn months_are_calendar_months() {
        let window = RetentionWindow::months(1).unwrap();
        assert_eq!(window.ends(at(2026, 1, 31)), at(2026, 2, 28));
        assert!(RetentionWindow::months(0).is_none());
    }
}
