//! One tenant as the operator sees it on `/root/tenants/{id}`: the tenant, its
//! phone configuration and number provisioning, its billing state and the
//! audit trail of plan and status changes, and its recent calls, texts,
//! bookings and errors — one audited cross-tenant read (`dashboard.tenant`).
//! Secrets (SIP password, BYO Twilio token) are never read.

use chrono::{DateTime, Utc};
use diesel::sql_types::{BigInt, Bool, Integer, Jsonb, Nullable, Text, Timestamptz};
use diesel::OptionalExtension;
use diesel_async::RunQueryDsl;
use servicepro_schema::root_db::AuditEntry;
use servicepro_schema::{DbError, PlanTier, ProvisioningState, RootDb, TenantId, TenantStatus};

/// How many of each recent thing are shown.
pub const RECENT: i64 = 10;

/// The tenant itself.
#[derive(Debug, Clone, diesel::QueryableByName)]
pub struct TenantHead {
    /// Business name.
    #[diesel(sql_type = Text)]
    pub name: String,
    /// Industry pack.
    #[diesel(sql_type = Text)]
    pub industry: String,
    /// Plan.
    #[diesel(sql_type = Text)]
    pub plan_tier: PlanTier,
    /// Status.
    #[diesel(sql_type = Text)]
    pub status: TenantStatus,
    /// Trial end.
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub trial_ends_at: Option<DateTime<Utc>>,
    /// IANA zone.
    #[diesel(sql_type = Text)]
    pub time_zone: String,
    /// Created.
    #[diesel(sql_type = Timestamptz)]
    pub created_at: DateTime<Utc>,
    /// Owner's e-mail, when signed up.
    #[diesel(sql_type = Nullable<Text>)]
    pub owner_email: Option<String>,
}

/// A number and how it answers.
#[derive(Debug, Clone, diesel::QueryableByName)]
pub struct PhoneLine {
    /// The number.
    #[diesel(sql_type = Text)]
    pub phone_number: String,
    /// How calls are answered.
    #[diesel(sql_type = Text)]
    pub ivr_mode: String,
    /// Forward to a number.
    #[diesel(sql_type = Nullable<Text>)]
    pub forward_to: Option<String>,
    /// Forward to SIP.
    #[diesel(sql_type = Nullable<Text>)]
    pub sip_uri: Option<String>,
    /// Audio format to the AI provider.
    #[diesel(sql_type = Text)]
    pub voice_audio: String,
    /// Whether AI calls are recorded.
    #[diesel(sql_type = Bool)]
    pub record_calls: bool,
    /// Whether it is on the tenant's own Twilio account.
    #[diesel(sql_type = Bool)]
    pub byo_twilio: bool,
}

/// Where buying the platform number stands.
#[derive(Debug, Clone, diesel::QueryableByName)]
pub struct Provisioning {
    /// State.
    #[diesel(sql_type = Text)]
    pub state: ProvisioningState,
    /// Area code asked for.
    #[diesel(sql_type = Text)]
    pub area_code: String,
    /// Tries so far.
    #[diesel(sql_type = Integer)]
    pub attempts: i32,
    /// The last failure.
    #[diesel(sql_type = Nullable<Text>)]
    pub last_error: Option<String>,
    /// When it is tried next.
    #[diesel(sql_type = Timestamptz)]
    pub next_attempt_at: DateTime<Utc>,
}

/// The subscription as Stripe last told us.
#[derive(Debug, Clone, diesel::QueryableByName)]
pub struct Billing {
    /// Stripe subscription status.
    #[diesel(sql_type = Nullable<Text>)]
    pub subscription_status: Option<String>,
    /// Current period's end.
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub current_period_end: Option<DateTime<Utc>>,
    /// Latest invoice's status.
    #[diesel(sql_type = Nullable<Text>)]
    pub latest_invoice_status: Option<String>,
    /// When the latest invoice was created.
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub latest_invoice_created: Option<DateTime<Utc>>,
    /// Last payment.
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub last_payment_at: Option<DateTime<Utc>>,
    /// Its amount.
    #[diesel(sql_type = Nullable<BigInt>)]
    pub last_payment_cents: Option<i64>,
}

