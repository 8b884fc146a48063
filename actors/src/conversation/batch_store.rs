//! The SMS pipeline's two writes for many texts at once: one transaction (one
//! commit) per tenant in a batch, through `servicepro_write_texts` (migration 0010),
//! instead of one per text. The group-commit writer ([`super::text_writer`]) hands
//! its batches here.
//!
//! A tenant's writes go in order of the customer's number (a thread's save before a
//! text on it, so that text reads the saved state): every lock a write takes is its
//! customer's, so concurrent batches, in this process or another, lock in one order
//! and cannot deadlock.
//!
//! A batch that fails as a whole is written again one item at a time through the
//! single-text functions ([`store::receive`], [`store::save_state_and_reply`]), so
//! one bad item fails alone and the rest of its batch is stored. A database that
//! cannot be reached fails the whole batch at once, without those retries.

use super::store::{self, InlineReply, Received, Thread};
use diesel::sql_types::{BigInt, Integer, Jsonb, Nullable};
use diesel_async::RunQueryDsl;
use futures_util::future::join_all;
use servicepro_schema::error::cause;
use servicepro_schema::{DbError, DbPool, MessageStatus, TenantDb, TenantId};
use tracing::Instrument;

/// An inbound text to store (see [`store::receive`]).
#[derive(Debug, Clone)]
pub struct ReceiveText {
    /// The tenant it was sent to.
    pub tenant: TenantId,
    /// `sms` (the thread's channel).
    pub channel: String,
    /// The customer's number.
    pub from: String,
    /// The tenant's number.
    pub to: String,
    /// The text.
    pub body: String,
    /// Twilio's `MessageSid`, the dedupe key.
    pub sid: String,
    /// MMS attachment URLs, in order.
    pub media: Vec<String>,
}

/// A finished turn to save: the brain state and the reply going back inline (see
/// [`store::save_state_and_reply`]).
#[derive(Debug, Clone)]
pub struct SaveTurn {
    /// The tenant.
    pub tenant: TenantId,
    /// The customer and thread.
    pub thread: Thread,
    /// The brain state after the turn.
    pub state: serde_json::Value,
    /// The turn handed the thread to a person.
    pub handed_off: bool,
    /// The tenant's number the reply goes out from.
    pub from: String,
    /// The customer.
    pub to: String,
    /// The reply.
    pub body: String,
    /// The inbound text the turn answers: marked answered with the save, and the
    /// whole save skipped ([`Written::AlreadyAnswered`]) when it already was.
    pub answers: Option<i64>,
    /// How the reply is recorded: `Sent` (it goes back inline) or `Pending` (the
    /// outbox sends it).
    pub reply_status: MessageStatus,
}

/// One write of the pipeline.
#[derive(Debug, Clone)]
pub enum TextWrite {
    /// Store an inbound text.
    Receive(ReceiveText),
    /// Save a turn and its inline reply.
    Save(SaveTurn),
}

impl TextWrite {
    fn tenant(&self) -> &TenantId {
        match self {
            TextWrite::Receive(r) => &r.tenant,
            TextWrite::Save(s) => &s.tenant,
        }
    }

    /// Where the write goes in its batch: by customer number, a save before a text.
    fn lock_order(&self) -> (&str, u8) {
        match self {
            TextWrite::Save(s) => (&s.to, 0),
            TextWrite::Receive(r) => (&r.from, 1),
        }
    }

    /// The write as an element of `servicepro_write_texts`'s array.
    fn to_json(&self, ord: usize) -> serde_json::Value {
        match self {
            TextWrite::Receive(r) => serde_json::json!({
                "ord": ord, "kind": "receive", "from": r.from, "channel": r.channel,
                "to": r.to, "body": r.body, "sid": r.sid, "media": r.media,
            }),
            TextWrite::Save(s) => serde_json::json!({
                "ord": ord, "kind": "save", "conversation": s.thread.conversation_id,
                "state": s.state, "handed_off": s.handed_off,
                "customer": s.thread.customer_id, "from": s.from, "to": s.to, "body": s.body,
                "answers": s.answers, "status": s.reply_status.as_str(),
            }),
        }
    }
}

/// What a write produced.
#[derive(Debug, Clone, PartialEq)]
pub enum Written {
    /// The stored text's thread, new-message id, opt-out flag and state.
    Received(Received),
    /// The recorded reply's `messages.id`.
    Saved(i64),
    /// Nothing saved: the text the turn answers was already answered.
    AlreadyAnswered,
}

/// One row of `servicepro_write_texts`: a stored text's thread, or (the rest `NULL`)
/// a recorded reply's id.
#[derive(diesel::QueryableByName)]
struct WrittenRow {
    #[diesel(sql_type = Integer)]
    ord: i32,
    #[diesel(sql_type = Nullable<BigInt>)]
    customer_id: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    conversation_id: Option<i64>,
    #[diesel(sql_type = Nullable<BigInt>)]
    message_id: Option<i64>,
    #[diesel(sql_type = Nullable<diesel::sql_types::Bool>)]
    opted_out: Option<bool>,
    #[diesel(sql_type = Nullable<Jsonb>)]
    state: Option<serde_json::Value>,
}

