//! The rows behind a conversation: the customer, the thread, its state,
//! and every message in and out.

use diesel::sql_types::{BigInt, Jsonb, Nullable, Text};
use diesel_async::RunQueryDsl;
use servicepro_schema::{DbError, Direction, MessageStatus, TenantDb};

/// The customer and thread a message belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, diesel::QueryableByName)]
pub struct Thread {
    /// `customers.id`.
    #[diesel(sql_type = BigInt)]
    pub customer_id: i64,
    /// `conversations.id`.
    #[diesel(sql_type = BigInt)]
    pub conversation_id: i64,
}

const THREAD: &str = "
WITH c AS (
    INSERT INTO customers (tenant_id, phone) VALUES (current_setting('app.tenant_id', true), $1)
    ON CONFLICT (tenant_id, phone) DO UPDATE SET sms_opted_out = customers.sms_opted_out
    RETURNING id
), conv AS (
    INSERT INTO conversations (tenant_id, customer_id, channel)
    SELECT current_setting('app.tenant_id', true), id, $2 FROM c
    ON CONFLICT (tenant_id, customer_id, channel) DO UPDATE SET updated_at = now()
    RETURNING id, customer_id
)
SELECT customer_id, id AS conversation_id FROM conv";

/// Finds or creates the customer with `phone` (or a web visitor key) and
/// their thread on `channel`.
pub async fn thread(db: &TenantDb, phone: &str, channel: &str) -> Result<Thread, DbError> {
    let (phone, channel) = (phone.to_owned(), channel.to_owned());
    db.transaction(move |tx| {
        Box::pin(async move {
            Ok(diesel::sql_query(THREAD)
                .bind::<Text, _>(&phone)
                .bind::<Text, _>(&channel)
                .get_result(tx.conn())
                .await?)
        })
    })
    .await
}

#[derive(diesel::QueryableByName)]
struct StateRow {
    #[diesel(sql_type = Jsonb)]
    state: serde_json::Value,
}

/// The thread's stored brain state.
pub async fn load_state(db: &TenantDb, conversation_id: i64) -> Result<serde_json::Value, DbError> {
    db.transaction(move |tx| {
        Box::pin(async move {
            let row: StateRow = diesel::sql_query(
                "SELECT state FROM conversations WHERE tenant_id = current_setting('app.tenant_id', true) AND id = $1",
            )
            .bind::<BigInt, _>(conversation_id)
            .get_result(tx.conn())
            .await?;
            Ok(row.state)
        })
    })
    .await
}

const SAVE_STATE: &str = "UPDATE conversations SET state = $2, updated_at = now(), \
       handed_off_at = CASE WHEN $3 THEN COALESCE(handed_off_at, now()) ELSE handed_off_at END \
     WHERE tenant_id = current_setting('app.tenant_id', true) AND id = $1";

/// Saves the brain state (and marks the handoff time once, when handed off).
pub async fn save_state(
    db: &TenantDb,
    conversation_id: i64,
    state: serde_json::Value,
    handed_off: bool,
) -> Result<(), DbError> {
    db.transaction(move |tx| {
        Box::pin(async move {
            diesel::sql_query(SAVE_STATE)
                .bind::<BigInt, _>(conversation_id)
                .bind::<Jsonb, _>(&state)
                .bind::<diesel::sql_types::Bool, _>(handed_off)
                .execute(tx.conn())
                .await?;
            Ok(())
        })
    })
    .await
}

/// A message to record.
#[derive(Debug, Clone)]
pub struct Recorded<'a> {
    /// Thread.
    pub thread: Thread,
    /// Which way it went.
    pub direction: Direction,
    /// Sender.
    pub from: &'a str,
    /// Recipient.
    pub to: &'a str,
    /// Text.
    pub body: &'a str,
    /// Twilio SID (inbound: dedupe key).
    pub twilio_sid: Option<&'a str>,
    /// Status.
    pub status: &'a str,
    /// Purpose.
    pub purpose: &'a str,
    /// The inbound text this message answers: marked answered in the same
    /// transaction, and nothing recorded when it already was.
    pub answers: Option<i64>,
}

