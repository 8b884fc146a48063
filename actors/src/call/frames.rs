//! The Twilio side of the AI's voice: each chunk of whole 20 ms μ-law frames (what one
//! provider delta completed) becomes one `media` message followed by a uniquely named
//! `mark` on the bounded outbound queue, and the [`PlaybackClock`] learns what was sent
//! and when, and from the echoed marks (and the time since the last one) what was
//! heard.
//! When the call is recorded, the frames sent and the clears go to the [`Recorder`]
//! too, along with the caller's frames (so one owner drops it when the call ends).

use std::time::Instant;

use servicepro_media::framing::SAMPLES_8K;
use servicepro_media::playback::PlaybackClock;
use tokio::sync::mpsc;

use super::recording::Recorder;
use crate::realtime::twilio_stream::TwilioFrameWriter;

/// Writes frames to the websocket edge's queue and keeps the playback clock.
#[derive(Debug)]
pub(crate) struct FrameOut {
    sink: Option<mpsc::Sender<String>>,
    writer: Option<TwilioFrameWriter>,
    clock: PlaybackClock,
    mark_seq: u64,
    mark_name: String,
    clear_owed: bool,
    frames_out: u64,
    dropped_out: u64,
    recorder: Option<Recorder>,
}

impl FrameOut {
    /// Frames for `sink`; nothing is written until the stream is known.
    pub(crate) fn new(sink: mpsc::Sender<String>) -> Self {
        Self {
            sink: Some(sink),
            writer: None,
            clock: PlaybackClock::new(),
            mark_seq: 0,
            mark_name: String::with_capacity(24),
            clear_owed: false,
            frames_out: 0,
            dropped_out: 0,
            recorder: None,
        }
    }

    /// Records the call from now on: both legs go to `recorder`.
    pub(crate) fn record_with(&mut self, recorder: Recorder) {
        self.recorder = Some(recorder);
    }

    /// A caller frame (base64 μ-law) Twilio sent at `timestamp_ms` of its stream, for
    /// the recording.
    pub(crate) fn record_caller(&mut self, timestamp_ms: u64, payload: &str) {
        if let Some(recorder) = &mut self.recorder {
            recorder.caller(timestamp_ms, payload);
        }
    }

    /// Addresses every frame to `stream_sid` (from Twilio's `start`).
    pub(crate) fn set_stream(&mut self, stream_sid: &str) {
        self.writer = Some(TwilioFrameWriter::new(stream_sid));
    }

    /// Sends one 20 ms frame of `item` (`payload` is base64 μ-law) and its mark.
    #[cfg(test)]
    pub(crate) fn send_frame(&mut self, item: &str, payload: &str) {
        self.send_audio(item, payload, 1, Instant::now());
    }

    /// Sends `frames` whole 20 ms frames of `item` (`payload` is their base64 μ-law) as
    /// one `media` message, and its mark, at `now`. When the queue is full they are
    /// dropped and counted, and the clock never hears of them.
    pub(crate) fn send_audio(&mut self, item: &str, payload: &str, frames: u64, now: Instant) {
        let (Some(sink), Some(writer)) = (&self.sink, &mut self.writer) else {
            self.dropped_out += frames;
            return;
        };
        if self.clear_owed {
            if sink.try_send(writer.clear().to_owned()).is_err() {
                self.dropped_out += frames;
                return;
            }
            self.clear_owed = false;
        }
        if sink.try_send(writer.media(payload).to_owned()).is_err() {
            self.dropped_out += frames;
            return;
        }
        self.frames_out += frames;
        if let Some(recorder) = &mut self.recorder {
            recorder.ai(payload);
        }
        let samples = usize::try_from(frames).unwrap_or(usize::MAX) * SAMPLES_8K;
        self.clock.audio_sent_at(item, samples, now);
        self.mark_seq += 1;
        self.mark_name.clear();
        self.mark_name.push('m');
        self.mark_name.push_str(itoa(self.mark_seq).as_str());
        if sink
            .try_send(writer.mark(&self.mark_name).to_owned())
            .is_ok()
        {
            self.clock.mark_sent(&self.mark_name);
        }
    }

