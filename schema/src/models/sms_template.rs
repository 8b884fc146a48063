//! The `sms_templates` row: a tenant's wording for an automated text.

use crate::ids::TenantId;
use crate::schema::sms_templates;
use chrono::{DateTime, Utc};
use diesel::{Insertable, Queryable, Selectable};

/// A text template, unique per `(tenant_id, template_key)`.
#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = sms_templates, check_for_backend(diesel::pg::Pg))]
pub struct SmsTemplate {
    /// Owning tenant.
    pub tenant_id: TenantId,
    /// Row id within the tenant.
    pub id: i64,
    /// Which automation uses it, e.g. `booking_confirmation`.
    pub template_key: String,
    /// The text, with `{placeholders}`.
    pub body: String,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// A template to create.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = sms_templates)]
pub struct NewSmsTemplate {
    /// Which automation uses it.
    pub template_key: String,
    /// The text.
    pub body: String,
}
