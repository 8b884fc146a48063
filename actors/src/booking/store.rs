//! The SQL side of booking, all through `TenantDb`.

use crate::booking::availability::{fits, AvailabilityRules, Busy, SlotRejection};
use chrono::{DateTime, Duration, Utc};
use diesel::sql_types::{Array, BigInt, Integer, Jsonb, Nullable, SmallInt, Text, Timestamptz};
use diesel_async::RunQueryDsl;
use servicepro_schema::{AppointmentStatus, DbError, TenantDb};

/// A booked appointment as stored.
#[derive(Debug, Clone, PartialEq, Eq, diesel::QueryableByName)]
pub struct StoredAppointment {
    /// Id.
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    /// Main service.
    #[diesel(sql_type = BigInt)]
    pub service_id: i64,
    /// Its name.
    #[diesel(sql_type = Text)]
    pub service_name: String,
    /// Crew.
    #[diesel(sql_type = SmallInt)]
    pub crew: i16,
    /// Start.
    #[diesel(sql_type = Timestamptz)]
    pub starts_at: DateTime<Utc>,
    /// End of the work.
    #[diesel(sql_type = Timestamptz)]
    pub ends_at: DateTime<Utc>,
    /// Total price.
    #[diesel(sql_type = Integer)]
    pub price_cents: i32,
    /// Address.
    #[diesel(sql_type = Nullable<Text>)]
    pub address: Option<String>,
    /// Status.
    #[diesel(sql_type = Text)]
    pub status: AppointmentStatus,
    /// Customer phone.
    #[diesel(sql_type = Text)]
    pub customer_phone: String,
}

const SELECT_APPOINTMENT: &str = "
SELECT a.id, a.service_id, s.name AS service_name, a.crew, a.starts_at, a.ends_at, a.price_cents,
       a.address, a.status, c.phone AS customer_phone
FROM appointments a
JOIN services s ON s.tenant_id = a.tenant_id AND s.id = a.service_id
JOIN customers c ON c.tenant_id = a.tenant_id AND c.id = a.customer_id
WHERE a.tenant_id = current_setting('app.tenant_id', true)";

#[derive(diesel::QueryableByName)]
struct BusyRow {
    #[diesel(sql_type = SmallInt)]
    crew: i16,
    #[diesel(sql_type = Timestamptz)]
    starts_at: DateTime<Utc>,
    #[diesel(sql_type = Timestamptz)]
    ends_at: DateTime<Utc>,
}

/// Booked work of one tenant overlapping `[from, to)`, on an open
/// transaction, excluding one appointment (a reschedule's own).
async fn busy_in(
    conn: &mut diesel_async::AsyncPgConnection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    except: Option<i64>,
) -> Result<Vec<Busy>, DbError> {
    let rows: Vec<BusyRow> = diesel::sql_query(
        "SELECT crew, starts_at, ends_at FROM appointments \
         WHERE tenant_id = current_setting('app.tenant_id', true) AND status = 'booked' \
           AND starts_at < $2 AND busy_until > $1 AND id <> $3",
    )
    .bind::<Timestamptz, _>(from)
    .bind::<Timestamptz, _>(to)
    .bind::<BigInt, _>(except.unwrap_or(-1))
    .load(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Busy {
            crew: u8::try_from(r.crew).unwrap_or(u8::MAX),
            start: r.starts_at,
            end: r.ends_at,
        })
        .collect())
}

/// Booked work overlapping `[from, to)`, excluding one appointment (a reschedule's own).
pub async fn busy_between(
    db: &TenantDb,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    except: Option<i64>,
) -> Result<Vec<Busy>, DbError> {
    db.transaction(move |tx| Box::pin(async move { busy_in(tx.conn(), from, to, except).await }))
        .await
}

/// A booking to store.
#[derive(Debug, Clone)]
pub struct NewBooking {
    /// Customer phone (found or created).
    pub customer_phone: String,
    /// Customer name, when known.
    pub customer_name: Option<String>,
    /// Main service.
    pub service_id: i64,
    /// Add-ons.
    pub addon_ids: Vec<i64>,
    /// When.
    pub start: DateTime<Utc>,
    /// Address.
    pub address: Option<String>,
    /// Details.
    pub details: serde_json::Value,
    /// Conversation.
    pub conversation_id: Option<i64>,
    /// Channel it came in on.
    pub channel: Option<String>,
    /// What the job's details add to the service (a large dog, a van): the
    /// pack's [`crate::packs::IndustryPack::job_adjustment`]. A reschedule
    /// keeps the appointment's own length and price instead.
    pub sized: crate::packs::Adjustment,
}

