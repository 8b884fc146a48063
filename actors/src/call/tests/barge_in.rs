//! Barge-in: Twilio `clear` first, then truncation to what the caller heard, and
//! `response.cancel` only while an answer is being generated.

use std::time::Duration;

use super::support::*;
use crate::call::{CallPhase, CallTuning};
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
    assert_eq!(*content_index, 0);
    // Heard, not sent: the 200 ms the echoed marks acknowledged, plus at most the frame
    // Twilio has been playing since the last echo.
    assert!((200..=220).contains(audio_end_ms), "{audio_end_ms}");
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
    // The 100 ms the echoed marks acknowledged, plus at most the frame playing since.
    assert!(log.events.iter().any(|e| matches!(
        e,
        ClientEvent::ItemTruncate {
            audio_end_ms: 100..=120,
            ..
        }
    )));
    assert!(!log.event_types().contains(&"response.cancel"));
    assert!(log.errors_sent.is_empty(), "{:?}", log.errors_sent);
    call.drain();
    assert!(call.frames.contains(&Out::Clear));
    call.stop();
}

#[actix::test]
async fn batched_audio_is_truncated_to_the_echoed_marks_plus_the_time_played_since() {
    // Production framing: one `media` message and one mark per 100 ms delta.
    let server = fake(talkative(Pacing::RealTime, 50)).await;
    let mut rig = Rig::new(to(&server));
    rig.tuning = CallTuning {
        frames_per_message: CallTuning::default().frames_per_message,
        ..rig.tuning.clone()
    };
    let mut call = rig.call(1);
    call.read_until("four 100 ms messages", |f| media_count(f) >= 4)
        .await;
    assert!(
        call.frames
            .iter()
            .all(|f| !matches!(f, Out::Media(audio) if audio.len() != 800)),
        "one message per delta"
    );
    // Twilio has played the first two messages and is 50 ms or more into the third.
    call.echo_marks(2);
    tokio::time::sleep(Duration::from_millis(50)).await;
    for payload in tone_frames(10) {
        call.media(&payload);
    }
    let log = server
        .wait_for_session(0, WAIT, |log| {
            log.event_types().contains(&"conversation.item.truncate")
        })
        .await
        .expect("a truncate");
    let heard = log.events.iter().find_map(|e| match e {
        ClientEvent::ItemTruncate { audio_end_ms, .. } => Some(*audio_end_ms),
        _ => None,
    });
    let heard = heard.expect("a truncate");
    assert!(
        (250..=300).contains(&heard),
        "200 ms acknowledged + 50..100 ms of the third message: {heard}"
    );
    call.stop();
}
