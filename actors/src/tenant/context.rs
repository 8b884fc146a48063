//! Everything the engine needs to know about a tenant to answer a call or
//! send a text: the tenant row, its primary number and its settings, read
//! in one tenant-scoped transaction (the three reads pipelined).

use crate::messaging::{SmsFrom, TwilioCredentials};
use diesel::{OptionalExtension, QueryDsl, SelectableHelper};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use servicepro_schema::models::{PhoneConfig, Tenant, TenantConfig};
use servicepro_schema::schema::{tenant_config, tenant_phone_config, tenants};
use servicepro_schema::{DbError, SecretBox, TenantDb};

/// A tenant with its number and settings.
#[derive(Debug, Clone)]
pub struct TenantContext {
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
                // Three reads, pipelined: sent together, answered in one round trip.
                let tenant = tx.scope(tenants::table).select(Tenant::as_select());
                let phone = tx
                    .scope(tenant_phone_config::table)
                    .order(tenant_phone_config::id)
                    .select(PhoneConfig::as_select());
                let config = tx
                    .scope(tenant_config::table)
                    .select(TenantConfig::as_select());
                let conn: &AsyncPgConnection = tx.conn();
                let tenant = tenant.first::<Tenant>(&mut &*conn);
                let phone = phone.first::<PhoneConfig>(&mut &*conn);
                let config = config.first::<TenantConfig>(&mut &*conn);
                let (tenant, phone, config) =
                    futures_util::future::join3(tenant, phone, config).await;
                Ok(TenantContext {
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
        platform: Option<&str>,
    ) -> Option<String> {
        let own = self.phone.as_ref().and_then(|p| {
            p.twilio_auth_token_encrypted
                .as_ref()
                .and_then(|sealed| secrets.open(sealed).ok())
        });
        own.or_else(|| platform.map(str::to_owned))
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

/// Tenant contexts kept between requests, each with the version the database gave it
/// (`lookup::tenant_version_by_phone`): reused only while the version is unchanged, so a
/// change to the tenant, its numbers or its settings is seen by the very next request.
#[derive(Clone, Default)]
pub struct ContextCache {
    entries: std::sync::Arc<
        std::sync::Mutex<std::collections::HashMap<servicepro_schema::TenantId, Versioned>>,
    >,
}

/// A cached context and the version it was read at.
type Versioned = (String, std::sync::Arc<TenantContext>);

impl ContextCache {
    /// `db`'s tenant context at `version`: the cached one when it is that version, else
    /// read now (and kept under it). The read comes after the caller's version check,
    /// so what is kept is never older than the version it is kept under.
    pub async fn get(
        &self,
        db: &TenantDb,
        version: &str,
    ) -> Result<std::sync::Arc<TenantContext>, DbError> {
        let cached = self.entries.lock().ok().and_then(|entries| {
            entries
                .get(db.tenant())
                .filter(|(v, _)| v == version)
                .map(|(_, ctx)| std::sync::Arc::clone(ctx))
        });
        if let Some(ctx) = cached {
            return Ok(ctx);
        }
        let ctx = std::sync::Arc::new(TenantContext::load(db).await?);
        if let Ok(mut entries) = self.entries.lock() {
            entries.insert(
                db.tenant().clone(),
                (version.to_owned(), std::sync::Arc::clone(&ctx)),
            );
        }
        Ok(ctx)
    }
}