/// Why a booking did not commit.
#[derive(Debug, thiserror::Error)]
pub enum CommitError {
    /// The slot is not bookable now.
    #[error("slot not bookable: {0:?}")]
    Rejected(SlotRejection),
    /// Another booking took the slot (the exclusion constraint refused it).
    #[error("slot taken")]
    Taken,
    /// The service id is unknown.
    #[error("unknown service")]
    UnknownService,
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbError),
}

#[derive(diesel::QueryableByName)]
struct Priced {
    /// NULL when the service id is not the tenant's.
    #[diesel(sql_type = diesel::sql_types::Nullable<Integer>)]
    duration_minutes: Option<i32>,
    #[diesel(sql_type = BigInt)]
    price_cents: i64,
}

#[derive(diesel::QueryableByName)]
struct Id {
    #[diesel(sql_type = BigInt)]
    id: i64,
}

/// Commits a booking: re-checks the slot against the rules and the current
/// calendar, picks the lowest free crew, and inserts; the exclusion
/// constraint refuses a slot another process took first.
pub async fn commit(
    db: &TenantDb,
    rules: &AvailabilityRules,
    booking: NewBooking,
    now: DateTime<Utc>,
    reschedule_of: Option<i64>,
) -> Result<StoredAppointment, CommitError> {
    let rules = rules.clone();
    let result = db
        .transaction(move |tx| {
            Box::pin(async move {
                // A database failure here is an outage (`?`), never "unknown service".
                let priced: Priced = diesel::sql_query(
                    "SELECT COALESCE((SELECT (extract(epoch FROM ends_at - starts_at) / 60)::int FROM appointments \
                                       WHERE tenant_id = current_setting('app.tenant_id', true) AND id = $3), \
                                     (SELECT duration_minutes + $4 FROM services WHERE tenant_id = current_setting('app.tenant_id', true) AND id = $1)) AS duration_minutes, \
                            (COALESCE((SELECT sum(price_cents) FROM services WHERE tenant_id = current_setting('app.tenant_id', true) AND (id = $1 OR id = ANY($2))), 0) + $5)::bigint AS price_cents",
                )
                .bind::<BigInt, _>(booking.service_id)
                .bind::<Array<BigInt>, _>(&booking.addon_ids)
                .bind::<Nullable<BigInt>, _>(reschedule_of)
                .bind::<Integer, _>(booking.sized.minutes.max(0))
                .bind::<Integer, _>(booking.sized.price_cents.max(0))
                .get_result::<Priced>(tx.conn())
                .await?;
                let Some(minutes) = priced.duration_minutes.filter(|m| *m > 0) else {
                    return Ok(Err(CommitError::UnknownService));
                };
                let duration = Duration::minutes(i64::from(minutes));
                let window_from = booking.start - rules.travel_buffer - Duration::days(1);
                let window_to = booking.start + duration + rules.travel_buffer + Duration::days(1);
                let busy = busy_in(tx.conn(), window_from, window_to, reschedule_of).await?;
                let crew = match fits(&rules, &busy, booking.start, duration, now) {
                    Ok(crew) => crew,
                    Err(SlotRejection::Taken) => return Ok(Err(CommitError::Taken)),
                    Err(rejection) => return Ok(Err(CommitError::Rejected(rejection))),
                };
                let end = booking.start + duration;
                let busy_until = end + rules.travel_buffer;
                let price = i32::try_from(priced.price_cents).unwrap_or(i32::MAX);
                let id: Id = match reschedule_of {
                    Some(existing) => diesel::sql_query(
                        "UPDATE appointments SET crew = $2, starts_at = $3, ends_at = $4, busy_until = $5, updated_at = now() \
                         WHERE tenant_id = current_setting('app.tenant_id', true) AND id = $1 AND status = 'booked' RETURNING id",
                    )
                    .bind::<BigInt, _>(existing)
                    .bind::<SmallInt, _>(i16::from(crew))
                    .bind::<Timestamptz, _>(booking.start)
                    .bind::<Timestamptz, _>(end)
                    .bind::<Timestamptz, _>(busy_until)
                    .get_result(tx.conn())
                    .await?,
                    None => {
                        diesel::sql_query(
                            "INSERT INTO customers (tenant_id, phone, name, address) VALUES (current_setting('app.tenant_id', true), $1, $2, $3) \
                             ON CONFLICT (tenant_id, phone) DO UPDATE SET name = COALESCE(EXCLUDED.name, customers.name), \
                               address = COALESCE(EXCLUDED.address, customers.address), updated_at = now()",
                        )
                        .bind::<Text, _>(&booking.customer_phone)
                        .bind::<Nullable<Text>, _>(booking.customer_name.as_deref())
                        .bind::<Nullable<Text>, _>(booking.address.as_deref())
                        .execute(tx.conn())
                        .await?;
                        let id: Id = diesel::sql_query(
                            "INSERT INTO appointments (tenant_id, customer_id, service_id, addon_ids, crew, starts_at, ends_at, busy_until, \
                                                       price_cents, address, details, conversation_id, channel) \
                             SELECT current_setting('app.tenant_id', true), c.id, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12 \
                             FROM customers c WHERE c.tenant_id = current_setting('app.tenant_id', true) AND c.phone = $1 \
                             RETURNING id",
                        )
                        .bind::<Text, _>(&booking.customer_phone)
                        .bind::<BigInt, _>(booking.service_id)
                        .bind::<Array<BigInt>, _>(&booking.addon_ids)
                        .bind::<SmallInt, _>(i16::from(crew))
                        .bind::<Timestamptz, _>(booking.start)
                        .bind::<Timestamptz, _>(end)
                        .bind::<Timestamptz, _>(busy_until)
                        .bind::<Integer, _>(price)
                        .bind::<Nullable<Text>, _>(booking.address.as_deref())
                        .bind::<Jsonb, _>(&booking.details)
                        .bind::<Nullable<BigInt>, _>(booking.conversation_id)
                        .bind::<Nullable<Text>, _>(booking.channel.as_deref())
                        .get_result(tx.conn())
                        .await?;
                        diesel::sql_query(
                            "INSERT INTO usage_events (tenant_id, kind, quantity, source_key) \
                             VALUES (current_setting('app.tenant_id', true), 'bookings', 1, $1) ON CONFLICT DO NOTHING",
                        )
                        .bind::<Text, _>(format!("appointment:{}", id.id))
                        .execute(tx.conn())
                        .await?;
                        id
                    }
                };
                let stored: StoredAppointment = diesel::sql_query(format!("{SELECT_APPOINTMENT} AND a.id = $1"))
                    .bind::<BigInt, _>(id.id)
                    .get_result(tx.conn())
                    .await?;
                Ok(Ok(stored))
            })
        })
        .await;
    match result {
        Ok(outcome) => outcome,
        Err(DbError::Conflict { constraint, .. })
            if constraint.contains("overlap") || constraint == "exclusion" =>
        {
            Err(CommitError::Taken)
        }
        Err(e) => Err(e.into()),
    }
}

