//! Tenant isolation, proven at both walls: the typed `TenantDb` helpers
//! filter and stamp in code, and row level security in the database stops
//! even raw, unfiltered SQL issued on a tenant connection.

use crate::support::TestDatabase;
use diesel::{ExpressionMethods, QueryDsl, SelectableHelper};
use diesel_async::{AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};
use servicepro_schema::models::{Customer, NewCustomer, NewSmsTemplate};
use servicepro_schema::schema::{customers, services, sms_templates, tenant_config, tenants};
use servicepro_schema::{tenant_tables, DbError, DbPool, PoolSettings, TenantDb, TenantId};
use std::collections::{BTreeMap, BTreeSet};

pub(crate) const A: &str = "alpha";
pub(crate) const B: &str = "bravo";

/// One row per tenant-owned table for `t`, written as the superuser (parents first).
fn seed_sql(t: &str, n: u8) -> Vec<(&'static str, String)> {
    Vec::from([
        ("tenants", format!("INSERT INTO tenants (id, name, industry, plan_tier, status) VALUES ('{t}', '{t} co', 'lawn-care', 'pro', 'active')")),
        ("tenant_billing", format!("INSERT INTO tenant_billing (tenant_id, stripe_customer_id) VALUES ('{t}', 'cus_{t}')")),
        ("tenant_config", format!("INSERT INTO tenant_config (tenant_id, owner_phone) VALUES ('{t}', '+1918555000{n}')")),
        ("tenant_phone_config", format!("INSERT INTO tenant_phone_config (tenant_id, phone_number, ivr_mode, forward_to) VALUES ('{t}', '+1918555010{n}', 'simple', '+1918555020{n}')")),
        ("customers", format!("INSERT INTO customers (tenant_id, phone, name) VALUES ('{t}', '+1555000000{n}', '{t} customer')")),
        ("services", format!("INSERT INTO services (tenant_id, name, price_cents, duration_minutes) VALUES ('{t}', 'Mow', 4500, 60)")),
        ("sms_templates", format!("INSERT INTO sms_templates (tenant_id, template_key, body) VALUES ('{t}', 'booking_confirmation', 'See you {t}')")),
        ("api_keys", format!("INSERT INTO api_keys (tenant_id, key_prefix, key_hash) VALUES ('{t}', 'spk_{t}', 'hash-{t}')")),
        ("calls", format!("INSERT INTO calls (tenant_id, call_sid, from_number, to_number, customer_id) SELECT '{t}', 'CA{t}', phone, '+1918555010{n}', id FROM customers WHERE tenant_id = '{t}'")),
        ("voicemails", format!("INSERT INTO voicemails (tenant_id, call_sid, recording_sid, recording_url, from_number) VALUES ('{t}', 'CA{t}', 'RE{t}', 'https://api.twilio.com/RE{t}', '+1555000000{n}')")),
        ("conversations", format!("INSERT INTO conversations (tenant_id, customer_id, channel) SELECT '{t}', id, 'sms' FROM customers WHERE tenant_id = '{t}'")),
        ("messages", format!("INSERT INTO messages (tenant_id, conversation_id, direction, from_number, to_number, body, status, twilio_sid) SELECT '{t}', id, 'inbound', '+1555000000{n}', '+1918555010{n}', 'hi', 'received', 'SM{t}' FROM conversations WHERE tenant_id = '{t}'")),
        ("usage_events", format!("INSERT INTO usage_events (tenant_id, kind, quantity, source_key) VALUES ('{t}', 'sms_in', 1, 'SM{t}')")),
        ("appointments", format!("INSERT INTO appointments (tenant_id, customer_id, service_id, starts_at, ends_at, busy_until, price_cents) SELECT '{t}', c.id, s.id, '2026-12-05 15:00Z', '2026-12-05 17:00Z', '2026-12-05 17:30Z', 4500 FROM customers c, services s WHERE c.tenant_id = '{t}' AND s.tenant_id = '{t}'")),
        ("web_visitors", format!("INSERT INTO web_visitors (tenant_id, visitor_key) VALUES ('{t}', 'visitor-{t}')")),
        ("web_verification_codes", format!("INSERT INTO web_verification_codes (tenant_id, visitor_id, phone, salt, code_hash, expires_at, pending_text) SELECT '{t}', id, '+1555000000{n}', '\\x00', '\\x00', now(), 'hi' FROM web_visitors WHERE tenant_id = '{t}'")),
        ("tenant_owners", format!("INSERT INTO tenant_owners (tenant_id, owner_name, email, city, area_code) VALUES ('{t}', '{t} owner', '{t}@example.com', 'Tulsa', '918')")),
        ("number_provisioning", format!("INSERT INTO number_provisioning (tenant_id, area_code) VALUES ('{t}', '918')")),
        ("kb_entries", format!("INSERT INTO kb_entries (tenant_id, question, answer) VALUES ('{t}', 'Do you mow in the rain?', 'No, we reschedule.')")),
        ("tenant_websites", format!("INSERT INTO tenant_websites (tenant_id, template) VALUES ('{t}', 'local-hero')")),
        ("website_images", format!("INSERT INTO website_images (tenant_id, sha256, content_type, bytes) VALUES ('{t}', repeat('{n}', 64), 'image/png', '\\x89504e47')")),
        ("tenant_domains", format!("INSERT INTO tenant_domains (domain, tenant_id, verified_at) VALUES ('www.{t}.test', '{t}', now())")),
        ("data_exports", format!("INSERT INTO data_exports (tenant_id, id, include_recordings) VALUES ('{t}', repeat('{n}', 32), false)")),
        ("web_sessions", format!("INSERT INTO web_sessions (kind, tenant_id, token_hash, expires_at) VALUES ('owner', '{t}', repeat('{n}', 64), now() + interval '1 day')")),
        ("web_sign_in_links", format!("INSERT INTO web_sign_in_links (tenant_id, token_hash, expires_at) VALUES ('{t}', repeat('{n}', 64), now() + interval '15 minutes')")),
        ("nudge_dismissals", format!("INSERT INTO nudge_dismissals (tenant_id, kind, period) VALUES ('{t}', 'texts_by_hand', '2026-12')")),
        // Its row is made by the trigger on `tenants` (migration 0011) and moved by every write above.
        ("tenant_versions", format!("UPDATE tenant_versions SET version = version WHERE tenant_id = '{t}'")),
    ])
}

