//! Row types of the tables: `Queryable` rows read back, `New*` values
//! inserted (tenant-owned `New*` types carry no tenant id: [`crate::TenantTx`]
//! stamps it).

pub mod api_key;
pub mod customer;
pub mod message;
pub mod phone_config;
pub mod service;
pub mod sms_template;
pub mod tenant;
pub mod tenant_config;

pub use api_key::{ApiKey, IssuedApiKey};
pub use customer::{Customer, NewCustomer};
pub use message::{MessageRow, NewMessage};
pub use phone_config::{NewPhoneConfig, PhoneConfig};
pub use service::{NewService, Service};
pub use sms_template::{NewSmsTemplate, SmsTemplate};
pub use tenant::{NewTenant, Tenant};
pub use tenant_config::TenantConfig;
