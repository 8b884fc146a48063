//! The `number_provisioning` row of one tenant, read and moved inside the tenant's
//! own row-level scope: claimed under a lease (one worker at a time, across
//! processes), the intent recorded before buying, the bought SID right after, and
//! `done` together with the tenant's `tenant_phone_config` row.

use chrono::{DateTime, Utc};
use diesel::{
    BoolExpressionMethods, ExpressionMethods, OptionalExtension, QueryDsl, Selectable,
    SelectableHelper,
};
use diesel_async::RunQueryDsl;
use servicepro_schema::models::NewPhoneConfig;
use servicepro_schema::schema::{
    number_provisioning as np, tenant_owners, tenant_phone_config, tenants,
};
use servicepro_schema::{DbError, PlanTier, ProvisioningState, TenantDb, E164};
use std::time::Duration;

use super::numbers::OwnedNumber;

/// A tenant's provisioning row.
#[derive(Debug, Clone, diesel::Queryable, Selectable)]
#[diesel(table_name = np, check_for_backend(diesel::pg::Pg))]
pub struct ProvisioningRow {
    /// The area code asked for at signup.
    pub area_code: String,
    /// Where it stands.
    pub state: ProvisioningState,
    /// The bought number, once bought.
    pub phone_number: Option<String>,
    /// Its Twilio SID, once bought.
    pub phone_sid: Option<String>,
    /// Failed tries so far.
    pub attempts: i32,
    /// The last failure, in words.
    pub last_error: Option<String>,
    /// When the retry job tries again.
    pub next_attempt_at: DateTime<Utc>,
}

impl ProvisioningRow {
    /// The number recorded as bought, when one is.
    pub fn bought(&self) -> Option<OwnedNumber> {
        Some(OwnedNumber {
            sid: self.phone_sid.clone()?,
            phone_number: E164::parse(self.phone_number.as_deref()?).ok()?,
        })
    }
}

/// What a claim found.
#[derive(Debug)]
pub(super) enum Claim {
    /// The tenant has a number already.
    HasNumber(E164),
    /// This worker holds the lease until it reports back.
    Claimed(PlanTier, ProvisioningRow),
    /// Another worker holds the lease, or the next try is not due.
    Busy,
    /// Nothing to provision from: no row and no signup area code, or released.
    Nothing,
}

/// Claims `db`'s tenant's provisioning for `lease_secs`, creating its row from the signup
/// area code when missing. `due_only`: only when its next try is due (the retry job).
pub(super) async fn claim(
    db: &TenantDb,
    lease_secs: u32,
    due_only: bool,
) -> Result<Claim, DbError> {
    let lease = chrono::Duration::seconds(i64::from(lease_secs));
    db.transaction(move |tx| {
        Box::pin(async move {
            let number: Option<E164> = tx
                .scope(tenant_phone_config::table)
                .order(tenant_phone_config::id)
                .select(tenant_phone_config::phone_number)
                .first(tx.conn())
                .await
                .optional()?;
            if let Some(number) = number {
                return Ok(Claim::HasNumber(number));
            }
            let tier: PlanTier = tx
                .scope(tenants::table)
                .select(tenants::plan_tier)
                .first(tx.conn())
                .await?;
            let area: Option<String> = tx
                .scope(tenant_owners::table)
                .select(tenant_owners::area_code)
                .first(tx.conn())
                .await
                .optional()?;
            if let Some(area) = area {
                tx.insert(np::table, np::area_code.eq(area))
                    .on_conflict_do_nothing()
                    .execute(tx.conn())
                    .await?;
            }
            let now = Utc::now();
            let live = vec![
                ProvisioningState::Pending,
                ProvisioningState::Buying,
                ProvisioningState::Bought,
            ];
            let mut claim = diesel::update(
                tx.scope(np::table)
                    .filter(np::state.eq_any(live))
                    .filter(np::lease_until.is_null().or(np::lease_until.lt(now))),
            )
            .into_boxed();
            if due_only {
                claim = claim.filter(np::next_attempt_at.le(now));
            }
            let claimed: Option<ProvisioningRow> = claim
                .set((np::lease_until.eq(now + lease), np::updated_at.eq(now)))
                .returning(ProvisioningRow::as_returning())
                .get_result(tx.conn())
                .await
                .optional()?;
            if let Some(row) = claimed {
                return Ok(Claim::Claimed(tier, row));
            }
            let state: Option<ProvisioningState> = tx
                .scope(np::table)
                .select(np::state)
                .first(tx.conn())
                .await
                .optional()?;
            Ok(match state {
                Some(
                    ProvisioningState::Pending
                    | ProvisioningState::Buying
                    | ProvisioningState::Bought,
                ) => Claim::Busy,
                _ => Claim::Nothing,
            })
        })
    })
    .await
}

