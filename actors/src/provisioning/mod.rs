//! Buying a tenant's platform number: the one engine entry point
//! [`Provisioner::ensure_number`] (signup, the retry job and a billing upgrade call
//! it), never two numbers for one tenant.
//!
//! * [`numbers`] — Twilio's number resources on the wire (search by area code, buy
//!   with our webhooks, find what was bought for a tenant, release).
//! * [`store`] — the tenant's `number_provisioning` row: lease, intent, bought SID,
//!   done together with its `tenant_phone_config` row.
//! * [`retry`] — [`retry::NumberProvisioner`], the supervised actor that retries
//!   pending tenants with exponential backoff.
//!
//! Idempotence: the intent (`buying`) is stored before Twilio is asked to buy, the
//! SID (`bought`) right after, and a claim resumes from the row. When a purchase's
//! answer was lost (a crash, a timeout, a 5xx after the fact), the number is found
//! again by its FriendlyName (`sp:{tenant}`) before anything is bought.
//!
//! Release: [`Provisioner::release_number`] gives a number back to Twilio. Only a
//! cancelled tenant's number is released, after its retention window; suspension
//! never releases. The retention window is not built yet, so nothing calls it
//! automatically.

pub mod numbers;
pub mod retry;
pub mod store;

use crate::messaging::{TwilioCredentials, TwilioError, TwilioRest};
use numbers::{NumberWebhooks, OwnedNumber};
use servicepro_schema::models::NewPhoneConfig;
use servicepro_schema::{
    DbError, DbPool, Feature, IvrMode, PlanTier, TenantDb, TenantId, TenantStatus, VoiceAudio, E164,
};
use std::time::Duration;
use store::Claim;

/// How long one try may hold a tenant's provisioning, in seconds (longer than
/// Twilio's timeouts).
pub const LEASE_SECS: u32 = 120;
/// [`LEASE_SECS`] as a duration.
pub const LEASE: Duration = Duration::from_secs(LEASE_SECS as u64);

/// Waits between failed tries: `base`, doubled per failure, at most `max`.
#[derive(Debug, Clone, Copy)]
pub struct Backoff {
    /// The first wait.
    pub base: Duration,
    /// The longest wait.
    pub max: Duration,
}

impl Backoff {
    /// The wait after `failures` failed tries (1 for the first failure).
    pub fn after(&self, failures: u32) -> Duration {
        let doublings = failures.saturating_sub(1).min(20);
        self.base.saturating_mul(1u32 << doublings).min(self.max)
    }
}

/// Why no number was attached (yet).
#[derive(Debug, thiserror::Error)]
pub enum ProvisionError {
    /// Twilio has no local number with calls and texts in the area code now.
    #[error("no number available in area code {area_code}")]
    NoNumbers {
        /// The area code searched.
        area_code: String,
    },
    /// The tenant's plan includes no platform number.
    #[error("the {0} plan includes no platform number")]
    NotIncluded(PlanTier),
    /// There is nothing to provision from (no signup area code, or released).
    #[error("nothing to provision for this tenant")]
    Nothing,
    /// Another worker is on it, or its next try is not due yet.
    #[error("provisioning is in progress elsewhere")]
    Busy,
    /// The platform Twilio account is not configured.
    #[error("the platform Twilio account is not configured")]
    NotConfigured,
    /// Twilio failed.
    #[error(transparent)]
    Twilio(#[from] TwilioError),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbError),
}

impl ProvisionError {
    /// What the owner is told, in plain words.
    pub fn owner_message(&self) -> &'static str {
        match self {
            ProvisionError::NoNumbers { .. } => {
                "No phone number is available in your area code right now. Your account is ready; we keep looking and your number will appear in your profile as soon as we get one."
            }
            ProvisionError::NotIncluded(_) | ProvisionError::Nothing => {
                "Your plan does not include a phone number from us; you can bring your own Twilio account."
            }
            _ => {
                "We could not set up your phone number just now. Your account is ready; we keep trying and your number will appear in your profile as soon as it is set up."
            }
        }
    }
}

/// Buys and attaches platform numbers.
#[derive(Debug, Clone)]
pub struct Provisioner {
    /// The role-restricted pool (every step runs in the tenant's own scope).
    pub pool: DbPool,
    /// Twilio's REST API.
    pub twilio: TwilioRest,
    /// The platform account numbers are bought on.
    pub platform: Option<TwilioCredentials>,
    /// Our webhooks, set on every bought number.
    pub hooks: NumberWebhooks,
    /// Waits between failed tries.
    pub backoff: Backoff,
    /// AI receptionist audio of new numbers.
    pub voice_audio: VoiceAudio,
}

/// How a bought number answers until its owner changes it: the AI receptionist on
/// the tier that has it, else the menu.
pub fn default_ivr_mode(tier: PlanTier) -> IvrMode {
    if servicepro_schema::has_feature(tier, TenantStatus::Active, Feature::AiVoiceAgent) {
        IvrMode::AiVoice
    } else {
        IvrMode::Ivr
    }
}

/// Whether `tier` comes with a number on the platform account.
pub fn includes_number(tier: PlanTier) -> bool {
    servicepro_schema::has_feature(tier, TenantStatus::Active, Feature::DedicatedNumber)
}

impl Provisioner {
    /// Makes sure `tenant` has its number: the one it has, else one bought now (or
    /// found bought for it). A failure is recorded for the retry job, with backoff.
    pub async fn ensure_number(&self, tenant: &TenantId) -> Result<E164, ProvisionError> {
        self.attempt(tenant, false).await
    }

