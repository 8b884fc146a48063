//! Retention and the operator's purge (issue 18, item 6): refused while the
//! tenant is a customer or inside the window (with the date it would be
//! allowed), and after it: the archive is written and verifies, every row of
//! the tenant is gone from every tenant table and none of the other tenant's,
//! the tombstone and the audit row stay, the number answers as unknown, a
//! second purge is refused. Through the engine, the root API and the
//! drill-down page (CSRF-checked, confirmed by typing the id).

use crate::dashboard_root::root_browser;
use crate::export_cli::{scratch, zip_text};
use crate::support::db::TestDatabase;
use crate::support::tenants::TenantSpec;
use crate::support::TestApp;
use crate::tenant_isolation::{pool, seeded, A, B};
use chrono::{DateTime, Utc};
use diesel::sql_types::{BigInt, Nullable, Text, Timestamptz};
use diesel::QueryableByName;
use diesel_async::{RunQueryDsl, SimpleAsyncConnection};
use reqwest::Method;
use servicepro_actors::retention::{PurgeError, PurgeRefused, Purger, RetentionWindow};
use servicepro_schema::{tenant_tables, TenantId};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(QueryableByName)]
struct N {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = Nullable<Text>)]
    text: Option<String>,
}

#[derive(QueryableByName)]
struct At {
    #[diesel(sql_type = Nullable<Timestamptz>)]
    at: Option<DateTime<Utc>>,
}

async fn scalar(db: &TestDatabase, sql: &str) -> Option<String> {
    let mut su = db.superuser().await;
    let rows: Vec<Row> = diesel::sql_query(sql).load(&mut su).await.unwrap();
    rows.into_iter().next().and_then(|r| r.text)
}

async fn at(db: &TestDatabase, sql: &str) -> Option<DateTime<Utc>> {
    let mut su = db.superuser().await;
    let row: At = diesel::sql_query(sql).get_result(&mut su).await.unwrap();
    row.at
}

/// Rows of `tenant` in every tenant table (the purge's own list).
async fn rows_of(db: &TestDatabase, tenant: &str) -> BTreeMap<String, i64> {
    let mut su = db.superuser().await;
    let mut out = BTreeMap::new();
    for table in tenant_tables::in_delete_order(&mut su).await.unwrap() {
        let n: N = diesel::sql_query(format!(
            "SELECT count(*)::bigint AS n FROM {table} WHERE tenant_id = '{tenant}'"
        ))
        .get_result(&mut su)
        .await
        .unwrap();
        out.insert(table, n.n);
    }
    out
}

fn zip_names(path: &Path) -> Vec<String> {
    let zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    zip.file_names().map(|n| n.unwrap().into_owned()).collect()
}

const YEAR: fn() -> RetentionWindow = || RetentionWindow::months(12).unwrap();