/// The row as it stands (for the tenant's profile).
pub async fn read(db: &TenantDb) -> Result<Option<ProvisioningRow>, DbError> {
    db.transaction(|tx| {
        Box::pin(async move {
            Ok(tx
                .scope(np::table)
                .select(ProvisioningRow::as_select())
                .first(tx.conn())
                .await
                .optional()?)
        })
    })
    .await
}

async fn set_state(
    db: &TenantDb,
    state: ProvisioningState,
    bought: Option<OwnedNumber>,
) -> Result<(), DbError> {
    db.transaction(move |tx| {
        Box::pin(async move {
            let row = diesel::update(tx.scope(np::table));
            let stamp = (np::state.eq(state), np::updated_at.eq(Utc::now()));
            match bought {
                Some(b) => {
                    row.set((
                        stamp,
                        np::phone_sid.eq(b.sid),
                        np::phone_number.eq(b.phone_number.as_str().to_owned()),
                    ))
                    .execute(tx.conn())
                    .await?
                }
                None => row.set(stamp).execute(tx.conn()).await?,
            };
            Ok(())
        })
    })
    .await
}

/// Records the intent to buy, before Twilio is asked.
pub(super) async fn mark_buying(db: &TenantDb) -> Result<(), DbError> {
    set_state(db, ProvisioningState::Buying, None).await
}

/// Records a number bought (or found bought) for the tenant.
pub(super) async fn record_bought(db: &TenantDb, bought: &OwnedNumber) -> Result<(), DbError> {
    set_state(db, ProvisioningState::Bought, Some(bought.clone())).await
}

/// Records a release: the number no longer routes to the tenant (its
/// `tenant_phone_config` row goes; calls and texts keep their numbers as history).
pub(super) async fn mark_released(db: &TenantDb, released: &OwnedNumber) -> Result<(), DbError> {
    let number = released.phone_number.clone();
    db.transaction(move |tx| {
        Box::pin(async move {
            diesel::delete(
                tx.scope(tenant_phone_config::table)
                    .filter(tenant_phone_config::phone_number.eq(number)),
            )
            .execute(tx.conn())
            .await?;
            diesel::update(tx.scope(np::table))
                .set((
                    np::state.eq(ProvisioningState::Released),
                    np::updated_at.eq(Utc::now()),
                ))
                .execute(tx.conn())
                .await?;
            Ok(())
        })
    })
    .await
}

/// Attaches the bought number to the tenant and marks provisioning done, in one
/// transaction.
pub(super) async fn finish(
    db: &TenantDb,
    bought: &OwnedNumber,
    phone: NewPhoneConfig,
) -> Result<(), DbError> {
    let bought = bought.clone();
    db.transaction(move |tx| {
        Box::pin(async move {
            tx.insert(tenant_phone_config::table, phone)
                .execute(tx.conn())
                .await?;
            diesel::update(tx.scope(np::table))
                .set((
                    np::state.eq(ProvisioningState::Done),
                    np::phone_sid.eq(bought.sid),
                    np::phone_number.eq(bought.phone_number.as_str().to_owned()),
                    np::lease_until.eq(None::<DateTime<Utc>>),
                    np::last_error.eq(None::<String>),
                    np::updated_at.eq(Utc::now()),
                ))
                .execute(tx.conn())
                .await?;
            Ok(())
        })
    })
    .await
}

/// Records a failed try: the lease is given back and the next try is `retry_in` away.
pub(super) async fn failed(
    db: &TenantDb,
    error: String,
    retry_in: Duration,
) -> Result<(), DbError> {
    // The configured cap keeps this far from overflow; past it, never again.
    let next = chrono::Duration::from_std(retry_in)
        .ok()
        .and_then(|wait| Utc::now().checked_add_signed(wait))
        .unwrap_or(DateTime::<Utc>::MAX_UTC);
    db.transaction(move |tx| {
        Box::pin(async move {
            diesel::update(tx.scope(np::table))
                .set((
                    np::attempts.eq(np::attempts + 1),
                    np::last_error.eq(error),
                    np::next_attempt_at.eq(next),
                    np::lease_until.eq(None::<DateTime<Utc>>),
                    np::updated_at.eq(Utc::now()),
                ))
                .execute(tx.conn())
                .await?;
            Ok(())
        })
    })
    .await
}