pub(crate) async fn seeded() -> TestDatabase {
    let db = TestDatabase::new().await;
    let mut su = db.superuser().await;
    for (t, n) in [(A, 1), (B, 2)] {
        for (_, sql) in seed_sql(t, n) {
            su.batch_execute(&sql).await.unwrap();
        }
    }
    db
}

pub(crate) fn pool(db: &TestDatabase, size: usize) -> DbPool {
    let mut settings = PoolSettings::new(db.url());
    settings.max_size = size;
    DbPool::new(&settings).unwrap()
}

fn tenant(id: &str) -> TenantId {
    TenantId::parse(id).unwrap()
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

#[derive(diesel::QueryableByName)]
struct Name {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
}

/// Every table with a `tenant_id` column, plus `tenants` itself, with the
/// column naming the tenant (the list the purge deletes from).
async fn tenant_owned_tables(conn: &mut AsyncPgConnection) -> BTreeMap<String, &'static str> {
    let mut out: BTreeMap<String, &'static str> = tenant_tables::in_delete_order(conn)
        .await
        .unwrap()
        .into_iter()
        .map(|t| (t, "tenant_id"))
        .collect();
    out.insert("tenants".to_owned(), "id");
    out
}

async fn count(conn: &mut AsyncPgConnection, table: &str, col: &str, who: Option<&str>) -> i64 {
    let filter = who
        .map(|t| format!(" WHERE {col} = '{t}'"))
        .unwrap_or_default();
    let c: Count = diesel::sql_query(format!("SELECT count(*)::bigint AS n FROM {table}{filter}"))
        .get_result(conn)
        .await
        .unwrap();
    c.n
}

/// Tables in an order safe to delete from (children before parents): the
/// purge's order, with `tenants` last.
async fn delete_order(conn: &mut AsyncPgConnection) -> Vec<String> {
    let mut order = tenant_tables::in_delete_order(conn).await.unwrap();
    order.push("tenants".to_owned());
    order
}

