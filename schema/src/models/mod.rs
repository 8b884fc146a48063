//! Row types of the tables: `Queryable` rows read back, `New*` values
//! inserted (tenant-owned `New*` types carry no tenant id: [`crate::TenantTx`]
//! stamps it).

pub mod api_key;
pub mod customer;
pub mod phone_config;
pub mod service;
pub mod sms_template;
pub mod tenant;

pub use api_key::{ApiKey, IssuedApiKey};
pub use customer::{Customer, NewCustomer};
pub use phone_config::{NewPhoneConfig, PhoneConfig};
pub use service::{NewService, Service};
pub use sms_template::{NewSmsTemplate, SmsTemplate};
pub use tenant::{NewTenant, Tenant};
