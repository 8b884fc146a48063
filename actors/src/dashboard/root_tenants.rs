//! The root dashboard's tenants table: every tenant with its plan, status,
//! trial end, next billing date, the last 30 days' texts, calls, bookings and
//! error rate, and where buying its number stands — one audited cross-tenant
//! read — then filtered and sorted by [`TableQuery::apply`] (plain GET
//! parameters `?sort=&status=&tier=&q=`).

use chrono::{DateTime, Duration, Utc};
use diesel::sql_types::{BigInt, Nullable, Text, Timestamptz};
use diesel_async::RunQueryDsl;
use servicepro_schema::root_db::AuditEntry;
use servicepro_schema::{DbError, PlanTier, ProvisioningState, RootDb, TenantStatus};

/// How far back the activity columns look.
pub const WINDOW_DAYS: i64 = 30;

/// One tenant's row.
#[derive(Debug, Clone, PartialEq, diesel::QueryableByName)]
pub struct TenantRow {
    /// Its id.
    #[diesel(sql_type = Text)]
    pub id: String,
    /// Business name.
    #[diesel(sql_type = Text)]
    pub name: String,
    /// Plan.
    #[diesel(sql_type = Text)]
    pub plan_tier: PlanTier,
    /// Status.
    #[diesel(sql_type = Text)]
    pub status: TenantStatus,
    /// When its trial ends (set while trialing).
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub trial_ends_at: Option<DateTime<Utc>>,
    /// The current billing period's end.
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub period_end: Option<DateTime<Utc>>,
    /// Texts in and out, last 30 days.
    #[diesel(sql_type = BigInt)]
    pub texts: i64,
    /// Calls, last 30 days.
    #[diesel(sql_type = BigInt)]
    pub calls: i64,
    /// Bookings made, last 30 days.
    #[diesel(sql_type = BigInt)]
    pub bookings: i64,
    /// Texts sent and calls, last 30 days (the error rate's denominator).
    #[diesel(sql_type = BigInt)]
    pub attempts: i64,
    /// Of those, texts failed or undelivered and calls failed.
    #[diesel(sql_type = BigInt)]
    pub errors: i64,
    /// Where buying its platform number stands, when one was wanted.
    #[diesel(sql_type = Nullable<Text>)]
    pub provisioning: Option<ProvisioningState>,
}

impl TenantRow {
    /// When it is next billed: the period's end, or the trial's end while trialing.
    pub fn next_billing(&self) -> Option<DateTime<Utc>> {
        self.period_end.or(match self.status {
            TenantStatus::Trialing => self.trial_ends_at,
            _ => None,
        })
    }

    /// Errors per attempt, 0..=1 (0 with no attempts).
    pub fn error_rate(&self) -> f64 {
        if self.attempts == 0 {
            0.0
        } else {
            // Counts of a month fit f64 exactly.
            self.errors as f64 / self.attempts as f64
        }
    }
}

/// What the table is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortKey {
    /// Business name, A–Z.
    #[default]
    Name,
    /// Status.
    Status,
    /// Plan tier, Starter first.
    Tier,
    /// Trial end, soonest first.
    TrialEnd,
    /// Next billing date, soonest first.
    NextBilling,
    /// Most texts first.
    Texts,
    /// Most calls first.
    Calls,
    /// Most bookings first.
    Bookings,
    /// Highest error rate first.
    ErrorRate,
}

impl SortKey {
    /// Every key with its parameter value.
    pub const ALL: [(SortKey, &'static str); 9] = [
        (SortKey::Name, "name"),
        (SortKey::Status, "status"),
        (SortKey::Tier, "tier"),
        (SortKey::TrialEnd, "trial_end"),
        (SortKey::NextBilling, "next_billing"),
        (SortKey::Texts, "texts"),
        (SortKey::Calls, "calls"),
        (SortKey::Bookings, "bookings"),
        (SortKey::ErrorRate, "error_rate"),
    ];

    /// The parameter value.
    pub fn as_str(self) -> &'static str {
        SortKey::ALL
            .iter()
            .find(|(k, _)| *k == self)
            .map_or("name", |(_, s)| s)
    }
}

