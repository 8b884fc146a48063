//! Liveness, readiness (including the database-down 503 path) and metrics.

use crate::support::TestApp;
use servicepro::config::Config;
use servicepro::startup::Application;
use servicepro::state::AppState;
use servicepro_schema::{DbPool, PoolSettings};
use std::collections::HashMap;
use std::time::Duration;

#[actix_web::test]
async fn healthz_and_readyz_answer() {
    let app = TestApp::spawn().await;
    let res = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.json::<serde_json::Value>().await.unwrap()["status"],
        "ok"
    );
    let res = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.json::<serde_json::Value>().await.unwrap()["status"],
        "ready"
    );
}

#[actix_web::test]
async fn readyz_is_503_when_the_database_is_unreachable() {
    // A pool pointing at a port where nothing listens: the database is "cut".
    let mut settings = PoolSettings::new("postgres://postgres@127.0.0.1:9/none");
    settings.acquire_timeout = Duration::from_millis(500);
    let pool = DbPool::new(&settings).unwrap();
    let config = Config::from_map(HashMap::new()).unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let app = Application::with_listener(AppState::start(config, pool).unwrap(), listener).unwrap();
    let url = format!("http://127.0.0.1:{}", app.port());
    actix_web::rt::spawn(app.run_until_stopped());
    let client = reqwest::Client::new();
    let res = client.get(format!("{url}/readyz")).send().await.unwrap();
    assert_eq!(res.status(), 503);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["reason"], "database");
    let res = client.get(format!("{url}/healthz")).send().await.unwrap();
    assert_eq!(
        res.status(),
        200,
        "liveness does not depend on the database"
    );
}

#[actix_web::test]
async fn metrics_are_openmetrics_text_and_count_responses() {
    let app = TestApp::spawn().await;
    app.client.get(app.url("/healthz")).send().await.unwrap();
    app.client
        .get(app.url("/api/admin/tenants"))
        .send()
        .await
        .unwrap();
    let res = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["content-type"],
        "application/openmetrics-text; version=1.0.0; charset=utf-8"
    );
    let text = res.text().await.unwrap();
    assert!(
        text.contains("servicepro_http_responses_total{class=\"2xx\"} 1"),
        "{text}"
    );
    assert!(
        text.contains("servicepro_http_responses_total{class=\"4xx\"} 1"),
        "{text}"
    );
    assert!(text.contains("servicepro_auth_rejected_total 1"), "{text}");
    assert!(
        text.contains("# TYPE servicepro_db_pool_connections gauge"),
        "{text}"
    );
    for gauge in [
        "servicepro_tenant_actors_live 0",
        "servicepro_conversations_live 0",
        "servicepro_ai_calls_live 0",
        "servicepro_ai_barge_in_reaction_p99_us 0",
    ] {
        assert!(text.contains(gauge), "{gauge} missing:\n{text}");
    }
}
