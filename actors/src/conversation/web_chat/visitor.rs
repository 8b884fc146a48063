//! Web visitors (`web_visitors`): the id a chat widget keeps ([`VisitorId`],
//! format checked here and by the table), when the visitor was first and last
//! seen, the number they gave, the number they proved, and the customer they
//! became (by proving a number or booking). A visitor is not a phone and never a
//! `customers` row of its own.

use diesel::sql_types::{BigInt, Nullable, Text};
use diesel_async::RunQueryDsl;
use servicepro_schema::{DbError, TenantDb, E164};

/// Shortest visitor id accepted.
pub const MIN_VISITOR_ID_CHARS: usize = 8;
/// Longest visitor id accepted.
pub const MAX_VISITOR_ID_CHARS: usize = 64;

/// A chat widget's visitor id: 8–64 of `A-Z a-z 0-9 _ -`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct VisitorId(String);

/// Why a visitor id was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be {MIN_VISITOR_ID_CHARS} to {MAX_VISITOR_ID_CHARS} characters of A-Z, a-z, 0-9, '_' or '-'")]
pub struct InvalidVisitorId;

impl VisitorId {
    /// Checks `raw`'s length and characters.
    pub fn parse(raw: &str) -> Result<Self, InvalidVisitorId> {
        let sane = (MIN_VISITOR_ID_CHARS..=MAX_VISITOR_ID_CHARS).contains(&raw.len())
            && raw
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if sane {
            Ok(VisitorId(raw.to_owned()))
        } else {
            Err(InvalidVisitorId)
        }
    }

    /// The id as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A visitor as a message finds them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visitor {
    /// `web_visitors.id`.
    pub id: i64,
    /// The number the visitor last gave, unproven.
    pub claimed: Option<E164>,
    /// The number the visitor proved with a code.
    pub verified: Option<E164>,
}

#[derive(diesel::QueryableByName)]
struct VisitorRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Nullable<Text>)]
    claimed_phone: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    verified_phone: Option<String>,
}

/// Marks a known visitor seen (keeping the number they give now), or creates a
/// new one unless the tenant already has `new_per_hour` visitors created in
/// the last hour (the count and the insert are one statement).
const ARRIVE: &str = "
WITH known AS (
    UPDATE web_visitors SET last_seen_at = now(), claimed_phone = COALESCE($2, claimed_phone)
    WHERE tenant_id = current_setting('app.tenant_id', true) AND visitor_key = $1
    RETURNING id, claimed_phone, verified_phone
), fresh AS (
    INSERT INTO web_visitors (tenant_id, visitor_key, claimed_phone)
    SELECT current_setting('app.tenant_id', true), $1, $2
    WHERE NOT EXISTS (SELECT 1 FROM known)
      AND (SELECT count(*) FROM web_visitors
           WHERE tenant_id = current_setting('app.tenant_id', true)
             AND created_at > now() - interval '1 hour') < $3
    ON CONFLICT (tenant_id, visitor_key) DO UPDATE SET last_seen_at = now()
    RETURNING id, claimed_phone, verified_phone
)
SELECT id, claimed_phone, verified_phone FROM known
UNION ALL SELECT id, claimed_phone, verified_phone FROM fresh";

/// The visitor `visitor`, seen now; `None` when they are new and the tenant's
/// cap of `new_per_hour` new visitors in the last hour is reached.
pub async fn arrive(
    db: &TenantDb,
    visitor: &VisitorId,
    phone: Option<&E164>,
    new_per_hour: u32,
) -> Result<Option<Visitor>, DbError> {
    let key = visitor.as_str().to_owned();
    let phone = phone.map(|p| p.as_str().to_owned());
    let rows: Vec<VisitorRow> = db
        .transaction(move |tx| {
            Box::pin(async move {
                Ok(diesel::sql_query(ARRIVE)
                    .bind::<Text, _>(&key)
                    .bind::<Nullable<Text>, _>(phone.as_deref())
                    .bind::<BigInt, _>(i64::from(new_per_hour))
                    .load(tx.conn())
                    .await?)
            })
        })
        .await?;
    // A number stored by this module was an `E164` when written.
    let number = |raw: Option<String>| raw.and_then(|p| E164::parse(&p).ok());
    Ok(rows.into_iter().next().map(|row| Visitor {
        id: row.id,
        claimed: number(row.claimed_phone),
        verified: number(row.verified_phone),
    }))
}

/// Links visitor `visitor` to the customer of appointment `appointment` they
/// just booked (a visitor who booked is kept, not cleaned up).
pub async fn booked(db: &TenantDb, visitor: i64, appointment: i64) -> Result<(), DbError> {
    db.transaction(move |tx| {
        Box::pin(async move {
            diesel::sql_query(
                "UPDATE web_visitors v SET customer_id = a.customer_id FROM appointments a \
                 WHERE v.tenant_id = current_setting('app.tenant_id', true) AND v.id = $1 \
                   AND a.tenant_id = v.tenant_id AND a.id = $2",
            )
            .bind::<BigInt, _>(visitor)
            .bind::<BigInt, _>(appointment)
            .execute(tx.conn())
            .await?;
            Ok(())
        })
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visitor_ids_are_short_and_plain() {
        for good in ["v-123456", "abcDEF_09-xyz", &"a".repeat(64)] {
            assert!(VisitorId::parse(good).is_ok(), "{good}");
        }
        for bad in [
            "v-12345",
            "",
            &"a".repeat(65),
            "web:visitor1",
            "visitor 12",
            "vïsitor12",
        ] {
            assert_eq!(VisitorId::parse(bad), Err(InvalidVisitorId), "{bad}");
        }
    }
}
