//! Provider → caller: the AI's audio deltas (any length, μ-law or PCM16 24 kHz) become
//! whole 20 ms μ-law frames through the media crate, sent as one Twilio `media` message
//! (and one mark) per delta, at most [`CallTuning::frames_per_message`] frames each
//! ([`FRAMES_PER_MESSAGE`] in production); barge-in
//! cuts the playing answer to what the caller heard.

use std::time::Instant;

use servicepro_media::b64;
use servicepro_media::transcode::{OutboundTranscoder, UlawPassthrough};
use servicepro_media::MediaError;
use tokio::sync::mpsc;

use super::deps::AudioMode;
#[cfg(doc)]
use super::deps::{CallTuning, FRAMES_PER_MESSAGE};
use super::frames::FrameOut;

/// The provider's audio format, reduced to what the framing needs.
#[derive(Debug)]
enum Decoder {
    Passthrough(UlawPassthrough),
    Transcode(Box<OutboundTranscoder>),
}

/// The assistant item being played.
#[derive(Debug)]
struct Item {
    id: String,
    response_id: String,
    /// Provider audio received for the item, in bytes of its format.
    provider_bytes: u64,
}

/// What a barge-in did on the Twilio side, and what the provider must be told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Interruption {
    /// Twilio `clear` was sent (or is owed ahead of the next frame).
    pub(crate) cleared: bool,
    /// The interrupted item and the milliseconds of it the caller heard, when the
    /// caller did not hear all of it.
    pub(crate) truncate: Option<(String, u64)>,
}

/// The AI's voice on its way to the caller.
#[derive(Debug)]
pub(crate) struct AiSpeech {
    decoder: Decoder,
    bytes_per_ms: u64,
    frames: FrameOut,
    current: Option<Item>,
    cut_response: Option<String>,
    scratch: String,
    /// The delta's bytes (μ-law or PCM16), decoded.
    decoded: Vec<u8>,
    /// Whole μ-law frames of the delta, waiting to go as one message.
    batch: Vec<u8>,
    /// Bytes of whole frames that fill one message.
    message_bytes: usize,
}

impl AiSpeech {
    /// Speech in `mode`, framed onto `sink` in messages of at most `frames_per_message`
    /// 20 ms frames.
    pub(crate) fn new(
        mode: AudioMode,
        sink: mpsc::Sender<String>,
        frames_per_message: usize,
    ) -> Result<Self, MediaError> {
        let message_bytes = 160 * frames_per_message.max(1);
        let decoder = match mode {
            AudioMode::Passthrough => Decoder::Passthrough(UlawPassthrough::new()),
            AudioMode::Transcode => Decoder::Transcode(Box::new(OutboundTranscoder::from_24k()?)),
        };
        Ok(Self {
            decoder,
            bytes_per_ms: u64::from(mode.provider_format().bytes_per_ms()),
            frames: FrameOut::new(sink),
            current: None,
            cut_response: None,
            scratch: String::with_capacity(b64::encoded_len(message_bytes)),
            decoded: Vec::with_capacity(4_800 * 2),
            batch: Vec::with_capacity(message_bytes),
            message_bytes,
        })
    }

    /// The Twilio frames.
    pub(crate) fn frames(&mut self) -> &mut FrameOut {
        &mut self.frames
    }

    /// The Twilio frames, read-only.
    pub(crate) fn frames_ref(&self) -> &FrameOut {
        &self.frames
    }

