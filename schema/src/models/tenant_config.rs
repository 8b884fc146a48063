//! The `tenant_config` row: branding, hours, area, booking rules, owner contact.

use crate::ids::TenantId;
use crate::schema::tenant_config;
use chrono::{DateTime, Utc};
use diesel::{Queryable, Selectable};

/// A tenant's settings.
#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = tenant_config, check_for_backend(diesel::pg::Pg))]
pub struct TenantConfig {
    /// Owning tenant.
    pub tenant_id: TenantId,
    /// Colours, logo, tone.
    pub branding: serde_json::Value,
    /// Opening hours per weekday.
    pub business_hours: serde_json::Value,
    /// Where the business works.
    pub service_area: serde_json::Value,
    /// Lead time, buffers, crews.
    pub booking_rules: serde_json::Value,
    /// Where owner notices are texted.
    pub owner_phone: Option<String>,
    /// Owner's email.
    pub owner_email: Option<String>,
    /// The online booking page texted to callers.
    pub booking_url: Option<String>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// `message` (paused message) or `forward` (to the owner) while suspended.
    pub suspended_call_behavior: String,
}
