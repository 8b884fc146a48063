//! The media pipeline both ways: greeting frames and marks, caller audio in both modes,
//! early audio, and the bounded queues on each side.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use super::support::*;
use crate::call::{AudioMode, CallPhase, CallTuning};
use crate::realtime::openai_events::{AudioFormat, ClientEvent};

#[actix::test]
async fn the_ai_greets_first_in_20ms_frames_each_followed_by_a_unique_mark() {
    let server = fake(quiet()).await;
    let rig = Rig::new(to(&server));
    let mut call = rig.call(1);
    call.read_until("the greeting", |f| media_count(f) == 25 && f.len() == 50)
        .await;
    let mut names = HashSet::new();
    for pair in call.frames.chunks(2) {
        match pair {
            [Out::Media(audio), Out::Mark(name)] => {
                assert_eq!(audio.len(), 160);
                assert!(names.insert(name.clone()), "mark {name} reused");
            }
            other => panic!("expected media then mark, got {other:?}"),
        }
    }
    let log = server.session(0).unwrap();
    assert_eq!(control_types(&log), ["session.update", "response.create"]);
    let ClientEvent::SessionUpdate { session } = &log.events[0] else {
        panic!("first event is not session.update");
    };
    assert_eq!(session.audio.input.format, AudioFormat::Pcmu);
    assert_eq!(session.audio.output.format, AudioFormat::Pcmu);
    assert_eq!(session.tools.len(), 1);
    assert!(session.instructions.contains("Clean Machine"));
    call.stop();
    call.read_to_end().await;
}

#[actix::test]
async fn passthrough_forwards_twilio_payloads_untouched_and_in_order() {
    let server = fake(quiet()).await;
    let rig = Rig::new(to(&server));
    let mut call = rig.call(1);
    call.wait_stats("live", |s| s.phase == CallPhase::Live)
        .await;
    let frames = tone_frames(20);
    for payload in &frames {
        call.media(payload);
    }
    let log = server
        .wait_for_session(0, WAIT, |log| log.appends == 20)
        .await
        .expect("20 appends");
    assert_eq!(appended(&log), frames);
    assert_eq!(log.audio_bytes, 20 * 160);
    call.stop();
}

#[actix::test]
async fn transcode_mode_sends_pcm16_24k_and_frames_the_answer_for_twilio() {
    let server = fake(quiet()).await;
    let mut rig = Rig::new(to(&server));
    rig.mode = AudioMode::Transcode;
    let mut call = rig.call(1);
    call.wait_stats("live", |s| s.phase == CallPhase::Live)
        .await;
    for payload in tone_frames(10) {
        call.media(&payload);
    }
    let log = server
        .wait_for_session(0, WAIT, |log| log.appends == 10)
        .await
        .expect("10 appends");
    assert_eq!(log.audio_bytes, 10 * 960, "20 ms of PCM16 at 24 kHz each");
    let ClientEvent::SessionUpdate { session } = &log.events[0] else {
        panic!("first event is not session.update");
    };
    assert_eq!(session.audio.input.format, AudioFormat::PCM_24K);
    call.read_until("the greeting", |f| media_count(f) >= 25)
        .await;
    for frame in &call.frames {
        if let Out::Media(audio) = frame {
            assert_eq!(audio.len(), 160);
        }
    }
    call.stop();
}

#[actix::test]
async fn early_audio_is_buffered_while_the_session_opens_then_flushed_in_order() {
    let server = fake(quiet()).await;
    let slow = Switching::new(vec![to(&server)], Duration::from_millis(300));
    let rig = Rig::new(Arc::new(slow));
    let mut call = rig.call(1);
    let frames = tone_frames(30);
    for payload in &frames {
        call.media(payload);
    }
    let stats = call.stats().await;
    assert_eq!(stats.phase, CallPhase::Connecting);
    assert_eq!(stats.queued_in, 30);
    let log = server
        .wait_for_session(0, WAIT, |log| log.appends == 30)
        .await
        .expect("30 appends");
    assert_eq!(appended(&log), frames);
    assert_eq!(
        control_types(&log),
        ["session.update", "response.create"],
        "greeting requested before the buffered audio"
    );
    assert_eq!(log.event_types()[2], "input_audio_buffer.append");
    assert_eq!(call.stats().await.dropped_in, 0);
    call.stop();
}

#[actix::test]
async fn early_audio_beyond_the_buffer_drops_the_oldest_frames() {
    let server = fake(quiet()).await;
    let slow = Switching::new(vec![to(&server)], Duration::from_millis(300));
    let mut rig = Rig::new(Arc::new(slow));
    rig.tuning = CallTuning {
        early_audio: Duration::from_millis(200),
        ..rig.tuning.clone()
    };
    let mut call = rig.call(1);
    let frames = tone_frames(25);
    for payload in &frames {
        call.media(payload);
    }
    let log = server
        .wait_for_session(0, WAIT, |log| log.appends == 10)
        .await
        .expect("10 appends");
    assert_eq!(appended(&log), frames[15..]);
    assert_eq!(call.stats().await.dropped_in, 15);
    call.stop();
}