#[derive(diesel::QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// Records a message; `None` when a message with the same Twilio SID is
/// already stored (a repeated webhook), or the text it answers already was answered.
pub async fn record(db: &TenantDb, m: Recorded<'_>) -> Result<Option<i64>, DbError> {
    let (direction, from, to, body, sid, status, purpose) = (
        m.direction,
        m.from.to_owned(),
        m.to.to_owned(),
        m.body.to_owned(),
        m.twilio_sid.map(str::to_owned),
        m.status.to_owned(),
        m.purpose.to_owned(),
    );
    let (thread, answers) = (m.thread, m.answers);
    db.transaction(move |tx| {
        Box::pin(async move {
            if let Some(text) = answers {
                if !mark_answered_in(tx, text).await? {
                    return Ok(None);
                }
            }
            let ids: Vec<Id> = diesel::sql_query(
                "INSERT INTO messages (tenant_id, conversation_id, customer_id, direction, from_number, to_number, body, twilio_sid, status, purpose) \
                 VALUES (current_setting('app.tenant_id', true), $1, $2, $3, $4, $5, $6, $7, $8, $9) \
                 ON CONFLICT (tenant_id, twilio_sid) DO NOTHING RETURNING id",
            )
            .bind::<BigInt, _>(thread.conversation_id)
            .bind::<BigInt, _>(thread.customer_id)
            .bind::<Text, _>(direction)
            .bind::<Text, _>(&from)
            .bind::<Text, _>(&to)
            .bind::<Text, _>(&body)
            .bind::<Nullable<Text>, _>(sid.as_deref())
            .bind::<Text, _>(&status)
            .bind::<Text, _>(&purpose)
            .load(tx.conn())
            .await?;
            if direction == Direction::Inbound && !ids.is_empty() {
                diesel::sql_query(
                    "INSERT INTO usage_events (tenant_id, kind, quantity, source_key) \
                     VALUES (current_setting('app.tenant_id', true), 'sms_in', 1, $1) ON CONFLICT DO NOTHING",
                )
                .bind::<Text, _>(sid.clone().unwrap_or_else(|| ids.iter().map(|i| format!("message:{}", i.id)).collect()))
                .execute(tx.conn())
                .await?;
            }
            Ok(ids.into_iter().next().map(|i| i.id))
        })
    })
    .await
}

/// Sets the customer's opt-out flag (STOP / START).
pub async fn set_opt_out(db: &TenantDb, phone: &str, opted_out: bool) -> Result<(), DbError> {
    let phone = phone.to_owned();
    db.transaction(move |tx| {
        Box::pin(async move {
            diesel::sql_query(
                "INSERT INTO customers (tenant_id, phone, sms_opted_out) VALUES (current_setting('app.tenant_id', true), $1, $2) \
                 ON CONFLICT (tenant_id, phone) DO UPDATE SET sms_opted_out = EXCLUDED.sms_opted_out, updated_at = now()",
            )
            .bind::<Text, _>(&phone)
            .bind::<diesel::sql_types::Bool, _>(opted_out)
            .execute(tx.conn())
            .await?;
            Ok(())
        })
    })
    .await
}

/// An inbound text as it arrived from the carrier.
#[derive(Debug, Clone, Copy)]
pub struct Inbound<'a> {
    /// The customer's number (the conversation's key).
    pub from: &'a str,
    /// The tenant's number it was sent to.
    pub to: &'a str,
    /// The text.
    pub body: &'a str,
    /// Twilio's `MessageSid` (the dedupe key).
    pub sid: &'a str,
    /// The carrier's URLs of the pictures or files sent with it (MMS), in order.
    pub media: &'a [String],
}

