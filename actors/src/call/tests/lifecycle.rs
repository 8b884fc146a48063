//! The end of a call: the provider closed at once, the record finalised exactly once
//! (also after a panic), nothing left open after many calls.

use std::time::Duration;

use super::support::*;
use crate::call::messages::InjectPanic;
use crate::call::{CallEnd, CallPhase, Speaker};
use crate::realtime::fake_server::{FakeScript, FakeSessionEnd, SpeechTrigger};

#[actix::test]
async fn stop_closes_the_provider_at_once_and_finalises_once_with_the_transcript() {
    let server = fake(FakeScript {
        speech: SpeechTrigger::AfterAudio {
            after_ms: 100,
            duration_ms: 200,
        },
        caller_transcripts: vec!["I'd like a full detail on Friday".to_owned()],
        ..FakeScript::default()
    })
    .await;
    let rig = Rig::new(to(&server));
    let mut call = rig.call(1);
    call.hear_greeting().await;
    for payload in tone_frames(16) {
        call.media(&payload);
    }
    call.read_until("the second answer", |f| media_count(f) == 50)
        .await;
    call.echo_marks(25);
    call.wait_stats("answer done", |s| !s.response_active).await;
    call.stop();
    call.read_to_end().await;
    call.hang_up();
    let log = server
        .wait_for_session(0, WAIT, |log| log.end.is_some())
        .await
        .unwrap();
    assert!(
        matches!(log.end, Some(FakeSessionEnd::ClientClosed { .. })),
        "{:?}",
        log.end
    );
    tokio::time::sleep(Duration::from_millis(50)).await;
    let records = rig.records.all();
    assert_eq!(records.len(), 1, "finalised exactly once");
    let record = &records[0];
    assert_eq!(record.ended, CallEnd::StreamStopped);
    assert_eq!(record.call_sid.as_deref(), Some(call.call_sid.as_str()));
    assert_eq!(record.tenant_id.as_str(), "root");
    let greeting = "Thanks for calling Clean Machine, how can I help?".to_owned();
    assert_eq!(
        record.transcript,
        [
            (Speaker::Assistant, greeting.clone()),
            (
                Speaker::Caller,
                "I'd like a full detail on Friday".to_owned()
            ),
            (Speaker::Assistant, greeting),
        ]
    );
    assert_eq!((record.frames_in, record.frames_out), (16, 50));
    assert_eq!(
        (record.dropped_in, record.dropped_out, record.malformed),
        (0, 0, 0)
    );
    assert_eq!(record.usage.input, 240);
    assert_eq!(record.usage.output, 120);
    assert!(record.ai_seconds > 0.0);
    assert_eq!(rig.metrics.live_calls.get(), 0);
    drop(call);
    eventually("actor gone", || rig.metrics.actors_alive.get() == 0).await;
    assert_eq!(rig.records.all().len(), 1);
}

#[actix::test]
async fn after_many_calls_end_nothing_is_left_open() {
    let server = fake(quiet()).await;
    let rig = Rig::new(to(&server));
    let mut calls: Vec<_> = (1..=8).map(|n| rig.call(n)).collect();
    for call in &mut calls {
        call.read_until("greeting", |f| media_count(f) == 25).await;
    }
    assert_eq!(server.stats().open_sessions, 8);
    assert_eq!(rig.metrics.live_calls.get(), 8);
    for (i, call) in calls.iter_mut().enumerate() {
        if i % 2 == 0 {
            call.stop();
        } else {
            call.hang_up();
        }
    }
    for call in &mut calls {
        call.read_to_end().await;
    }
    eventually("fake sessions closed", || server.stats().open_sessions == 0).await;
    assert_eq!(rig.metrics.live_calls.get(), 0);
    assert_eq!(rig.metrics.calls_finalized.get(), 8);
    assert_eq!(rig.metrics.frames_out.get(), 8 * 25);
    let mut sids: Vec<_> = rig.records.all().into_iter().map(|r| r.call_sid).collect();
    sids.sort();
    sids.dedup();
    assert_eq!(sids.len(), 8);
    drop(calls);
    eventually("actors gone", || rig.metrics.actors_alive.get() == 0).await;
}

#[actix::test]
async fn a_panic_inside_a_call_actor_finalises_that_call_and_spares_the_other() {
    let server = fake(quiet()).await;
    let rig = Rig::new(to(&server));
    let mut a = rig.call(1);
    let mut b = rig.call(2);
    a.read_until("a's greeting", |f| media_count(f) == 25).await;
    b.read_until("b's greeting", |f| media_count(f) == 25).await;
    a.addr.do_send(InjectPanic);
    a.read_to_end().await;
    let records = rig.records.of(&a.call_sid);
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].ended, CallEnd::Aborted);
    assert_eq!(records[0].frames_out, 25);
    assert_eq!(rig.metrics.aborted.get(), 1);
    eventually("a's provider session closed", || {
        server.stats().open_sessions == 1
    })
    .await;
    for payload in tone_frames(5) {
        b.media(&payload);
    }
    let stats = b.wait_stats("b's audio", |s| s.frames_in == 5).await;
    assert_eq!(stats.phase, CallPhase::Live);
    b.stop();
    b.read_to_end().await;
    assert_eq!(rig.records.all().len(), 2);
    assert_eq!(rig.metrics.live_calls.get(), 0);
    drop((a, b));
    eventually("actors gone", || rig.metrics.actors_alive.get() == 0).await;
}
