//! The platform's last hour as the database tells it, for the root dashboard's
//! health panel: provider errors (texts failed or undelivered, calls failed),
//! texts waiting to be sent, and numbers waiting to be bought. Live calls and
//! webhook rejections come from the process's own metrics (the edge adds them).

use chrono::{DateTime, Duration, Utc};
use diesel::sql_types::{BigInt, Timestamptz};
use diesel_async::RunQueryDsl;
use servicepro_schema::root_db::AuditEntry;
use servicepro_schema::{DbError, RootDb};

/// The database's part of platform health.
#[derive(Debug, Clone, Copy, PartialEq, Eq, diesel::QueryableByName)]
pub struct DbHealth {
    /// Texts that failed or were undelivered in the last hour.
    #[diesel(sql_type = BigInt)]
    pub failed_texts: i64,
    /// Calls that failed in the last hour.
    #[diesel(sql_type = BigInt)]
    pub failed_calls: i64,
    /// Texts stored and not yet handed to the provider (the outbox's queue).
    #[diesel(sql_type = BigInt)]
    pub texts_queued: i64,
    /// Numbers still to be bought (the provisioning queue).
    #[diesel(sql_type = BigInt)]
    pub numbers_pending: i64,
}

impl DbHealth {
    /// Provider errors in the last hour.
    pub fn provider_errors(&self) -> i64 {
        self.failed_texts + self.failed_calls
    }
}

/// Reads the last hour before `now` as `actor` (audited `dashboard.health`).
pub async fn last_hour(
    root: &RootDb,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<DbHealth, DbError> {
    let since = now - Duration::hours(1);
    root.transaction(AuditEntry::new(actor, "dashboard.health", None), move |tx| {
        Box::pin(async move {
            Ok(diesel::sql_query(
                "SELECT \
                   (SELECT count(*) FROM messages WHERE status IN ('failed', 'undelivered') \
                      AND updated_at >= $1) AS failed_texts, \
                   (SELECT count(*) FROM calls WHERE status = 'failed' AND updated_at >= $1) AS failed_calls, \
                   (SELECT count(*) FROM messages WHERE direction = 'outbound' \
                      AND status IN ('pending', 'queued', 'accepted', 'scheduled')) AS texts_queued, \
                   (SELECT count(*) FROM number_provisioning \
                      WHERE state IN ('pending', 'buying', 'bought')) AS numbers_pending",
            )
            .bind::<Timestamptz, _>(since)
            .get_result(tx.conn())
            .await?)
        })
    })
    .await
}
