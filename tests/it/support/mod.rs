//! Shared test harness: databases, the spawned app, logging.

pub mod app;
pub mod browser;
pub mod db;
pub mod fake_twilio;
pub mod stripe;
pub mod tenants;
pub mod twilio_client;

pub use app::TestApp;
pub use db::TestDatabase;
pub use fake_twilio::FakeTwilio;

/// Logs are silent unless `TEST_LOG` is set.
pub fn init_logging() {
    if std::env::var_os("TEST_LOG").is_some() {
        servicepro::telemetry::init("debug");
    }
}