    /// [`Provisioner::ensure_number`] only when the tenant's next try is due.
    pub async fn retry_if_due(&self, tenant: &TenantId) -> Result<E164, ProvisionError> {
        self.attempt(tenant, true).await
    }

    async fn attempt(&self, tenant: &TenantId, due_only: bool) -> Result<E164, ProvisionError> {
        let db = TenantDb::new(self.pool.clone(), tenant.clone());
        let (tier, row) = match store::claim(&db, LEASE_SECS, due_only).await? {
            Claim::HasNumber(number) => return Ok(number),
            Claim::Busy => return Err(ProvisionError::Busy),
            Claim::Nothing => return Err(ProvisionError::Nothing),
            Claim::Claimed(tier, row) => (tier, row),
        };
        let result = if includes_number(tier) {
            self.provision(&db, tier, &row).await
        } else {
            Err(ProvisionError::NotIncluded(tier))
        };
        if let Err(e) = &result {
            let failures = u32::try_from(row.attempts).unwrap_or(0).saturating_add(1);
            let wait = self.backoff.after(failures);
            tracing::warn!(tenant_id = %tenant, error = %e, attempt = failures, retry_in_secs = wait.as_secs(), "number provisioning failed; will retry");
            store::failed(&db, e.to_string(), wait).await?;
        }
        result
    }

    fn credentials(&self) -> Result<&TwilioCredentials, ProvisionError> {
        self.platform.as_ref().ok_or(ProvisionError::NotConfigured)
    }

    async fn provision(
        &self,
        db: &TenantDb,
        tier: PlanTier,
        row: &store::ProvisioningRow,
    ) -> Result<E164, ProvisionError> {
        let creds = self.credentials()?;
        let tenant = db.tenant();
        let bought = match row.bought() {
            Some(bought) => bought,
            None => match numbers::bought_for(&self.twilio, creds, tenant)
                .await?
                .pop()
            {
                Some(found) => {
                    tracing::info!(tenant_id = %tenant, sid = %found.sid, "number found already bought for the tenant");
                    store::record_bought(db, &found).await?;
                    found
                }
                None => self.buy(db, creds, &row.area_code).await?,
            },
        };
        let phone = NewPhoneConfig {
            phone_number: bought.phone_number.clone(),
            ivr_mode: default_ivr_mode(tier),
            sip_uri: None,
            forward_to: None,
            messaging_service_sid: None,
            twilio_account_sid: None,
            twilio_auth_token_encrypted: None,
            voice_audio: self.voice_audio,
            record_calls: false,
        };
        store::finish(db, &bought, phone).await?;
        tracing::info!(tenant_id = %tenant, "number provisioned");
        Ok(bought.phone_number)
    }

    async fn buy(
        &self,
        db: &TenantDb,
        creds: &TwilioCredentials,
        area_code: &str,
    ) -> Result<OwnedNumber, ProvisionError> {
        let candidates = numbers::search_local(&self.twilio, creds, area_code).await?;
        let Some(number) = candidates.into_iter().next() else {
            return Err(ProvisionError::NoNumbers {
                area_code: area_code.to_owned(),
            });
        };
        store::mark_buying(db).await?;
        let bought = numbers::buy(&self.twilio, creds, db.tenant(), &number, &self.hooks).await?;
        store::record_bought(db, &bought).await?;
        Ok(bought)
    }

    /// Gives `tenant`'s platform number back to Twilio and marks it released. For a
    /// cancelled tenant after its retention window only (never on suspension); no
    /// automatic path calls it yet.
    pub async fn release_number(&self, tenant: &TenantId) -> Result<(), ProvisionError> {
        let db = TenantDb::new(self.pool.clone(), tenant.clone());
        let Some(bought) = store::read(&db).await?.and_then(|row| row.bought()) else {
            return Err(ProvisionError::Nothing);
        };
        numbers::release(&self.twilio, self.credentials()?, &bought.sid).await?;
        store::mark_released(&db, &bought).await?;
        tracing::info!(tenant_id = %tenant, "number released");
        Ok(())
    }
}

/// An upgrade to a tier with a platform number starts getting one here; a failure is
/// left to the retry job (recorded with its backoff by [`Provisioner::ensure_number`]).
impl crate::billing::NumberProvisioner for Provisioner {
    fn ensure_number(&self, tenant: &TenantId) -> futures_util::future::BoxFuture<'static, ()> {
        let (provisioner, tenant) = (self.clone(), tenant.clone());
        Box::pin(async move {
            if let Err(e) = Provisioner::ensure_number(&provisioner, &tenant).await {
                tracing::warn!(tenant_id = %tenant, error = %e, "number for the upgrade not provisioned yet; the retry job continues");
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_its_cap() {
        let b = Backoff {
            base: Duration::from_secs(30),
            max: Duration::from_secs(600),
        };
        assert_eq!(b.after(1), Duration::from_secs(30));
        assert_eq!(b.after(2), Duration::from_secs(60));
        assert_eq!(b.after(3), Duration::from_secs(120));
        assert_eq!(b.after(10), Duration::from_secs(600));
        assert_eq!(b.after(u32::MAX), Duration::from_secs(600));
    }

    #[test]
    fn only_tiers_with_a_dedicated_number_get_one() {
        assert!(!includes_number(PlanTier::Starter));
        assert!(includes_number(PlanTier::Pro));
        assert!(includes_number(PlanTier::Elite));
        assert_eq!(default_ivr_mode(PlanTier::Elite), IvrMode::AiVoice);
        assert_eq!(default_ivr_mode(PlanTier::Pro), IvrMode::Ivr);
    }
}
