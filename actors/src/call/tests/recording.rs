//! Recording both legs: a recorded call's file (stereo Ogg Opus, caller left, AI right,
//! on the caller's clock), the file finished on every kind of end, and a recording that
//! cannot be written leaving the call untouched.

use std::path::{Path, PathBuf};

use servicepro_media::ogg_opus::{verify_ogg_opus, OggOpusReport};

use super::support::*;
use crate::call::messages::InjectPanic;
use crate::call::{CallEnd, CallPhase};

/// A fresh, empty directory for one test's recordings.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("servicepro-rec-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Checks a recording page by page and decodes it with our own decoder: interleaved
/// 8 kHz PCM16, pre-skip and end padding removed.
fn decode(path: &Path) -> OggOpusReport {
    let bytes = std::fs::read(path).unwrap();
    verify_ogg_opus(&bytes, 8000).unwrap()
}

/// RMS of `channel` (0 left, 1 right) between `from_ms` and `to_ms`.
fn rms(pcm: &[i16], channel: usize, from_ms: usize, to_ms: usize) -> f64 {
    let window = &pcm[from_ms * 16..to_ms * 16];
    let (sum, n) = window
        .iter()
        .skip(channel)
        .step_by(2)
        .fold((0f64, 0f64), |(s, n), &x| {
            (s + f64::from(x).powi(2), n + 1.0)
        });
    (sum / n).sqrt()
}

#[actix::test]
async fn both_legs_are_recorded_in_one_stereo_file_on_the_callers_clock() {
    let dir = scratch("both-legs");
    let server = fake(quiet()).await;
    let mut rig = Rig::new(to(&server));
    rig.recordings_dir = Some(dir.clone());
    let mut call = rig.call(1);
    // The greeting (500 ms of tone) is queued to Twilio before the caller says anything.
    call.hear_greeting().await;
    // Two seconds of the caller, at Twilio timestamps 20 ms … 2000 ms.
    for payload in tone_frames(100) {
        call.media(&payload);
    }
    call.wait_stats("caller frames in", |s| s.frames_in == 100)
        .await;
    call.stop();
    call.read_to_end().await;
    eventually("recording saved", || rig.records.recordings().len() == 1).await;

    let saved = rig.records.recordings().remove(0);
    assert_eq!(saved.call_sid, call.call_sid);
    assert_eq!(
        saved.path,
        dir.join("root").join(format!("{}.opus", call.call_sid))
    );
    assert_eq!(saved.skipped_frames, 0);
    // Slot 0 (before Twilio's first frame at 20 ms) and the 100 caller slots.
    assert_eq!(saved.duration_ms, 2020);
    assert_eq!(
        saved.bytes,
        std::fs::metadata(&saved.path).unwrap().len(),
        "the reported size is the file's"
    );
    assert_eq!(rig.metrics.recordings_saved.get(), 1);
    assert_eq!(rig.metrics.recordings_failed.get(), 0);

    let OggOpusReport { info, pcm, .. } = decode(&saved.path);
    assert_eq!(info.channels, 2);
    assert_eq!(info.input_rate, 8000);
    assert!(
        info.duration_ms().abs_diff(2000) <= 40,
        "within two frames of the call's 2 s: {}",
        info.duration_ms()
    );
    assert_eq!(info.duration_ms(), saved.duration_ms);
    assert!(info
        .comments
        .iter()
        .any(|c| c == &format!("TITLE=Call {}", call.call_sid)));
    // Left: the caller from 20 ms on. Right: the greeting in the first 500 ms, then
    // nothing (the AI said nothing else).
    let (caller, ai_greeting, ai_after) = (
        rms(&pcm, 0, 60, 1980),
        rms(&pcm, 1, 20, 480),
        rms(&pcm, 1, 600, 2000),
    );
    assert!(caller > 1500.0, "caller on the left: {caller}");
    assert!(ai_greeting > 1500.0, "greeting on the right: {ai_greeting}");
    assert!(
        ai_after * 20.0 < ai_greeting,
        "right is quiet after the greeting: {ai_after}"
    );
    assert!(
        rms(&pcm, 0, 0, 10) * 5.0 < caller,
        "left is quiet before the caller's first frame"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[actix::test]
async fn a_call_that_ends_abnormally_still_leaves_a_finished_file() {
    let dir = scratch("abort");
    let server = fake(quiet()).await;
    let mut rig = Rig::new(to(&server));
    rig.recordings_dir = Some(dir.clone());
    let mut call = rig.call(2);
    call.read_until("the greeting", |f| media_count(f) == 25)
        .await;
    for payload in tone_frames(10) {
        call.media(&payload);
    }
    call.wait_stats("caller frames in", |s| s.frames_in == 10)
        .await;
    call.addr.do_send(InjectPanic);
    call.read_to_end().await;
    eventually("recording saved", || rig.records.recordings().len() == 1).await;
    assert_eq!(rig.records.of(&call.call_sid)[0].ended, CallEnd::Aborted);
    let saved = rig.records.recordings().remove(0);
    let report = decode(&saved.path);
    assert_eq!(report.info.duration_ms(), 220);
    assert_eq!(report.samples(), 220 * 8);
    let _ = std::fs::remove_dir_all(&dir);
}

#[actix::test]
async fn an_unwritable_recordings_dir_never_affects_the_call() {
    let base = scratch("unwritable");
    std::fs::create_dir_all(&base).unwrap();
    // A file where the tenant's directory would go: even root cannot create it.
    std::fs::write(base.join("root"), b"not a directory").unwrap();
    let server = fake(quiet()).await;
    let mut rig = Rig::new(to(&server));
    rig.recordings_dir = Some(base.clone());
    let mut call = rig.call(3);
    call.hear_greeting().await;
    let frames = tone_frames(50);
    for payload in &frames {
        call.media(payload);
    }
    let log = server
        .wait_for_session(0, WAIT, |log| log.appends == 50)
        .await
        .expect("the caller still reaches the provider");
    assert_eq!(appended(&log), frames);
    eventually("the recording gave up", || {
        rig.metrics.recordings_failed.get() == 1
    })
    .await;
    // More audio after the encoder gave up: still nothing blocks or breaks.
    for payload in tone_frames(5) {
        call.media(&payload);
    }
    let stats = call
        .wait_stats("all frames in", |s| s.frames_in == 55)
        .await;
    assert_eq!(stats.phase, CallPhase::Live);
    assert_eq!(stats.dropped_in, 0);
    call.stop();
    call.read_to_end().await;
    eventually("finalised", || rig.records.all().len() == 1).await;
    assert_eq!(rig.records.all()[0].ended, CallEnd::StreamStopped);
    assert!(rig.records.recordings().is_empty());
    assert_eq!(rig.metrics.recordings_saved.get(), 0);
    let _ = std::fs::remove_dir_all(&base);
}

#[actix::test]
async fn a_tenant_that_does_not_record_gets_no_file() {
    let server = fake(quiet()).await;
    let rig = Rig::new(to(&server));
    let mut call = rig.call(4);
    call.hear_greeting().await;
    for payload in tone_frames(10) {
        call.media(&payload);
    }
    call.stop();
    call.read_to_end().await;
    eventually("finalised", || rig.records.all().len() == 1).await;
    assert!(rig.records.recordings().is_empty());
    assert_eq!(rig.metrics.recordings_saved.get(), 0);
    assert_eq!(rig.metrics.recordings_failed.get(), 0);
}
