//! Root administration of tenants: create, list and inspect, through the
//! audited cross-tenant path. Requests arrive already parsed into domain
//! types; this module owns the rules (trial length, secret sealing,
//! which uniqueness conflict means what).

use chrono::{DateTime, Duration, Utc};
use diesel::{ExpressionMethods, QueryDsl, SelectableHelper};
use diesel_async::RunQueryDsl;
use servicepro_schema::models::{NewPhoneConfig, NewTenant, PhoneConfig, Tenant};
use servicepro_schema::root_db::{AuditEntry, RootTx};
use servicepro_schema::schema::{tenant_billing, tenant_config, tenant_phone_config, tenants};
use servicepro_schema::{
    DbError, IvrMode, PlanTier, RootDb, SecretBox, SecretString, TenantId, TenantStatus,
    VoiceAudio, E164,
};

/// How long a new trial lasts.
pub const TRIAL_DAYS: i64 = 14;

/// The industries a tenant can be set up for (each has an industry pack).
pub use crate::packs::INDUSTRIES;

/// Where an `simple`-mode call (or "talk to a person") is forwarded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ForwardTarget {
    /// The owner's SIP softphone, e.g. `jody@cleanmachine.sip.twilio.com`.
    Sip(String),
    /// The owner's phone number.
    Number(E164),
}

/// A validated request to create a tenant.
#[derive(Debug, Clone)]
pub struct CreateTenant {
    /// The new tenant's id.
    pub id: TenantId,
    /// Business name.
    pub name: String,
    /// One of [`INDUSTRIES`].
    pub industry: String,
    /// Plan.
    pub plan_tier: PlanTier,
    /// Status.
    pub status: TenantStatus,
    /// The tenant's number.
    pub phone_number: E164,
    /// How calls are answered.
    pub ivr_mode: IvrMode,
    /// Where calls are forwarded.
    pub forward: ForwardTarget,
    /// BYO Twilio account: SID and auth token (sealed before storing).
    pub byo_twilio: Option<(String, SecretString)>,
    /// IANA time zone.
    pub time_zone: chrono_tz::Tz,
    /// AI receptionist audio to the provider: `pcmu` or `pcm16`.
    pub voice_audio: VoiceAudio,
    /// Whether AI receptionist calls are recorded (both legs, one Ogg Opus file).
    pub record_calls: bool,
}

/// A tenant with its primary number, as the admin API shows it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TenantSummary {
    /// The tenant row.
    #[serde(flatten)]
    pub tenant: Tenant,
    /// Its primary number, if one is configured.
    pub phone_number: Option<E164>,
    /// How its calls are answered.
    pub ivr_mode: Option<IvrMode>,
    /// SIP forward target.
    pub sip_uri: Option<String>,
    /// Phone forward target.
    pub forward_to: Option<String>,
    /// Whether it brought its own Twilio account.
    pub byo_twilio: bool,
    /// Whether its AI receptionist calls are recorded.
    pub record_calls: bool,
    /// Features enabled now.
    pub features: Vec<servicepro_schema::Feature>,
}