/// One audit row about the tenant (status and tier changes, billing, root reads).
#[derive(Debug, Clone, diesel::QueryableByName)]
pub struct AuditRow {
    /// When.
    #[diesel(sql_type = Timestamptz)]
    pub at: DateTime<Utc>,
    /// Who.
    #[diesel(sql_type = Text)]
    pub actor: String,
    /// What.
    #[diesel(sql_type = Text)]
    pub action: String,
    /// Details.
    #[diesel(sql_type = Jsonb)]
    pub detail: serde_json::Value,
}

/// A recent call.
#[derive(Debug, Clone, diesel::QueryableByName)]
pub struct CallRow {
    /// Started.
    #[diesel(sql_type = Timestamptz)]
    pub at: DateTime<Utc>,
    /// Caller.
    #[diesel(sql_type = Text)]
    pub from_number: String,
    /// Twilio status.
    #[diesel(sql_type = Text)]
    pub status: String,
    /// Route taken (IVR, AI, forward).
    #[diesel(sql_type = Nullable<Text>)]
    pub route: Option<String>,
    /// Length.
    #[diesel(sql_type = Nullable<Integer>)]
    pub duration_seconds: Option<i32>,
    /// AI summary.
    #[diesel(sql_type = Nullable<Text>)]
    pub summary: Option<String>,
}

/// A recent text.
#[derive(Debug, Clone, diesel::QueryableByName)]
pub struct MessageRow {
    /// Created.
    #[diesel(sql_type = Timestamptz)]
    pub at: DateTime<Utc>,
    /// `inbound` or `outbound`.
    #[diesel(sql_type = Text)]
    pub direction: String,
    /// The other party.
    #[diesel(sql_type = Text)]
    pub party: String,
    /// Body (first 140 characters).
    #[diesel(sql_type = Text)]
    pub body: String,
    /// Status.
    #[diesel(sql_type = Text)]
    pub status: String,
}

/// A recent booking.
#[derive(Debug, Clone, diesel::QueryableByName)]
pub struct BookingRow {
    /// Booked at.
    #[diesel(sql_type = Timestamptz)]
    pub at: DateTime<Utc>,
    /// When it is.
    #[diesel(sql_type = Timestamptz)]
    pub starts_at: DateTime<Utc>,
    /// Service.
    #[diesel(sql_type = Text)]
    pub service: String,
    /// Status.
    #[diesel(sql_type = Text)]
    pub status: String,
    /// Channel it was booked through.
    #[diesel(sql_type = Nullable<Text>)]
    pub channel: Option<String>,
    /// Price.
    #[diesel(sql_type = Integer)]
    pub price_cents: i32,
}

/// A recent failure: a text that failed or a call that did.
#[derive(Debug, Clone, diesel::QueryableByName)]
pub struct ErrorRow {
    /// When.
    #[diesel(sql_type = Timestamptz)]
    pub at: DateTime<Utc>,
    /// `text` or `call`.
    #[diesel(sql_type = Text)]
    pub what: String,
    /// Provider code, when given.
    #[diesel(sql_type = Nullable<Text>)]
    pub code: Option<String>,
    /// Provider message or status.
    #[diesel(sql_type = Text)]
    pub reason: String,
}

/// Everything on the drill-down page.
#[derive(Debug, Clone)]
pub struct TenantDetail {
    /// The tenant.
    pub head: TenantHead,
    /// Its numbers.
    pub phones: Vec<PhoneLine>,
    /// Buying its number.
    pub provisioning: Option<Provisioning>,
    /// Its subscription.
    pub billing: Option<Billing>,
    /// Audit trail about it, newest first.
    pub audit: Vec<AuditRow>,
    /// Recent calls.
    pub calls: Vec<CallRow>,
    /// Recent texts.
    pub messages: Vec<MessageRow>,
    /// Recent bookings.
    pub bookings: Vec<BookingRow>,
    /// Recent failures.
    pub errors: Vec<ErrorRow>,
}

