//! What a count costs on the media path, ns per increment: the hand-rolled relaxed
//! atomic the process used before `prometheus-client`, the crate's `Counter` (the
//! process-wide per-frame counters such as `media_frames_dropped`), a labelled
//! family's `get_or_create` + `inc` with the label built already, and the whole
//! per-tenant path (`TenantMetrics::text_in`: the cap rule, the label's `String`, the
//! lookup), with 500 tenants' series present.

use criterion::{criterion_group, criterion_main, Criterion};
use prometheus_client::metrics::family::Family;
use servicepro_actors::metrics::{Counter, TenantLabel, TenantMetrics};
use servicepro_schema::TenantId;
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};

/// 500 tenant ids, `t0000`…`t0499`.
fn tenants() -> Vec<TenantId> {
    (0..500)
        .filter_map(|i| TenantId::parse(&format!("t{i:04}")).ok())
        .collect()
}

fn bench_counters(c: &mut Criterion) {
    let mut group = c.benchmark_group("metrics");

    let hand_rolled = AtomicU64::new(0);
    group.bench_function("hand_rolled_atomic_inc", |b| {
        b.iter(|| black_box(&hand_rolled).fetch_add(1, Ordering::Relaxed))
    });

    let counter = Counter::default();
    group.bench_function("prometheus_counter_inc", |b| {
        b.iter(|| black_box(&counter).inc())
    });

    let ids = tenants();
    let family = Family::<TenantLabel, Counter>::default();
    let labels: Vec<TenantLabel> = ids
        .iter()
        .map(|id| TenantLabel {
            tenant: id.as_str().to_owned(),
        })
        .collect();
    for label in &labels {
        family.get_or_create(label).inc();
    }
    let label = &labels[250];
    group.bench_function("family_get_or_create_inc", |b| {
        b.iter(|| family.get_or_create(black_box(label)).inc())
    });

    let per_tenant = TenantMetrics::default();
    for id in &ids {
        per_tenant.text_in(id);
    }
    let id = &ids[250];
    group.bench_function("tenant_metrics_text_in", |b| {
        b.iter(|| per_tenant.text_in(black_box(id)))
    });

    let handle = family.get_or_create_owned(label);
    group.bench_function("resolved_family_handle_inc", |b| {
        b.iter(|| black_box(&handle).inc())
    });
    group.finish();
}

criterion_group!(benches, bench_counters);
criterion_main!(benches);
