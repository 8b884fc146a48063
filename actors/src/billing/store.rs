//! The billing writes: a Stripe event's id and its effects in one audited root
//! transaction, holding the tenant's `tenant_billing` row (`FOR UPDATE`) so two
//! deliveries for one tenant, in one process or two, are decided one after the
//! other against what the first wrote. A replayed event id is found and nothing
//! else happens.

use super::decide::{decide, Change, Decision, Effects, Stored};
use chrono::{DateTime, Utc};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use servicepro_schema::root_db::AuditEntry;
use servicepro_schema::schema::{stripe_events, tenant_billing, tenants};
use servicepro_schema::{
    DbError, InvoiceOutcome, PlanTier, RootDb, SubscriptionStatus, TenantDb, TenantId, TenantStatus,
};

/// A Stripe event as recorded.
#[derive(Debug, Clone)]
pub struct EventRecord {
    /// `evt_…`.
    pub id: String,
    /// Its type.
    pub kind: String,
    /// When Stripe created it.
    pub created: DateTime<Utc>,
}

/// What became of an event (or a fetched state).
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Its effects were written.
    Applied(Effects),
    /// Older than what is stored: recorded, nothing changed.
    Stale,
    /// Nothing billing acts on: recorded.
    Ignored,
    /// Already recorded: nothing happened.
    Replayed,
    /// Unsure: read this subscription from Stripe and apply it (nothing recorded yet).
    Fetch(String),
}

impl Outcome {
    fn stored_as(&self) -> &'static str {
        match self {
            Outcome::Applied(_) => "applied",
            Outcome::Stale => "stale",
            _ => "ignored",
        }
    }
}

/// Records `event` (when it is one) and applies `change` to `tenant`, in one
/// transaction audited as done `by`.
pub async fn apply(
    root: &RootDb,
    by: &str,
    tenant: &TenantId,
    event: Option<EventRecord>,
    change: Change,
    now: DateTime<Utc>,
) -> Result<Outcome, DbError> {
    let mut audit = AuditEntry::new(by, "billing.apply", Some(tenant));
    audit.detail = serde_json::json!({
        "event_id": event.as_ref().map(|e| e.id.clone()),
        "event_type": event.as_ref().map(|e| e.kind.clone()),
    });
    let id = tenant.as_str().to_owned();
    root.transaction(audit, move |tx| {
        Box::pin(async move {
            let conn = tx.conn();
            let stored = lock(conn, &id).await?;
            if let Some(e) = &event {
                let seen = stripe_events::table
                    .find(&e.id)
                    .select(stripe_events::id)
                    .first::<String>(conn)
                    .await
                    .optional()?;
                if seen.is_some() {
                    return Ok(Outcome::Replayed);
                }
            }
            let event_at = event.as_ref().map_or(now, |e| e.created);
            let outcome = match decide(&stored, event_at, &change) {
                Decision::Fetch(sub) => return Ok(Outcome::Fetch(sub)),
                Decision::Stale => Outcome::Stale,
                Decision::Ignore => Outcome::Ignored,
                Decision::Apply(effects) => {
                    write(conn, &id, &effects, now).await?;
                    Outcome::Applied(effects)
                }
            };
            if let Some(e) = &event {
                record(conn, e, outcome.stored_as()).await?;
            }
            Ok(outcome)
        })
    })
    .await
}

/// Records an event no tenant could be found for (audited, no tenant).
pub async fn record_unlinked(root: &RootDb, by: &str, event: EventRecord) -> Result<bool, DbError> {
    let mut audit = AuditEntry::new(by, "billing.unlinked_event", None);
    audit.detail = serde_json::json!({ "event_id": event.id, "event_type": event.kind });
    root.transaction(audit, move |tx| {
        Box::pin(async move { record(tx.conn(), &event, "unlinked").await })
    })
    .await
}

