//! The owner's Plan and billing page: the profile (tier, status, trial, next
//! billing date, usage) plus the invoice state Stripe last told us.

use crate::tenant::profile::{self, TenantProfile};
use chrono::{DateTime, Utc};
use diesel::{OptionalExtension, QueryDsl};
use diesel_async::RunQueryDsl;
use servicepro_schema::schema::tenant_billing;
use servicepro_schema::{DbError, TenantDb};

/// The latest invoice and payment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InvoiceState {
    /// Stripe's subscription status, once there is a subscription.
    pub subscription_status: Option<String>,
    /// The latest invoice's status (`paid`, `open`, `uncollectible`, …).
    pub latest_invoice_status: Option<String>,
    /// When it was issued.
    pub latest_invoice_created: Option<DateTime<Utc>>,
    /// The last successful payment.
    pub last_payment_at: Option<DateTime<Utc>>,
    /// Its amount.
    pub last_payment_cents: Option<i64>,
}

/// What the Plan and billing page shows.
#[derive(Debug, Clone)]
pub struct PlanView {
    /// The tenant's profile as `GET /api/tenant` answers it.
    pub profile: TenantProfile,
    /// Invoices, when billing has a row for the tenant.
    pub invoice: InvoiceState,
}

type Row = (
    Option<String>,
    Option<String>,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
    Option<i64>,
);

/// Reads `db`'s tenant's plan view as of `now`.
pub async fn view(db: &TenantDb, now: DateTime<Utc>) -> Result<PlanView, DbError> {
    let profile = profile::profile(db, now).await?;
    let row: Option<Row> = db
        .transaction(|tx| {
            Box::pin(async move {
                Ok(tx
                    .scope(tenant_billing::table)
                    .select((
                        tenant_billing::subscription_status,
                        tenant_billing::latest_invoice_status,
                        tenant_billing::latest_invoice_created,
                        tenant_billing::last_payment_at,
                        tenant_billing::last_payment_cents,
                    ))
                    .first(tx.conn())
                    .await
                    .optional()?)
            })
        })
        .await?;
    let invoice = row.map_or_else(InvoiceState::default, |r| InvoiceState {
        subscription_status: r.0,
        latest_invoice_status: r.1,
        latest_invoice_created: r.2,
        last_payment_at: r.3,
        last_payment_cents: r.4,
    });
    Ok(PlanView { profile, invoice })
}