#[actix_web::test]
async fn a_status_change_starts_the_window_and_the_rule_refuses_with_its_date() {
    let db = seeded().await;
    let purger = Purger::new(pool(&db, 2), scratch("window"), YEAR());
    let now = Utc::now();
    let alpha = TenantId::parse(A).unwrap();

    // Active: refused whatever the dates.
    let mut su = db.superuser().await;
    su.batch_execute("UPDATE tenants SET status_changed_at = '2000-01-01Z' WHERE id = 'alpha'")
        .await
        .unwrap();
    match purger.check(&alpha, now).await {
        Err(PurgeError::Refused(PurgeRefused::NotClosed { .. })) => {}
        other => panic!("expected NotClosed, got {other:?}"),
    }

    // Suspending moves status_changed_at to now (the trigger), so the window starts now.
    su.batch_execute("UPDATE tenants SET status = 'suspended' WHERE id = 'alpha'")
        .await
        .unwrap();
    let since = at(
        &db,
        "SELECT status_changed_at AS at FROM tenants WHERE id = 'alpha'",
    )
    .await
    .unwrap();
    assert!((Utc::now() - since).num_seconds().abs() < 60, "{since}");
    match purger.check(&alpha, now).await {
        Err(PurgeError::Refused(r @ PurgeRefused::WithinWindow { .. })) => {
            assert_eq!(r.purgeable_at(), Some(YEAR().ends(since)));
            assert!(r.to_string().contains("purged from"), "{r}");
        }
        other => panic!("expected WithinWindow, got {other:?}"),
    }
    // A day short of twelve months: still kept; at twelve months: allowed.
    su.batch_execute(
        "UPDATE tenants SET status_changed_at = now() - interval '12 months' + interval '1 day' WHERE id = 'alpha'",
    )
    .await
    .unwrap();
    assert!(matches!(
        purger.check(&alpha, now).await,
        Err(PurgeError::Refused(PurgeRefused::WithinWindow { .. }))
    ));
    su.batch_execute(
        "UPDATE tenants SET status_changed_at = now() - interval '12 months' - interval '1 minute' WHERE id = 'alpha'",
    )
    .await
    .unwrap();
    purger.check(&alpha, Utc::now()).await.unwrap();
    // Other updates of the row do not move the date.
    su.batch_execute("UPDATE tenants SET name = 'renamed' WHERE id = 'alpha'")
        .await
        .unwrap();
    purger.check(&alpha, Utc::now()).await.unwrap();

    // A refused purge deleted and audited nothing.
    let err = purger
        .purge(&TenantId::parse(B).unwrap(), "test", now)
        .await
        .unwrap_err();
    assert!(matches!(err, PurgeError::Refused(_)), "{err:?}");
    assert!(rows_of(&db, B).await.values().all(|n| *n == 1));
    assert_eq!(
        scalar(
            &db,
            "SELECT count(*)::text AS text FROM audit_log WHERE action = 'tenant.purge'"
        )
        .await,
        Some("0".to_owned())
    );
    assert!(matches!(
        purger.check(&TenantId::parse("nobody").unwrap(), now).await,
        Err(PurgeError::NotFound)
    ));
}

