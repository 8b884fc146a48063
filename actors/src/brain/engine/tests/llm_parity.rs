//! Parity of the two brains: every scripted conversation is played by the
//! offline engine, and what it did with the tools (bookings with their
//! add-ons and details, moves, cancellations) is then asked of the LLM
//! brain through the fake model, calling the same tools with the
//! arguments a model would give. Both must leave the calendar the same:
//! same service, start, length, price and details. Wording is the
//! model's, so it is not compared.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde_json::{json, Value};
use servicepro_schema::AppointmentStatus;

use super::conversations::fixture_files;
use super::fake_tools::{FakeTools, Stored};
use super::fixture::{play_with, tools_for, Fixture, DEFAULT_PHONE};
use crate::brain::llm::fake::{FakeChatServer, FakeReply};
use crate::brain::llm::{ChatClient, LlmBrain, LlmState, TurnOutcome};
use crate::brain::tools::AgentTools;

/// One thing the offline brain did, as the model is asked to do it.
enum Op {
    Book(Stored),
    Move { id: i64, to: DateTime<Utc> },
    Cancel(i64),
}

/// What the offline run changed in the calendar.
fn ops(before: &FakeTools, after: &FakeTools) -> Vec<Op> {
    let original = before.appointments();
    let mut out = Vec::new();
    for a in after.appointments() {
        if !a.preexisting {
            if a.info.status == AppointmentStatus::Booked {
                out.push(Op::Book(a));
            }
            continue;
        }
        let Some(was) = original.iter().find(|o| o.info.id == a.info.id) else {
            continue;
        };
        if a.info.starts_at != was.info.starts_at {
            out.push(Op::Move {
                id: a.info.id,
                to: a.info.starts_at,
            });
        }
        if a.info.status == AppointmentStatus::Cancelled {
            out.push(Op::Cancel(a.info.id));
        }
    }
    out
}

/// The model's tool calls for `op`, then its closing words.
fn script(op: &Op, tools: &FakeTools, tz: Tz) -> Vec<FakeReply> {
    let local = |t: DateTime<Utc>| t.with_timezone(&tz);
    let day_time = |t: DateTime<Utc>| {
        (
            local(t).format("%Y-%m-%d").to_string(),
            local(t).format("%H:%M").to_string(),
        )
    };
    let calls = match op {
        Op::Book(b) => {
            let (day, time) = day_time(b.info.starts_at);
            let addons: Vec<String> = b
                .addon_ids
                .iter()
                .filter_map(|id| tools.service(*id).map(|s| s.name.clone()))
                .collect();
            let details = match &b.details {
                Value::Object(_) => b.details.clone(),
                _ => json!({}),
            };
            vec![
                (
                    "check_availability",
                    json!({"service": b.info.service_name, "addons": addons, "details": details,
                           "day": day, "time": time}),
                ),
                (
                    "book_appointment",
                    json!({"service_id": b.info.service_id, "slot_start": local(b.info.starts_at).to_rfc3339(),
                           "details": details, "address": b.info.address, "customer_name": b.customer_name}),
                ),
            ]
        }
        Op::Move { id, to } => {
            let (day, time) = day_time(*to);
            vec![
                (
                    "check_availability",
                    json!({"appointment_id": id, "day": day, "time": time}),
                ),
                (
                    "reschedule_appointment",
                    json!({"appointment_id": id, "slot_start": local(*to).to_rfc3339()}),
                ),
            ]
        }
        Op::Cancel(id) => vec![("cancel_appointment", json!({"appointment_id": id}))],
    };
    let mut out: Vec<FakeReply> = calls
        .into_iter()
        .enumerate()
        .map(|(i, (name, args))| FakeReply::tool_calls(&[(&format!("call_{i}"), name, args)]))
        .collect();
    out.push(FakeReply::text("Done."));
    out
}

/// Plays `fx` through both brains; the differences found.
async fn compare(fx: &Fixture) -> Vec<String> {
    let (_, failures, offline) = play_with(fx).await;
    if !failures.is_empty() {
        // The scripted-conversation test reports these.
        return Vec::new();
    }
    let before = tools_for(fx);
    let tz = offline.profile().time_zone;
    let todo = ops(&before, &offline);
    if todo.is_empty() {
        return Vec::new();
    }
    let phone = fx.phone.clone().unwrap_or_else(|| DEFAULT_PHONE.to_owned());
    let llm_tools = tools_for(fx);
    let replies: Vec<FakeReply> = todo
        .iter()
        .flat_map(|op| script(op, &offline, tz))
        .collect();
    let server = FakeChatServer::start(replies).await.expect("fake model");
    let client = ChatClient::new(&server.base_url(), "sk-test")
        .expect("client")
        .with_timeout(std::time::Duration::from_secs(5));
    let brain = LlmBrain::new(client);
    let mut state = LlmState::new(None);
    let mut diffs = Vec::new();
    for (i, op) in todo.iter().enumerate() {
        let before_checks = llm_tools.checked_minutes().len();
        let outcome = brain
            .turn(&mut state, "ok", Some(&phone), &llm_tools, fx.now)
            .await;
        if let TurnOutcome::Failed(e) = outcome {
            diffs.push(format!("op {i}: the LLM turn failed: {e}"));
            continue;
        }
        if let Op::Book(b) = op {
            let checked = llm_tools.checked_minutes();
            let booked = (b.info.ends_at - b.info.starts_at).num_minutes();
            match checked.get(before_checks) {
                Some(m) if i64::from(*m) == booked => {}
                other => diffs.push(format!(
                    "op {i}: LLM checked availability for {other:?} minutes, the offline job took {booked}"
                )),
            }
        }
    }
    let theirs = offline.appointments();
    let ours = llm_tools.appointments();
    let key = |a: &Stored| {
        (
            a.info.service_id,
            a.info.starts_at,
            a.info.ends_at,
            a.info.price_cents,
            a.info.status,
            a.addon_ids.clone(),
            a.details.clone(),
        )
    };
    let theirs: Vec<_> = theirs.iter().map(key).collect();
    let ours: Vec<_> = ours.iter().map(key).collect();
    if theirs != ours {
        diffs.push(format!(
            "calendars differ:\n offline {theirs:?}\n llm     {ours:?}"
        ));
    }
    diffs
}

#[tokio::test]
async fn the_llm_brain_does_with_the_tools_what_the_offline_brain_did() {
    let mut report = String::new();
    let mut compared = 0;
    for path in fixture_files() {
        let text = std::fs::read_to_string(&path).expect("readable fixture");
        let Ok(fx) = toml::from_str::<Fixture>(&text) else {
            continue;
        };
        let reproducible = fx.setup.failing.is_empty()
            && !fx.setup.take_next_slot
            && fx.phone.as_deref() != Some("");
        if !reproducible {
            continue;
        }
        let diffs = compare(&fx).await;
        compared += 1;
        if !diffs.is_empty() {
            report.push_str(&format!("\n{}: {diffs:?}", path.display()));
        }
    }
    assert!(compared >= 100, "only {compared} fixtures compared");
    assert!(report.is_empty(), "the brains differ:{report}");
}
