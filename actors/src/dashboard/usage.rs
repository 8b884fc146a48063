//! A tenant's usage for the owner's Usage page: this month's totals (the
//! business's time zone) and the last 30 days day by day, from `usage_events`,
//! plus the bookings the AI made (appointments booked in a conversation).

use crate::tenant::profile::{month_start, Usage};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use diesel::sql_types::{BigInt, Text, Timestamptz};
use diesel_async::RunQueryDsl;
use servicepro_schema::{DbError, TenantDb, UsageKind};

/// How many days the charts cover.
pub const DAYS: usize = 30;

/// One day's usage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayUsage {
    /// The day, in the business's time zone.
    pub day: NaiveDate,
    /// What was metered that day.
    pub usage: Usage,
}

/// The Usage page's numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageReport {
    /// Since the first of this month.
    pub month: Usage,
    /// Bookings made by the AI this month (booked in a conversation).
    pub ai_bookings: i64,
    /// The last [`DAYS`] days, oldest first, today last; days without usage are zeros.
    pub days: Vec<DayUsage>,
}

impl UsageReport {
    /// One kind's daily series, oldest first.
    pub fn series(&self, kind: UsageKind) -> Vec<i64> {
        self.days.iter().map(|d| d.usage.get(kind)).collect()
    }
}

#[derive(diesel::QueryableByName)]
struct DayRow {
    #[diesel(sql_type = Text)]
    day: String,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = BigInt)]
    total: i64,
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// The first instant of the day `days - 1` days before `now`'s day in `tz`.
fn window_start(tz: chrono_tz::Tz, now: DateTime<Utc>, days: usize) -> (NaiveDate, DateTime<Utc>) {
    let back = i64::try_from(days.saturating_sub(1)).unwrap_or(0);
    let first = now.with_timezone(&tz).date_naive() - Duration::days(back);
    let start = tz
        .from_local_datetime(&first.and_time(chrono::NaiveTime::MIN))
        .earliest()
        .map_or(now - Duration::days(back + 1), |t| t.with_timezone(&Utc));
    (first, start)
}

/// Puts `rows` (day, kind, total) into `days` consecutive days from `first`.
fn fill(first: NaiveDate, days: usize, rows: &[(NaiveDate, UsageKind, i64)]) -> Vec<DayUsage> {
    let mut out: Vec<DayUsage> = (0..days)
        .map(|i| DayUsage {
            day: first + Duration::days(i64::try_from(i).unwrap_or(0)),
            usage: Usage::default(),
        })
        .collect();
    for (day, kind, total) in rows {
        let index = (*day - first).num_days();
        if let Some(slot) = usize::try_from(index).ok().and_then(|i| out.get_mut(i)) {
            slot.usage.add(*kind, *total);
        }
    }
    out
}

/// Reads `db`'s tenant's usage as of `now`, days counted in `tz`.
pub async fn report(
    db: &TenantDb,
    tz: chrono_tz::Tz,
    now: DateTime<Utc>,
) -> Result<UsageReport, DbError> {
    let (first, since) = window_start(tz, now, DAYS);
    let month_from = month_start(tz, now);
    let tz_name = tz.name().to_owned();
    let (rows, month_rows, ai_bookings) = db
        .transaction(move |tx| {
            Box::pin(async move {
                let rows: Vec<DayRow> = diesel::sql_query(
                    "SELECT to_char(occurred_at AT TIME ZONE $2, 'YYYY-MM-DD') AS day, kind, \
                            sum(quantity)::BIGINT AS total \
                     FROM usage_events \
                     WHERE tenant_id = current_setting('app.tenant_id', true) AND occurred_at >= $1 \
                     GROUP BY 1, 2",
                )
                .bind::<Timestamptz, _>(since)
                .bind::<Text, _>(&tz_name)
                .load(tx.conn())
                .await?;
                let month_rows: Vec<DayRow> = diesel::sql_query(
                    "SELECT '' AS day, kind, sum(quantity)::BIGINT AS total FROM usage_events \
                     WHERE tenant_id = current_setting('app.tenant_id', true) AND occurred_at >= $1 \
                     GROUP BY kind",
                )
                .bind::<Timestamptz, _>(month_from)
                .load(tx.conn())
                .await?;
                let ai: Count = diesel::sql_query(
                    "SELECT count(*) AS n FROM appointments \
                     WHERE tenant_id = current_setting('app.tenant_id', true) \
                       AND conversation_id IS NOT NULL AND created_at >= $1",
                )
                .bind::<Timestamptz, _>(month_from)
                .get_result(tx.conn())
                .await?;
                Ok((rows, month_rows, ai.n))
            })
        })
        .await?;
    let parsed: Vec<(NaiveDate, UsageKind, i64)> = rows
        .iter()
        .filter_map(|r| {
            let day = NaiveDate::parse_from_str(&r.day, "%Y-%m-%d").ok()?;
            let kind = r.kind.parse::<UsageKind>().ok()?;
            Some((day, kind, r.total))
        })
        .collect();
    let mut month = Usage::default();
    for r in &month_rows {
        match r.kind.parse::<UsageKind>() {
            Ok(kind) => month.add(kind, r.total),
            Err(e) => tracing::warn!(error = %e, "unknown usage kind skipped"),
        }
    }
    Ok(UsageReport {
        month,
        ai_bookings,
        days: fill(first, DAYS, &parsed),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_without_usage_are_zero_and_today_is_last() {
        let first = NaiveDate::from_ymd_opt(2026, 11, 5).unwrap_or_default();
        let rows = [
            (first, UsageKind::SmsIn, 3),
            (first + Duration::days(29), UsageKind::SmsOut, 7),
            (first + Duration::days(30), UsageKind::SmsOut, 99), // outside the window
            (first - Duration::days(1), UsageKind::SmsOut, 99),
        ];
        let days = fill(first, 30, &rows);
        assert_eq!(days.len(), 30);
        assert_eq!(days[0].usage.sms_in, 3);
        assert_eq!(days[29].usage.sms_out, 7);
        assert_eq!(days.iter().map(|d| d.usage.sms_out).sum::<i64>(), 7);
        assert_eq!(
            days[29].day,
            NaiveDate::from_ymd_opt(2026, 12, 4).unwrap_or_default()
        );
    }

    #[test]
    fn the_window_starts_at_local_midnight_thirty_days_back() {
        let now = Utc.with_ymd_and_hms(2026, 12, 4, 3, 0, 0).unwrap();
        // 03:00 UTC on Dec 4 is Dec 3 in Chicago: the window is Nov 4..=Dec 3.
        let (first, start) = window_start(chrono_tz::America::Chicago, now, 30);
        assert_eq!(first, NaiveDate::from_ymd_opt(2026, 11, 4).unwrap());
        assert_eq!(start, Utc.with_ymd_and_hms(2026, 11, 4, 6, 0, 0).unwrap());
    }
}