#[actix_web::test]
async fn every_tenant_owned_table_has_forced_rls_and_a_seed() {
    let db = TestDatabase::new().await;
    let mut su = db.superuser().await;
    let tables = tenant_owned_tables(&mut su).await;
    let seeded: BTreeSet<String> = seed_sql(A, 1)
        .into_iter()
        .map(|(k, _)| k.to_owned())
        .collect();
    let owned: BTreeSet<String> = tables.keys().cloned().collect();
    assert_eq!(
        owned, seeded,
        "every tenant-owned table needs a seed row in this suite"
    );
    let forced: Vec<Name> = diesel::sql_query(
        "SELECT c.relname::text AS name FROM pg_class c \
         JOIN pg_policy p ON p.polrelid = c.oid AND p.polname = 'tenant_isolation' \
         WHERE c.relrowsecurity AND c.relforcerowsecurity \
           AND pg_get_expr(p.polqual, p.polrelid) LIKE '%app.tenant_id%' \
           AND pg_get_expr(p.polwithcheck, p.polrelid) LIKE '%app.tenant_id%'",
    )
    .load(&mut su)
    .await
    .unwrap();
    let forced: BTreeSet<String> = forced.into_iter().map(|n| n.name).collect();
    assert_eq!(
        forced, owned,
        "RLS enabled, forced and with a tenant policy on every tenant-owned table"
    );
}

#[actix_web::test]
async fn typed_insert_is_stamped_with_the_tenant() {
    let db = seeded().await;
    let a = TenantDb::new(pool(&db, 2), tenant(A));
    let inserted: Customer = a
        .transaction(|tx| {
            Box::pin(async move {
                let new = NewCustomer {
                    phone: "+15550009999".into(),
                    name: Some("Pat".into()),
                    ..Default::default()
                };
                let row = tx
                    .insert(customers::table, &new)
                    .returning(Customer::as_returning())
                    .get_result(tx.conn())
                    .await?;
                Ok(row)
            })
        })
        .await
        .unwrap();
    assert_eq!(inserted.tenant_id.as_str(), A);
    let mut su = db.superuser().await;
    let owner: String = customers::table
        .filter(customers::phone.eq("+15550009999"))
        .select(customers::tenant_id)
        .first(&mut su)
        .await
        .unwrap();
    assert_eq!(owner, A);

    // A raw insert naming another tenant is refused by the policy's WITH CHECK.
    let refused = a
        .transaction(|tx| {
            Box::pin(async move {
                diesel::sql_query(
                    "INSERT INTO customers (tenant_id, phone) VALUES ('bravo', '+15550007777')",
                )
                .execute(tx.conn())
                .await?;
                Ok(())
            })
        })
        .await;
    assert!(matches!(refused, Err(DbError::Isolation(_))), "{refused:?}");
    assert_eq!(
        count(&mut su, "customers", "tenant_id", Some(B)).await,
        1,
        "nothing written for bravo"
    );
}

#[actix_web::test]
async fn typed_scope_sees_reads_updates_and_deletes_only_own_rows() {
    let db = seeded().await;
    let a = TenantDb::new(pool(&db, 2), tenant(A));
    let (read, updated, deleted) = a
        .transaction(|tx| {
            Box::pin(async move {
                let read: Vec<Customer> = tx
                    .scope(customers::table)
                    .select(Customer::as_select())
                    .load(tx.conn())
                    .await?;
                let updated = diesel::update(tx.scope(services::table))
                    .set(services::price_cents.eq(1))
                    .execute(tx.conn())
                    .await?;
                let deleted = diesel::delete(tx.scope(sms_templates::table))
                    .execute(tx.conn())
                    .await?;
                let names: Vec<String> = tx
                    .scope(tenants::table)
                    .select(tenants::id)
                    .load(tx.conn())
                    .await?;
                assert_eq!(names, vec![A.to_owned()]);
                let configs: i64 = tx
                    .scope(tenant_config::table)
                    .count()
                    .get_result(tx.conn())
                    .await?;
                assert_eq!(configs, 1);
                Ok((read, updated, deleted))
            })
        })
        .await
        .unwrap();
    assert_eq!(read.len(), 1);
    assert_eq!(read[0].tenant_id.as_str(), A);
    assert_eq!((updated, deleted), (1, 1));
    let mut su = db.superuser().await;
    let b_price: i32 = services::table
        .filter(services::tenant_id.eq(B))
        .select(services::price_cents)
        .first(&mut su)
        .await
        .unwrap();
    assert_eq!(b_price, 4500, "bravo's service untouched");
    assert_eq!(
        count(&mut su, "sms_templates", "tenant_id", Some(B)).await,
        1
    );
}

