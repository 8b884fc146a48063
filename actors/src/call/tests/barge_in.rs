//! Barge-in: Twilio `clear` first, then truncation to what the caller heard, and
//! `response.cancel` only while an answer is being generated.

use super::support::*;
use crate::call::CallPhase;
use crate::realtime::fake_server::{FakeResponse, FakeScript, Pacing, SpeechTrigger};
use crate::realtime::openai_events::ClientEvent;

fn talkative(pacing: Pacing, chunks: u32) -> FakeScript {
    FakeScript {
        response: FakeResponse {
            chunk_ms: 100,
            chunks,
            pacing,
            ..FakeResponse::default()
        },
        speech: SpeechTrigger::AfterAudio {
            after_ms: 100,
            duration_ms: 5_000,
        },
        respond_after_speech: false,
        interrupt_on_speech: false,
        ..FakeScript::default()
    }
}

#[actix::test]
async fn barge_in_clears_twilio_then_truncates_to_what_was_heard_and_cancels() {
    let server = fake(talkative(Pacing::RealTime, 50)).await;
    let rig = Rig::new(to(&server));
    let mut call = rig.call(1);
    call.read_until("400 ms of the answer", |f| media_count(f) >= 20)
        .await;
    call.echo_marks(10);
    call.wait_stats("answer under way", |s| s.response_active)
        .await;
    for payload in tone_frames(10) {
        call.media(&payload);
    }
    let log = server
        .wait_for_session(0, WAIT, |log| {
            log.event_types().contains(&"response.cancel")
        })
        .await
        .expect("a cancel");
    let truncate = log
        .events
        .iter()
        .find(|e| matches!(e, ClientEvent::ItemTruncate { .. }))
        .expect("a truncate");
    let ClientEvent::ItemTruncate {
        content_index,
        audio_end_ms,
        ..
    } = truncate
    else {
        unreachable!()
    };
    assert_eq!((*content_index, *audio_end_ms), (0, 200), "heard, not sent");
    let controls = control_types(&log);
    assert_eq!(
        &controls[controls.len() - 2..],
        ["conversation.item.truncate", "response.cancel"]
    );
    assert!(log.errors_sent.is_empty(), "{:?}", log.errors_sent);
    call.drain();
    let clear_at = call
        .frames
        .iter()
        .position(|f| *f == Out::Clear)
        .expect("a clear");
    assert!(media_count(&call.frames[..clear_at]) >= 20);
    let stats = call.stats().await;
    assert_eq!(stats.barge_ins, 1);
    assert!(!stats.response_active);
    assert!(stats.max_barge_in_reaction > std::time::Duration::ZERO);
    assert_eq!(rig.metrics.barge_in_reaction.snapshot().count, 1);
    // The rest of the cancelled answer never reaches the caller.
    call.wait_stats("answer cancelled", |s| !s.response_active)
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    call.drain();
    assert_eq!(media_count(&call.frames[clear_at..]), 0);
    call.stop();
}

#[actix::test]
async fn speech_after_a_fully_played_answer_sends_neither_truncate_nor_cancel() {
    let server = fake(talkative(Pacing::Fast, 5)).await;
    let rig = Rig::new(to(&server));
    let mut call = rig.call(1);
    call.read_until("the whole answer", |f| f.len() == 50).await;
    call.wait_stats("answer done", |s| !s.response_active && s.frames_out == 25)
        .await;
    call.echo_marks(25);
    for payload in tone_frames(10) {
        call.media(&payload);
    }
    let stats = call
        .wait_stats("speech heard", |s| s.speech_starts == 1)
        .await;
    assert_eq!(stats.barge_ins, 0);
    let log = server.session(0).unwrap();
    assert_eq!(control_types(&log), ["session.update", "response.create"]);
    call.drain();
    assert!(!call.frames.contains(&Out::Clear));
    assert_eq!(stats.phase, CallPhase::Live);
    call.stop();
}

#[actix::test]
async fn speech_while_a_finished_answer_still_plays_truncates_without_cancel() {
    let server = fake(talkative(Pacing::Fast, 5)).await;
    let rig = Rig::new(to(&server));
    let mut call = rig.call(1);
    call.read_until("the whole answer", |f| f.len() == 50).await;
    call.wait_stats("answer done", |s| !s.response_active).await;
    call.echo_marks(5);
    for payload in tone_frames(10) {
        call.media(&payload);
    }
    let log = server
        .wait_for_session(0, WAIT, |log| {
            log.event_types().contains(&"conversation.item.truncate")
        })
        .await
        .expect("a truncate");
    assert!(log.events.iter().any(|e| matches!(
        e,
        ClientEvent::ItemTruncate {
            audio_end_ms: 100,
            ..
        }
    )));
    assert!(!log.event_types().contains(&"response.cancel"));
    assert!(log.errors_sent.is_empty(), "{:?}", log.errors_sent);
    call.drain();
    assert!(call.frames.contains(&Out::Clear));
    call.stop();
}
