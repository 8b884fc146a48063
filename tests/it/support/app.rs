//! `TestApp`: the real server on 127.0.0.1:0 over a fresh database.

use super::db::TestDatabase;
use servicepro::config::Config;
use servicepro::startup::Application;
use servicepro::state::AppState;
use servicepro_schema::{DbPool, PoolSettings};
use std::collections::HashMap;

/// The root token every `TestApp` is configured with.
pub const ROOT_TOKEN: &str = "test-root-token-0123456789";

/// A running server and its database.
pub struct TestApp {
    /// The loopback Twilio REST API the app talks to.
    pub twilio: super::FakeTwilio,
    /// `http://127.0.0.1:{port}`.
    pub address: String,
    /// The app's shared state.
    pub state: AppState,
    /// Its database (dropped with the app).
    pub db: TestDatabase,
    /// A client for requests.
    pub client: reqwest::Client,
    /// Where the app writes call recordings (a directory of this app's own, removed
    /// with it, unless the test configured `SERVICEPRO_RECORDINGS_DIR`).
    pub recordings: std::path::PathBuf,
    /// Scratch directories this app made for itself (recordings, exports…),
    /// removed with it; a directory a test configured is left alone.
    owned_dirs: Vec<std::path::PathBuf>,
    handle: actix_web::dev::ServerHandle,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Stop accepting and close the pool's users before the database is dropped.
        drop(self.handle.stop(false));
        for dir in &self.owned_dirs {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// The directories the app writes files to: each gets a scratch directory of
/// its own unless the test configured it, so no test writes into the checkout.
const FILE_DIRS: [(&str, &str); 3] = [
    ("SERVICEPRO_RECORDINGS_DIR", "recordings"),
    ("SERVICEPRO_EXPORTS_DIR", "exports"),
    ("SERVICEPRO_ARCHIVE_DIR", "archive"),
];

/// A fresh directory name under the system temp dir for one app's `kind` of files.
fn scratch_dir(kind: &str) -> std::path::PathBuf {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    std::env::temp_dir().join(format!("servicepro-it-{}-{n}-{kind}", std::process::id()))
}

/// Builds a `TestApp` with configuration overrides.
#[derive(Default)]
pub struct TestAppBuilder {
    vars: HashMap<String, String>,
    now: Option<chrono::DateTime<chrono::Utc>>,
}

impl TestAppBuilder {
    /// Sets a configuration variable.
    pub fn var(mut self, key: &str, value: &str) -> Self {
        self.vars.insert(key.to_owned(), value.to_owned());
        self
    }

    /// Stops the engine's clock at `now`.
    pub fn now(mut self, now: chrono::DateTime<chrono::Utc>) -> Self {
        self.now = Some(now);
        self
    }

    /// Starts the app.
    pub async fn spawn(self) -> TestApp {
        super::init_logging();
        let db = TestDatabase::new().await;
        let twilio = super::FakeTwilio::start();
        let mut vars = self.vars;
        for (k, v) in [
            ("TWILIO_API_BASE", twilio.base.as_str()),
            ("TWILIO_ACCOUNT_SID", super::twilio_client::ACCOUNT_SID),
            ("TWILIO_AUTH_TOKEN", super::twilio_client::AUTH_TOKEN),
            ("SERVICEPRO_PUBLIC_URL", super::twilio_client::PUBLIC_URL),
        ] {
            vars.entry(k.to_owned()).or_insert_with(|| v.to_owned());
        }
        vars.entry("SERVICEPRO_ROOT_TOKEN".to_owned())
            .or_insert_with(|| ROOT_TOKEN.to_owned());
        let mut owned_dirs = Vec::new();
        for (var, kind) in FILE_DIRS {
            if !vars.contains_key(var) {
                let dir = scratch_dir(kind);
                let _ = std::fs::remove_dir_all(&dir);
                vars.insert(var.to_owned(), dir.to_string_lossy().into_owned());
                owned_dirs.push(dir);
            }
        }
        vars.insert("DATABASE_URL".to_owned(), db.url().to_owned());
        vars.insert("SERVICEPRO_BIND".to_owned(), "127.0.0.1:0".to_owned());
        let config = Config::from_map(vars).unwrap();
        let recordings = config.recordings_dir.clone();
        let pool = DbPool::new(&PoolSettings::new(db.url())).unwrap();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let app = Application::with_listener(
            match self.now {
                Some(now) => AppState::start_with_clock(
                    config,
                    pool,
                    servicepro_actors::clock::fixed_clock(now),
                )
                .unwrap(),
                None => AppState::start(config, pool).unwrap(),
            },
            listener,
        )
        .unwrap();
        let address = format!("http://127.0.0.1:{}", app.port());
        let state = app.state().clone();
        let handle = app.handle();
        actix_web::rt::spawn(app.run_until_stopped());
        TestApp {
            twilio,
            address,
            state,
            db,
            client: reqwest::Client::new(),
            recordings,
            owned_dirs,
            handle,
        }
    }
}

impl TestApp {
    /// A builder with default configuration.
    pub fn builder() -> TestAppBuilder {
        TestAppBuilder::default()
    }

    /// An app with default configuration.
    pub async fn spawn() -> TestApp {
        Self::builder().spawn().await
    }

    /// The `/metrics` page as text.
    pub async fn metrics_text(&self) -> String {
        self.client
            .get(self.url("/metrics"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    /// A fresh tenant API key of `tenant`.
    pub async fn key_of(&self, tenant: &str) -> String {
        let db = servicepro_schema::TenantDb::new(
            self.state.pool.clone(),
            servicepro_schema::TenantId::parse(tenant).unwrap(),
        );
        let issued = servicepro_actors::tenant::api_keys::rotate(&db, "test")
            .await
            .unwrap();
        issued.plaintext.expose_secret().to_owned()
    }

    /// `address` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// A request to the admin API with the root token.
    pub fn admin(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.client
            .request(method, self.url(path))
            .bearer_auth(ROOT_TOKEN)
    }
}
