//! The `tenants` row.

use crate::features::{has_feature, Feature};
use crate::ids::TenantId;
use crate::schema::tenants;
use crate::types::{PlanTier, TenantStatus};
use chrono::{DateTime, Utc};
use diesel::{Insertable, Queryable, Selectable};

/// A tenant as stored.
#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = tenants, check_for_backend(diesel::pg::Pg))]
pub struct Tenant {
    /// The tenant id (`root` for the flagship).
    pub id: TenantId,
    /// The business name callers and texters hear.
    pub name: String,
    /// The industry pack it was set up from.
    pub industry: String,
    /// Its plan.
    pub plan_tier: PlanTier,
    /// Its billing status.
    pub status: TenantStatus,
    /// When the trial ends, while trialing.
    pub trial_ends_at: Option<DateTime<Utc>>,
    /// IANA time zone of the business.
    pub time_zone: String,
    /// When the tenant was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

impl Tenant {
    /// Whether this tenant may use `feature` now (tier and status).
    pub fn has_feature(&self, feature: Feature) -> bool {
        has_feature(self.plan_tier, self.status, feature)
    }
}

/// A tenant to create (root path only).
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = tenants)]
pub struct NewTenant {
    /// The tenant id.
    pub id: TenantId,
    /// The business name.
    pub name: String,
    /// The industry pack.
    pub industry: String,
    /// The plan.
    pub plan_tier: PlanTier,
    /// The status.
    pub status: TenantStatus,
    /// Trial end, when trialing.
    pub trial_ends_at: Option<DateTime<Utc>>,
    /// IANA time zone.
    pub time_zone: String,
}
