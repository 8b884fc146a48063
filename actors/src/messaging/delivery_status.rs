//! Twilio message status callbacks: move a stored message's status
//! forward (never back: callbacks repeat and arrive out of order) and keep
//! Twilio's error code when delivery fails.

use diesel::{BoolExpressionMethods, ExpressionMethods, OptionalExtension, QueryDsl};
use diesel_async::RunQueryDsl;
use servicepro_schema::schema::messages;
use servicepro_schema::types::UnknownVariant;
use servicepro_schema::{DbError, Direction, MessageStatus, TenantDb};

use crate::twilio::{Form, MissingField};

/// A status callback for one message.
#[derive(Debug, Clone)]
pub struct DeliveryReport {
    /// Our message id, from the callback URL we gave Twilio.
    pub message_id: Option<i64>,
    /// Twilio's MessageSid.
    pub message_sid: String,
    /// `MessageStatus`.
    pub status: MessageStatus,
    /// `ErrorCode`, when delivery failed.
    pub error_code: Option<String>,
}

/// A status callback that cannot be read.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ReportError {
    /// A required field is missing.
    #[error(transparent)]
    Missing(#[from] MissingField),
    /// `MessageStatus` is not one Twilio documents.
    #[error("MessageStatus: {0}")]
    Status(#[source] UnknownVariant),
}

impl DeliveryReport {
    /// Reads a status callback; `message_id` comes from the callback URL we gave Twilio.
    pub fn parse(form: &Form, message_id: Option<i64>) -> Result<Self, ReportError> {
        Ok(DeliveryReport {
            message_id,
            message_sid: form.require("MessageSid")?.to_owned(),
            status: form
                .require("MessageStatus")?
                .parse()
                .map_err(ReportError::Status)?,
            error_code: form
                .get("ErrorCode")
                .filter(|c| !c.is_empty())
                .map(str::to_owned),
        })
    }
}

/// What the report did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryOutcome {
    /// The status moved forward.
    Updated,
    /// The stored status was already as far or further along.
    Stale,
    /// No stored message matches.
    Unknown,
}

/// Applies a delivery report to an outbound message (a report of no stored outbound
/// message — none at all, or an inbound one — is logged and changes nothing).
pub async fn apply_delivery_report(
    db: &TenantDb,
    report: DeliveryReport,
) -> Result<DeliveryOutcome, DbError> {
    let sid = report.message_sid.clone();
    let outcome = apply(db, report).await?;
    if outcome == DeliveryOutcome::Unknown {
        tracing::warn!(%sid, "status for an unknown message");
    }
    Ok(outcome)
}

async fn apply(db: &TenantDb, report: DeliveryReport) -> Result<DeliveryOutcome, DbError> {
    db.transaction(move |tx| {
        Box::pin(async move {
            let by_id = report.message_id.unwrap_or(-1);
            let found: Option<(i64, MessageStatus)> = tx
                .scope(messages::table)
                .filter(
                    messages::id
                        .eq(by_id)
                        .or(messages::twilio_sid.eq(&report.message_sid)),
                )
                // Only our own texts have a delivery status: an inbound message's
                // `received` is never moved, whatever a callback names.
                .filter(messages::direction.eq(Direction::Outbound))
                .select((messages::id, messages::status))
                .for_update()
                .first(tx.conn())
                .await
                .optional()?;
            let Some((id, current)) = found else {
                return Ok(DeliveryOutcome::Unknown);
            };
            let target = tx.scope(messages::table).filter(messages::id.eq(id));
            diesel::update(target.clone().filter(messages::twilio_sid.is_null()))
                .set(messages::twilio_sid.eq(&report.message_sid))
                .execute(tx.conn())
                .await?;
            if report.status.rank() <= current.rank() {
                return Ok(DeliveryOutcome::Stale);
            }
            diesel::update(target)
                .set((
                    messages::status.eq(report.status),
                    messages::error_code.eq(report.error_code.as_deref()),
                    messages::updated_at.eq(diesel::dsl::now),
                ))
                .execute(tx.conn())
                .await?;
            Ok(DeliveryOutcome::Updated)
        })
    })
    .await
}
