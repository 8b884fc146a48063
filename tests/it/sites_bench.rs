//! Page weight and server time per site template (BENCHMARKS.md). Ignored by
//! default; run with
//! `cargo test --test it sites_bench -- --ignored --nocapture`.
//! Prints a table; asserts only the weight budget (never wall-clock).

use crate::support::tenants::TenantSpec;
use crate::support::TestApp;
use reqwest::Method;
use serde_json::json;
use servicepro_actors::website::template::TemplateId;
use servicepro_schema::TenantId;
use std::time::{Duration, Instant};

const RUNS: usize = 300;

fn percentile(mut samples: Vec<Duration>, p: f64) -> Duration {
    samples.sort();
    samples[((samples.len() - 1) as f64 * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1e3)
}

#[actix_web::test]
#[ignore = "a measurement: run with --ignored --nocapture"]
async fn sites_bench() {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec {
        id: "clean-machine",
        name: "Clean Machine Auto Detailing",
        ..TenantSpec::default()
    })
    .await;
    let key = app.key_of("clean-machine").await;
    let tenant = TenantId::parse("clean-machine").unwrap();
    println!("| template | HTML+CSS bytes | render (cache miss) ms | from cache, version read ms (p50 / p99) | from cache, version known ms (p50) | HTTP TTFB ms (p50 / p99) |");
    println!("|---|---|---|---|---|---|");
    for template in TemplateId::ALL {
        let res = app
            .owner(Method::PUT, "/api/tenant/website", &key)
            .json(&json!({"template": template.slug()}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let start = Instant::now();
        let page = servicepro::sites::live_page(&app.state, &tenant, None)
            .await
            .unwrap();
        let miss = start.elapsed();
        assert!(page.html.len() < 100 * 1024, "{template}");
        let version = page.version;
        let mut cached = Vec::with_capacity(RUNS);
        let mut known = Vec::with_capacity(RUNS);
        for _ in 0..RUNS {
            let t = Instant::now();
            servicepro::sites::live_page(&app.state, &tenant, None)
                .await
                .unwrap();
            cached.push(t.elapsed());
            let t = Instant::now();
            servicepro::sites::live_page(&app.state, &tenant, Some(version))
                .await
                .unwrap();
            known.push(t.elapsed());
        }
        let mut ttfb = Vec::with_capacity(RUNS);
        for _ in 0..RUNS {
            let t = Instant::now();
            let res = app
                .client
                .get(app.url("/clean-machine/"))
                .send()
                .await
                .unwrap();
            ttfb.push(t.elapsed());
            assert_eq!(res.status(), 200);
            res.bytes().await.unwrap();
        }
        println!(
            "| {} | {} | {} | {} / {} | {} | {} / {} |",
            template.slug(),
            page.html.len(),
            ms(miss),
            ms(percentile(cached.clone(), 0.5)),
            ms(percentile(cached, 0.99)),
            ms(percentile(known, 0.5)),
            ms(percentile(ttfb.clone(), 0.5)),
            ms(percentile(ttfb, 0.99)),
        );
    }
}
