//! Appointments as the owner sees them: with the customer's name and phone,
//! the service, and the channel that booked it.

use chrono::{DateTime, Utc};
use diesel::sql_types::{BigInt, Integer, Jsonb, Nullable, Text, Timestamptz};
use diesel::OptionalExtension;
use diesel_async::RunQueryDsl;
use servicepro_schema::{DbError, TenantDb};

/// One appointment.
#[derive(Debug, Clone, diesel::QueryableByName)]
pub struct AppointmentView {
    /// Id (within the tenant).
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    /// The main service's name.
    #[diesel(sql_type = Text)]
    pub service: String,
    /// Start.
    #[diesel(sql_type = Timestamptz)]
    pub starts_at: DateTime<Utc>,
    /// End of the work.
    #[diesel(sql_type = Timestamptz)]
    pub ends_at: DateTime<Utc>,
    /// Total price.
    #[diesel(sql_type = Integer)]
    pub price_cents: i32,
    /// Where.
    #[diesel(sql_type = Nullable<Text>)]
    pub address: Option<String>,
    /// `booked`, `cancelled`, …
    #[diesel(sql_type = Text)]
    pub status: String,
    /// The customer's name, when known.
    #[diesel(sql_type = Nullable<Text>)]
    pub customer_name: Option<String>,
    /// The customer's phone (E.164).
    #[diesel(sql_type = Text)]
    pub customer_phone: String,
    /// `sms`, `web`, `voice`, or none (made by hand or the API).
    #[diesel(sql_type = Nullable<Text>)]
    pub channel: Option<String>,
    /// The conversation it was booked in.
    #[diesel(sql_type = Nullable<BigInt>)]
    pub conversation_id: Option<i64>,
    /// Free-form details the booking collected (vehicle, notes…).
    #[diesel(sql_type = Jsonb)]
    pub details: serde_json::Value,
}

const SELECT: &str = "
SELECT a.id, s.name AS service, a.starts_at, a.ends_at, a.price_cents, a.address, a.status,
       c.name AS customer_name, c.phone AS customer_phone, a.channel, a.conversation_id, a.details
FROM appointments a
JOIN services s ON s.tenant_id = a.tenant_id AND s.id = a.service_id
JOIN customers c ON c.tenant_id = a.tenant_id AND c.id = a.customer_id
WHERE a.tenant_id = current_setting('app.tenant_id', true)";

/// Appointments starting in `[from, to)`, in order (cancelled ones included).
pub async fn between(
    db: &TenantDb,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<AppointmentView>, DbError> {
    db.transaction(move |tx| {
        Box::pin(async move {
            Ok(diesel::sql_query(format!(
                "{SELECT} AND a.starts_at >= $1 AND a.starts_at < $2 ORDER BY a.starts_at, a.id"
            ))
            .bind::<Timestamptz, _>(from)
            .bind::<Timestamptz, _>(to)
            .load(tx.conn())
            .await?)
        })
    })
    .await
}

/// The next `limit` booked appointments ending after `now`.
pub async fn upcoming(
    db: &TenantDb,
    now: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<AppointmentView>, DbError> {
    db.transaction(move |tx| {
        Box::pin(async move {
            Ok(diesel::sql_query(format!(
                "{SELECT} AND a.ends_at > $1 AND a.status = 'booked' ORDER BY a.starts_at, a.id LIMIT $2"
            ))
            .bind::<Timestamptz, _>(now)
            .bind::<BigInt, _>(limit)
            .load(tx.conn())
            .await?)
        })
    })
    .await
}

/// One appointment with the call that booked it (voice bookings).
#[derive(Debug, Clone)]
pub struct AppointmentDetail {
    /// The appointment.
    pub appointment: AppointmentView,
    /// The call it was booked on, for its transcript (voice bookings).
    pub call_id: Option<i64>,
}

#[derive(diesel::QueryableByName)]
struct CallId {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// Appointment `id`, `None` when the tenant has no such appointment.
pub async fn one(db: &TenantDb, id: i64) -> Result<Option<AppointmentDetail>, DbError> {
    db.transaction(move |tx| {
        Box::pin(async move {
            let found: Option<AppointmentView> =
                diesel::sql_query(format!("{SELECT} AND a.id = $1"))
                    .bind::<BigInt, _>(id)
                    .get_result(tx.conn())
                    .await
                    .optional()?;
            let Some(appointment) = found else {
                return Ok(None);
            };
            // A voice booking: the customer's call in progress when it was made.
            let call: Option<CallId> = if appointment.channel.as_deref() == Some("voice") {
                diesel::sql_query(
                    "SELECT k.id FROM calls k JOIN appointments a \
                       ON a.tenant_id = k.tenant_id AND a.customer_id = k.customer_id \
                     WHERE k.tenant_id = current_setting('app.tenant_id', true) AND a.id = $1 \
                       AND k.started_at <= a.created_at \
                     ORDER BY k.started_at DESC LIMIT 1",
                )
                .bind::<BigInt, _>(id)
                .get_result(tx.conn())
                .await
                .optional()?
            } else {
                None
            };
            Ok(Some(AppointmentDetail {
                appointment,
                call_id: call.map(|c| c.id),
            }))
        })
    })
    .await
}