async fn record(
    conn: &mut AsyncPgConnection,
    e: &EventRecord,
    outcome: &str,
) -> Result<bool, DbError> {
    let n = diesel::insert_into(stripe_events::table)
        .values((
            stripe_events::id.eq(&e.id),
            stripe_events::event_type.eq(&e.kind),
            stripe_events::event_created.eq(e.created),
            stripe_events::outcome.eq(outcome),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    Ok(n == 1)
}

type BillingRow = (
    Option<String>,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
    Option<String>,
    Option<DateTime<Utc>>,
    Option<InvoiceOutcome>,
);

/// The tenant's billing row (made if missing), locked, with its status and plan.
async fn lock(conn: &mut AsyncPgConnection, tenant: &str) -> Result<Stored, DbError> {
    diesel::insert_into(tenant_billing::table)
        .values(tenant_billing::tenant_id.eq(tenant))
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    let row: BillingRow = tenant_billing::table
        .find(tenant)
        .select((
            tenant_billing::stripe_subscription_id,
            tenant_billing::subscription_created,
            tenant_billing::last_event_at,
            tenant_billing::latest_invoice_id,
            tenant_billing::latest_invoice_created,
            tenant_billing::latest_invoice_status,
        ))
        .for_update()
        .first(conn)
        .await?;
    let (status, tier): (TenantStatus, PlanTier) = tenants::table
        .find(tenant)
        .select((tenants::status, tenants::plan_tier))
        .first(conn)
        .await?;
    Ok(Stored {
        subscription_id: row.0,
        subscription_created: row.1,
        last_event_at: row.2,
        latest_invoice_id: row.3,
        latest_invoice_created: row.4,
        latest_invoice_status: row.5,
        status: Some(status),
        tier: Some(tier),
    })
}

/// The `tenant_billing` columns an event moves (`None`: left as is).
#[derive(diesel::AsChangeset)]
#[diesel(table_name = tenant_billing)]
struct BillingChanges {
    stripe_customer_id: Option<String>,
    stripe_subscription_id: Option<String>,
    subscription_status: Option<SubscriptionStatus>,
    subscription_created: Option<DateTime<Utc>>,
    price_id: Option<String>,
    current_period_end: Option<DateTime<Utc>>,
    last_event_at: Option<DateTime<Utc>>,
    latest_invoice_id: Option<String>,
    latest_invoice_created: Option<DateTime<Utc>>,
    latest_invoice_status: Option<InvoiceOutcome>,
    last_payment_at: Option<DateTime<Utc>>,
    last_payment_cents: Option<i64>,
    updated_at: DateTime<Utc>,
}

impl BillingChanges {
    fn of(effects: &Effects, now: DateTime<Utc>) -> Self {
        let sub = effects.subscription.as_ref();
        let invoice = effects.invoice.as_ref();
        let paid = invoice.filter(|i| i.outcome == InvoiceOutcome::Paid);
        BillingChanges {
            stripe_customer_id: sub
                .map(|s| s.customer.clone())
                .or_else(|| invoice.map(|i| i.customer.clone())),
            stripe_subscription_id: sub.map(|s| s.id.clone()),
            subscription_status: sub.map(|s| s.status),
            subscription_created: sub.map(|s| s.created),
            price_id: sub.map(|s| s.price_id.clone()),
            current_period_end: sub.and_then(|s| s.period_end),
            last_event_at: effects.event_at,
            latest_invoice_id: invoice.map(|i| i.id.clone()),
            latest_invoice_created: invoice.map(|i| i.created),
            latest_invoice_status: invoice.map(|i| i.outcome),
            last_payment_at: paid.map(|i| i.paid_at.unwrap_or(now)),
            last_payment_cents: paid.map(|i| i.amount_paid),
            updated_at: now,
        }
    }
}

async fn write(
    conn: &mut AsyncPgConnection,
    tenant: &str,
    effects: &Effects,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    diesel::update(tenant_billing::table.find(tenant))
        .set(BillingChanges::of(effects, now))
        .execute(conn)
        .await?;
    let row = diesel::update(tenants::table.find(tenant));
    match (effects.status, effects.tier) {
        (Some(status), Some(tier)) => {
            row.set((
                tenants::status.eq(status),
                tenants::plan_tier.eq(tier),
                tenants::updated_at.eq(now),
            ))
            .execute(conn)
            .await?
        }
        (Some(status), None) => {
            row.set((tenants::status.eq(status), tenants::updated_at.eq(now)))
                .execute(conn)
                .await?
        }
        (None, Some(tier)) => {
            row.set((tenants::plan_tier.eq(tier), tenants::updated_at.eq(now)))
                .execute(conn)
                .await?
        }
        (None, None) => 0,
    };
    Ok(())
}

/// `tenant`'s Stripe subscription id, if it has one (read in its own scope).
pub async fn subscription_of(db: &TenantDb) -> Result<Option<String>, DbError> {
    db.transaction(|tx| {
        Box::pin(async move {
            let scoped = tx.scope(tenant_billing::table);
            Ok(scoped
                .select(tenant_billing::stripe_subscription_id)
                .first::<Option<String>>(tx.conn())
                .await
                .optional()?
                .flatten())
        })
    })
    .await
}
