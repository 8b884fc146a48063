//! Failures never leave silence: a provider that cannot be reached, a session that
//! drops (one reconnect carrying the conversation, then the IVR), a silent Twilio side.

use std::sync::Arc;
use std::time::Duration;

use super::support::*;
use crate::call::{CallEnd, CallPhase, CallTuning, FallbackCause, Speaker};
use crate::realtime::fake_server::{Disconnect, FakeScript, Refusal};
use crate::realtime::openai_events::ClientEvent;

fn dropping(after: Duration) -> FakeScript {
    FakeScript {
        drop_after: Some((after, Disconnect::Abrupt)),
        ..quiet()
    }
}

#[actix::test]
async fn a_provider_that_refuses_the_call_sends_the_caller_to_the_ivr() {
    let server = fake(FakeScript {
        refuse: Some(Refusal::Http(503)),
        ..quiet()
    })
    .await;
    let rig = Rig::new(to(&server));
    let mut call = rig.call(1);
    call.read_to_end().await;
    assert_eq!(rig.control.redirects(), [("ivr", call.call_sid.clone())]);
    let records = rig.records.of(&call.call_sid);
    assert_eq!(records.len(), 1);
    assert_eq!(
        records[0].ended,
        CallEnd::FallbackToIvr(FallbackCause::ProviderUnavailable)
    );
    assert_eq!(records[0].ai_seconds, 0.0);
}

#[actix::test]
async fn a_dropped_session_is_reopened_once_with_the_conversation_so_far() {
    let first = fake(dropping(Duration::from_millis(300))).await;
    let second = fake(quiet()).await;
    let switching = Switching::new(vec![to(&first), to(&second)], Duration::ZERO);
    let rig = Rig::new(Arc::new(switching));
    let mut call = rig.call(1);
    call.read_until("the greeting", |f| media_count(f) == 25)
        .await;
    let log = second
        .wait_for_session(0, WAIT, |log| log.event_types().len() >= 2)
        .await
        .expect("a second session");
    let ClientEvent::SessionUpdate { session } = &log.events[0] else {
        panic!("first event is not session.update");
    };
    assert!(session.instructions.starts_with("You are the receptionist"));
    assert!(
        session
            .instructions
            .contains("You: Thanks for calling Clean Machine, how can I help?"),
        "{}",
        session.instructions
    );
    let ClientEvent::ResponseCreate {
        response: Some(options),
    } = &log.events[1]
    else {
        panic!(
            "expected a response.create with instructions, got {:?}",
            log.events[1]
        );
    };
    assert!(options
        .instructions
        .as_deref()
        .unwrap_or("")
        .contains("Apologise"));
    call.read_until("the resumed answer", |f| media_count(f) == 50)
        .await;
    let stats = call.stats().await;
    assert_eq!((stats.phase, stats.reconnects), (CallPhase::Live, 1));
    call.stop();
    call.read_to_end().await;
    let record = &rig.records.of(&call.call_sid)[0];
    assert_eq!(record.ended, CallEnd::StreamStopped);
    assert_eq!(record.reconnects, 1);
    let greetings = record
        .transcript
        .iter()
        .filter(|(who, _)| *who == Speaker::Assistant)
        .count();
    assert_eq!(greetings, 2);
    assert!(record.ai_seconds > 0.25, "{}", record.ai_seconds);
}

#[actix::test]
async fn a_session_that_drops_again_after_its_reconnect_falls_back_to_the_ivr() {
    let server = fake(dropping(Duration::from_millis(200))).await;
    let rig = Rig::new(to(&server));
    let mut call = rig.call(1);
    call.read_to_end().await;
    assert_eq!(server.session_count(), 2, "exactly one reconnect");
    assert_eq!(rig.control.redirects(), [("ivr", call.call_sid.clone())]);
    let record = &rig.records.of(&call.call_sid)[0];
    assert_eq!(
        record.ended,
        CallEnd::FallbackToIvr(FallbackCause::ProviderLost)
    );
    assert_eq!(record.reconnects, 1);
    assert_eq!(rig.metrics.reconnects.get(), 1);
}

#[actix::test]
async fn a_reconnect_that_fails_falls_back_to_the_ivr() {
    let first = fake(dropping(Duration::from_millis(200))).await;
    let refusing = fake(FakeScript {
        refuse: Some(Refusal::Http(500)),
        ..quiet()
    })
    .await;
    let switching = Switching::new(vec![to(&first), to(&refusing)], Duration::ZERO);
    let rig = Rig::new(Arc::new(switching));
    let mut call = rig.call(1);
    call.read_to_end().await;
    assert_eq!(refusing.stats().connections, 1);
    assert_eq!(rig.control.redirects(), [("ivr", call.call_sid.clone())]);
    assert_eq!(
        rig.records.of(&call.call_sid)[0].ended,
        CallEnd::FallbackToIvr(FallbackCause::ProviderLost)
    );
}

#[actix::test]
async fn a_twilio_stream_that_falls_silent_ends_the_call() {
    let server = fake(quiet()).await;
    let mut rig = Rig::new(to(&server));
    rig.tuning = CallTuning {
        twilio_idle_timeout: Duration::from_millis(300),
        heartbeat: Duration::from_millis(50),
        ..rig.tuning.clone()
    };
    let mut call = rig.call(1);
    call.read_to_end().await;
    assert_eq!(
        rig.records.of(&call.call_sid)[0].ended,
        CallEnd::TwilioSilent
    );
    let log = server
        .wait_for_session(0, WAIT, |log| log.end.is_some())
        .await
        .unwrap();
    assert!(log.end.is_some());
}
