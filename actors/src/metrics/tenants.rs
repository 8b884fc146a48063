//! [`TenantMetrics`]: the per-tenant families of `/metrics`, each labelled `tenant`
//! through [`TenantLabels`] (so bounded by its cap), and the last hour of webhook
//! rejections the root dashboard shows ([`HourWindow`]).
//!
//! | family | kind | counted where |
//! |---|---|---|
//! | `servicepro_tenant_calls_live` | gauge | an AI call's start; back down when it is finalised ([`LiveCall`]) |
//! | `servicepro_tenant_texts_in_total` | counter | an inbound text stored (not a duplicate) |
//! | `servicepro_tenant_texts_out_total` | counter | an outbound text accepted by Twilio's REST API, or an inline (TwiML) reply |
//! | `servicepro_tenant_bookings_total` | counter | an appointment committed, by any channel (not a move) |
//! | `servicepro_tenant_webhook_rejections_total` | counter | a webhook refused for its signature |
//! | `servicepro_tenant_provider_errors_total` | counter (+ `provider`) | a provider call that failed |
//!
//! A lookup costs a lock and a hash (see BENCHMARKS.md); the call actor resolves its
//! handles once, when the call starts ([`TenantMetrics::call`]).

use super::hour_window::HourWindow;
use super::tenant_labels::{TenantLabel, TenantLabels};
use super::{Counter, Gauge};
use crate::clock::{system_clock, Clock};
use prometheus_client::encoding::{EncodeLabelSet, EncodeLabelValue, LabelValueEncoder};
use prometheus_client::metrics::family::Family;
use prometheus_client::registry::Registry;
use servicepro_schema::TenantId;
use std::fmt::Write;
use std::num::NonZeroUsize;
use std::sync::{Mutex, PoisonError};

/// The outside services whose failures are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Provider {
    /// The OpenAI Realtime session of an AI call (did not open, or dropped).
    Realtime,
    /// OpenAI Chat Completions behind the text brain (the offline brain answered).
    OpenAiChat,
    /// Twilio's REST API (a text not taken, a live call not redirected).
    Twilio,
}

impl Provider {
    /// The label value.
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::Realtime => "openai_realtime",
            Provider::OpenAiChat => "openai_chat",
            Provider::Twilio => "twilio",
        }
    }
}

impl EncodeLabelValue for Provider {
    fn encode(&self, encoder: &mut LabelValueEncoder) -> Result<(), std::fmt::Error> {
        encoder.write_str(self.as_str())
    }
}

/// The labels of `servicepro_tenant_provider_errors_total`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
pub struct ProviderLabels {
    /// The tenant the failed request was for.
    pub tenant: String,
    /// Which provider failed.
    pub provider: Provider,
}

/// A live call on the per-tenant gauge: up when made, down exactly once when
/// dropped (the call actor drops it when the call is finalised, or with itself).
#[derive(Debug)]
pub struct LiveCall(Gauge);

impl Drop for LiveCall {
    fn drop(&mut self) {
        self.0.dec();
    }
}

/// One call's per-tenant handles, resolved once when the call starts, so nothing
/// on the call's path looks a label up again.
#[derive(Debug)]
pub struct CallTenantMetrics {
    /// Holds the tenant's live-call gauge up while the call lives.
    pub live: Option<LiveCall>,
    /// The tenant's Realtime errors.
    pub realtime_errors: Counter,
    /// The tenant's Twilio errors (the call's redirects).
    pub twilio_errors: Counter,
}

/// The per-tenant families.
pub struct TenantMetrics {
    labels: TenantLabels,
    calls_live: Family<TenantLabel, Gauge>,
    texts_in: Family<TenantLabel, Counter>,
    texts_out: Family<TenantLabel, Counter>,
    bookings: Family<TenantLabel, Counter>,
    webhook_rejections: Family<TenantLabel, Counter>,
    provider_errors: Family<ProviderLabels, Counter>,
    rejections_last_hour: Mutex<HourWindow>,
    clock: Clock,
}

