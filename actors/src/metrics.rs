//! Process-wide counters and gauges, rendered as Prometheus text by the
//! server's `/metrics`. Plain atomics: cheap enough for media paths.

use std::fmt::Write;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

/// A monotonically increasing count.
#[derive(Debug, Default)]
pub struct Counter(AtomicU64);

impl Counter {
    /// Adds one.
    pub fn inc(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
    /// Adds `n`.
    pub fn add(&self, n: u64) {
        self.0.fetch_add(n, Ordering::Relaxed);
    }
    /// The current count.
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// A value that goes up and down.
#[derive(Debug, Default)]
pub struct Gauge(AtomicI64);

impl Gauge {
    /// Adds one.
    pub fn inc(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
    /// Subtracts one.
    pub fn dec(&self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
    /// Sets the value.
    pub fn set(&self, v: i64) {
        self.0.store(v, Ordering::Relaxed);
    }
    /// The current value.
    pub fn get(&self) -> i64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// Every metric the process exports.
#[derive(Debug, Default)]
pub struct Metrics {
    /// HTTP requests answered, by status class.
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
}

impl Metrics {
    /// Counts an answered request by its status code.
    pub fn observe_status(&self, status: u16) {
        match status {
            200..=399 => self.http_2xx.inc(),
            400..=499 => self.http_4xx.inc(),
            _ => self.http_5xx.inc(),
        }
    }

    /// Renders the Prometheus text exposition, with extra gauges supplied by the caller.
    pub fn render(&self, extra_gauges: &[(&str, &str, i64)]) -> String {
        let mut out = String::with_capacity(1024);
        let counters: [(&str, &str, &Counter); 7] = [
            (
                "servicepro_booking_page_bots_total",
                "Booking-page posts that filled the honeypot field",
                &self.booking_page_bots,
            ),
            (
                "servicepro_texts_recovered_total",
                "Unanswered texts the recovery sweep answered",
                &self.texts_recovered,
            ),
            (
                "servicepro_outbox_resent_total",
                "Pending outbound texts the recovery sweep handed back to the outbox",
                &self.outbox_resent,
            ),
            (
                "servicepro_sms_write_batches_total",
                "Batches written by the SMS group-commit writer",
                &self.sms_write_batches,
            ),
            (
                "servicepro_sms_writes_total",
                "Stored texts and recorded replies in those batches",
                &self.sms_writes,
            ),
            (
                "servicepro_auth_rejected_total",
                "Requests refused for a bad signature or token",
                &self.auth_rejected,
            ),
            (
                "servicepro_db_errors_total",
                "Database errors seen at the HTTP edge",
                &self.db_errors,
            ),
        ];
        for (name, help, c) in counters {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {}",
                c.get()
            );
        }
        let _ = writeln!(
            out,
            "# HELP servicepro_http_responses_total HTTP responses by status class\n# TYPE servicepro_http_responses_total counter"
        );
        for (class, c) in [
            ("2xx", &self.http_2xx),
            ("4xx", &self.http_4xx),
            ("5xx", &self.http_5xx),
        ] {
            let _ = writeln!(
                out,
                "servicepro_http_responses_total{{class=\"{class}\"}} {}",
                c.get()
            );
        }
        for (name, help, value) in extra_gauges {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}"
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_prometheus_text() {
        let m = Metrics::default();
        m.observe_status(200);
        m.observe_status(403);
        m.auth_rejected.inc();
        let text = m.render(&[("servicepro_db_pool_size", "Open connections", 3)]);
        assert!(text.contains("servicepro_http_responses_total{class=\"4xx\"} 1"));
        assert!(text.contains("servicepro_auth_rejected_total 1"));
        assert!(text.contains("# TYPE servicepro_db_pool_size gauge\nservicepro_db_pool_size 3"));
    }
}
