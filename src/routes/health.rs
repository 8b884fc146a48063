//! Liveness, readiness and Prometheus metrics.

use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{web, HttpResponse};
use servicepro_actors::metrics::{render, CONTENT_TYPE};

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

/// `GET /metrics`: every registered metric as OpenMetrics text (`prometheus-client`),
/// the scrape-time gauges set first.
pub async fn metrics(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let (size, available) = state.pool.status();
    let to_i64 = |v: usize| i64::try_from(v).unwrap_or(i64::MAX);
    let scrape = &state.metrics.scrape;
    scrape.db_pool_connections.set(to_i64(size));
    scrape.db_pool_idle.set(to_i64(available));
    scrape.tenant_actors_live.set(to_i64(state.tenants.live()));
    scrape
        .conversations_live
        .set(to_i64(state.conversations.live()));
    state.call_metrics.refresh();
    let mut body = render(&state.registry).map_err(|e| {
        tracing::error!(error = %e, "metrics could not be rendered");
        ApiError::internal()
    })?;
    // The allocation totals of an `alloc-stats` build, before the closing `# EOF`.
    let extra = crate::alloc_stats::exposition();
    if !extra.is_empty() {
        let end = body.rfind("# EOF").unwrap_or(body.len());
        body.insert_str(end, &extra);
    }
    Ok(HttpResponse::Ok().content_type(CONTENT_TYPE).body(body))
}
