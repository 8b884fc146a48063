//! Shared test harness: databases, the spawned app, logging.

pub mod app;
pub mod db;

pub use app::TestApp;
pub use db::TestDatabase;

/// Logs are silent unless `TEST_LOG` is set.
pub fn init_logging() {
    if std::env::var_os("TEST_LOG").is_some() {
        servicepro::telemetry::init("debug");
    }
}
