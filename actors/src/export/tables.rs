//! What an export contains and how rows are read: each table in keyset pages of
//! [`PAGE_ROWS`], one short tenant transaction per page (row level security
//! scopes every read to the tenant), each row as `row_to_json` text. Memory is
//! one page, whatever the tenant's size.

use diesel::sql_types::{BigInt, Text};
use diesel::QueryableByName;
use diesel_async::RunQueryDsl;
use servicepro_schema::{DbError, TenantDb};

/// Rows per page (and per transaction).
pub const PAGE_ROWS: i64 = 1_000;

/// One exported table: a CSV and a JSON entry in the zip.
#[derive(Debug, Clone, Copy)]
pub struct Table {
    /// Its CSV entry in the zip, `{name}.csv`.
    pub csv_entry: &'static str,
    /// Its JSON entry in the zip, `{name}.json`.
    pub json_entry: &'static str,
    /// The SQL table (a constant, never input).
    pub sql: &'static str,
    /// Whether the table has a bigint `id` to page on (else one row per tenant).
    pub keyed: bool,
}

/// Every table of the export, in order.
pub const TABLES: [Table; 10] = [
    Table {
        csv_entry: "customers.csv",
        json_entry: "customers.json",
        sql: "customers",
        keyed: true,
    },
    Table {
        csv_entry: "services.csv",
        json_entry: "services.json",
        sql: "services",
        keyed: true,
    },
    Table {
        csv_entry: "appointments.csv",
        json_entry: "appointments.json",
        sql: "appointments",
        keyed: true,
    },
    Table {
        csv_entry: "conversations.csv",
        json_entry: "conversations.json",
        sql: "conversations",
        keyed: true,
    },
    Table {
        csv_entry: "messages.csv",
        json_entry: "messages.json",
        sql: "messages",
        keyed: true,
    },
    Table {
        csv_entry: "calls.csv",
        json_entry: "calls.json",
        sql: "calls",
        keyed: true,
    },
    Table {
        csv_entry: "voicemails.csv",
        json_entry: "voicemails.json",
        sql: "voicemails",
        keyed: true,
    },
    Table {
        csv_entry: "usage.csv",
        json_entry: "usage.json",
        sql: "usage_events",
        keyed: true,
    },
    Table {
        csv_entry: "billing.csv",
        json_entry: "billing.json",
        sql: "tenant_billing",
        keyed: false,
    },
    Table {
        csv_entry: "settings.csv",
        json_entry: "settings.json",
        sql: "tenant_config",
        keyed: false,
    },
];

/// A page row: its key and the row as JSON text.
#[derive(Debug, QueryableByName)]
pub struct PageRow {
    /// The `id` (1 for a one-row table).
    #[diesel(sql_type = BigInt)]
    pub key: i64,
    /// `row_to_json` of the row (for recordings: the recording's path).
    #[diesel(sql_type = Text)]
    pub row: String,
}

#[derive(QueryableByName)]
struct Column {
    #[diesel(sql_type = Text)]
    column_name: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// The table's column names, in order (the CSV header).
pub async fn columns(db: &TenantDb, table: Table) -> Result<Vec<String>, DbError> {
    db.transaction(move |tx| {
        Box::pin(async move {
            let rows: Vec<Column> = diesel::sql_query(
                "SELECT column_name::text AS column_name FROM information_schema.columns \
                 WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position",
            )
            .bind::<Text, _>(table.sql)
            .load(tx.conn())
            .await?;
            Ok(rows.into_iter().map(|c| c.column_name).collect())
        })
    })
    .await
}

/// How many rows the tenant has in `table`.
pub async fn count(db: &TenantDb, table: Table) -> Result<i64, DbError> {
    let tenant = db.tenant().as_str().to_owned();
    db.transaction(move |tx| {
        Box::pin(async move {
            let sql = format!(
                "SELECT count(*) AS n FROM {} WHERE tenant_id = $1",
                table.sql
            );
            let row: Count = diesel::sql_query(sql)
                .bind::<Text, _>(tenant)
                .get_result(tx.conn())
                .await?;
            Ok(row.n)
        })
    })
    .await
}

/// The page of `table` after key `after`, ordered by key.
pub async fn page(db: &TenantDb, table: Table, after: i64) -> Result<Vec<PageRow>, DbError> {
    let tenant = db.tenant().as_str().to_owned();
    let key = if table.keyed { "t.id" } else { "1::bigint" };
    let sql = format!(
        "SELECT {key} AS key, row_to_json(t)::text AS row FROM {} t \
         WHERE t.tenant_id = $1 AND {key} > $2 ORDER BY 1 LIMIT $3",
        table.sql
    );
    db.transaction(move |tx| {
        Box::pin(async move {
            Ok(diesel::sql_query(sql)
                .bind::<Text, _>(tenant)
                .bind::<BigInt, _>(after)
                .bind::<BigInt, _>(PAGE_ROWS)
                .load(tx.conn())
                .await?)
        })
    })
    .await
}

/// The page of calls with a recording after call id `after`: `row` is the path.
pub async fn recordings_page(db: &TenantDb, after: i64) -> Result<Vec<PageRow>, DbError> {
    let tenant = db.tenant().as_str().to_owned();
    db.transaction(move |tx| {
        Box::pin(async move {
            Ok(diesel::sql_query(
                "SELECT id AS key, recording_path AS row FROM calls \
                 WHERE tenant_id = $1 AND id > $2 AND recording_path IS NOT NULL \
                 ORDER BY id LIMIT $3",
            )
            .bind::<Text, _>(tenant)
            .bind::<BigInt, _>(after)
            .bind::<BigInt, _>(PAGE_ROWS)
            .load(tx.conn())
            .await?)
        })
    })
    .await
}