/// Why a tenant admin operation failed.
#[derive(Debug, thiserror::Error)]
pub enum TenantAdminError {
    /// A unique field is already taken.
    #[error("{field} is already in use")]
    Duplicate {
        /// The request field that collided.
        field: &'static str,
    },
    /// The secret could not be sealed.
    #[error("could not encrypt secret")]
    Secret,
    /// The tenant's industry pack could not be loaded.
    #[error(transparent)]
    Pack(#[from] crate::packs::PackError),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbError),
}

/// Creates a tenant with its billing, config and phone rows, seeded from
/// its industry pack, in one audited transaction.
pub async fn create_tenant(
    root: &RootDb,
    secrets: &SecretBox,
    actor: &str,
    req: CreateTenant,
) -> Result<TenantSummary, TenantAdminError> {
    let (twilio_account_sid, twilio_auth_token_encrypted) = match &req.byo_twilio {
        Some((sid, token)) => (
            Some(sid.clone()),
            Some(
                secrets
                    .seal(token.expose_secret())
                    .map_err(|_| TenantAdminError::Secret)?,
            ),
        ),
        None => (None, None),
    };
    let trial_ends_at: Option<DateTime<Utc>> =
        (req.status == TenantStatus::Trialing).then(|| Utc::now() + Duration::days(TRIAL_DAYS));
    let (sip_uri, forward_to) = match &req.forward {
        ForwardTarget::Sip(uri) => (Some(uri.clone()), None),
        ForwardTarget::Number(n) => (None, Some(n.as_str().to_owned())),
    };
    let tenant = NewTenant {
        id: req.id.clone(),
        name: req.name.clone(),
        industry: req.industry.clone(),
        plan_tier: req.plan_tier,
        status: req.status,
        trial_ends_at,
        time_zone: req.time_zone.name().to_owned(),
    };
    let phone = NewPhoneConfig {
        phone_number: req.phone_number.clone(),
        ivr_mode: req.ivr_mode,
        sip_uri,
        forward_to,
        messaging_service_sid: None,
        twilio_account_sid,
        twilio_auth_token_encrypted,
        voice_audio: req.voice_audio,
        record_calls: req.record_calls,
    };
    let mut audit = AuditEntry::new(actor, "tenant.create", Some(&req.id));
    audit.detail = serde_json::json!({
        "plan_tier": req.plan_tier, "status": req.status, "industry": req.industry,
        "phone_number": req.phone_number.as_str(), "ivr_mode": req.ivr_mode,
        "record_calls": req.record_calls,
    });
    let id = req.id.clone();
    let pack = crate::packs::pack(&req.industry)?;
    let created = root
        .transaction(audit, move |tx| {
            Box::pin(async move { insert_tenant(tx, tenant, Some(phone), pack).await })
        })
        .await;
    match created {
        Ok(()) => {}
        Err(DbError::Conflict { constraint, .. }) => {
            let field = if constraint.contains("phone_number") {
                "phone_number"
            } else {
                "id"
            };
            return Err(TenantAdminError::Duplicate { field });
        }
        Err(e) => return Err(e.into()),
    }
    get_tenant(root, actor, &id)
        .await?
        .ok_or(TenantAdminError::Db(DbError::NotFound))
}

/// Inserts a tenant with its billing and config rows (and its number, when it has
/// one) and seeds it from `pack`, inside an open root transaction: the one creation
/// path, shared by the admin API and self-serve signup.
pub(super) async fn insert_tenant(
    tx: &mut RootTx,
    tenant: NewTenant,
    phone: Option<NewPhoneConfig>,
    pack: &crate::packs::IndustryPack,
) -> Result<(), DbError> {
    let tid = tenant.id.clone();
    diesel::insert_into(tenants::table)
        .values(&tenant)
        .execute(tx.conn())
        .await?;
    diesel::insert_into(tenant_billing::table)
        .values(tenant_billing::tenant_id.eq(&tid))
        .execute(tx.conn())
        .await?;
    diesel::insert_into(tenant_config::table)
        .values(tenant_config::tenant_id.eq(&tid))
        .execute(tx.conn())
        .await?;
    if let Some(phone) = phone {
        diesel::insert_into(tenant_phone_config::table)
            .values((tenant_phone_config::tenant_id.eq(&tid), &phone))
            .execute(tx.conn())
            .await?;
    }
    crate::tenant::seed::seed_in(tx, tid.as_str(), pack).await?;
    Ok(())
}

async fn load_summaries(
    tx: &mut RootTx,
    only: Option<String>,
) -> Result<Vec<TenantSummary>, DbError> {
    let mut query = tenants::table
        .select(Tenant::as_select())
        .order(tenants::id)
        .into_boxed();
    if let Some(id) = only {
        query = query.filter(tenants::id.eq(id));
    }
    let rows: Vec<Tenant> = query.load(tx.conn()).await?;
    let ids: Vec<&str> = rows.iter().map(|t| t.id.as_str()).collect();
    let phones: Vec<PhoneConfig> = tenant_phone_config::table
        .filter(tenant_phone_config::tenant_id.eq_any(&ids))
        .order((tenant_phone_config::tenant_id, tenant_phone_config::id))
        .select(PhoneConfig::as_select())
        .load(tx.conn())
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for tenant in rows {
        let phone = phones.iter().find(|p| p.tenant_id == tenant.id);
        let features =
            servicepro_schema::features::enabled_features(tenant.plan_tier, tenant.status);
        out.push(TenantSummary {
            phone_number: phone.map(|p| p.phone_number.clone()),
            ivr_mode: phone.map(|p| p.ivr_mode),
            sip_uri: phone.and_then(|p| p.sip_uri.clone()),
            forward_to: phone.and_then(|p| p.forward_to.clone()),
            byo_twilio: phone.is_some_and(|p| p.twilio_auth_token_encrypted.is_some()),
            record_calls: phone.is_some_and(|p| p.record_calls),
            features,
            tenant,
        });
    }
    Ok(out)
}

/// Every tenant, ordered by id.
pub async fn list_tenants(root: &RootDb, actor: &str) -> Result<Vec<TenantSummary>, DbError> {
    root.transaction(AuditEntry::new(actor, "tenant.list", None), |tx| {
        Box::pin(load_summaries(tx, None))
    })
    .await
}

/// One tenant, if it exists.
pub async fn get_tenant(
    root: &RootDb,
    actor: &str,
    id: &TenantId,
) -> Result<Option<TenantSummary>, DbError> {
    let wanted = id.as_str().to_owned();
    let mut found = root
        .transaction(AuditEntry::new(actor, "tenant.get", Some(id)), move |tx| {
            Box::pin(load_summaries(tx, Some(wanted)))
        })
        .await?;
    Ok(found.pop())
}
