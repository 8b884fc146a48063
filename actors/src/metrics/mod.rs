//! Process metrics on `prometheus-client`, rendered by the server's `/metrics` as
//! OpenMetrics text ([`render`], [`CONTENT_TYPE`]).
//!
//! * [`Metrics`] (this file) — the process-wide counters and the gauges set at
//!   scrape time; it owns the per-tenant families.
//! * [`tenants`] — [`TenantMetrics`]: live calls, texts in and out, bookings,
//!   webhook rejections and provider errors by tenant; the last hour of rejections.
//! * [`tenant_labels`] — [`TenantLabels`], the one rule bounding the `tenant` label.
//! * [`hour_window`] — [`HourWindow`], a per-minute ring counting the last hour.
//!
//! Counters are the crate's [`Counter`] (one relaxed atomic add, as cheap as the
//! hand-rolled atomics they replaced; see BENCHMARKS.md), so the media path keeps
//! its per-frame counts. Counter names get `_total` in the exposition.

pub mod hour_window;
pub mod tenant_labels;
pub mod tenants;

pub use hour_window::HourWindow;
pub use prometheus_client::registry::Registry;
pub use tenant_labels::{TenantLabel, TenantLabels};
pub use tenants::{CallTenantMetrics, LiveCall, Provider, TenantMetrics};

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::family::Family;
use std::sync::Arc;

/// A monotonically increasing count (`inc`, `inc_by`, `get`); clones share the count.
pub type Counter = prometheus_client::metrics::counter::Counter;
/// A value that goes up and down (`inc`, `dec`, `set`, `get`); clones share the value.
pub type Gauge = prometheus_client::metrics::gauge::Gauge;

/// The `Content-Type` of [`render`]'s text.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// Renders every metric in `registry` as OpenMetrics text (ending `# EOF`).
pub fn render(registry: &Registry) -> Result<String, std::fmt::Error> {
    let mut out = String::with_capacity(8 * 1024);
    prometheus_client::encoding::text::encode(&mut out, registry)?;
    Ok(out)
}

/// The `class` label of `servicepro_http_responses_total`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct StatusClass {
    class: &'static str,
}

/// Values read when `/metrics` is scraped (pool and actor counts), set by the edge
/// just before it renders.
#[derive(Debug, Default)]
pub struct ScrapeGauges {
    /// Open database connections.
    pub db_pool_connections: Gauge,
    /// Idle database connections.
    pub db_pool_idle: Gauge,
    /// Tenant actors running.
    pub tenant_actors_live: Gauge,
    /// Conversation actors running.
    pub conversations_live: Gauge,
}

/// Every process-wide metric but the calls' (`call::CallMetrics`).
#[derive(Debug)]
pub struct Metrics {
    http_responses: Family<StatusClass, Counter>,
    /// HTTP requests answered 2xx or 3xx.
    pub http_2xx: Counter,
    /// HTTP 4xx answers.
    pub http_4xx: Counter,
    /// HTTP 5xx answers.
    pub http_5xx: Counter,
    /// Requests refused for a bad or missing signature or token.
    pub auth_rejected: Counter,
    /// Database errors seen at the edge.
    pub db_errors: Counter,
    /// Texts handed to Twilio.
    pub sms_sent: Counter,
    /// Texts refused (opt-out, quota, status, full outbox), stored with the reason.
    pub sms_refused: Counter,
    /// Texts Twilio would not take.
    pub sms_failed: Counter,
    /// Media-stream frames dropped at the websocket edge (the call's mailbox was full).
    pub media_frames_dropped: Counter,
    /// Batches the SMS group-commit writer wrote (one transaction per tenant in each).
    pub sms_write_batches: Counter,
    /// Writes (stored texts and recorded replies) in those batches.
    pub sms_writes: Counter,
    /// Unanswered texts the recovery sweep answered.
    pub texts_recovered: Counter,
    /// `pending` outbound texts the recovery sweep handed back to the outbox.
    pub outbox_resent: Counter,
    /// Booking-page posts that filled the honeypot (answered a fake success, nothing booked).
    pub booking_page_bots: Counter,
    /// Values set at scrape time.
    pub scrape: ScrapeGauges,
    /// The per-tenant families.
    pub tenants: Arc<TenantMetrics>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new(Arc::new(TenantMetrics::default()))
    }
}

