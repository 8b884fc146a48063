//! [`SendStored`]: sends a text already stored `pending` — a reply recorded with its
//! turn's state (so a crash after that commit still sends it), or a text the recovery
//! sweep found still `pending` after a crash. The tenant and the recipient are checked
//! again as for a new text ([`Checked`]); a refusal is stored on the row.

use super::outbox::{mark_refused_ref, Checked, Queued, SmsOutbox, Stored, WhenFull};
use actix::{ActorFutureExt, Handler, Message, ResponseActFuture, WrapFuture};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl};
use diesel_async::RunQueryDsl;
use servicepro_schema::schema::messages;
use servicepro_schema::{DbError, Direction, MessageStatus, TenantDb, TenantId};
use tracing::Instrument;

/// Send stored outbound text `message_id` if it is still `pending`.
#[derive(Debug, Clone, Message)]
#[rtype(result = "Result<Queued, DbError>")]
pub struct SendStored {
    /// Its tenant.
    pub tenant: TenantId,
    /// `messages.id`.
    pub message_id: i64,
    /// Sent by the recovery sweep: a full queue leaves it `pending` for the next
    /// sweep instead of refusing it (its first job may still be queued).
    pub from_sweep: bool,
}

impl Handler<SendStored> for SmsOutbox {
    type Result = ResponseActFuture<Self, Result<Queued, DbError>>;

    fn handle(&mut self, msg: SendStored, _: &mut Self::Context) -> Self::Result {
        let span = tracing::info_span!(parent: None, "text", tenant_id = %msg.tenant, message_id = msg.message_id);
        let (deps, secrets) = (self.deps(), self.secrets());
        let message_id = msg.message_id;
        let check = async move {
            let db = TenantDb::new(deps.pool.clone(), msg.tenant.clone());
            let row: Option<(String, String, String, MessageStatus)> = db
                .transaction(move |tx| {
                    Box::pin(async move {
                        Ok(tx
                            .scope(messages::table)
                            .filter(messages::id.eq(message_id))
                            .filter(messages::direction.eq(Direction::Outbound))
                            .select((
                                messages::to_number,
                                messages::body,
                                messages::purpose,
                                messages::status,
                            ))
                            .first(tx.conn())
                            .await
                            .optional()?)
                    })
                })
                .await?;
            let Some((to, body, purpose, status)) = row else {
                return Err(DbError::NotFound);
            };
            if status != MessageStatus::Pending {
                tracing::debug!(%status, "stored text no longer pending; not sent again");
                return Ok(Err(Queued {
                    message_id,
                    status,
                    reason: None,
                }));
            }
            let checked = Checked::read(&deps, &secrets, &db, &to, &purpose).await?;
            let reason = checked.reason.clone();
            let job = checked.job(&msg.tenant, message_id, to, body);
            if let (Some(reason), None) = (&reason, &job) {
                deps.metrics.sms_refused.inc();
                tracing::warn!(%reason, "stored text refused");
                mark_refused_ref(&deps, &msg.tenant, message_id, reason.clone()).await;
            }
            Ok(Ok(Stored {
                message_id,
                reason,
                job,
            }))
        };
        let when_full = if msg.from_sweep {
            WhenFull::Defer
        } else {
            WhenFull::Refuse
        };
        Box::pin(
            check
                .instrument(span.clone())
                .into_actor(self)
                .map(move |checked, outbox, _| match checked? {
                    Ok(stored) => Ok(outbox.queue(stored, when_full, span)),
                    Err(unchanged) => Ok(unchanged),
                }),
        )
    }
}