    /// A piece of `item`'s audio (base64). Audio of an answer cut by barge-in is
    /// discarded.
    pub(crate) fn delta(&mut self, response_id: &str, item_id: &str, delta: &str) {
        if self.cut_response.as_deref() == Some(response_id) {
            return;
        }
        if self.current.as_ref().is_none_or(|item| item.id != item_id) {
            self.finish_item();
            self.current = Some(Item {
                id: item_id.to_owned(),
                response_id: response_id.to_owned(),
                provider_bytes: 0,
            });
        }
        let Some(item) = &mut self.current else {
            return;
        };
        item.provider_bytes += decoded_len(delta);
        self.decoded.clear();
        if let Err(err) = b64::decode_append(delta.as_bytes(), &mut self.decoded) {
            tracing::debug!(%err, "provider audio delta is not base64; skipped");
            return;
        }
        let (frames, scratch, batch) = (&mut self.frames, &mut self.scratch, &mut self.batch);
        let id = item.id.as_str();
        let now = Instant::now();
        let full = self.message_bytes;
        let mut emit = |frame: &[u8]| {
            batch.extend_from_slice(frame);
            if batch.len() >= full {
                send_batch(frames, scratch, batch, id, now);
            }
        };
        match &mut self.decoder {
            Decoder::Passthrough(p) => {
                p.push_ulaw(&self.decoded, &mut emit);
            }
            Decoder::Transcode(t) => {
                if let Err(err) = t.push_pcm_le(&self.decoded, &mut emit) {
                    tracing::debug!(%err, "resampling provider audio failed; skipped");
                }
            }
        }
        send_batch(frames, scratch, batch, id, now);
    }

    /// `item`'s audio is complete: the partial last frame (and the resampler's tail) is
    /// sent, each with its mark, so the clock can reach the item's end.
    pub(crate) fn audio_done(&mut self, item_id: &str) {
        if self.current.as_ref().is_some_and(|item| item.id == item_id) {
            self.finish_item();
        }
    }

    fn finish_item(&mut self) {
        let Some(item) = &self.current else {
            return;
        };
        let (frames, scratch, batch) = (&mut self.frames, &mut self.scratch, &mut self.batch);
        let id = item.id.as_str();
        let mut emit = |ulaw: &[u8]| batch.extend_from_slice(ulaw);
        match &mut self.decoder {
            Decoder::Passthrough(p) => {
                p.flush(&mut emit);
            }
            Decoder::Transcode(t) => {
                if let Err(err) = t.flush(&mut emit) {
                    tracing::debug!(%err, "flushing the outbound resampler failed");
                    t.clear();
                }
            }
        }
        send_batch(frames, scratch, batch, id, Instant::now());
    }

    /// The caller started talking. Clears Twilio's queue when audio may be playing or
    /// an answer is still coming, drops buffered audio, and reports how much of the
    /// current item the caller heard when that is less than the provider produced
    /// (capped by it: `audio_end_ms` may never exceed what the provider sent).
    pub(crate) fn interrupt(&mut self, response_active: bool) -> Interruption {
        // What was heard, read before the clear forgets the audio still playing.
        let now = Instant::now();
        let heard_now = self
            .current
            .as_ref()
            .map_or(0, |item| self.frames.heard_ms(&item.id, now));
        let cleared = if self.frames.playing() || response_active {
            self.frames.clear();
            match &mut self.decoder {
                Decoder::Passthrough(p) => p.clear(),
                Decoder::Transcode(t) => t.clear(),
            }
            true
        } else {
            false
        };
        let truncate = self.current.take().and_then(|item| {
            let produced = item.provider_bytes / self.bytes_per_ms.max(1);
            let heard = heard_now.min(produced);
            if response_active {
                self.cut_response = Some(item.response_id);
            }
            (heard < produced).then_some((item.id, heard))
        });
        Interruption { cleared, truncate }
    }

    /// A new provider session: nothing of the old one is still coming.
    pub(crate) fn reset_provider(&mut self) {
        self.finish_item();
        self.current = None;
        self.cut_response = None;
    }
}

/// Sends the whole frames in `batch` (if any) as one message of `item`, and empties it.
fn send_batch(
    frames: &mut FrameOut,
    scratch: &mut String,
    batch: &mut Vec<u8>,
    item: &str,
    now: Instant,
) {
    if batch.is_empty() {
        return;
    }
    scratch.clear();
    b64::encode_append(batch, scratch);
    frames.send_audio(item, scratch, (batch.len() / 160) as u64, now);
    batch.clear();
}

