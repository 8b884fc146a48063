//! Pacing the owner's notices of a suspended tenant's texts (at most one per
//! period, `servicepro_schema::policy::owner_notice`): one atomic claim on
//! `tenant_billing.owner_notified_at`, in the tenant's own scope.

use chrono::{DateTime, Utc};
use diesel::{BoolExpressionMethods, ExpressionMethods, QueryDsl};
use diesel_async::RunQueryDsl;
use servicepro_schema::schema::tenant_billing;
use servicepro_schema::{DbError, TenantDb};

/// Claims the owner's notice for `now` when none was sent in the last `every`
/// (one atomic update: two texts at once, in one process or two, claim it once).
pub async fn claim_owner_notice(
    db: &TenantDb,
    now: DateTime<Utc>,
    every: chrono::Duration,
) -> Result<bool, DbError> {
    let tenant = db.tenant().as_str().to_owned();
    db.transaction(move |tx| {
        Box::pin(async move {
            // A tenant made without its billing row gets one, so it is never silently untold.
            diesel::insert_into(tenant_billing::table)
                .values(tenant_billing::tenant_id.eq(&tenant))
                .on_conflict_do_nothing()
                .execute(tx.conn())
                .await?;
            let due = tenant_billing::owner_notified_at
                .is_null()
                .or(tenant_billing::owner_notified_at.le(now - every));
            let n = diesel::update(tx.scope(tenant_billing::table).filter(due))
                .set(tenant_billing::owner_notified_at.eq(now))
                .execute(tx.conn())
                .await?;
            Ok(n == 1)
        })
    })
    .await
}
