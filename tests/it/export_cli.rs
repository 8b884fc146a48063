//! `servicepro export --tenant ID --out FILE`: the engine's export to a file,
//! its progress reported page by page (what the command's bar draws); the
//! binary itself writes the zip, and refuses an unknown tenant with a clear
//! message and a non-zero exit. Also the generator of a large tenant and the
//! `#[ignore]`d measurement recorded in BENCHMARKS.md.

use crate::support::db::TestDatabase;
use crate::support::tenants::TenantSpec;
use crate::support::TestApp;
use diesel_async::SimpleAsyncConnection;
use servicepro_actors::export::file::export_to_file;
use servicepro_actors::export::{ExportError, Progress};
use servicepro_schema::{DbPool, PoolSettings, TenantId};
use std::io::Read;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// Fills `tenant` (which must exist) with `messages` texts across realistic
/// conversations: one customer and one SMS conversation per 50 texts,
/// alternating inbound and outbound, a minute apart, each with its own
/// MessageSid — written by PostgreSQL itself (`generate_series`), no round trip per row.
pub async fn generate_large_tenant(db: &TestDatabase, tenant: &str, messages: i64) {
    let customers = (messages / 50).max(1);
    let mut su = db.superuser().await;
    su.batch_execute(&format!(
        "INSERT INTO customers (tenant_id, phone, name, email, address) \
           SELECT '{tenant}', '+1918' || lpad(g::text, 7, '0'), 'Customer ' || g, \
                  'customer' || g || '@example.com', g || ' Main St, Tulsa OK' \
           FROM generate_series(1, {customers}) g; \
         INSERT INTO conversations (tenant_id, customer_id, channel) \
           SELECT '{tenant}', id, 'sms' FROM customers WHERE tenant_id = '{tenant}'; \
         INSERT INTO messages (tenant_id, conversation_id, customer_id, direction, from_number, \
                               to_number, body, twilio_sid, status, created_at, sent_at) \
           SELECT '{tenant}', c.id, c.customer_id, \
                  CASE WHEN g % 2 = 0 THEN 'inbound' ELSE 'outbound' END, \
                  CASE WHEN g % 2 = 0 THEN cu.phone ELSE '+19185550100' END, \
                  CASE WHEN g % 2 = 0 THEN '+19185550100' ELSE cu.phone END, \
                  CASE WHEN g % 2 = 0 THEN 'Hi, can you come out Tuesday morning to look at the ' || g || ' sq ft lawn?' \
                       ELSE 'Sure! We have 9:00 or 10:30 on Tuesday. Reply 1 or 2 to book. Ref ' || g END, \
                  'SM' || md5(c.id::text || '-' || g), \
                  CASE WHEN g % 2 = 0 THEN 'received' ELSE 'delivered' END, \
                  now() - make_interval(mins => g), now() - make_interval(mins => g) \
           FROM conversations c JOIN customers cu ON cu.tenant_id = c.tenant_id AND cu.id = c.customer_id \
           CROSS JOIN generate_series(1, 50) g WHERE c.tenant_id = '{tenant}'; \
         ANALYZE customers, conversations, messages;"
    ))
    .await
    .unwrap();
}

/// A fresh directory under the system's temporary one.
pub(crate) fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "servicepro-it-{name}-{}-{}",
        std::process::id(),
        rand::random::<u32>()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The text of entry `name` of the zip at `path`.