#[actix_web::test]
async fn a_purge_archives_then_removes_every_row_of_that_tenant_and_none_of_the_other() {
    let db = seeded().await;
    let archive_dir = scratch("archive");
    let recordings = scratch("recordings");
    let recording = recordings.join("CAalpha.opus");
    std::fs::write(&recording, b"OggS-not-really").unwrap();
    let mut su = db.superuser().await;
    su.batch_execute(&format!(
        "UPDATE calls SET recording_path = '{}' WHERE tenant_id = 'alpha'; \
         UPDATE tenants SET status = 'cancelled' WHERE id = 'alpha'; \
         UPDATE tenants SET status_changed_at = now() - interval '13 months' WHERE id = 'alpha'",
        recording.display()
    ))
    .await
    .unwrap();
    let before_alpha = rows_of(&db, A).await;
    let before_bravo = rows_of(&db, B).await;
    assert!(before_alpha.values().all(|n| *n == 1), "{before_alpha:?}");

    let purger = Purger::new(pool(&db, 2), archive_dir.clone(), YEAR());
    let alpha = TenantId::parse(A).unwrap();
    let report = purger
        .purge(&alpha, "test-operator", Utc::now())
        .await
        .unwrap();

    // The archive: in the archive directory, its SHA-256 as reported, the export inside.
    assert!(report.archive.starts_with(&archive_dir));
    let bytes = std::fs::read(&report.archive).unwrap();
    assert_eq!(report.bytes, bytes.len() as u64);
    use sha2::Digest;
    assert_eq!(report.sha256, hex::encode(sha2::Sha256::digest(&bytes)));
    assert!(zip_text(&report.archive, "customers.csv").contains("alpha customer"));
    assert!(!zip_text(&report.archive, "customers.csv").contains("bravo"));
    assert!(zip_text(&report.archive, "messages.json").contains("SMalpha"));
    let names = zip_names(&report.archive);
    assert!(
        names
            .iter()
            .any(|n| n.starts_with("recordings/") && n.ends_with("CAalpha.opus")),
        "{names:?}"
    );
    assert_eq!(report.recordings_removed, 1);
    assert!(
        !recording.exists(),
        "the recording file is removed with the rows"
    );

    // Every tenant table: alpha's rows gone, bravo's untouched.
    assert_eq!(report.rows, before_alpha);
    assert!(
        rows_of(&db, A).await.values().all(|n| *n == 0),
        "{:?}",
        rows_of(&db, A).await
    );
    assert_eq!(rows_of(&db, B).await, before_bravo);

    // The tombstone and the audit row.
    assert!(at(
        &db,
        "SELECT purged_at AS at FROM tenants WHERE id = 'alpha'"
    )
    .await
    .is_some());
    assert!(at(
        &db,
        "SELECT purged_at AS at FROM tenants WHERE id = 'bravo'"
    )
    .await
    .is_none());
    let detail = scalar(
        &db,
        "SELECT detail::text AS text FROM audit_log WHERE action = 'tenant.purge' \
         AND actor = 'test-operator' AND target_tenant_id = 'alpha'",
    )
    .await
    .unwrap();
    let detail: serde_json::Value = serde_json::from_str(&detail).unwrap();
    assert_eq!(detail["sha256"], report.sha256);
    assert_eq!(detail["archive"], report.archive.display().to_string());
    assert_eq!(detail["rows"]["messages"], 1);
    assert_eq!(detail["retention_months"], 12);

    // Its number, domain and keys are gone: the lookups answer "unknown".
    assert_eq!(
        scalar(
            &db,
            "SELECT resolve_tenant_by_phone('+19185550101') AS text"
        )
        .await,
        None
    );
    assert_eq!(
        scalar(
            &db,
            "SELECT resolve_tenant_by_phone('+19185550102') AS text"
        )
        .await,
        Some("bravo".to_owned())
    );

    // A second purge is refused and changes nothing; so is reactivating it.
    let again = purger
        .purge(&alpha, "test-operator", Utc::now())
        .await
        .unwrap_err();
    assert!(
        matches!(
            again,
            PurgeError::Refused(PurgeRefused::AlreadyPurged { .. })
        ),
        "{again:?}"
    );
    assert!(su
        .batch_execute("UPDATE tenants SET status = 'active' WHERE id = 'alpha'")
        .await
        .is_err());
    assert_eq!(
        scalar(
            &db,
            "SELECT count(*)::text AS text FROM audit_log WHERE action = 'tenant.purge'"
        )
        .await,
        Some("1".to_owned())
    );
    let _ = std::fs::remove_dir_all(&archive_dir);
    let _ = std::fs::remove_dir_all(&recordings);
}

async fn app_with_archive(archive: &Path) -> TestApp {
    let app = TestApp::builder()
        .var("SERVICEPRO_ARCHIVE_DIR", archive.to_str().unwrap())
        .var("SERVICEPRO_RETENTION_MONTHS", "6")
        .spawn()
        .await;
    app.create_tenant(TenantSpec::default()).await;
    app.create_tenant(TenantSpec {
        id: "beta",
        name: "Beta Plumbing",
        phone: "+19185550111",
        ..TenantSpec::default()
    })
    .await;
    app
}

/// acme is a tombstone without its number, beta untouched, one audit row by `actor`.
async fn assert_purged_acme(app: &TestApp, actor: &str) {
    let counts = [
        "tenants WHERE id = 'acme' AND purged_at IS NOT NULL".to_owned(),
        "tenant_phone_config WHERE tenant_id = 'acme'".to_owned(),
        "tenant_phone_config WHERE tenant_id = 'beta'".to_owned(),
        format!("audit_log WHERE action = 'tenant.purge' AND actor = '{actor}' AND target_tenant_id = 'acme'"),
    ];
    let mut seen = Vec::new();
    for c in &counts {
        seen.push(app.count(c).await);
    }
    assert_eq!(seen, [1, 0, 1, 1], "{counts:?}");
}

