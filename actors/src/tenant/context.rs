//! Everything the engine needs to know about a tenant to answer a call or
//! send a text: the tenant row, its primary number and its settings, with the
//! version they were read at, read in one tenant-scoped transaction (the four
//! reads pipelined). The tenant's [`super::actor::TenantActor`] keeps it.

use crate::messaging::{SmsFrom, TwilioCredentials};
use diesel::{OptionalExtension, QueryDsl, SelectableHelper};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use servicepro_schema::models::{PhoneConfig, Tenant, TenantConfig};
use servicepro_schema::schema::{tenant_config, tenant_phone_config, tenant_versions, tenants};
use servicepro_schema::{DbError, SecretBox, SecretString, TenantDb, TenantVersion};

/// A tenant with its number and settings.
#[derive(Debug, Clone)]
pub struct TenantContext {
    /// The version of the tenant's cached data this was read at (read first, so the
    /// rows below are at least that new).
    pub version: TenantVersion,
    /// The tenant row.
    pub tenant: Tenant,
    /// Its primary number.
    pub phone: Option<PhoneConfig>,
    /// Its settings.
    pub config: Option<TenantConfig>,
}

impl TenantContext {
    /// Loads the context of `db`'s tenant.
    pub async fn load(db: &TenantDb) -> Result<Self, DbError> {
        db.transaction(|tx| {
            Box::pin(async move {
                // Four reads, pipelined: sent together, answered in one round trip. The
                // version comes first, so what follows is never older than it.
                let version = tx
                    .scope(tenant_versions::table)
                    .select(tenant_versions::version);
                let tenant = tx.scope(tenants::table).select(Tenant::as_select());
                let phone = tx
                    .scope(tenant_phone_config::table)
                    .order(tenant_phone_config::id)
                    .select(PhoneConfig::as_select());
                let config = tx
                    .scope(tenant_config::table)
                    .select(TenantConfig::as_select());
                let conn: &AsyncPgConnection = tx.conn();
                let version = version.first::<i64>(&mut &*conn);
                let tenant = tenant.first::<Tenant>(&mut &*conn);
                let phone = phone.first::<PhoneConfig>(&mut &*conn);
                let config = config.first::<TenantConfig>(&mut &*conn);
                let (version, tenant, phone, config) =
                    futures_util::future::join4(version, tenant, phone, config).await;
                Ok(TenantContext {
                    version: TenantVersion::new(version?),
                    tenant: tenant?,
                    phone: phone.optional()?,
                    config: config.optional()?,
                })
            })
        })
        .await
    }

    /// The credentials to call Twilio with for this tenant: its own account
    /// when it brought one (and the token opens), else the platform's.
    pub fn twilio_credentials(
        &self,
        secrets: &SecretBox,
        platform: Option<&TwilioCredentials>,
    ) -> Option<TwilioCredentials> {
        let own = self.phone.as_ref().and_then(|p| {
            let sid = p.twilio_account_sid.clone()?;
            let sealed = p.twilio_auth_token_encrypted.as_ref()?;
            match secrets.open(sealed) {
                Ok(auth_token) => Some(TwilioCredentials { account_sid: sid, auth_token }),
                Err(e) => {
                    tracing::error!(tenant_id = %self.tenant.id, error = %e, "BYO Twilio token cannot be opened");
                    None
                }
            }
        });
        own.or_else(|| platform.cloned())
    }

    /// The auth token Twilio signs this tenant's webhooks with.
    pub fn webhook_auth_token(
        &self,
        secrets: &SecretBox,
        platform: Option<&SecretString>,
    ) -> Option<SecretString> {
        let own = self.phone.as_ref().and_then(|p| {
            p.twilio_auth_token_encrypted
                .as_ref()
                .and_then(|sealed| secrets.open(sealed).ok())
        });
        own.or_else(|| platform.cloned())
    }

    /// Where this tenant's texts are sent from.
    pub fn sms_from(&self) -> Option<SmsFrom> {
        let phone = self.phone.as_ref()?;
        Some(match &phone.messaging_service_sid {
            Some(sid) => SmsFrom::MessagingService(sid.clone()),
            None => SmsFrom::Number(phone.phone_number.clone()),
        })
    }

    /// The tenant's number as texts show it.
    pub fn phone_number(&self) -> Option<&str> {
        self.phone.as_ref().map(|p| p.phone_number.as_str())
    }
}