#[actix_web::test]
async fn raw_unfiltered_sql_reaches_only_own_rows_in_every_table() {
    let db = seeded().await;
    let mut su = db.superuser().await;
    let tables = tenant_owned_tables(&mut su).await;
    let order = delete_order(&mut su).await;

    // The superuser (not subject to RLS) sees both tenants in every table:
    // the same statements below would reach bravo if the policy did not stop them.
    for (table, col) in &tables {
        assert!(count(&mut su, table, col, None).await >= 2, "{table}");
    }

    let a = TenantDb::new(pool(&db, 2), tenant(A));
    let jobs: Vec<(String, String)> = order
        .iter()
        .map(|t| (t.clone(), tables[t].to_owned()))
        .collect();
    let seen = a
        .transaction(move |tx| {
            Box::pin(async move {
                let mut seen = BTreeMap::new();
                for (table, col) in &jobs {
                    let visible = count(tx.conn(), table, col, None).await;
                    let updated = diesel::sql_query(format!("UPDATE {table} SET {col} = {col}"))
                        .execute(tx.conn())
                        .await?;
                    let deleted = diesel::sql_query(format!("DELETE FROM {table}"))
                        .execute(tx.conn())
                        .await?;
                    seen.insert(table.clone(), (visible, updated, deleted));
                }
                Ok(seen)
            })
        })
        .await
        .unwrap();
    for (table, col) in &tables {
        assert_eq!(
            seen[table],
            (1, 1, 1),
            "{table}: alpha saw, updated and deleted only its own row"
        );
        assert_eq!(
            count(&mut su, table, col, Some(B)).await,
            1,
            "{table}: bravo's row survived"
        );
        assert_eq!(
            count(&mut su, table, col, Some(A)).await,
            0,
            "{table}: alpha's row deleted"
        );
    }
}

#[actix_web::test]
async fn without_a_tenant_setting_nothing_is_visible_or_writable() {
    let db = seeded().await;
    let pool = pool(&db, 1);
    let mut conn = pool.get().await.unwrap();
    let mut su = db.superuser().await;
    for (table, col) in tenant_owned_tables(&mut su).await {
        assert_eq!(count(&mut conn, &table, col, None).await, 0, "{table}");
    }
    let insert = diesel::sql_query(
        "INSERT INTO customers (tenant_id, phone) VALUES ('alpha', '+15550001111')",
    )
    .execute(&mut *conn)
    .await;
    assert!(matches!(
        insert.map_err(DbError::from),
        Err(DbError::Isolation(_))
    ));
    let audit = diesel::sql_query("SELECT count(*)::bigint AS n FROM audit_log")
        .execute(&mut *conn)
        .await;
    assert!(
        matches!(audit.map_err(DbError::from), Err(DbError::Isolation(_))),
        "audit_log is root-only"
    );
}

#[derive(diesel::QueryableByName, Debug, PartialEq)]
struct Session {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    pid: i32,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    setting: Option<String>,
}

const SESSION: &str =
    "SELECT pg_backend_pid() AS pid, nullif(current_setting('app.tenant_id', true), '') AS setting";

#[actix_web::test]
async fn a_pooled_connection_carries_nothing_between_tenants() {
    let db = seeded().await;
    let pool = pool(&db, 1);
    let a = TenantDb::new(pool.clone(), tenant(A));
    let b = TenantDb::new(pool.clone(), tenant(B));
    let in_a: Session = a
        .transaction(|tx| {
            Box::pin(async move { Ok(diesel::sql_query(SESSION).get_result(tx.conn()).await?) })
        })
        .await
        .unwrap();
    assert_eq!(in_a.setting.as_deref(), Some(A));
    let (in_b, b_customers) = b
        .transaction(|tx| {
            Box::pin(async move {
                let s: Session = diesel::sql_query(SESSION).get_result(tx.conn()).await?;
                let phones: Vec<String> = diesel::sql_query("SELECT phone AS name FROM customers")
                    .load::<Name>(tx.conn())
                    .await?
                    .into_iter()
                    .map(|n| n.name)
                    .collect();
                Ok((s, phones))
            })
        })
        .await
        .unwrap();
    assert_eq!(in_b.pid, in_a.pid, "the same pooled connection was reused");
    assert_eq!(in_b.setting.as_deref(), Some(B));
    assert_eq!(b_customers, vec!["+15550000002".to_owned()]);
    let idle: Session = diesel::sql_query(SESSION)
        .get_result(&mut *pool.get().await.unwrap())
        .await
        .unwrap();
    assert_eq!(
        idle,
        Session {
            pid: in_a.pid,
            setting: None
        },
        "back in the pool, no tenant"
    );

    // Work that leaks a session-level setting gets its connection discarded.
    a.transaction(|tx| {
        Box::pin(async move {
            diesel::sql_query("SELECT set_config('app.tenant_id', 'alpha', false)")
                .execute(tx.conn())
                .await?;
            Ok(())
        })
    })
    .await
    .unwrap();
    let after: Session = diesel::sql_query(SESSION)
        .get_result(&mut *pool.get().await.unwrap())
        .await
        .unwrap();
    assert_ne!(after.pid, in_a.pid, "the tainted connection was not reused");
    assert_eq!(after.setting, None);
}