/// What storing an inbound text found: its thread, whether it was new, the
/// customer's opt-out flag and the thread's brain state, as of the same instant.
#[derive(Debug, Clone, PartialEq, diesel::QueryableByName)]
pub struct Received {
    /// `customers.id`.
    #[diesel(sql_type = BigInt)]
    pub customer_id: i64,
    /// `conversations.id`.
    #[diesel(sql_type = BigInt)]
    pub conversation_id: i64,
    /// The stored message, `None` when the same `MessageSid` was stored before.
    #[diesel(sql_type = Nullable<BigInt>)]
    pub message_id: Option<i64>,
    /// The customer texted STOP and not START since.
    #[diesel(sql_type = diesel::sql_types::Bool)]
    pub opted_out: bool,
    /// The thread's brain state.
    #[diesel(sql_type = Jsonb)]
    pub state: serde_json::Value,
}

impl Received {
    /// The customer and thread.
    pub fn thread(&self) -> Thread {
        Thread {
            customer_id: self.customer_id,
            conversation_id: self.conversation_id,
        }
    }
}

/// `servicepro_receive_text` (migration 0009): PL/pgSQL, so each connection plans its
/// statement once.
const RECEIVE: &str = "SELECT customer_id, conversation_id, message_id, opted_out, state \
     FROM servicepro_receive_text($1, $2, $3, $4, $5, $6)";

/// Stores an inbound text on its thread (creating the customer and thread on first
/// contact), meters it once, and reads the opt-out flag and brain state, all in one
/// statement: the webhook's only round trip before the agent runs.
pub async fn receive(db: &TenantDb, channel: &str, m: Inbound<'_>) -> Result<Received, DbError> {
    let (from, to, body, sid, channel, media) = (
        m.from.to_owned(),
        m.to.to_owned(),
        m.body.to_owned(),
        m.sid.to_owned(),
        channel.to_owned(),
        m.media.to_vec(),
    );
    db.transaction(move |tx| {
        Box::pin(async move {
            Ok(diesel::sql_query(RECEIVE)
                .bind::<Text, _>(&from)
                .bind::<Text, _>(&channel)
                .bind::<Text, _>(&to)
                .bind::<Text, _>(&body)
                .bind::<Text, _>(&sid)
                .bind::<diesel::sql_types::Array<Text>, _>(&media)
                .get_result(tx.conn())
                .await?)
        })
    })
    .await
}

/// `servicepro_save_state_and_reply` (migrations 0009, 0012).
const SAVE_AND_REPLY: &str =
    "SELECT servicepro_save_state_and_reply($1, $2, $3, $4, $5, $6, $7, $8, $9) AS id";

/// An agent reply, recorded with the state: going back inline (TwiML `<Message>`,
/// recorded `sent`) or through the outbox (recorded `pending`; the outbox sends it).
#[derive(Debug, Clone, Copy)]
pub struct InlineReply<'a> {
    /// The tenant's number it is sent from.
    pub from: &'a str,
    /// The customer.
    pub to: &'a str,
    /// The text.
    pub body: &'a str,
    /// The inbound text it answers (`messages.id`): marked answered in the same
    /// transaction, and nothing saved when it already was.
    pub answers: Option<i64>,
    /// `Sent` (inline) or `Pending` (the outbox sends it).
    pub status: MessageStatus,
}

#[derive(diesel::QueryableByName)]
struct MaybeId {
    #[diesel(sql_type = Nullable<BigInt>)]
    id: Option<i64>,
}