/// Bytes encoded by base64 text `text` (padding excluded).
fn decoded_len(text: &str) -> u64 {
    let text = text.trim_end_matches('=');
    (text.len() as u64 * 3) / 4
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ulaw_b64(bytes: usize) -> String {
        let mut text = String::new();
        b64::encode_append(&vec![0x55; bytes], &mut text);
        text
    }

    fn drain(rx: &mut mpsc::Receiver<String>) -> Vec<String> {
        std::iter::from_fn(|| rx.try_recv().ok()).collect()
    }

    #[test]
    fn decoded_len_ignores_padding() {
        assert_eq!(decoded_len(&ulaw_b64(160)), 160);
        assert_eq!(decoded_len(&ulaw_b64(161)), 161);
        assert_eq!(decoded_len(&ulaw_b64(162)), 162);
    }

    #[test]
    fn deltas_become_frames_with_marks_and_the_last_partial_frame_is_flushed() {
        let (tx, mut rx) = mpsc::channel(64);
        let mut speech = AiSpeech::new(AudioMode::Passthrough, tx, 10).expect("passthrough");
        speech.frames().set_stream("MZ1");
        speech.delta("resp_1", "item_1", &ulaw_b64(250));
        assert_eq!(drain(&mut rx).len(), 2);
        speech.audio_done("item_1");
        let tail = drain(&mut rx);
        assert_eq!(tail.len(), 2);
        assert!(tail[1].contains(r#""name":"m2""#));
        // Echoed "later", so no playback time has passed since: 20 ms heard exactly.
        let later = Instant::now() + std::time::Duration::from_secs(60);
        speech.frames().mark_echoed("m1", later);
        let cut = speech.interrupt(true);
        assert!(cut.cleared);
        assert_eq!(cut.truncate, Some(("item_1".to_owned(), 20)));
        speech.delta("resp_1", "item_1", &ulaw_b64(160));
        assert!(drain(&mut rx).iter().all(|f| f.contains("clear")));
    }

    #[test]
    fn a_delta_goes_as_one_media_message_and_one_mark_at_most_ten_frames_each() {
        let (tx, mut rx) = mpsc::channel(64);
        let mut speech = AiSpeech::new(AudioMode::Passthrough, tx, 10).expect("passthrough");
        speech.frames().set_stream("MZ1");
        speech.delta("resp_1", "item_1", &ulaw_b64(800));
        let out = drain(&mut rx);
        assert_eq!(out.len(), 2, "{out:?}");
        assert!(out[0].contains(r#""event":"media""#));
        assert!(out[1].contains(r#""name":"m1""#));
        speech.delta("resp_1", "item_1", &ulaw_b64(4_000));
        let out = drain(&mut rx);
        assert_eq!(out.len(), 6, "500 ms: 200 + 200 + 100 ms");
        assert_eq!(speech.frames_ref().frames_out(), 30);
        let mut audio = Vec::new();
        for media in out.iter().filter(|m| m.contains("media")) {
            let payload = media.split("\"payload\":\"").nth(1).unwrap();
            let payload = payload.split('"').next().unwrap();
            b64::decode_append(payload.as_bytes(), &mut audio).unwrap();
        }
        assert_eq!(audio.len(), 4_000, "every byte, in order");
    }

    #[test]
    fn heard_is_capped_by_what_the_provider_produced() {
        let (tx, _rx) = mpsc::channel(64);
        let mut speech = AiSpeech::new(AudioMode::Passthrough, tx, 10).expect("passthrough");
        speech.frames().set_stream("MZ1");
        speech.delta("resp_1", "item_1", &ulaw_b64(100));
        speech.audio_done("item_1");
        speech.frames().mark_echoed("m1", Instant::now());
        let cut = speech.interrupt(false);
        assert!(!cut.cleared);
        assert_eq!(cut.truncate, None, "12 ms produced, all of it heard");
    }
}
