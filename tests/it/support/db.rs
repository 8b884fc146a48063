//! A fresh database per test, cloned from a template that is migrated once
//! per schema version (the template's name carries a hash of the
//! migrations, and its creation is serialised across processes with an
//! advisory lock). The database is dropped when the test ends.

use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};
use servicepro_schema::database_admin::{create_from_template, drop_database, with_database};
use servicepro_schema::migrate::run_migrations;
use sha2::{Digest, Sha256};
use std::path::Path;

/// The server used for tests (its maintenance database).
pub fn server_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

fn migrations_hash() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/migrations");
    let mut entries: Vec<_> = walk(&dir);
    entries.sort();
    let mut hasher = Sha256::new();
    for path in entries {
        hasher.update(path.to_string_lossy().as_bytes());
        hasher.update(std::fs::read(&path).unwrap());
    }
    hex_prefix(&hasher.finalize())
}

fn hex_prefix(bytes: &[u8]) -> String {
    bytes.iter().take(6).map(|b| format!("{b:02x}")).collect()
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[derive(diesel::QueryableByName)]
struct Exists {
    #[diesel(sql_type = diesel::sql_types::Bool)]
    exists: bool,
}

async fn ensure_template() -> String {
    let name = format!("sp_template_{}", migrations_hash());
    let admin_url = server_url();
    let mut admin = AsyncPgConnection::establish(&admin_url).await.unwrap();
    admin
        .batch_execute("SELECT pg_advisory_lock(727274)")
        .await
        .unwrap();
    let found: Exists = diesel::sql_query(
        "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1 AND datistemplate) AS exists",
    )
    .bind::<diesel::sql_types::Text, _>(&name)
    .get_result(&mut admin)
    .await
    .unwrap();
    if !found.exists {
        let building = format!("{name}_build");
        for sql in [
            format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)"),
            format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            format!("CREATE DATABASE {building}"),
        ] {
            admin.batch_execute(&sql).await.unwrap();
        }
        run_migrations(&with_database(&admin_url, &building).unwrap())
            .await
            .unwrap();
        for sql in [
            format!("ALTER DATABASE {building} RENAME TO {name}"),
            format!("ALTER DATABASE {name} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false"),
        ] {
            admin.batch_execute(&sql).await.unwrap();
        }
    }
    admin
        .batch_execute("SELECT pg_advisory_unlock(727274)")
        .await
        .unwrap();
    name
}

/// A database of its own for one test.
pub struct TestDatabase {
    name: String,
    url: String,
}

impl TestDatabase {
    /// Clones the migrated template into a new database.
    pub async fn new() -> Self {
        let template = ensure_template().await;
        let name = format!("sp_test_{}", random_suffix());
        create_from_template(&server_url(), &name, &template)
            .await
            .unwrap();
        TestDatabase {
            url: with_database(&server_url(), &name).unwrap(),
            name,
        }
    }

    /// Its URL (the owner/superuser; the app pool drops to the app role).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// A superuser connection, which row level security does not restrict.
    pub async fn superuser(&self) -> AsyncPgConnection {
        AsyncPgConnection::establish(&self.url).await.unwrap()
    }
}

fn random_suffix() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let mut hasher = Sha256::new();
    hasher.update(nanos.to_le_bytes());
    hasher.update(std::process::id().to_le_bytes());
    hasher.update(format!("{:?}", std::thread::current().id()).as_bytes());
    hex_prefix(&hasher.finalize())
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let name = self.name.clone();
        let url = server_url();
        let done = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(drop_database(&url, &name))
        })
        .join();
        if !matches!(done, Ok(Ok(()))) {
            eprintln!("could not drop test database {}", self.name);
        }
    }
}