impl Metrics {
    /// Process metrics with `tenants`' families.
    pub fn new(tenants: Arc<TenantMetrics>) -> Self {
        let http_responses = Family::<StatusClass, Counter>::default();
        let class = |class| http_responses.get_or_create_owned(&StatusClass { class });
        Metrics {
            http_2xx: class("2xx"),
            http_4xx: class("4xx"),
            http_5xx: class("5xx"),
            http_responses,
            auth_rejected: Counter::default(),
            db_errors: Counter::default(),
            sms_sent: Counter::default(),
            sms_refused: Counter::default(),
            sms_failed: Counter::default(),
            media_frames_dropped: Counter::default(),
            sms_write_batches: Counter::default(),
            sms_writes: Counter::default(),
            texts_recovered: Counter::default(),
            outbox_resent: Counter::default(),
            booking_page_bots: Counter::default(),
            scrape: ScrapeGauges::default(),
            tenants,
        }
    }

    /// Counts an answered request by its status code.
    pub fn observe_status(&self, status: u16) {
        match status {
            200..=399 => self.http_2xx.inc(),
            400..=499 => self.http_4xx.inc(),
            _ => self.http_5xx.inc(),
        };
    }

    /// Adds every metric (the per-tenant families too) to `registry`.
    pub fn register(&self, registry: &mut Registry) {
        let counters: [(&str, &str, &Counter); 11] = [
            (
                "servicepro_booking_page_bots",
                "Booking-page posts that filled the honeypot field",
                &self.booking_page_bots,
            ),
            (
                "servicepro_texts_recovered",
                "Unanswered texts the recovery sweep answered",
                &self.texts_recovered,
            ),
            (
                "servicepro_outbox_resent",
                "Pending outbound texts the recovery sweep handed back to the outbox",
                &self.outbox_resent,
            ),
            (
                "servicepro_sms_write_batches",
                "Batches written by the SMS group-commit writer",
                &self.sms_write_batches,
            ),
            (
                "servicepro_sms_writes",
                "Stored texts and recorded replies in those batches",
                &self.sms_writes,
            ),
            (
                "servicepro_sms_sent",
                "Texts handed to Twilio",
                &self.sms_sent,
            ),
            (
                "servicepro_sms_refused",
                "Texts refused before sending (opt-out, quota, status, full outbox)",
                &self.sms_refused,
            ),
            (
                "servicepro_sms_failed",
                "Texts Twilio would not take",
                &self.sms_failed,
            ),
            (
                "servicepro_media_frames_dropped",
                "Media-stream frames dropped at the websocket edge (the call's mailbox was full)",
                &self.media_frames_dropped,
            ),
            (
                "servicepro_auth_rejected",
                "Requests refused for a bad signature or token",
                &self.auth_rejected,
            ),
            (
                "servicepro_db_errors",
                "Database errors seen at the HTTP edge",
                &self.db_errors,
            ),
        ];
        for (name, help, counter) in counters {
            registry.register(name, help, counter.clone());
        }
        registry.register(
            "servicepro_http_responses",
            "HTTP responses by status class",
            self.http_responses.clone(),
        );
        let gauges: [(&str, &str, &Gauge); 4] = [
            (
                "servicepro_db_pool_connections",
                "Open database connections",
                &self.scrape.db_pool_connections,
            ),
            (
                "servicepro_db_pool_idle",
                "Idle database connections",
                &self.scrape.db_pool_idle,
            ),
            (
                "servicepro_tenant_actors_live",
                "Tenant actors running",
                &self.scrape.tenant_actors_live,
            ),
            (
                "servicepro_conversations_live",
                "Conversation actors running",
                &self.scrape.conversations_live,
            ),
        ];
        for (name, help, gauge) in gauges {
            registry.register(name, help, gauge.clone());
        }
        self.tenants.register(registry);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_openmetrics_text() {
        let m = Metrics::default();
        m.observe_status(200);
        m.observe_status(403);
        m.auth_rejected.inc();
        m.scrape.db_pool_connections.set(3);
        let mut registry = Registry::default();
        m.register(&mut registry);
        let text = render(&registry).unwrap();
        assert!(text.contains("servicepro_http_responses_total{class=\"4xx\"} 1"));
        assert!(text.contains("servicepro_http_responses_total{class=\"5xx\"} 0"));
        assert!(text.contains("servicepro_auth_rejected_total 1"));
        assert!(text.contains(
            "# TYPE servicepro_db_pool_connections gauge\nservicepro_db_pool_connections 3"
        ));
        assert!(text.ends_with("# EOF\n"), "{text}");
    }
}