#[actix::test]
async fn a_provider_slower_than_real_time_never_grows_a_queue() {
    let rig = Rig::new(Arc::new(Stalled));
    let mut call = rig.call(1);
    call.wait_stats("live", |s| s.phase == CallPhase::Live)
        .await;
    let frames = tone_frames(300);
    for payload in &frames {
        call.media(payload);
    }
    let stats = call
        .wait_stats("all frames in", |s| s.frames_in == 300)
        .await;
    assert_eq!(stats.queued_in, 100, "two seconds held, no more");
    assert!(stats.dropped_in >= 170, "{stats:?}");
    call.stop();
    eventually("finalised", || rig.records.all().len() == 1).await;
    assert_eq!(rig.records.all()[0].dropped_in, stats.dropped_in);
}

#[actix::test]
async fn a_full_outbound_queue_drops_ai_frames_and_counts_them() {
    let server = fake(quiet()).await;
    let mut rig = Rig::new(to(&server));
    rig.outbound_capacity = 4;
    let call = rig.call(1);
    let stats = call
        .wait_stats("greeting dropped", |s| s.frames_out + s.dropped_out == 25)
        .await;
    assert_eq!(stats.frames_out, 2, "two frames and their marks fit");
    assert_eq!(stats.dropped_out, 23);
    call.stop();
    eventually("finalised", || rig.records.all().len() == 1).await;
    assert_eq!(rig.records.all()[0].dropped_out, 23);
}

#[actix::test]
async fn malformed_frames_are_counted_and_skipped() {
    let server = fake(quiet()).await;
    let rig = Rig::new(to(&server));
    let mut call = rig.call(1);
    call.wait_stats("live", |s| s.phase == CallPhase::Live)
        .await;
    call.send("not json".to_owned());
    call.send(r#"{"event":"media","streamSid":"MZ1"}"#.to_owned());
    call.send(format!(
        r#"{{"event":"media","pad":"{}"}}"#,
        "x".repeat(70_000)
    ));
    call.send(
        r#"{"event":"mark","sequenceNumber":"3","streamSid":"MZother","mark":{"name":"m1"}}"#
            .to_owned(),
    );
    call.media(&tone_frames(1)[0]);
    let stats = call.wait_stats("one frame in", |s| s.frames_in == 1).await;
    assert_eq!(stats.malformed, 4);
    assert_eq!(stats.phase, CallPhase::Live);
    call.stop();
    eventually("finalised", || rig.records.all().len() == 1).await;
    assert_eq!(rig.records.all()[0].malformed, 4);
}

#[actix::test]
async fn caller_audio_faster_than_real_time_is_paced_and_the_excess_never_forwarded() {
    // Issue 14: caller audio replayed ~1,000× faster than real time went to the provider
    // unpaced. Twenty seconds of audio arrive at once: past the burst allowance (one
    // second) the frames are dropped, never appended.
    let server = fake(quiet()).await;
    let mut rig = Rig::new(to(&server));
    rig.tuning = CallTuning {
        append_frames: 1,
        inbox_frames: RIG_INBOX_FRAMES,
        ..CallTuning::default()
    };
    let mut call = rig.call(1);
    call.wait_stats("live", |s| s.phase == CallPhase::Live)
        .await;
    let frames = tone_frames(1_000);
    let sending = std::time::Instant::now();
    for payload in &frames {
        call.media(payload);
    }
    let stats = call
        .wait_stats("all frames in", |s| s.frames_in == 1_000)
        .await;
    // Real time went on while the frames were handled: it earns its own audio.
    let earned = sending.elapsed().as_millis() as u64 / 20 + 1;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let log = server.session(0).expect("a session");
    assert!(
        log.appends <= 50 + earned,
        "{} appends for 20 s of audio sent in an instant ({earned} frames of real time)",
        log.appends
    );
    assert!(
        earned < 500,
        "the frames were handled faster than real time"
    );
    assert!(log.appends >= 50, "the burst allowance is forwarded");
    let appended = appended(&log);
    assert_eq!(
        appended[..50],
        frames[..50],
        "the burst allowance, in order"
    );
    let mut rest = frames[50..].iter();
    assert!(
        appended[50..].iter().all(|a| rest.any(|f| f == a)),
        "what the clock let through later is in order"
    );
    assert_eq!(
        stats.over_pace,
        1_000 - log.appends,
        "every refused frame counted"
    );
    assert_eq!(stats.dropped_in, 0);
    call.stop();
    eventually("finalised", || rig.records.all().len() == 1).await;
    assert_eq!(rig.records.all()[0].over_pace, stats.over_pace);
    assert_eq!(rig.metrics.over_pace.get(), stats.over_pace);
}

#[actix::test]
async fn batched_caller_audio_goes_three_frames_an_append_without_loss() {
    let server = fake(quiet()).await;
    let mut rig = Rig::new(to(&server));
    rig.tuning = CallTuning {
        append_frames: 3,
        ..rig.tuning.clone()
    };
    let mut call = rig.call(1);
    call.wait_stats("live", |s| s.phase == CallPhase::Live)
        .await;
    let frames = tone_frames(30);
    for payload in &frames {
        call.media(payload);
    }
    let log = server
        .wait_for_session(0, WAIT, |log| log.appends == 10)
        .await
        .expect("10 appends");
    let mut heard = Vec::new();
    for batch in appended(&log) {
        servicepro_media::b64::decode_append(batch.as_bytes(), &mut heard).unwrap();
    }
    let mut sent = Vec::new();
    for frame in &frames {
        servicepro_media::b64::decode_append(frame.as_bytes(), &mut sent).unwrap();
    }
    assert_eq!(heard, sent, "every byte, in order");
    call.stop();
}
