//! A starter tenant bringing its own Twilio account, and going back to the
//! platform's. The credentials are checked against Twilio (the account answers
//! only to its own SID and token) before the token is sealed and stored on the
//! tenant's numbers; from then on its webhooks are verified with that token and its
//! texts and calls are sent with these credentials
//! (`TenantContext::twilio_credentials`, used by the outbox and the receptionist).
//! Switching back clears them and keeps every number and all history.
//!
//! The writes go through the tenant's own scope, not the `TenantActor`: they move
//! the tenant's version (migration 0011), so every cache sees them on the next
//! message.

use crate::messaging::{TwilioCredentials, TwilioError, TwilioRest};
use crate::provisioning::numbers::{self, NumberWebhooks};
use chrono::Utc;
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl};
use diesel_async::RunQueryDsl;
use servicepro_schema::models::NewPhoneConfig;
use servicepro_schema::schema::{tenant_phone_config, tenants};
use servicepro_schema::{
    DbError, IvrMode, PlanTier, SecretBox, SecretString, TenantDb, VoiceAudio, E164,
};

/// A Twilio account SID: `AC` and 32 hex digits.
pub fn parse_account_sid(raw: &str) -> Result<String, &'static str> {
    let ok =
        raw.len() == 34 && raw.starts_with("AC") && raw[2..].chars().all(|c| c.is_ascii_hexdigit());
    if ok {
        Ok(raw.to_owned())
    } else {
        Err("expected AC followed by 32 hex digits")
    }
}

/// A request to use the tenant's own account (a tenant that has a number already
/// must hold it in that account).
#[derive(Debug, Clone)]
pub struct OwnAccount {
    /// Account SID.
    pub account_sid: String,
    /// Auth token (checked, then sealed).
    pub auth_token: SecretString,
    /// The number in that account to use, required when the tenant has none yet.
    pub phone_number: Option<E164>,
}

/// Why the switch was refused.
#[derive(Debug, thiserror::Error)]
pub enum ByoError {
    /// Only the starter plan brings its own account (pro and elite numbers live
    /// on the platform's account).
    #[error("the {0} plan uses the platform's Twilio account")]
    NotStarter(PlanTier),
    /// Twilio refused the credentials.
    #[error("Twilio refused these credentials")]
    Refused(#[source] TwilioError),
    /// Twilio could not be asked.
    #[error(transparent)]
    Twilio(TwilioError),
    /// The tenant has no number and named none.
    #[error("phone_number is required: the tenant has no number yet")]
    NeedsNumber,
    /// The named number is not in that account.
    #[error("the number is not in this Twilio account")]
    NotInAccount,
    /// The token could not be sealed.
    #[error("the auth token could not be encrypted")]
    Secret,
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbError),
}

/// What Twilio's answer to a credentials check means.
fn checked(err: TwilioError) -> ByoError {
    match err {
        TwilioError::Api {
            status: 401 | 403 | 404,
            ..
        } => ByoError::Refused(err),
        other => ByoError::Twilio(other),
    }
}

async fn tier_and_number(db: &TenantDb) -> Result<(PlanTier, Option<E164>), DbError> {
    db.transaction(|tx| {
        Box::pin(async move {
            let tier: PlanTier = tx
                .scope(tenants::table)
                .select(tenants::plan_tier)
                .first(tx.conn())
                .await?;
            let number: Option<E164> = tx
                .scope(tenant_phone_config::table)
                .order(tenant_phone_config::id)
                .select(tenant_phone_config::phone_number)
                .first(tx.conn())
                .await
                .optional()?;
            Ok((tier, number))
        })
    })
    .await
}

/// Switches `db`'s tenant to its own Twilio account (see the module docs).
pub async fn use_own_account(
    db: &TenantDb,
    twilio: &TwilioRest,
    secrets: &SecretBox,
    hooks: &NumberWebhooks,
    own: OwnAccount,
    voice_audio: VoiceAudio,
) -> Result<(), ByoError> {
    let (tier, current) = tier_and_number(db).await?;
    if tier != PlanTier::Starter {
        return Err(ByoError::NotStarter(tier));
    }
    let creds = TwilioCredentials {
        account_sid: own.account_sid.clone(),
        auth_token: own.auth_token.clone(),
    };
    twilio.fetch_account(&creds).await.map_err(checked)?;
    let new_number = match (current, own.phone_number) {
        // Its number must be in that account too, or nothing could be sent from it.
        (Some(number), _) => {
            numbers::find_in_account(twilio, &creds, &number)
                .await
                .map_err(checked)?
                .ok_or(ByoError::NotInAccount)?;
            None
        }
        (None, None) => return Err(ByoError::NeedsNumber),
        (None, Some(number)) => {
            let owned = numbers::find_in_account(twilio, &creds, &number)
                .await
                .map_err(checked)?
                .ok_or(ByoError::NotInAccount)?;
            numbers::point_at_us(twilio, &creds, &owned.sid, hooks)
                .await
                .map_err(ByoError::Twilio)?;
            Some(owned.phone_number)
        }
    };
    let sealed = secrets
        .seal(own.auth_token.expose_secret())
        .map_err(|_| ByoError::Secret)?;
    let sid = own.account_sid;
    db.transaction(move |tx| {
        Box::pin(async move {
            if let Some(number) = new_number {
                let row = NewPhoneConfig {
                    phone_number: number,
                    ivr_mode: IvrMode::Ivr,
                    sip_uri: None,
                    forward_to: None,
                    messaging_service_sid: None,
                    twilio_account_sid: Some(sid),
                    twilio_auth_token_encrypted: Some(sealed),
                    voice_audio,
                    record_calls: false,
                };
                tx.insert(tenant_phone_config::table, row)
                    .execute(tx.conn())
                    .await?;
            } else {
                diesel::update(tx.scope(tenant_phone_config::table))
                    .set((
                        tenant_phone_config::twilio_account_sid.eq(Some(sid)),
                        tenant_phone_config::twilio_auth_token_encrypted.eq(Some(sealed)),
                        tenant_phone_config::updated_at.eq(Utc::now()),
                    ))
                    .execute(tx.conn())
                    .await?;
            }
            Ok(())
        })
    })
    .await?;
    tracing::info!(tenant_id = %db.tenant(), "tenant switched to its own Twilio account");
    Ok(())
}

/// Switches `db`'s tenant back to the platform's account: its numbers and history
/// stay. Idempotent.
pub async fn use_platform_account(db: &TenantDb) -> Result<(), DbError> {
    db.transaction(|tx| {
        Box::pin(async move {
            diesel::update(
                tx.scope(tenant_phone_config::table)
                    .filter(tenant_phone_config::twilio_account_sid.is_not_null()),
            )
            .set((
                tenant_phone_config::twilio_account_sid.eq(None::<String>),
                tenant_phone_config::twilio_auth_token_encrypted.eq(None::<Vec<u8>>),
                tenant_phone_config::updated_at.eq(Utc::now()),
            ))
            .execute(tx.conn())
            .await?;
            Ok(())
        })
    })
    .await?;
    tracing::info!(tenant_id = %db.tenant(), "tenant switched to the platform Twilio account");
    Ok(())
}