/// The purge of acme is refused, 409, with `reason` in the message.
async fn assert_refused(app: &TestApp, reason: &str) {
    let (status, body) = purge_api(app, "acme", "acme").await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"]["code"], "purge_refused");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains(reason), "{body}");
}

async fn purge_api(app: &TestApp, id: &str, confirm: &str) -> (u16, serde_json::Value) {
    let res = app
        .admin(Method::POST, &format!("/api/admin/tenants/{id}/purge"))
        .json(&serde_json::json!({ "confirm": confirm }))
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.json().await.unwrap())
}

#[actix_web::test]
async fn the_root_api_purges_only_a_closed_tenant_past_the_window() {
    let archive = scratch("api");
    let app = app_with_archive(&archive).await;

    let (status, body) = purge_api(&app, "nobody", "nobody").await;
    assert_eq!(status, 404, "{body}");
    assert_refused(&app, "active").await;

    app.sql("UPDATE tenants SET status = 'suspended' WHERE id = 'acme'")
        .await;
    assert_refused(&app, "6 month(s)").await;

    app.sql("UPDATE tenants SET status_changed_at = now() - interval '7 months' WHERE id = 'acme'")
        .await;
    let (status, body) = purge_api(&app, "acme", "beta").await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["field"], "confirm");
    assert!(
        app.count("customers WHERE tenant_id = 'acme'").await
            + app
                .count("tenant_phone_config WHERE tenant_id = 'acme'")
                .await
            > 0
    );

    let (status, body) = purge_api(&app, "acme", "acme").await;
    assert_eq!(status, 200, "{body}");
    let file = PathBuf::from(body["archive"].as_str().unwrap());
    assert!(file.starts_with(&archive) && file.exists(), "{body}");
    assert_purged_acme(&app, "root-token").await;
    assert_refused(&app, "purged at").await;
    let _ = std::fs::remove_dir_all(&archive);
}

#[actix_web::test]
async fn the_drill_down_offers_the_purge_only_when_allowed_and_checks_csrf() {
    let archive = scratch("page");
    let app = app_with_archive(&archive).await;
    let web = root_browser(&app).await;

    let page = web.get("/root/tenants/acme").await;
    assert!(
        page.body.contains("Kept: the tenant is active"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("/root/tenants/acme/purge"));

    app.sql(
        "UPDATE tenants SET status = 'cancelled' WHERE id = 'acme'; \
         UPDATE tenants SET status_changed_at = now() - interval '7 months' WHERE id = 'acme'",
    )
    .await;
    let page = web.get("/root/tenants/acme").await;
    assert!(
        page.body.contains("action=\"/root/tenants/acme/purge\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("<label for=\"confirm\">"));
    let csrf = page.csrf();

    let forged = web
        .post(
            "/root/tenants/acme/purge",
            &[("csrf", "forged"), ("confirm", "acme")],
        )
        .await;
    assert_eq!(forged.status, 403);
    let unconfirmed = web
        .post(
            "/root/tenants/acme/purge",
            &[("csrf", &csrf), ("confirm", "acm")],
        )
        .await;
    assert_eq!(unconfirmed.status, 422);
    assert!(
        unconfirmed
            .body
            .contains("confirm: type the tenant&#39;s id (acme) to confirm the purge"),
        "{}",
        unconfirmed.body
    );
    assert_eq!(
        app.count("tenants WHERE id = 'acme' AND purged_at IS NOT NULL")
            .await,
        0
    );
    assert_eq!(
        app.count("tenant_phone_config WHERE tenant_id = 'acme'")
            .await,
        1
    );

    let done = web
        .post(
            "/root/tenants/acme/purge",
            &[("csrf", &csrf), ("confirm", "acme")],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(
        done.location.as_deref(),
        Some("/root/tenants/acme?done=purged")
    );
    assert_purged_acme(&app, "root-dashboard").await;
    let page = web.get("/root/tenants/acme?done=purged").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains("Tenant archived and purged"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("Kept: the tenant was purged at"),
        "{}",
        page.body
    );
    let _ = std::fs::remove_dir_all(&archive);
}
