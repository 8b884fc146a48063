//! Function calls, transfers to a person, and a tool that panics.

use super::support::*;
use crate::call::{CallEnd, CallPhase, FallbackCause};
use crate::realtime::fake_server::{FakeScript, FakeSessionEnd, ScriptedToolCall, SpeechTrigger};
use crate::realtime::openai_events::{ClientEvent, ConversationItem};

fn tool_script(name: &str) -> FakeScript {
    FakeScript {
        speech: SpeechTrigger::AfterAudio {
            after_ms: 100,
            duration_ms: 200,
        },
        tool_call: Some(ScriptedToolCall {
            name: name.to_owned(),
            arguments: "{}".to_owned(),
            after_utterances: 1,
        }),
        ..FakeScript::default()
    }
}

fn function_output(event: &ClientEvent) -> Option<&str> {
    match event {
        ClientEvent::ItemCreate {
            item: ConversationItem::FunctionCallOutput { output, .. },
        } => Some(output),
        _ => None,
    }
}

#[actix::test]
async fn a_tool_call_is_executed_once_and_answered() {
    let server = fake(tool_script("get_services")).await;
    let rig = Rig::new(to(&server));
    let mut call = rig.call(1);
    call.hear_greeting().await;
    for payload in tone_frames(16) {
        call.media(&payload);
    }
    let log = server
        .wait_for_session(0, WAIT, |log| {
            let types = control_types(log);
            types.len() >= 4 && types[types.len() - 1] == "response.create"
        })
        .await
        .expect("a tool answer");
    let controls = control_types(&log);
    assert_eq!(
        controls,
        [
            "session.update",
            "response.create",
            "conversation.item.create",
            "response.create"
        ]
    );
    let output = log.events.iter().find_map(function_output).unwrap();
    assert!(output.contains("Full detail"), "{output}");
    assert_eq!(
        *rig.tools.calls.lock().unwrap(),
        [("get_services".to_owned(), "{}".to_owned())],
        "announced twice, run once"
    );
    assert!(log.errors_sent.is_empty(), "{:?}", log.errors_sent);
    assert_eq!(call.stats().await.tool_calls, 1);
    call.stop();
}

#[actix::test]
async fn dtmf_zero_transfers_the_caller_to_a_person() {
    let server = fake(quiet()).await;
    let rig = Rig::new(to(&server));
    let mut call = rig.call(1);
    call.wait_stats("live", |s| s.phase == CallPhase::Live)
        .await;
    call.dtmf('5');
    call.dtmf('0');
    call.read_to_end().await;
    assert_eq!(rig.control.redirects(), [("person", call.call_sid.clone())]);
    let records = rig.records.of(&call.call_sid);
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].ended, CallEnd::HandedOff);
    let log = server
        .wait_for_session(0, WAIT, |log| log.end.is_some())
        .await
        .unwrap();
    assert!(matches!(log.end, Some(FakeSessionEnd::ClientClosed { .. })));
}

#[actix::test]
async fn a_handoff_tool_result_answers_the_model_and_transfers_the_caller() {
    let server = fake(tool_script("handoff_to_human")).await;
    let rig = Rig::new(to(&server));
    let mut call = rig.call(1);
    call.hear_greeting().await;
    for payload in tone_frames(16) {
        call.media(&payload);
    }
    call.read_to_end().await;
    assert_eq!(rig.control.redirects(), [("person", call.call_sid.clone())]);
    let log = server
        .wait_for_session(0, WAIT, |log| log.end.is_some())
        .await
        .unwrap();
    let output = log.events.iter().find_map(function_output).unwrap();
    assert_eq!(output, r#"{"handoff":true}"#);
    assert_eq!(rig.records.of(&call.call_sid)[0].ended, CallEnd::HandedOff);
}

#[actix::test]
async fn a_panicking_tool_ends_only_its_own_call_through_the_ivr() {
    let exploding = fake(tool_script("explode")).await;
    let calm = fake(quiet()).await;
    let rig_a = Rig::new(to(&exploding));
    let mut rig_b = Rig::new(to(&calm));
    rig_b.records = rig_a.records.clone();
    rig_b.metrics = rig_a.metrics.clone();
    let mut a = rig_a.call(1);
    let mut b = rig_b.call(2);
    a.hear_greeting().await;
    b.wait_stats("live", |s| s.phase == CallPhase::Live).await;
    for payload in tone_frames(16) {
        a.media(&payload);
    }
    a.read_to_end().await;
    let records = rig_a.records.of(&a.call_sid);
    assert_eq!(records.len(), 1);
    assert_eq!(
        records[0].ended,
        CallEnd::FallbackToIvr(FallbackCause::ToolFailed)
    );
    assert_eq!(rig_a.control.redirects(), [("ivr", a.call_sid.clone())]);
    assert_eq!(rig_a.metrics.tool_failures.get(), 1);
    // The other call goes on: its greeting plays and its audio still flows.
    b.read_until("b's greeting", |f| media_count(f) == 25).await;
    for payload in tone_frames(5) {
        b.media(&payload);
    }
    calm.wait_for_session(0, WAIT, |log| log.appends == 5)
        .await
        .expect("b's audio");
    assert_eq!(b.stats().await.phase, CallPhase::Live);
    b.stop();
    b.read_to_end().await;
    assert_eq!(rig_a.records.all().len(), 2);
}