/// A sort key that is not one of ours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a column to sort by (name, status, tier, trial_end, next_billing, texts, calls, bookings, error_rate)")]
pub struct UnknownSort(pub String);

impl std::str::FromStr for SortKey {
    type Err = UnknownSort;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        SortKey::ALL
            .iter()
            .find(|(_, name)| *name == s)
            .map(|(k, _)| *k)
            .ok_or_else(|| UnknownSort(s.to_owned()))
    }
}

/// The table's filters and order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableQuery {
    /// Sort column.
    pub sort: SortKey,
    /// Only this status.
    pub status: Option<TenantStatus>,
    /// Only this tier.
    pub tier: Option<PlanTier>,
    /// Only names or ids containing this (case-insensitive).
    pub q: Option<String>,
}

fn rank(tier: PlanTier) -> u8 {
    match tier {
        PlanTier::Starter => 0,
        PlanTier::Pro => 1,
        PlanTier::Elite => 2,
    }
}

/// `None` last in an ascending order.
fn soonest(a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>) -> std::cmp::Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.cmp(&b),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    }
}

impl TableQuery {
    /// `rows` filtered and sorted (ties broken by name, then id).
    pub fn apply(&self, rows: Vec<TenantRow>) -> Vec<TenantRow> {
        let needle = self
            .q
            .as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(str::to_lowercase);
        let mut out: Vec<TenantRow> = rows
            .into_iter()
            .filter(|r| self.status.is_none_or(|s| r.status == s))
            .filter(|r| self.tier.is_none_or(|t| r.plan_tier == t))
            .filter(|r| {
                needle.as_deref().is_none_or(|q| {
                    r.name.to_lowercase().contains(q) || r.id.to_lowercase().contains(q)
                })
            })
            .collect();
        out.sort_by(|a, b| {
            let primary = match self.sort {
                SortKey::Name => std::cmp::Ordering::Equal,
                SortKey::Status => a.status.as_str().cmp(b.status.as_str()),
                SortKey::Tier => rank(a.plan_tier).cmp(&rank(b.plan_tier)),
                SortKey::TrialEnd => soonest(a.trial_ends_at, b.trial_ends_at),
                SortKey::NextBilling => soonest(a.next_billing(), b.next_billing()),
                SortKey::Texts => b.texts.cmp(&a.texts),
                SortKey::Calls => b.calls.cmp(&a.calls),
                SortKey::Bookings => b.bookings.cmp(&a.bookings),
                SortKey::ErrorRate => b.error_rate().total_cmp(&a.error_rate()),
            };
            primary
                .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
                .then_with(|| a.id.cmp(&b.id))
        });
        out
    }
}

const TABLE: &str = "\
SELECT t.id, t.name, t.plan_tier, t.status, t.trial_ends_at, b.current_period_end AS period_end,
  COALESCE((SELECT sum(u.quantity) FROM usage_events u WHERE u.tenant_id = t.id
      AND u.kind IN ('sms_in', 'sms_out') AND u.occurred_at >= $1), 0)::BIGINT AS texts,
  (SELECT count(*) FROM calls c WHERE c.tenant_id = t.id AND c.started_at >= $1) AS calls,
  COALESCE((SELECT sum(u.quantity) FROM usage_events u WHERE u.tenant_id = t.id
      AND u.kind = 'bookings' AND u.occurred_at >= $1), 0)::BIGINT AS bookings,
  ((SELECT count(*) FROM messages m WHERE m.tenant_id = t.id AND m.direction = 'outbound'
      AND m.created_at >= $1)
   + (SELECT count(*) FROM calls c WHERE c.tenant_id = t.id AND c.started_at >= $1)) AS attempts,
  ((SELECT count(*) FROM messages m WHERE m.tenant_id = t.id AND m.direction = 'outbound'
      AND m.status IN ('failed', 'undelivered') AND m.created_at >= $1)
   + (SELECT count(*) FROM calls c WHERE c.tenant_id = t.id AND c.status = 'failed'
      AND c.started_at >= $1)) AS errors,
  p.state AS provisioning
FROM tenants t
LEFT JOIN tenant_billing b ON b.tenant_id = t.id
LEFT JOIN number_provisioning p ON p.tenant_id = t.id";

