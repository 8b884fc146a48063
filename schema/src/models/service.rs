//! The `services` row: what a tenant sells, at what price and duration.

use crate::ids::TenantId;
use crate::schema::services;
use chrono::{DateTime, Utc};
use diesel::{Insertable, Queryable, Selectable};

/// A service or add-on a tenant offers.
#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = services, check_for_backend(diesel::pg::Pg))]
pub struct Service {
    /// Owning tenant.
    pub tenant_id: TenantId,
    /// Row id within the tenant.
    pub id: i64,
    /// Name, unique within the tenant.
    pub name: String,
    /// Customer-facing description.
    pub description: String,
    /// Price in cents.
    pub price_cents: i32,
    /// How long a job takes.
    pub duration_minutes: i32,
    /// An add-on to a main service rather than a service of its own.
    pub is_addon: bool,
    /// Offered now.
    pub active: bool,
    /// Created.
    pub created_at: DateTime<Utc>,
}

/// A service to create.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = services)]
pub struct NewService {
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Price in cents.
    pub price_cents: i32,
    /// Duration in minutes.
    pub duration_minutes: i32,
    /// Add-on or main service.
    pub is_addon: bool,
}
