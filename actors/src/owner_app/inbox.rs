//! Conversations, calls and voicemails as the owner sees them.

use chrono::{DateTime, Utc};
use diesel::sql_types::{BigInt, Integer, Jsonb, Nullable, Text, Timestamptz};
use diesel::OptionalExtension;
use diesel_async::RunQueryDsl;
use servicepro_schema::{DbError, TenantDb};

/// One conversation in the list.
#[derive(Debug, Clone, diesel::QueryableByName)]
pub struct ThreadView {
    /// Id.
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    /// `sms`, `web` or `voice`.
    #[diesel(sql_type = Text)]
    pub channel: String,
    /// The customer's name.
    #[diesel(sql_type = Nullable<Text>)]
    pub customer_name: Option<String>,
    /// The customer's phone.
    #[diesel(sql_type = Nullable<Text>)]
    pub customer_phone: Option<String>,
    /// The latest message.
    #[diesel(sql_type = Nullable<Text>)]
    pub last_body: Option<String>,
    /// When the conversation last moved.
    #[diesel(sql_type = Timestamptz)]
    pub updated_at: DateTime<Utc>,
    /// Whether the AI handed it to the owner.
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub handed_off_at: Option<DateTime<Utc>>,
    /// Messages in it.
    #[diesel(sql_type = BigInt)]
    pub messages: i64,
}

const THREADS: &str = "
SELECT v.id, v.channel, c.name AS customer_name, c.phone AS customer_phone,
       (SELECT m.body FROM messages m WHERE m.tenant_id = v.tenant_id AND m.conversation_id = v.id
         ORDER BY m.created_at DESC, m.id DESC LIMIT 1) AS last_body,
       v.updated_at, v.handed_off_at,
       (SELECT count(*) FROM messages m WHERE m.tenant_id = v.tenant_id AND m.conversation_id = v.id) AS messages
FROM conversations v
LEFT JOIN customers c ON c.tenant_id = v.tenant_id AND c.id = v.customer_id
WHERE v.tenant_id = current_setting('app.tenant_id', true)";

/// The `limit` most recently active conversations.
pub async fn threads(db: &TenantDb, limit: i64) -> Result<Vec<ThreadView>, DbError> {
    db.transaction(move |tx| {
        Box::pin(async move {
            Ok(diesel::sql_query(format!(
                "{THREADS} ORDER BY v.updated_at DESC, v.id DESC LIMIT $1"
            ))
            .bind::<BigInt, _>(limit)
            .load(tx.conn())
            .await?)
        })
    })
    .await
}