/// Every tenant's row as of `now`, read as `actor` (audited `dashboard.tenants`).
pub async fn load(
    root: &RootDb,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<Vec<TenantRow>, DbError> {
    let since = now - Duration::days(WINDOW_DAYS);
    root.transaction(
        AuditEntry::new(actor, "dashboard.tenants", None),
        move |tx| {
            Box::pin(async move {
                Ok(diesel::sql_query(TABLE)
                    .bind::<Timestamptz, _>(since)
                    .load(tx.conn())
                    .await?)
            })
        },
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn row(id: &str, name: &str, tier: PlanTier, status: TenantStatus, texts: i64) -> TenantRow {
        TenantRow {
            id: id.into(),
            name: name.into(),
            plan_tier: tier,
            status,
            trial_ends_at: None,
            period_end: None,
            texts,
            calls: 0,
            bookings: 0,
            attempts: 0,
            errors: 0,
            provisioning: None,
        }
    }

    fn ids(rows: &[TenantRow]) -> Vec<&str> {
        rows.iter().map(|r| r.id.as_str()).collect()
    }

    fn rows() -> Vec<TenantRow> {
        let mut c = row(
            "c",
            "cedar roofing",
            PlanTier::Elite,
            TenantStatus::Suspended,
            5,
        );
        c.attempts = 10;
        c.errors = 5;
        let mut a = row("a", "Acme Lawn", PlanTier::Pro, TenantStatus::Active, 50);
        a.period_end = Utc.with_ymd_and_hms(2026, 12, 20, 0, 0, 0).single();
        let mut b = row(
            "b",
            "Bright Pools",
            PlanTier::Starter,
            TenantStatus::Trialing,
            20,
        );
        b.trial_ends_at = Utc.with_ymd_and_hms(2026, 12, 10, 0, 0, 0).single();
        b.attempts = 10;
        b.errors = 1;
        vec![c, a, b]
    }

    #[test]
    fn sorts_by_each_column_with_names_breaking_ties() {
        let q = |sort| TableQuery {
            sort,
            ..TableQuery::default()
        };
        assert_eq!(ids(&q(SortKey::Name).apply(rows())), ["a", "b", "c"]);
        assert_eq!(ids(&q(SortKey::Texts).apply(rows())), ["a", "b", "c"]);
        assert_eq!(ids(&q(SortKey::Tier).apply(rows())), ["b", "a", "c"]);
        assert_eq!(ids(&q(SortKey::ErrorRate).apply(rows())), ["c", "b", "a"]);
        // The trial's end is the next billing date while trialing; none sorts last.
        assert_eq!(ids(&q(SortKey::NextBilling).apply(rows())), ["b", "a", "c"]);
        assert_eq!(ids(&q(SortKey::TrialEnd).apply(rows())), ["b", "a", "c"]);
        assert_eq!(ids(&q(SortKey::Status).apply(rows())), ["a", "c", "b"]);
    }

    #[test]
    fn filters_by_status_tier_and_text() {
        let only = |status, tier, q: Option<&str>| {
            let rows = TableQuery {
                status,
                tier,
                q: q.map(str::to_owned),
                ..TableQuery::default()
            }
            .apply(rows());
            ids(&rows)
                .into_iter()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        };
        assert_eq!(only(Some(TenantStatus::Suspended), None, None), ["c"]);
        assert_eq!(only(None, Some(PlanTier::Pro), None), ["a"]);
        assert_eq!(only(None, None, Some(" POOL ")), ["b"]);
        assert_eq!(only(None, None, Some("CEDAR")), ["c"]);
        assert_eq!(only(None, None, Some("")), ["a", "b", "c"]);
        assert!(only(Some(TenantStatus::Active), Some(PlanTier::Elite), None).is_empty());
    }

    #[test]
    fn sort_keys_round_trip_and_errors_name_the_choices() {
        for (k, s) in SortKey::ALL {
            assert_eq!(s.parse::<SortKey>(), Ok(k));
            assert_eq!(k.as_str(), s);
        }
        assert!("price".parse::<SortKey>().is_err());
        assert!((rows()[0].error_rate() - 0.5).abs() < 1e-9);
        assert_eq!(rows()[1].error_rate(), 0.0);
    }
}
