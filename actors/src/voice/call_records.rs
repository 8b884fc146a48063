//! The `calls` row of each Twilio call, kept right whatever order Twilio's
//! callbacks arrive in: one upsert moves the status forward only (terminal
//! states are final), appends each status once to the timeline, keeps the
//! first answer and end times, and meters call minutes once per call.

use chrono::{DateTime, Utc};
use diesel::sql_types::{Integer, Nullable, Text, Timestamptz};
use diesel_async::RunQueryDsl;
use servicepro_schema::{DbError, Direction, TenantDb};

/// One observation of a call's state (from the incoming webhook or a status callback).
#[derive(Debug, Clone)]
pub struct CallObservation {
    /// Twilio CallSid.
    pub call_sid: String,
    /// Which way the call went.
    pub direction: Direction,
    /// Caller.
    pub from: String,
    /// Called number.
    pub to: String,
    /// Twilio's `CallStatus`.
    pub status: String,
    /// When Twilio saw it (its `Timestamp`, else now).
    pub at: DateTime<Utc>,
    /// `CallDuration`, on completion.
    pub duration_seconds: Option<i32>,
    /// How the call was routed, when we answered it.
    pub route: Option<String>,
}

/// The call as it stands after an observation.
#[derive(Debug, Clone, PartialEq, Eq, diesel::QueryableByName)]
pub struct CallState {
    /// The status now stored.
    #[diesel(sql_type = Text)]
    pub status: String,
    /// The duration now stored.
    #[diesel(sql_type = Nullable<Integer>)]
    pub duration_seconds: Option<i32>,
}

const TERMINAL: [&str; 5] = ["completed", "busy", "no-answer", "failed", "canceled"];

const UPSERT: &str = "
INSERT INTO calls (tenant_id, call_sid, direction, from_number, to_number, status, status_timeline,
                   route, answered_at, ended_at, duration_seconds)
VALUES (current_setting('app.tenant_id', true), $1, $2, $3, $4, $5,
        jsonb_build_array(jsonb_build_object('status', $5::text, 'at', $6::timestamptz)),
        $7,
        CASE WHEN $5 = 'in-progress' THEN $6 END,
        CASE WHEN $8 THEN $6 END,
        $9)
ON CONFLICT (tenant_id, call_sid) DO UPDATE SET
    status = CASE WHEN call_status_rank(EXCLUDED.status) > call_status_rank(calls.status)
                  THEN EXCLUDED.status ELSE calls.status END,
    status_timeline = CASE WHEN calls.status_timeline @> jsonb_build_array(jsonb_build_object('status', EXCLUDED.status))
                           THEN calls.status_timeline
                           ELSE calls.status_timeline || EXCLUDED.status_timeline END,
    route = COALESCE(calls.route, EXCLUDED.route),
    answered_at = COALESCE(calls.answered_at, EXCLUDED.answered_at),
    ended_at = COALESCE(calls.ended_at, EXCLUDED.ended_at),
    duration_seconds = COALESCE(EXCLUDED.duration_seconds, calls.duration_seconds),
    updated_at = now()
RETURNING status, duration_seconds";

const METER: &str = "
INSERT INTO usage_events (tenant_id, kind, quantity, source_key)
VALUES (current_setting('app.tenant_id', true), 'call_minutes', $1, $2)
ON CONFLICT (tenant_id, kind, source_key) DO NOTHING";

/// Records an observation and, once the call has ended with a duration,
/// meters its minutes (rounded up) exactly once.
pub async fn observe_call(db: &TenantDb, obs: CallObservation) -> Result<CallState, DbError> {
    db.transaction(move |tx| {
        Box::pin(async move {
            let terminal = TERMINAL.contains(&obs.status.as_str());
            let state: CallState = diesel::sql_query(UPSERT)
                .bind::<Text, _>(&obs.call_sid)
                .bind::<Text, _>(obs.direction)
                .bind::<Text, _>(&obs.from)
                .bind::<Text, _>(&obs.to)
                .bind::<Text, _>(&obs.status)
                .bind::<Timestamptz, _>(obs.at)
                .bind::<Nullable<Text>, _>(obs.route.as_deref())
                .bind::<diesel::sql_types::Bool, _>(terminal)
                .bind::<Nullable<Integer>, _>(obs.duration_seconds)
                .get_result(tx.conn())
                .await?;
            if TERMINAL.contains(&state.status.as_str()) {
                if let Some(seconds) = state.duration_seconds.filter(|s| *s > 0) {
                    diesel::sql_query(METER)
                        .bind::<Integer, _>((seconds + 59) / 60)
                        .bind::<Text, _>(&obs.call_sid)
                        .execute(tx.conn())
                        .await?;
                }
            }
            Ok(state)
        })
    })
    .await
}

/// Appends turns (`(speaker, text)`) to the call's transcript.
pub async fn append_transcript(
    db: &TenantDb,
    call_sid: &str,
    turns: &[(&str, &str)],
) -> Result<(), DbError> {
    let entries: Vec<serde_json::Value> = turns
        .iter()
        .map(|(speaker, text)| serde_json::json!({ "speaker": speaker, "text": text }))
        .collect();
    let entries = serde_json::Value::Array(entries);
    let call_sid = call_sid.to_owned();
    db.transaction(move |tx| {
        Box::pin(async move {
            diesel::sql_query(
                "UPDATE calls SET transcript = transcript || $2, updated_at = now() \
                 WHERE tenant_id = current_setting('app.tenant_id', true) AND call_sid = $1",
            )
            .bind::<Text, _>(&call_sid)
            .bind::<diesel::sql_types::Jsonb, _>(&entries)
            .execute(tx.conn())
            .await?;
            Ok(())
        })
    })
    .await
}