#[actix_web::test]
async fn a_failed_transaction_rolls_back_and_the_connection_is_clean() {
    let db = seeded().await;
    let pool = pool(&db, 1);
    let a = TenantDb::new(pool.clone(), tenant(A));
    let failed: Result<(), DbError> = a
        .transaction(|tx| {
            Box::pin(async move {
                let new = NewCustomer {
                    phone: "+15550004444".into(),
                    ..Default::default()
                };
                tx.insert(customers::table, &new).execute(tx.conn()).await?;
                Err(DbError::Invalid(servicepro_schema::error::cause(
                    "caller changed its mind",
                )))
            })
        })
        .await;
    assert!(failed.is_err());
    let mut su = db.superuser().await;
    assert_eq!(
        count(&mut su, "customers", "tenant_id", Some(A)).await,
        1,
        "insert rolled back"
    );
    let idle: Session = diesel::sql_query(SESSION)
        .get_result(&mut *pool.get().await.unwrap())
        .await
        .unwrap();
    assert_eq!(idle.setting, None);
}

#[actix_web::test]
async fn a_transaction_whose_work_panics_never_returns_its_connection() {
    let db = seeded().await;
    let pool = pool(&db, 1);
    let a = TenantDb::new(pool.clone(), tenant(A));
    let first: Session = diesel::sql_query(SESSION)
        .get_result(&mut *pool.get().await.unwrap())
        .await
        .unwrap();
    let panicked: Result<(), DbError> = a
        .transaction(|tx| {
            Box::pin(async move {
                let new = NewCustomer {
                    phone: "+15550005555".into(),
                    ..Default::default()
                };
                tx.insert(customers::table, &new).execute(tx.conn()).await?;
                panic!("a bug in the middle of a transaction");
            })
        })
        .await;
    assert!(matches!(panicked, Err(DbError::Task(_))), "{panicked:?}");
    let after: Session = diesel::sql_query(SESSION)
        .get_result(&mut *pool.get().await.unwrap())
        .await
        .unwrap();
    assert_ne!(
        after.pid, first.pid,
        "the connection inside the transaction was discarded"
    );
    assert_eq!(after.setting, None);
    let mut su = db.superuser().await;
    assert_eq!(
        count(&mut su, "customers", "tenant_id", Some(A)).await,
        1,
        "the half-done insert was never committed"
    );
}

#[actix_web::test]
async fn template_keys_are_unique_per_tenant_only() {
    let db = seeded().await;
    let pool = pool(&db, 2);
    // bravo already has `booking_confirmation`; alpha has its own of the same key.
    let a = TenantDb::new(pool.clone(), tenant(A));
    let dup = a
        .transaction(|tx| {
            Box::pin(async move {
                let t = NewSmsTemplate {
                    template_key: "booking_confirmation".into(),
                    body: "again".into(),
                };
                tx.insert(sms_templates::table, &t)
                    .execute(tx.conn())
                    .await?;
                Ok(())
            })
        })
        .await;
    assert!(
        matches!(dup, Err(DbError::Conflict { ref constraint, .. }) if constraint.contains("template_key")),
        "{dup:?}"
    );
    let fresh = a
        .transaction(|tx| {
            Box::pin(async move {
                let t = NewSmsTemplate {
                    template_key: "reminder".into(),
                    body: "Tomorrow!".into(),
                };
                tx.insert(sms_templates::table, &t)
                    .execute(tx.conn())
                    .await?;
                Ok(())
            })
        })
        .await;
    assert!(fresh.is_ok());
    let mut su = db.superuser().await;
    let keys: Vec<(String, String)> = sms_templates::table
        .order((sms_templates::tenant_id, sms_templates::template_key))
        .select((sms_templates::tenant_id, sms_templates::template_key))
        .load(&mut su)
        .await
        .unwrap();
    assert_eq!(
        keys,
        vec![
            (A.into(), "booking_confirmation".into()),
            (A.into(), "reminder".into()),
            (B.into(), "booking_confirmation".into()),
        ]
    );
}
