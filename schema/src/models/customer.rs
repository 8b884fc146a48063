//! The `customers` row: a person who called or texted a tenant.

use crate::ids::TenantId;
use crate::schema::customers;
use chrono::{DateTime, Utc};
use diesel::{Insertable, Queryable, Selectable};

/// A tenant's customer.
#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = customers, check_for_backend(diesel::pg::Pg))]
pub struct Customer {
    /// Owning tenant.
    pub tenant_id: TenantId,
    /// Row id within the tenant.
    pub id: i64,
    /// Phone in E.164.
    pub phone: String,
    /// Name, once known.
    pub name: Option<String>,
    /// Email, once known.
    pub email: Option<String>,
    /// Service address, once known.
    pub address: Option<String>,
    /// Texted STOP: nothing more is sent until START.
    pub sms_opted_out: bool,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

/// A customer to create.
#[derive(Debug, Clone, Default, Insertable)]
#[diesel(table_name = customers)]
pub struct NewCustomer {
    /// Phone in E.164.
    pub phone: String,
    /// Name.
    pub name: Option<String>,
    /// Email.
    pub email: Option<String>,
    /// Address.
    pub address: Option<String>,
}
