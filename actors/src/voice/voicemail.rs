//! Voicemails: a recording callback stores one `voicemails` row per
//! recording (a repeated callback stores nothing twice) linked to the
//! caller's customer record, and says whether the owner should be told.

use diesel::sql_types::{BigInt, Integer, Nullable, Text};
use diesel_async::RunQueryDsl;
use servicepro_schema::{DbError, TenantDb};

/// A finished recording reported by Twilio.
#[derive(Debug, Clone)]
pub struct RecordingReport {
    /// The call it was left on.
    pub call_sid: String,
    /// Twilio RecordingSid.
    pub recording_sid: String,
    /// Where Twilio keeps it.
    pub recording_url: String,
    /// Seconds.
    pub duration_seconds: i32,
    /// The caller.
    pub from: String,
}

/// A newly stored voicemail.
#[derive(Debug, Clone, PartialEq, Eq, diesel::QueryableByName)]
pub struct StoredVoicemail {
    /// Row id.
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    /// The caller's customer record.
    #[diesel(sql_type = Nullable<BigInt>)]
    pub customer_id: Option<i64>,
}

const UPSERT_CUSTOMER: &str = "
INSERT INTO customers (tenant_id, phone) VALUES (current_setting('app.tenant_id', true), $1)
ON CONFLICT (tenant_id, phone) DO NOTHING";

const INSERT_VOICEMAIL: &str = "
INSERT INTO voicemails (tenant_id, call_sid, recording_sid, recording_url, duration_seconds, from_number, customer_id)
SELECT current_setting('app.tenant_id', true), $1, $2, $3, $4, $5,
       (SELECT id FROM customers WHERE tenant_id = current_setting('app.tenant_id', true) AND phone = $5)
ON CONFLICT (tenant_id, recording_sid) DO NOTHING
RETURNING id, customer_id";

/// Stores the voicemail; `None` when this recording was already stored.
pub async fn store_voicemail(
    db: &TenantDb,
    report: RecordingReport,
) -> Result<Option<StoredVoicemail>, DbError> {
    db.transaction(move |tx| {
        Box::pin(async move {
            if servicepro_schema::E164::parse(&report.from).is_ok() {
                diesel::sql_query(UPSERT_CUSTOMER)
                    .bind::<Text, _>(&report.from)
                    .execute(tx.conn())
                    .await?;
            }
            let stored: Vec<StoredVoicemail> = diesel::sql_query(INSERT_VOICEMAIL)
                .bind::<Text, _>(&report.call_sid)
                .bind::<Text, _>(&report.recording_sid)
                .bind::<Text, _>(&report.recording_url)
                .bind::<Integer, _>(report.duration_seconds.max(0))
                .bind::<Text, _>(&report.from)
                .load(tx.conn())
                .await?;
            Ok(stored.into_iter().next())
        })
    })
    .await
}

/// Marks the owner as told about voicemail `id`.
pub async fn mark_owner_notified(db: &TenantDb, id: i64) -> Result<(), DbError> {
    db.transaction(move |tx| {
        Box::pin(async move {
            diesel::sql_query(
                "UPDATE voicemails SET owner_notified_at = now() \
                 WHERE tenant_id = current_setting('app.tenant_id', true) AND id = $1",
            )
            .bind::<BigInt, _>(id)
            .execute(tx.conn())
            .await?;
            Ok(())
        })
    })
    .await
}
