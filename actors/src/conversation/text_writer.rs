//! `TextWriter`: group commit for the SMS pipeline. Every inbound text is stored,
//! and every inline reply recorded with its turn's state, before the webhook
//! answers; written one transaction each, that is two commits per text, and the
//! commits were what bounded the pipeline's throughput. The writer queues those
//! writes and writes whatever has queued as one batch ([`batch_store::write_batch`]),
//! with at most [`TextWriter::lanes`] batches in flight.
//!
//! Nothing waits on purpose: a write that finds a lane free goes at once (a batch
//! of one, as fast as before), and only writes that arrive while every lane is busy
//! share the next commit. Each caller is answered once its batch is durable, so a
//! text is still stored before anything else and a reply recorded before it is sent.

use super::batch_store::{self, ReceiveText, SaveTurn, TextWrite, Written};
use super::store::Received;
use crate::metrics::Metrics;
use actix::{
    Actor, ActorFutureExt, Addr, AsyncContext, Context, Handler, Message, ResponseFuture,
    Supervised, Supervisor, WrapFuture,
};
use servicepro_schema::error::cause;
use servicepro_schema::{DbError, DbPool};
use std::sync::Arc;
use tokio::sync::oneshot;
use tracing::Instrument;

/// The most writes in one batch (a bound on one transaction's length).
pub const MAX_BATCH: usize = 64;
/// Batches in flight at once by default: one commits while the next fills.
pub const DEFAULT_LANES: usize = 2;
/// Writes the actor's mailbox holds before senders wait.
const MAILBOX_CAPACITY: usize = 4096;

/// One write, answered once its batch has committed.
#[derive(Debug, Message)]
#[rtype(result = "Result<Written, DbError>")]
pub struct QueueWrite(pub TextWrite);

type Waiter = oneshot::Sender<Result<Written, DbError>>;

/// The group-commit actor (one per process).
pub struct TextWriter {
    pool: DbPool,
    lanes: usize,
    queued: Vec<(TextWrite, Waiter)>,
    in_flight: usize,
    metrics: Arc<Metrics>,
}

impl TextWriter {
    /// A writer over `pool` with `lanes` batches in flight at most (at least one).
    pub fn new(pool: DbPool, lanes: usize, metrics: Arc<Metrics>) -> Self {
        TextWriter {
            pool,
            lanes: lanes.max(1),
            queued: Vec::new(),
            in_flight: 0,
            metrics,
        }
    }

    /// Starts batches on free lanes while writes are queued.
    fn flush(&mut self, ctx: &mut Context<Self>) {
        while self.in_flight < self.lanes && !self.queued.is_empty() {
            let take = self.queued.len().min(MAX_BATCH);
            let (writes, waiters): (Vec<TextWrite>, Vec<Waiter>) =
                self.queued.drain(..take).unzip();
            self.in_flight += 1;
            self.metrics.sms_write_batches.inc();
            self.metrics.sms_writes.inc_by(writes.len() as u64);
            let pool = self.pool.clone();
            let span = tracing::info_span!(parent: None, "text_batch", writes = writes.len());
            let batch = async move {
                let results = batch_store::write_batch(&pool, &writes).await;
                for (waiter, result) in waiters.into_iter().zip(results) {
                    let _ = waiter.send(result);
                }
            }
            .instrument(span);
            ctx.spawn(batch.into_actor(self).map(|(), act, ctx| {
                act.in_flight = act.in_flight.saturating_sub(1);
                act.flush(ctx);
            }));
        }
    }
}

impl Actor for TextWriter {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        ctx.set_mailbox_capacity(MAILBOX_CAPACITY);
    }
}

impl Supervised for TextWriter {
    fn restarting(&mut self, _: &mut Self::Context) {
        self.queued.clear();
        self.in_flight = 0;
    }
}

impl Handler<QueueWrite> for TextWriter {
    type Result = ResponseFuture<Result<Written, DbError>>;

    fn handle(&mut self, msg: QueueWrite, ctx: &mut Self::Context) -> Self::Result {
        let (tx, rx) = oneshot::channel();
        self.queued.push((msg.0, tx));
        self.flush(ctx);
        Box::pin(async move { rx.await.unwrap_or_else(|_| Err(writer_gone())) })
    }
}

fn writer_gone() -> DbError {
    DbError::Unavailable(cause("text writer stopped before the write was done"))
}

/// The address of the process's [`TextWriter`], with typed calls.
#[derive(Clone)]
pub struct TextWriterHandle {
    addr: Addr<TextWriter>,
    metrics: Arc<Metrics>,
}

impl TextWriterHandle {
    /// Starts the writer under a supervisor (must run inside the actix system).
    pub fn start(pool: DbPool, lanes: usize, metrics: Arc<Metrics>) -> Self {
        let addr = {
            let metrics = metrics.clone();
            Supervisor::start(move |_| TextWriter::new(pool.clone(), lanes, metrics.clone()))
        };
        TextWriterHandle { addr, metrics }
    }

    async fn write(&self, write: TextWrite) -> Result<Written, DbError> {
        self.addr
            .send(QueueWrite(write))
            .await
            .unwrap_or_else(|_| Err(writer_gone()))
    }

    /// Stores an inbound text (see [`super::store::receive`]), durably, as part of
    /// the next batch; a text stored (not a duplicate) counts for its tenant.
    pub async fn receive(&self, text: ReceiveText) -> Result<Received, DbError> {
        let tenant = text.tenant.clone();
        match self.write(TextWrite::Receive(text)).await? {
            Written::Received(received) => {
                if received.message_id.is_some() {
                    self.metrics.tenants.text_in(&tenant);
                }
                Ok(received)
            }
            Written::Saved(_) | Written::AlreadyAnswered => {
                Err(DbError::Query(cause("a receive answered as a save")))
            }
        }
    }

    /// Saves a turn's state and records its reply (see
    /// [`super::store::save_state_and_reply`]); returns the reply's `messages.id`, or
    /// `None` (nothing saved) when the text the turn answers already was answered.
    pub async fn save_turn(&self, turn: SaveTurn) -> Result<Option<i64>, DbError> {
        match self.write(TextWrite::Save(turn)).await? {
            Written::Saved(id) => Ok(Some(id)),
            Written::AlreadyAnswered => Ok(None),
            Written::Received(_) => Err(DbError::Query(cause("a save answered as a receive"))),
        }
    }
}