/// Conversations active since `since` (Today's "new conversations").
pub async fn threads_since(
    db: &TenantDb,
    since: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<ThreadView>, DbError> {
    db.transaction(move |tx| {
        Box::pin(async move {
            Ok(diesel::sql_query(format!(
                "{THREADS} AND v.updated_at >= $1 ORDER BY v.updated_at DESC, v.id DESC LIMIT $2"
            ))
            .bind::<Timestamptz, _>(since)
            .bind::<BigInt, _>(limit)
            .load(tx.conn())
            .await?)
        })
    })
    .await
}

/// One message of a thread.
#[derive(Debug, Clone, diesel::QueryableByName)]
pub struct MessageView {
    /// `inbound` (from the customer) or `outbound`.
    #[diesel(sql_type = Text)]
    pub direction: String,
    /// The text.
    #[diesel(sql_type = Text)]
    pub body: String,
    /// Delivery status.
    #[diesel(sql_type = Text)]
    pub status: String,
    /// When.
    #[diesel(sql_type = Timestamptz)]
    pub created_at: DateTime<Utc>,
}

/// Conversation `id` with its messages (oldest first); `None` when not the tenant's.
pub async fn thread(
    db: &TenantDb,
    id: i64,
) -> Result<Option<(ThreadView, Vec<MessageView>)>, DbError> {
    db.transaction(move |tx| {
        Box::pin(async move {
            let head: Option<ThreadView> = diesel::sql_query(format!("{THREADS} AND v.id = $1"))
                .bind::<BigInt, _>(id)
                .get_result(tx.conn())
                .await
                .optional()?;
            let Some(head) = head else {
                return Ok(None);
            };
            let messages: Vec<MessageView> = diesel::sql_query(
                "SELECT direction, body, status, created_at FROM messages \
                 WHERE tenant_id = current_setting('app.tenant_id', true) AND conversation_id = $1 \
                 ORDER BY created_at, id LIMIT 500",
            )
            .bind::<BigInt, _>(id)
            .load(tx.conn())
            .await?;
            Ok(Some((head, messages)))
        })
    })
    .await
}

/// One call.
#[derive(Debug, Clone, diesel::QueryableByName)]
pub struct CallView {
    /// Id (within the tenant).
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    /// Twilio's call SID (names the recording file).
    #[diesel(sql_type = Text)]
    pub call_sid: String,
    /// The caller.
    #[diesel(sql_type = Text)]
    pub from_number: String,
    /// The caller's name, when a customer.
    #[diesel(sql_type = Nullable<Text>)]
    pub customer_name: Option<String>,
    /// Final status.
    #[diesel(sql_type = Text)]
    pub status: String,
    /// How the call was answered (`ai-voice`, `forward`, `ivr`…).
    #[diesel(sql_type = Nullable<Text>)]
    pub route: Option<String>,
    /// Start.
    #[diesel(sql_type = Timestamptz)]
    pub started_at: DateTime<Utc>,
    /// Length.
    #[diesel(sql_type = Nullable<Integer>)]
    pub duration_seconds: Option<i32>,
    /// The AI's summary.
    #[diesel(sql_type = Nullable<Text>)]
    pub summary: Option<String>,
    /// `[{speaker, text}]`.
    #[diesel(sql_type = Jsonb)]
    pub transcript: serde_json::Value,
    /// Whether a recording was written.
    #[diesel(sql_type = Nullable<Text>)]
    pub recording_path: Option<String>,
}

const CALLS: &str = "
SELECT k.id, k.call_sid, k.from_number, c.name AS customer_name, k.status, k.route, k.started_at,
       k.duration_seconds, k.summary, k.transcript, k.recording_path
FROM calls k
LEFT JOIN customers c ON c.tenant_id = k.tenant_id AND c.id = k.customer_id
WHERE k.tenant_id = current_setting('app.tenant_id', true)";

/// The `limit` latest calls; only the AI's when `ai_only`.
pub async fn calls(db: &TenantDb, ai_only: bool, limit: i64) -> Result<Vec<CallView>, DbError> {
    db.transaction(move |tx| {
        Box::pin(async move {
            let filter = if ai_only {
                " AND k.route IN ('ai-voice', 'ai-voice-turns')"
            } else {
                ""
            };
            Ok(diesel::sql_query(format!(
                "{CALLS}{filter} ORDER BY k.started_at DESC, k.id DESC LIMIT $1"
            ))
            .bind::<BigInt, _>(limit)
            .load(tx.conn())
            .await?)
        })
    })
    .await
}

/// Call `id`; `None` when not the tenant's.
pub async fn call(db: &TenantDb, id: i64) -> Result<Option<CallView>, DbError> {
    db.transaction(move |tx| {
        Box::pin(async move {
            Ok(diesel::sql_query(format!("{CALLS} AND k.id = $1"))
                .bind::<BigInt, _>(id)
                .get_result(tx.conn())
                .await
                .optional()?)
        })
    })
    .await
}

/// The call whose SID is `call_sid` (the recording URL names it); `None` when not the tenant's.
pub async fn call_by_sid(db: &TenantDb, call_sid: String) -> Result<Option<CallView>, DbError> {
    db.transaction(move |tx| {
        Box::pin(async move {
            Ok(diesel::sql_query(format!("{CALLS} AND k.call_sid = $1"))
                .bind::<Text, _>(call_sid)
                .get_result(tx.conn())
                .await
                .optional()?)
        })
    })
    .await
}

/// One voicemail.
#[derive(Debug, Clone, diesel::QueryableByName)]
pub struct VoicemailView {
    /// Id.
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    /// The caller.
    #[diesel(sql_type = Text)]
    pub from_number: String,
    /// The caller's name, when a customer.
    #[diesel(sql_type = Nullable<Text>)]
    pub customer_name: Option<String>,
    /// Length.
    #[diesel(sql_type = Integer)]
    pub duration_seconds: i32,
    /// When.
    #[diesel(sql_type = Timestamptz)]
    pub created_at: DateTime<Utc>,
}

/// The `limit` latest voicemails since `since`.
pub async fn voicemails_since(
    db: &TenantDb,
    since: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<VoicemailView>, DbError> {
    db.transaction(move |tx| {
        Box::pin(async move {
            Ok(diesel::sql_query(
                "SELECT v.id, v.from_number, c.name AS customer_name, v.duration_seconds, v.created_at \
                 FROM voicemails v LEFT JOIN customers c ON c.tenant_id = v.tenant_id AND c.id = v.customer_id \
                 WHERE v.tenant_id = current_setting('app.tenant_id', true) AND v.created_at >= $1 \
                 ORDER BY v.created_at DESC, v.id DESC LIMIT $2",
            )
            .bind::<Timestamptz, _>(since)
            .bind::<BigInt, _>(limit)
            .load(tx.conn())
            .await?)
        })
    })
    .await
}
