//! What the tenant API shows an owner about their own tenant (`GET /api/tenant`):
//! the profile, the features it may use now, its number (or where buying one
//! stands), this month's usage and the billing state with its banner. Read in one
//! tenant-scoped transaction.

use crate::provisioning::store::ProvisioningRow;
use chrono::{DateTime, Datelike, TimeZone, Utc};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl, SelectableHelper};
use diesel_async::RunQueryDsl;
use servicepro_schema::models::Tenant;
use servicepro_schema::schema::{
    number_provisioning, tenant_billing, tenant_phone_config, tenants, usage_events,
};
use servicepro_schema::{
    DbError, Feature, PlanTier, ProvisioningState, TenantDb, TenantId, TenantStatus, UsageKind,
    E164,
};

/// This month's metered usage.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Usage {
    /// Texts received.
    pub sms_in: i64,
    /// Texts sent.
    pub sms_out: i64,
    /// Call minutes.
    pub call_minutes: i64,
    /// AI receptionist minutes.
    pub ai_minutes: i64,
    /// Bookings made.
    pub bookings: i64,
}

impl Usage {
    /// Adds `n` of `kind`.
    pub fn add(&mut self, kind: UsageKind, n: i64) {
        let slot = match kind {
            UsageKind::SmsIn => &mut self.sms_in,
            UsageKind::SmsOut => &mut self.sms_out,
            UsageKind::CallMinutes => &mut self.call_minutes,
            UsageKind::AiMinutes => &mut self.ai_minutes,
            UsageKind::Bookings => &mut self.bookings,
        };
        *slot += n;
    }

    /// How much of `kind` there is.
    pub fn get(&self, kind: UsageKind) -> i64 {
        match kind {
            UsageKind::SmsIn => self.sms_in,
            UsageKind::SmsOut => self.sms_out,
            UsageKind::CallMinutes => self.call_minutes,
            UsageKind::AiMinutes => self.ai_minutes,
            UsageKind::Bookings => self.bookings,
        }
    }
}

/// The billing state as the owner sees it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BillingView {
    /// The tenant's status.
    pub status: TenantStatus,
    /// When the next charge is due (the trial's end while trialing).
    pub next_billing_date: Option<DateTime<Utc>>,
    /// A line to show above everything, when the account needs attention.
    pub banner: Option<&'static str>,
}

/// The banner an owner sees for `status`, if any: the status policy's own words.
pub fn banner(status: TenantStatus) -> Option<&'static str> {
    servicepro_schema::policy::banner(status)
}

/// A tenant's profile.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TenantProfile {
    /// Its id.
    pub id: TenantId,
    /// Business name.
    pub name: String,
    /// Industry pack.
    pub industry: String,
    /// Plan.
    pub plan_tier: PlanTier,
    /// Billing status.
    pub status: TenantStatus,
    /// When the trial ends, while trialing.
    pub trial_ends_at: Option<DateTime<Utc>>,
    /// Features it may use now.
    pub features: Vec<Feature>,
    /// Its number, when it has one.
    pub phone_number: Option<E164>,
    /// Where buying its platform number stands, when one was bought or is wanted.
    pub provisioning: Option<ProvisioningState>,
    /// Usage since the first of this month (the business's time zone).
    pub usage: Usage,
    /// Billing.
    pub billing: BillingView,
}

/// The first instant of `now`'s month in `tz`.
pub fn month_start(tz: chrono_tz::Tz, now: DateTime<Utc>) -> DateTime<Utc> {
    let local = now.with_timezone(&tz);
    tz.with_ymd_and_hms(local.year(), local.month(), 1, 0, 0, 0)
        .earliest()
        .map_or(now, |t| t.with_timezone(&Utc))
}

/// Reads `db`'s tenant's profile as of `now`.
pub async fn profile(db: &TenantDb, now: DateTime<Utc>) -> Result<TenantProfile, DbError> {
    db.transaction(move |tx| {
        Box::pin(async move {
            let tenant: Tenant = tx
                .scope(tenants::table)
                .select(Tenant::as_select())
                .first(tx.conn())
                .await?;
            let phone_number: Option<E164> = tx
                .scope(tenant_phone_config::table)
                .order(tenant_phone_config::id)
                .select(tenant_phone_config::phone_number)
                .first(tx.conn())
                .await
                .optional()?;
            let provisioning: Option<ProvisioningRow> = tx
                .scope(number_provisioning::table)
                .select(ProvisioningRow::as_select())
                .first(tx.conn())
                .await
                .optional()?;
            let period_end: Option<DateTime<Utc>> = tx
                .scope(tenant_billing::table)
                .select(tenant_billing::current_period_end)
                .first(tx.conn())
                .await
                .optional()?
                .flatten();
            let tz: chrono_tz::Tz = match tenant.time_zone.parse() {
                Ok(tz) => tz,
                Err(_) => {
                    tracing::warn!(tenant_id = %tenant.id, time_zone = %tenant.time_zone, "unknown stored time zone; the month is counted in UTC");
                    chrono_tz::UTC
                }
            };
            let sums: Vec<(UsageKind, Option<i64>)> = tx
                .scope(usage_events::table)
                .filter(usage_events::occurred_at.ge(month_start(tz, now)))
                .group_by(usage_events::kind)
                .select((usage_events::kind, diesel::dsl::sum(usage_events::quantity)))
                .load(tx.conn())
                .await?;
            let mut usage = Usage::default();
            for (kind, n) in sums {
                usage.add(kind, n.unwrap_or(0));
            }
            let next_billing_date = period_end.or(match tenant.status {
                TenantStatus::Trialing => tenant.trial_ends_at,
                _ => None,
            });
            Ok(TenantProfile {
                features: servicepro_schema::features::enabled_features(
                    tenant.plan_tier,
                    tenant.status,
                ),
                billing: BillingView {
                    status: tenant.status,
                    next_billing_date,
                    banner: banner(tenant.status),
                },
                phone_number,
                provisioning: provisioning.map(|p| p.state),
                usage,
                id: tenant.id,
                name: tenant.name,
                industry: tenant.industry,
                plan_tier: tenant.plan_tier,
                status: tenant.status,
                trial_ends_at: tenant.trial_ends_at,
            })
        })
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_month_starts_in_the_business_time_zone() {
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 3, 0, 0).unwrap();
        // 03:00 UTC on Dec 1 is still November in Chicago.
        assert_eq!(
            month_start(chrono_tz::America::Chicago, now),
            Utc.with_ymd_and_hms(2026, 11, 1, 5, 0, 0).unwrap()
        );
        assert_eq!(
            month_start(chrono_tz::UTC, now),
            Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap()
        );
    }

    #[test]
    fn only_trouble_has_a_banner() {
        assert_eq!(banner(TenantStatus::Active), None);
        assert_eq!(banner(TenantStatus::Trialing), None);
        assert!(banner(TenantStatus::PastDue).is_some());
        assert!(banner(TenantStatus::Suspended).is_some());
    }
}
