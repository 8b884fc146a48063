//! Start-up: prepare the database, build the pool and the actix-web server,
//! bind, and stop gracefully on SIGTERM/Ctrl-C (actix-web stops accepting,
//! lets in-flight requests finish up to [`SHUTDOWN_GRACE_SECS`]).

use crate::config::Config;
use crate::request_span::request_span;
use crate::routes;
use crate::state::AppState;
use actix_web::body::MessageBody;
use actix_web::dev::{Server, ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, App, HttpServer};
use servicepro_schema::database_admin::ensure_database;
use servicepro_schema::migrate::run_migrations;
use servicepro_schema::{DbError, DbPool, PoolSettings};
use std::net::TcpListener;

/// How long live requests (and, later, calls) get to finish on shutdown.
pub const SHUTDOWN_GRACE_SECS: u64 = 30;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// The database could not be prepared.
    #[error("database: {0}")]
    Database(#[from] DbError),
    /// The Twilio client could not be built.
    #[error("twilio client: {0}")]
    Twilio(String),
    /// A configuration value failed its start-up check.
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    /// The listen address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: String,
        /// The OS error.
        source: std::io::Error,
    },
}

/// Creates the database if missing and applies pending migrations.
pub async fn prepare_database(database_url: &str) -> Result<Vec<String>, DbError> {
    if ensure_database(database_url).await? {
        tracing::info!("created database");
    }
    let applied = run_migrations(database_url).await?;
    for version in &applied {
        tracing::info!(%version, "applied migration");
    }
    Ok(applied)
}

/// A bound, not yet running server.
pub struct Application {
    server: Server,
    port: u16,
    state: AppState,
}

async fn count_status(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let metrics = req
        .app_data::<web::Data<AppState>>()
        .map(|s| s.metrics.clone());
    let res = next.call(req).await?;
    if let Some(m) = metrics {
        m.observe_status(res.status().as_u16());
    }
    Ok(res)
}

impl Application {
    /// Prepares the database at `database_url`, builds the pool and binds `config.bind`.
    pub async fn build(config: Config, database_url: &str) -> Result<Self, StartupError> {
        prepare_database(database_url).await?;
        let pool = DbPool::new(&PoolSettings::new(database_url))?;
        pool.ping().await?;
        let listener = TcpListener::bind(config.bind).map_err(|source| StartupError::Bind {
            addr: config.bind.to_string(),
            source,
        })?;
        let state =
            AppState::start(config, pool).map_err(|e| StartupError::Twilio(e.to_string()))?;
        match servicepro_actors::tenant::seed::seed_root_if_bare(&state.root_db).await {
            Ok(Some(report)) => tracing::info!(
                services = report.services,
                sms_templates = report.sms_templates,
                "seeded the root tenant from its industry pack"
            ),
            Ok(None) => {}
            Err(e) => tracing::error!(error = %e, "could not seed the root tenant"),
        }
        Self::with_listener(state, listener)
    }

    /// Builds the server for `state` on an already-bound listener (tests use port 0).
    pub fn with_listener(state: AppState, listener: TcpListener) -> Result<Self, StartupError> {
        state.config.prepare_recordings_dir()?;
        let addr = listener.local_addr().map_err(|source| StartupError::Bind {
            addr: "listener".to_owned(),
            source,
        })?;
        let data = web::Data::new(state.clone());
        let edge = state.config.edge.clone();
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .wrap(actix_web::middleware::from_fn(count_status))
                .wrap(actix_web::middleware::from_fn(request_span))
                .configure(routes::configure)
        })
        .on_connect(disable_nagle)
        // A client gets this long for a request's head, and a closing connection this
        // long to shut down; bodies have their own deadline (`crate::body`).
        .client_request_timeout(edge.client_request_timeout)
        .client_disconnect_timeout(edge.client_disconnect_timeout)
        .shutdown_timeout(SHUTDOWN_GRACE_SECS)
        .listen(listener)
        .map_err(|source| StartupError::Bind {
            addr: addr.to_string(),
            source,
        })?
        .run();
        Ok(Application {
            server,
            port: addr.port(),
            state,
        })
    }

    /// The bound port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Shared state (tests inspect it).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// A handle to stop the server.
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// Serves until stopped by a signal or the handle.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// Turns off Nagle's algorithm on every accepted connection. A media stream writes small
/// frames (a `clear`, a mark) right after others; with Nagle on, such a frame waited for
/// the caller's next packet to acknowledge the previous one — Twilio sends one every
/// 20 ms — which showed up as a 20 ms barge-in reaction in one case out of fifty.
fn disable_nagle(connection: &dyn std::any::Any, _: &mut actix_web::dev::Extensions) {
    if let Some(tcp) = connection.downcast_ref::<actix_web::rt::net::TcpStream>() {
        if let Err(err) = tcp.set_nodelay(true) {
            tracing::debug!(%err, "TCP_NODELAY not set");
        }
    }
}