impl std::fmt::Debug for TenantMetrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TenantMetrics")
            .field("labels", &self.labels)
            .finish_non_exhaustive()
    }
}

impl Default for TenantMetrics {
    fn default() -> Self {
        Self::new(super::tenant_labels::DEFAULT_CAP, system_clock())
    }
}

impl TenantMetrics {
    /// Families for at most `cap` tenant labels, the last hour read on `clock`.
    pub fn new(cap: NonZeroUsize, clock: Clock) -> Self {
        TenantMetrics {
            labels: TenantLabels::new(cap),
            calls_live: Family::default(),
            texts_in: Family::default(),
            texts_out: Family::default(),
            bookings: Family::default(),
            webhook_rejections: Family::default(),
            provider_errors: Family::default(),
            rejections_last_hour: Mutex::new(HourWindow::default()),
            clock,
        }
    }

    /// Adds the families to `registry`.
    pub fn register(&self, registry: &mut Registry) {
        registry.register(
            "servicepro_tenant_calls_live",
            "Live AI receptionist calls by tenant",
            self.calls_live.clone(),
        );
        registry.register(
            "servicepro_tenant_texts_in",
            "Inbound texts stored, by tenant",
            self.texts_in.clone(),
        );
        registry.register(
            "servicepro_tenant_texts_out",
            "Outbound texts sent (accepted by Twilio, or answered inline), by tenant",
            self.texts_out.clone(),
        );
        registry.register(
            "servicepro_tenant_bookings",
            "Appointments booked (any channel), by tenant",
            self.bookings.clone(),
        );
        registry.register(
            "servicepro_tenant_webhook_rejections",
            "Webhooks refused for their signature, by the tenant they named",
            self.webhook_rejections.clone(),
        );
        registry.register(
            "servicepro_tenant_provider_errors",
            "Failed provider requests, by tenant and provider",
            self.provider_errors.clone(),
        );
    }

    /// An inbound text was stored.
    pub fn text_in(&self, tenant: &TenantId) {
        self.texts_in
            .get_or_create(&self.labels.label(tenant))
            .inc();
    }

    /// An outbound text was sent (accepted by Twilio's REST API, or an inline reply).
    pub fn text_out(&self, tenant: &TenantId) {
        self.texts_out
            .get_or_create(&self.labels.label(tenant))
            .inc();
    }

    /// An appointment was booked.
    pub fn booking(&self, tenant: &TenantId) {
        self.bookings
            .get_or_create(&self.labels.label(tenant))
            .inc();
    }

    /// A webhook was refused for its signature; `tenant` when the request named one.
    /// Also counted in the last hour.
    pub fn webhook_rejected(&self, tenant: Option<&TenantId>) {
        self.webhook_rejections
            .get_or_create(&self.labels.label_or_unknown(tenant))
            .inc();
        let now = (self.clock)();
        self.rejections_last_hour
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .record(now);
    }

    /// Webhooks refused in the last hour (all tenants).
    pub fn webhook_rejections_last_hour(&self) -> u64 {
        let now = (self.clock)();
        self.rejections_last_hour
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .count(now)
    }

    /// A request to `provider` for `tenant` failed.
    pub fn provider_error(&self, tenant: &TenantId, provider: Provider) {
        self.provider_counter(tenant, provider).inc();
    }

    /// The handle of `tenant`'s errors with `provider`, to keep and increment later.
    pub fn provider_counter(&self, tenant: &TenantId, provider: Provider) -> Counter {
        let labels = ProviderLabels {
            tenant: self.labels.label(tenant).tenant,
            provider,
        };
        self.provider_errors.get_or_create_owned(&labels)
    }