impl WrittenRow {
    /// What the row says about `write`.
    fn written(self, write: &TextWrite) -> Option<Written> {
        match write {
            TextWrite::Save(_) => Some(
                self.message_id
                    .map_or(Written::AlreadyAnswered, Written::Saved),
            ),
            TextWrite::Receive(_) => Some(Written::Received(Received {
                customer_id: self.customer_id?,
                conversation_id: self.conversation_id?,
                message_id: self.message_id,
                opted_out: self.opted_out?,
                state: self.state?,
            })),
        }
    }
}

const WRITE_MANY: &str = "SELECT ord, customer_id, conversation_id, message_id, opted_out, state \
     FROM servicepro_write_texts($1)";

/// Writes `batch`: one transaction per tenant in it, the tenants' transactions side
/// by side. Returns one result per item, in the batch's order.
pub async fn write_batch(pool: &DbPool, batch: &[TextWrite]) -> Vec<Result<Written, DbError>> {
    let mut tenants: Vec<(&TenantId, Vec<usize>)> = Vec::new();
    for (i, write) in batch.iter().enumerate() {
        match tenants.iter_mut().find(|(t, _)| *t == write.tenant()) {
            Some((_, items)) => items.push(i),
            None => tenants.push((write.tenant(), vec![i])),
        }
    }
    let groups = tenants.into_iter().map(|(tenant, items)| async move {
        let writes: Vec<&TextWrite> = items.iter().map(|&i| &batch[i]).collect();
        let span = tracing::info_span!("tenant_batch", tenant_id = %tenant);
        let results = write_tenant_batch(pool, tenant, &writes)
            .instrument(span)
            .await;
        items.into_iter().zip(results).collect::<Vec<_>>()
    });
    let mut out: Vec<Option<Result<Written, DbError>>> = batch.iter().map(|_| None).collect();
    for (i, result) in join_all(groups).await.into_iter().flatten() {
        out[i] = Some(result);
    }
    out.into_iter()
        .map(|r| r.unwrap_or_else(|| Err(DbError::Query(cause("write lost in its batch")))))
        .collect()
}

/// One tenant's part of a batch, in lock order, in one transaction.
async fn write_tenant_batch(
    pool: &DbPool,
    tenant: &TenantId,
    writes: &[&TextWrite],
) -> Vec<Result<Written, DbError>> {
    let db = TenantDb::new(pool.clone(), tenant.clone());
    if writes.len() == 1 {
        return vec![write_one(&db, writes[0]).await];
    }
    let mut order: Vec<usize> = (0..writes.len()).collect();
    order.sort_by(|&a, &b| writes[a].lock_order().cmp(&writes[b].lock_order()));
    let elements: Vec<serde_json::Value> = order.iter().map(|&i| writes[i].to_json(i)).collect();
    let outcome = db
        .transaction(move |tx| {
            Box::pin(async move {
                let rows: Vec<WrittenRow> = diesel::sql_query(WRITE_MANY)
                    .bind::<Jsonb, _>(serde_json::Value::Array(elements))
                    .load(tx.conn())
                    .await?;
                Ok(rows)
            })
        })
        .await;
    match outcome {
        Ok(rows) => {
            let mut out: Vec<Option<Written>> = writes.iter().map(|_| None).collect();
            for row in rows {
                let Some(i) = usize::try_from(row.ord).ok().filter(|&i| i < writes.len()) else {
                    continue;
                };
                out[i] = row.written(writes[i]);
            }
            out.into_iter()
                .map(|w| {
                    w.ok_or_else(|| DbError::Query(cause("batch returned no row for a write")))
                })
                .collect()
        }
        Err(DbError::Unavailable(reason)) => writes
            .iter()
            .map(|_| Err(DbError::Unavailable(reason.clone())))
            .collect(),
        Err(e) => {
            tracing::warn!(error = %e, writes = writes.len(), "batch refused; writing its texts one at a time");
            let mut out = Vec::with_capacity(writes.len());
            for write in writes {
                out.push(write_one(&db, write).await);
            }
            out
        }
    }
}

/// One write on its own, through the single-text function.
async fn write_one(db: &TenantDb, write: &TextWrite) -> Result<Written, DbError> {
    match write {
        TextWrite::Receive(r) => {
            let inbound = store::Inbound {
                from: &r.from,
                to: &r.to,
                body: &r.body,
                sid: &r.sid,
                media: &r.media,
            };
            store::receive(db, &r.channel, inbound)
                .await
                .map(Written::Received)
        }
        TextWrite::Save(s) => {
            let reply = InlineReply {
                from: &s.from,
                to: &s.to,
                body: &s.body,
                answers: s.answers,
                status: s.reply_status,
            };
            store::save_state_and_reply(db, s.thread, s.state.clone(), s.handed_off, reply)
                .await
                .map(|id| id.map_or(Written::AlreadyAnswered, Written::Saved))
        }
    }
}