/// `id`'s detail read as `actor` (audited), or `None` when there is no such tenant.
pub async fn load(
    root: &RootDb,
    actor: &str,
    id: &TenantId,
) -> Result<Option<TenantDetail>, DbError> {
    let t = id.as_str().to_owned();
    root.transaction(AuditEntry::new(actor, "dashboard.tenant", Some(id)), move |tx| {
        Box::pin(async move {
            let head: Option<TenantHead> = diesel::sql_query(
                "SELECT t.name, t.industry, t.plan_tier, t.status, t.trial_ends_at, t.time_zone, \
                        t.created_at, o.email AS owner_email \
                 FROM tenants t LEFT JOIN tenant_owners o ON o.tenant_id = t.id WHERE t.id = $1",
            )
            .bind::<Text, _>(&t)
            .get_result(tx.conn())
            .await
            .optional()?;
            let Some(head) = head else { return Ok(None) };
            let phones = diesel::sql_query(
                "SELECT phone_number, ivr_mode, forward_to, sip_uri, voice_audio, record_calls, \
                        twilio_account_sid IS NOT NULL AS byo_twilio \
                 FROM tenant_phone_config WHERE tenant_id = $1 ORDER BY id",
            )
            .bind::<Text, _>(&t)
            .load(tx.conn())
            .await?;
            let provisioning = diesel::sql_query(
                "SELECT state, area_code, attempts, last_error, next_attempt_at \
                 FROM number_provisioning WHERE tenant_id = $1",
            )
            .bind::<Text, _>(&t)
            .get_result(tx.conn())
            .await
            .optional()?;
            let billing = diesel::sql_query(
                "SELECT subscription_status, current_period_end, latest_invoice_status, \
                        latest_invoice_created, last_payment_at, last_payment_cents \
                 FROM tenant_billing WHERE tenant_id = $1",
            )
            .bind::<Text, _>(&t)
            .get_result(tx.conn())
            .await
            .optional()?;
            let audit = diesel::sql_query(
                "SELECT created_at AS at, actor, action, detail FROM audit_log \
                 WHERE target_tenant_id = $1 AND action NOT LIKE 'dashboard.%' AND action <> 'tenant.get' \
                 ORDER BY id DESC LIMIT $2",
            )
            .bind::<Text, _>(&t)
            .bind::<BigInt, _>(RECENT * 2)
            .load(tx.conn())
            .await?;
            let calls = diesel::sql_query(
                "SELECT started_at AS at, from_number, status, route, duration_seconds, summary \
                 FROM calls WHERE tenant_id = $1 ORDER BY started_at DESC, id DESC LIMIT $2",
            )
            .bind::<Text, _>(&t)
            .bind::<BigInt, _>(RECENT)
            .load(tx.conn())
            .await?;
            let messages = diesel::sql_query(
                "SELECT created_at AS at, direction, \
                        CASE WHEN direction = 'inbound' THEN from_number ELSE to_number END AS party, \
                        left(body, 140) AS body, status \
                 FROM messages WHERE tenant_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2",
            )
            .bind::<Text, _>(&t)
            .bind::<BigInt, _>(RECENT)
            .load(tx.conn())
            .await?;
            let bookings = diesel::sql_query(
                "SELECT a.created_at AS at, a.starts_at, s.name AS service, a.status, a.channel, a.price_cents \
                 FROM appointments a JOIN services s ON s.tenant_id = a.tenant_id AND s.id = a.service_id \
                 WHERE a.tenant_id = $1 ORDER BY a.created_at DESC, a.id DESC LIMIT $2",
            )
            .bind::<Text, _>(&t)
            .bind::<BigInt, _>(RECENT)
            .load(tx.conn())
            .await?;
            let errors = diesel::sql_query(
                "(SELECT created_at AS at, 'text' AS what, error_code AS code, \
                         COALESCE(error_message, status) AS reason \
                  FROM messages WHERE tenant_id = $1 AND status IN ('failed', 'undelivered')) \
                 UNION ALL \
                 (SELECT started_at AS at, 'call' AS what, NULL AS code, status AS reason \
                  FROM calls WHERE tenant_id = $1 AND status = 'failed') \
                 ORDER BY at DESC LIMIT $2",
            )
            .bind::<Text, _>(&t)
            .bind::<BigInt, _>(RECENT)
            .load(tx.conn())
            .await?;
            Ok(Some(TenantDetail {
                head,
                phones,
                provisioning,
                billing,
                audit,
                calls,
                messages,
                bookings,
                errors,
            }))
        })
    })
    .await
}
