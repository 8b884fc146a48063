//! The trial's soft limits: how many texts a trialing tenant may send and how many
//! call minutes it may take per day, so a free trial cannot be used to spam or run
//! up a phone bill. One rule ([`TrialLimits::exceeded`]): a counter over
//! `usage_events` in the last 24 hours, asked only for trialing tenants, where a
//! text is sent (the outbox) and where a call is answered (the switchboard).

use chrono::{DateTime, Duration, Utc};
use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::RunQueryDsl;
use servicepro_schema::schema::usage_events;
use servicepro_schema::{DbError, TenantDb, TenantStatus, UsageKind};

/// Default texts a trialing tenant may send per day.
pub const DEFAULT_TEXTS_PER_DAY: u32 = 50;
/// Default call minutes a trialing tenant may take per day.
pub const DEFAULT_CALL_MINUTES_PER_DAY: u32 = 60;

/// What a trial may use per day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrialLimits {
    /// Texts sent per 24 hours.
    pub texts_per_day: u32,
    /// Call minutes per 24 hours.
    pub call_minutes_per_day: u32,
}

impl Default for TrialLimits {
    fn default() -> Self {
        TrialLimits {
            texts_per_day: DEFAULT_TEXTS_PER_DAY,
            call_minutes_per_day: DEFAULT_CALL_MINUTES_PER_DAY,
        }
    }
}

/// What is about to be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metered {
    /// An outbound text.
    Text,
    /// An answered call.
    Call,
}

impl TrialLimits {
    /// Whether `db`'s tenant (with `status`) has used up today's allowance of
    /// `what` as of `now`; always `false` outside the trial.
    pub async fn exceeded(
        &self,
        db: &TenantDb,
        status: TenantStatus,
        what: Metered,
        now: DateTime<Utc>,
    ) -> Result<bool, DbError> {
        if status != TenantStatus::Trialing {
            return Ok(false);
        }
        let (kind, limit) = match what {
            Metered::Text => (UsageKind::SmsOut, self.texts_per_day),
            Metered::Call => (UsageKind::CallMinutes, self.call_minutes_per_day),
        };
        let since = now - Duration::days(1);
        let used: Option<i64> = db
            .transaction(move |tx| {
                Box::pin(async move {
                    Ok(tx
                        .scope(usage_events::table)
                        .filter(usage_events::kind.eq(kind))
                        .filter(usage_events::occurred_at.gt(since))
                        .select(diesel::dsl::sum(usage_events::quantity))
                        .first(tx.conn())
                        .await?)
                })
            })
            .await?;
        Ok(used.unwrap_or(0) >= i64::from(limit))
    }
}
