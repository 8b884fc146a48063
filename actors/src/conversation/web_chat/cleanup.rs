//! The retention of anonymous web visitors: a visitor who never proved a number
//! and never booked, unseen for the retention time, is deleted with their
//! conversation and code (the foreign keys cascade). One audited cross-tenant
//! statement; a transaction-scoped advisory lock makes a second process running
//! the same sweep at the same moment skip it rather than repeat it.

use diesel::sql_types::{BigInt, Bool};
use diesel_async::RunQueryDsl;
use servicepro_schema::root_db::AuditEntry;
use servicepro_schema::{DbError, RootDb};
use std::time::Duration;

/// The advisory lock key of the sweep (any constant unique to it).
const SWEEP_LOCK: i64 = 0x5e5e_c4a7_0013;

#[derive(diesel::QueryableByName)]
struct Locked {
    #[diesel(sql_type = Bool)]
    locked: bool,
}

/// What a sweep did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Swept {
    /// Deleted this many visitors.
    Deleted(usize),
    /// Another process was sweeping; nothing done.
    Busy,
}

/// Deletes the anonymous visitors unseen for `retention`, across tenants.
pub async fn sweep_anonymous_visitors(
    root: &RootDb,
    retention: Duration,
) -> Result<Swept, DbError> {
    let secs = i64::try_from(retention.as_secs()).unwrap_or(i64::MAX);
    let audit = AuditEntry::new("web-chat-retention", "web_visitors.sweep", None);
    root.transaction(audit, move |tx| {
        Box::pin(async move {
            let lock: Locked = diesel::sql_query("SELECT pg_try_advisory_xact_lock($1) AS locked")
                .bind::<BigInt, _>(SWEEP_LOCK)
                .get_result(tx.conn())
                .await?;
            if !lock.locked {
                return Ok(Swept::Busy);
            }
            let deleted = diesel::sql_query(
                "DELETE FROM web_visitors v \
                 WHERE v.customer_id IS NULL AND v.verified_at IS NULL \
                   AND v.last_seen_at < now() - $1 * interval '1 second' \
                   AND NOT EXISTS (SELECT 1 FROM conversations c \
                     WHERE c.tenant_id = v.tenant_id AND c.visitor_id = v.id \
                       AND (EXISTS (SELECT 1 FROM appointments a \
                                    WHERE a.tenant_id = c.tenant_id AND a.conversation_id = c.id) \
                         OR EXISTS (SELECT 1 FROM messages m \
                                    WHERE m.tenant_id = c.tenant_id AND m.conversation_id = c.id)))",
            )
            .bind::<BigInt, _>(secs)
            .execute(tx.conn())
            .await?;
            Ok(Swept::Deleted(deleted))
        })
    })
    .await
}