pub(crate) fn zip_text(path: &std::path::Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    zip.by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[actix_web::test]
async fn the_engine_export_reports_progress_page_by_page_and_writes_atomically() {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec::default()).await;
    generate_large_tenant(&app.db, "acme", 2_500).await;
    let dir = scratch("engine");
    let out = dir.join("acme.zip");
    let seen: Arc<Mutex<Vec<Progress>>> = Arc::default();
    let log = seen.clone();
    let bytes = export_to_file(
        &app.state.pool,
        &TenantId::parse("acme").unwrap(),
        false,
        &out,
        move |p| {
            log.lock().unwrap().push(p);
            async { Ok(()) }
        },
    )
    .await
    .unwrap();
    assert_eq!(std::fs::metadata(&out).unwrap().len(), bytes);
    assert!(!dir.join("acme.zip.part").exists());
    let seen = seen.lock().unwrap().clone();
    assert!(
        seen.windows(2).all(|w| w[0].fraction <= w[1].fraction),
        "{seen:?}"
    );
    assert_eq!(seen.last().unwrap().fraction, 1.0);
    let messages: Vec<(i64, i64)> = seen
        .iter()
        .filter(|p| p.entry == "messages.csv")
        .map(|p| (p.rows, p.of))
        .collect();
    assert_eq!(
        messages,
        [(1000, 2500), (2000, 2500), (2500, 2500), (2500, 2500)]
    );
    assert_eq!(zip_text(&out, "messages.csv").lines().count(), 2_501);

    let unknown = export_to_file(
        &app.state.pool,
        &TenantId::parse("nobody").unwrap(),
        false,
        &dir.join("nobody.zip"),
        |_| async { Ok(()) },
    )
    .await;
    assert!(
        matches!(unknown, Err(ExportError::UnknownTenant(_))),
        "{unknown:?}"
    );
    assert!(!dir.join("nobody.zip").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

fn run_cli(db: &TestDatabase, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_servicepro"))
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("RUST_LOG", "warn")
        .env("DATABASE_URL", db.url())
        .output()
        .unwrap()
}

#[actix_web::test]
async fn the_export_command_writes_the_zip_and_refuses_an_unknown_tenant() {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec::default()).await;
    generate_large_tenant(&app.db, "acme", 1_200).await;
    let dir = scratch("binary");
    let out = dir.join("acme-export.zip");
    let ran = run_cli(
        &app.db,
        &["export", "--tenant", "acme", "--out", out.to_str().unwrap()],
    );
    let stdout = String::from_utf8_lossy(&ran.stdout);
    assert!(
        ran.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&ran.stderr)
    );
    assert!(stdout.contains("exported acme to"), "{stdout}");
    assert_eq!(zip_text(&out, "messages.csv").lines().count(), 1_201);
    assert!(zip_text(&out, "customers.json").contains("Customer 24"));

    let missing = dir.join("nobody.zip");
    let refused = run_cli(
        &app.db,
        &[
            "export",
            "--tenant",
            "nobody",
            "--out",
            missing.to_str().unwrap(),
        ],
    );
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success());
    assert!(stderr.contains("no tenant has the id nobody"), "{stderr}");
    assert!(!missing.exists() && !dir.join("nobody.zip.part").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

/// This process's peak resident memory so far (kB), from /proc.
fn peak_rss_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

/// The measurement in BENCHMARKS.md: a tenant with `EXPORT_BENCH_MESSAGES`
/// texts (default 1,000,000), exported by the engine in this process; prints
/// wall time, rows/s, zip size and the process's peak RSS before and after.
#[actix_web::test]
#[ignore = "measurement: run by hand (BENCHMARKS.md)"]
async fn export_bench_large_tenant() {
    let messages: i64 = std::env::var("EXPORT_BENCH_MESSAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let db = TestDatabase::new().await;
    db.superuser()
        .await
        .batch_execute(
            "INSERT INTO tenants (id, name, industry, plan_tier, status) \
             VALUES ('big', 'Big Lawn Co', 'lawn-care', 'pro', 'active')",
        )
        .await
        .unwrap();
    let generated = std::time::Instant::now();
    generate_large_tenant(&db, "big", messages).await;
    let generated = generated.elapsed();
    let pool = DbPool::new(&PoolSettings::new(db.url())).unwrap();
    let dir = scratch("bench");
    let out = dir.join("big.zip");
    let before = peak_rss_kb();
    let started = std::time::Instant::now();
    let bytes = export_to_file(
        &pool,
        &TenantId::parse("big").unwrap(),
        false,
        &out,
        |_| async { Ok(()) },
    )
    .await
    .unwrap();
    let wall = started.elapsed();
    let after = peak_rss_kb();
    let rows = messages + 2 * (messages / 50).max(1);
    println!(
        "export bench: {messages} messages ({rows} rows) generated in {:.1} s; exported in {:.1} s \
         ({:.0} rows/s, each row written as CSV and JSON); zip {:.1} MB; peak RSS {before} kB before, {after} kB after",
        generated.as_secs_f64(),
        wall.as_secs_f64(),
        rows as f64 / wall.as_secs_f64(),
        bytes as f64 / 1e6,
    );
    let _ = std::fs::remove_dir_all(&dir);
}