    /// A call of `tenant` starts: it is live until the returned handles' `live` drops.
    pub fn call(&self, tenant: &TenantId) -> CallTenantMetrics {
        let gauge = self
            .calls_live
            .get_or_create_owned(&self.labels.label(tenant));
        gauge.inc();
        CallTenantMetrics {
            live: Some(LiveCall(gauge)),
            realtime_errors: self.provider_counter(tenant, Provider::Realtime),
            twilio_errors: self.provider_counter(tenant, Provider::Twilio),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone, Utc};
    use std::sync::atomic::{AtomicI64, Ordering};
    use std::sync::Arc;

    fn id(s: &str) -> TenantId {
        TenantId::parse(s).unwrap()
    }

    fn render(m: &TenantMetrics) -> String {
        let mut registry = Registry::default();
        m.register(&mut registry);
        super::super::render(&registry).unwrap()
    }

    #[test]
    fn cap_plus_one_tenants_give_cap_labels_and_other_and_keep_the_total() {
        let m = TenantMetrics::new(NonZeroUsize::new(2).unwrap(), system_clock());
        for (tenant, texts) in [("acme", 3), ("bolt", 2), ("cove", 4)] {
            for _ in 0..texts {
                m.text_in(&id(tenant));
            }
        }
        let text = render(&m);
        let mut series: Vec<&str> = text
            .lines()
            .filter(|l| l.starts_with("servicepro_tenant_texts_in_total{"))
            .collect();
        series.sort_unstable();
        assert_eq!(
            series,
            [
                "servicepro_tenant_texts_in_total{tenant=\"_other\"} 4",
                "servicepro_tenant_texts_in_total{tenant=\"acme\"} 3",
                "servicepro_tenant_texts_in_total{tenant=\"bolt\"} 2",
            ],
            "{text}"
        );
        let total: u64 = series
            .iter()
            .filter_map(|l| l.rsplit(' ').next()?.parse::<u64>().ok())
            .sum();
        assert_eq!(total, 9, "folding loses no text");
    }

    #[test]
    fn a_call_is_live_until_its_handle_drops() {
        let m = TenantMetrics::default();
        let a = m.call(&id("acme"));
        let b = m.call(&id("acme"));
        assert!(render(&m).contains("servicepro_tenant_calls_live{tenant=\"acme\"} 2"));
        drop(a);
        let mut b = b;
        b.realtime_errors.inc();
        b.live.take();
        let text = render(&m);
        assert!(
            text.contains("servicepro_tenant_calls_live{tenant=\"acme\"} 0"),
            "{text}"
        );
        assert!(
            text.contains(
                "servicepro_tenant_provider_errors_total{tenant=\"acme\",provider=\"openai_realtime\"} 1"
            ),
            "{text}"
        );
        drop(b);
        assert!(render(&m).contains("servicepro_tenant_calls_live{tenant=\"acme\"} 0"));
    }

    #[test]
    fn webhook_rejections_are_labelled_and_counted_for_an_hour() {
        let t0 = Utc.with_ymd_and_hms(2026, 12, 4, 10, 0, 0).unwrap();
        let secs = Arc::new(AtomicI64::new(0));
        let clock: Clock = {
            let secs = secs.clone();
            Arc::new(move || t0 + Duration::seconds(secs.load(Ordering::Relaxed)))
        };
        let m = TenantMetrics::new(NonZeroUsize::new(10).unwrap(), clock);
        m.webhook_rejected(Some(&id("acme")));
        m.webhook_rejected(None);
        secs.store(30 * 60, Ordering::Relaxed);
        m.webhook_rejected(None);
        assert_eq!(m.webhook_rejections_last_hour(), 3);
        secs.store(60 * 60, Ordering::Relaxed);
        assert_eq!(
            m.webhook_rejections_last_hour(),
            1,
            "the first two are an hour old"
        );
        let text = render(&m);
        assert!(text.contains("servicepro_tenant_webhook_rejections_total{tenant=\"acme\"} 1"));
        assert!(text.contains("servicepro_tenant_webhook_rejections_total{tenant=\"_unknown\"} 2"));
    }
}