    /// Twilio echoed mark `name` at `now`.
    pub(crate) fn mark_echoed(&mut self, name: &str, now: Instant) {
        self.clock.mark_echoed_at(name, now);
    }

    /// Whether Twilio may still be playing (or holding) audio we sent.
    pub(crate) fn playing(&self) -> bool {
        self.clock.has_unacknowledged_audio()
    }

    /// Milliseconds of `item` the caller has heard by `now`.
    pub(crate) fn heard_ms(&self, item: &str, now: Instant) -> u64 {
        self.clock.heard_ms_at(item, now)
    }

    /// Sends Twilio `clear` (barge-in) and forgets the unacknowledged audio. If the queue
    /// is full, the clear goes ahead of the next frame instead. Returns whether it was
    /// queued now.
    pub(crate) fn clear(&mut self) -> bool {
        self.clock.clear_sent();
        if let Some(recorder) = &mut self.recorder {
            recorder.clear();
        }
        let (Some(sink), Some(writer)) = (&self.sink, &mut self.writer) else {
            return false;
        };
        let queued = sink.try_send(writer.clear().to_owned()).is_ok();
        self.clear_owed = !queued;
        queued
    }

    /// Ends the queue: the edge's receiver sees the end once it drained the frames.
    /// Ends the recording too: its encoder finishes the file.
    pub(crate) fn close(&mut self) {
        self.sink = None;
        self.recorder = None;
    }

    /// AI frames sent.
    pub(crate) fn frames_out(&self) -> u64 {
        self.frames_out
    }

    /// AI frames dropped.
    pub(crate) fn dropped_out(&self) -> u64 {
        self.dropped_out
    }
}

/// Decimal text of `n` on the stack.
fn itoa(mut n: u64) -> Digits {
    let mut buf = [0u8; 20];
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    Digits { buf, at }
}

/// The digits written by [`itoa`].
struct Digits {
    buf: [u8; 20],
    at: usize,
}

impl Digits {
    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.buf[self.at..]).unwrap_or("0")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_decimal() {
        assert_eq!(itoa(0).as_str(), "0");
        assert_eq!(itoa(1234567890).as_str(), "1234567890");
        assert_eq!(itoa(u64::MAX).as_str(), "18446744073709551615");
    }

    #[test]
    fn full_queue_drops_frames_and_the_clock_never_counts_them() {
        let (tx, mut rx) = mpsc::channel(2);
        let mut out = FrameOut::new(tx);
        out.send_frame("item", "AAAA");
        assert_eq!(out.dropped_out(), 1, "no stream yet");
        out.set_stream("MZ1");
        out.send_frame("item", "AAAA");
        out.send_frame("item", "AAAA");
        assert_eq!(out.frames_out(), 1);
        assert_eq!(out.dropped_out(), 2);
        let media = rx.try_recv().expect("media");
        assert!(media.contains(r#""event":"media""#), "{media}");
        let mark = rx.try_recv().expect("mark");
        assert!(mark.contains(r#""name":"m1""#), "{mark}");
        out.mark_echoed("m1", Instant::now());
        assert_eq!(out.heard_ms("item", Instant::now()), 20);
        assert!(!out.playing());
    }

    #[test]
    fn a_clear_that_did_not_fit_goes_before_the_next_frame() {
        let (tx, mut rx) = mpsc::channel(2);
        let mut out = FrameOut::new(tx);
        out.set_stream("MZ1");
        out.send_frame("a", "AAAA");
        assert!(out.playing());
        assert!(!out.clear());
        assert!(!out.playing());
        while rx.try_recv().is_ok() {}
        out.send_frame("b", "AAAA");
        let first = rx.try_recv().expect("clear");
        assert!(first.contains(r#""event":"clear""#), "{first}");
        out.close();
        out.send_frame("b", "AAAA");
        assert_eq!(out.frames_out(), 2);
    }
}
