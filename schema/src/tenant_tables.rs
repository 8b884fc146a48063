//! The one list of tenant-owned tables, read from the database itself: every
//! table with a `tenant_id` column (but `audit_log`, which only names the tenant
//! it records), in an order safe to delete from (children before parents, by
//! the foreign keys). The tenant purge deletes in this order and the tenant
//! isolation tests walk the same list, so a new table is covered by both the
//! moment its migration runs.

use crate::error::{cause, DbError};
use diesel::sql_types::Text;
use diesel::QueryableByName;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use std::collections::BTreeSet;

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct Edge {
    #[diesel(sql_type = Text)]
    child: String,
    #[diesel(sql_type = Text)]
    parent: String,
}

/// Every table with a `tenant_id` column except `audit_log` (and `tenants`,
/// keyed by `id`), children before parents.
pub async fn in_delete_order(conn: &mut AsyncPgConnection) -> Result<Vec<String>, DbError> {
    let names: Vec<Name> = diesel::sql_query(
        "SELECT table_name::text AS name FROM information_schema.columns \
         WHERE table_schema = 'public' AND column_name = 'tenant_id' AND table_name <> 'audit_log' \
         ORDER BY 1",
    )
    .load(conn)
    .await?;
    let edges: Vec<Edge> = diesel::sql_query(
        "SELECT conrelid::regclass::text AS child, confrelid::regclass::text AS parent \
         FROM pg_constraint WHERE contype = 'f' AND connamespace = 'public'::regnamespace",
    )
    .load(conn)
    .await?;
    let mut remaining: BTreeSet<String> = names.into_iter().map(|n| n.name).collect();
    let mut order = Vec::with_capacity(remaining.len());
    while !remaining.is_empty() {
        let leaf = remaining
            .iter()
            .find(|t| {
                !edges
                    .iter()
                    .any(|e| &e.parent == *t && e.child != **t && remaining.contains(&e.child))
            })
            .cloned()
            .ok_or_else(|| DbError::Query(cause("the tenant tables' foreign keys form a cycle")))?;
        remaining.remove(&leaf);
        order.push(leaf);
    }
    Ok(order)
}
