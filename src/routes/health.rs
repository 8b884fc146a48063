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
    let count = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
    let calls = &state.call_metrics;
    let reaction = calls.barge_in_reaction.snapshot();
    let mut recent = reaction.recent.clone();
    recent.sort();
    let p99 = recent
        .get((recent.len() * 99).div_ceil(100).saturating_sub(1))
        .copied()
        .unwrap_or_default();
    let micros = |d: std::time::Duration| i64::try_from(d.as_micros()).unwrap_or(i64::MAX);
    let body = state.metrics.render(&[
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
            "servicepro_ai_calls_live",
            "Live AI receptionist calls",
            calls.live_calls.get(),
        ),
        (
            "servicepro_ai_call_frames_in",
            "Caller frames received by call actors",
            count(calls.frames_in.get()),
        ),
        (
            "servicepro_ai_call_frames_out",
            "Frames sent to callers by call actors",
            count(calls.frames_out.get()),
        ),
        (
            "servicepro_ai_call_frames_dropped_in",
            "Caller frames dropped (provider slower than real time)",
            count(calls.dropped_in.get()),
        ),
        (
            "servicepro_ai_call_frames_dropped_out",
            "Frames to callers dropped (socket slower than real time)",
            count(calls.dropped_out.get()),
        ),
        (
            "servicepro_ai_call_malformed_frames",
            "Malformed Twilio frames skipped",
            count(calls.malformed.get()),
        ),
        (
            "servicepro_ai_call_barge_ins",
            "Barge-ins handled",
            count(calls.barge_ins.get()),
        ),
        (
            "servicepro_ai_call_fallbacks",
            "Calls sent to the IVR after a provider failure",
            count(calls.fallbacks.get()),
        ),
        (
            "servicepro_ai_call_recordings_saved",
            "Call recordings written completely",
            count(calls.recordings_saved.get()),
        ),
        (
            "servicepro_ai_call_recordings_failed",
            "Call recordings that failed (the calls went on)",
            count(calls.recordings_failed.get()),
        ),
        (
            "servicepro_ai_call_recording_frames_skipped",
            "Frames left out of recordings because the encoder was behind",
            count(calls.recording_frames_skipped.get()),
        ),
        (
            "servicepro_ai_barge_in_reaction_max_us",
            "Slowest speech_started to clear reaction",
            micros(reaction.max),
        ),
        (
            "servicepro_ai_barge_in_reaction_p99_us",
            "p99 of the last reactions, speech_started to clear",
            micros(p99),
        ),
    ]);
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(body)
}