/// Saves the brain state and records the reply, in one statement; returns the reply's
/// `messages.id`, or `None` (nothing saved) when the text it answers already was.
pub async fn save_state_and_reply(
    db: &TenantDb,
    thread: Thread,
    state: serde_json::Value,
    handed_off: bool,
    reply: InlineReply<'_>,
) -> Result<Option<i64>, DbError> {
    let (from, to, body, answers, status) = (
        reply.from.to_owned(),
        reply.to.to_owned(),
        reply.body.to_owned(),
        reply.answers,
        reply.status,
    );
    db.transaction(move |tx| {
        Box::pin(async move {
            let row: MaybeId = diesel::sql_query(SAVE_AND_REPLY)
                .bind::<BigInt, _>(thread.conversation_id)
                .bind::<Jsonb, _>(&state)
                .bind::<diesel::sql_types::Bool, _>(handed_off)
                .bind::<BigInt, _>(thread.customer_id)
                .bind::<Text, _>(&from)
                .bind::<Text, _>(&to)
                .bind::<Text, _>(&body)
                .bind::<Nullable<BigInt>, _>(answers)
                .bind::<Text, _>(status)
                .get_result(tx.conn())
                .await?;
            Ok(row.id)
        })
    })
    .await
}

#[derive(diesel::QueryableByName)]
struct Answered {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    answered: bool,
}

/// Marks inbound text `message_id` answered inside `tx`; `false` when it already was.
async fn mark_answered_in(
    tx: &mut servicepro_schema::TenantTx,
    message_id: i64,
) -> Result<bool, DbError> {
    let row: Answered = diesel::sql_query("SELECT servicepro_mark_answered($1) AS answered")
        .bind::<BigInt, _>(message_id)
        .get_result(tx.conn())
        .await?;
    Ok(row.answered)
}

/// Marks inbound text `message_id` answered (its answer is no reply, or one sent right
/// after); `false` when it already was, and then its answer must not be given again.
pub async fn mark_answered(db: &TenantDb, message_id: i64) -> Result<bool, DbError> {
    db.transaction(move |tx| Box::pin(async move { mark_answered_in(tx, message_id).await }))
        .await
}

/// [`save_state`] answering inbound text `answers` with no reply: the text is marked
/// answered and the state saved in one transaction; `false` (nothing saved) when it
/// already was answered.
pub async fn save_state_answering(
    db: &TenantDb,
    conversation_id: i64,
    state: serde_json::Value,
    handed_off: bool,
    answers: i64,
) -> Result<bool, DbError> {
    db.transaction(move |tx| {
        Box::pin(async move {
            if !mark_answered_in(tx, answers).await? {
                return Ok(false);
            }
            diesel::sql_query(SAVE_STATE)
                .bind::<BigInt, _>(conversation_id)
                .bind::<Jsonb, _>(&state)
                .bind::<diesel::sql_types::Bool, _>(handed_off)
                .execute(tx.conn())
                .await?;
            Ok(true)
        })
    })
    .await
}

/// Marks reply `message_id`, recorded as going back inline, as never sent that way: the
/// channel stopped waiting before it was ready (it goes through the outbox instead).
pub async fn mark_not_sent_inline(db: &TenantDb, message_id: i64) -> Result<(), DbError> {
    db.transaction(move |tx| {
        Box::pin(async move {
            diesel::sql_query(
                "UPDATE messages SET status = 'failed', error_message = 'not ready before the webhook deadline; sent through the outbox', \
                 updated_at = now() \
                 WHERE tenant_id = current_setting('app.tenant_id', true) AND id = $1",
            )
            .bind::<BigInt, _>(message_id)
            .execute(tx.conn())
            .await?;
            Ok(())
        })
    })
    .await
}

/// Finds or creates the web thread of visitor `visitor` (a `web_visitors.id`;
/// a visitor is not a customer) and returns its `conversations.id`.
pub async fn web_thread(db: &TenantDb, visitor: i64) -> Result<i64, DbError> {
    db.transaction(move |tx| {
        Box::pin(async move {
            let row: Id = diesel::sql_query(
                "INSERT INTO conversations (tenant_id, visitor_id, channel) \
                 VALUES (current_setting('app.tenant_id', true), $1, 'web') \
                 ON CONFLICT (tenant_id, visitor_id) DO UPDATE SET updated_at = now() \
                 RETURNING id",
            )
            .bind::<BigInt, _>(visitor)
            .get_result(tx.conn())
            .await?;
            Ok(row.id)
        })
    })
    .await
}
