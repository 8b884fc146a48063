//! Liveness, readiness and Prometheus metrics.

use crate::state::AppState;
use actix_web::{web, HttpResponse};

/// `GET /healthz`: the process is up.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "status": "ok" }))
}

/// `GET /readyz`: the database answers; 503 otherwise.
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    match state.pool.ping().await {
        Ok(()) => HttpResponse::Ok().json(serde_json::json!({ "status": "ready" })),
        Err(err) => {
            state.metrics.db_errors.inc();
            tracing::warn!(error = %err, "readiness check failed");
            HttpResponse::ServiceUnavailable()
                .json(serde_json::json!({ "status": "unavailable", "reason": "database" }))
        }
    }
}

/// `GET /metrics`: Prometheus text exposition.
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    let (size, available) = state.pool.status();
    let to_i64 = |v: usize| i64::try_from(v).unwrap_or(i64::MAX);
    let mut gauges = vec![
        (
            "servicepro_db_pool_connections",
            "Open database connections",
            to_i64(size),
        ),
        (
            "servicepro_db_pool_idle",
            "Idle database connections",
            to_i64(available),
        ),
        (
            "servicepro_tenant_actors_live",
            "Tenant actors running",
            to_i64(state.tenants.live()),
        ),
        (
            "servicepro_conversations_live",
            "Conversation actors running",
            to_i64(state.conversations.live()),
        ),
    ];
    gauges.extend(state.call_metrics.exposition());
    let mut body = state.metrics.render(&gauges);
    body.push_str(&crate::alloc_stats::exposition());
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(body)
}