/// Upcoming booked appointments of the customer with `phone`.
pub async fn upcoming_for(
    db: &TenantDb,
    phone: &str,
    now: DateTime<Utc>,
) -> Result<Vec<StoredAppointment>, DbError> {
    let phone = phone.to_owned();
    db.transaction(move |tx| {
        Box::pin(async move {
            Ok(diesel::sql_query(format!(
                "{SELECT_APPOINTMENT} AND c.phone = $1 AND a.status = 'booked' AND a.starts_at > $2 ORDER BY a.starts_at"
            ))
            .bind::<Text, _>(&phone)
            .bind::<Timestamptz, _>(now)
            .load(tx.conn())
            .await?)
        })
    })
    .await
}

/// Every appointment of the tenant from `from` on (owner view).
pub async fn list_from(
    db: &TenantDb,
    from: DateTime<Utc>,
) -> Result<Vec<StoredAppointment>, DbError> {
    db.transaction(move |tx| {
        Box::pin(async move {
            Ok(diesel::sql_query(format!(
                "{SELECT_APPOINTMENT} AND a.starts_at >= $1 ORDER BY a.starts_at, a.id"
            ))
            .bind::<Timestamptz, _>(from)
            .load(tx.conn())
            .await?)
        })
    })
    .await
}

/// Cancels an appointment; `None` when there is no such booked appointment.
pub async fn cancel(db: &TenantDb, id: i64) -> Result<Option<StoredAppointment>, DbError> {
    db.transaction(move |tx| {
        Box::pin(async move {
            let updated = diesel::sql_query(
                "UPDATE appointments SET status = 'cancelled', updated_at = now() \
                 WHERE tenant_id = current_setting('app.tenant_id', true) AND id = $1 AND status = 'booked'",
            )
            .bind::<BigInt, _>(id)
            .execute(tx.conn())
            .await?;
            if updated == 0 {
                return Ok(None);
            }
            let stored: StoredAppointment = diesel::sql_query(format!("{SELECT_APPOINTMENT} AND a.id = $1"))
                .bind::<BigInt, _>(id)
                .get_result(tx.conn())
                .await?;
            Ok(Some(stored))
        })
    })
    .await
}

/// One appointment by id.
pub async fn get(db: &TenantDb, id: i64) -> Result<Option<StoredAppointment>, DbError> {
    db.transaction(move |tx| {
        Box::pin(async move {
            let found: Vec<StoredAppointment> =
                diesel::sql_query(format!("{SELECT_APPOINTMENT} AND a.id = $1"))
                    .bind::<BigInt, _>(id)
                    .load(tx.conn())
                    .await?;
            Ok(found.into_iter().next())
        })
    })
    .await
}
