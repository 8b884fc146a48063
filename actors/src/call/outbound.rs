//! Provider → caller: the AI's audio deltas (any length, μ-law or PCM16 24 kHz) become
//! whole 20 ms μ-law frames through the media crate, and barge-in cuts the playing
//! answer to what the caller heard.

use servicepro_media::b64;
use servicepro_media::transcode::{OutboundTranscoder, UlawPassthrough};
use servicepro_media::MediaError;
use tokio::sync::mpsc;

use super::deps::AudioMode;
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
}

impl AiSpeech {
    /// Speech in `mode`, framed onto `sink`.
    pub(crate) fn new(mode: AudioMode, sink: mpsc::Sender<String>) -> Result<Self, MediaError> {
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
            scratch: String::with_capacity(b64::encoded_len(160)),
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
        let frames = &mut self.frames;
        let id = item.id.as_str();
        let pushed = match &mut self.decoder {
            Decoder::Passthrough(p) => p.push_base64(delta, |f| frames.send_frame(id, f)),
            Decoder::Transcode(t) => t.push_base64(delta, |f| frames.send_frame(id, f)),
        };
        if let Err(err) = pushed {
            tracing::debug!(%err, "provider audio delta is not base64; skipped");
        }
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
        let (frames, scratch, id) = (&mut self.frames, &mut self.scratch, item.id.as_str());
        let mut emit = |ulaw: &[u8]| {
            scratch.clear();
            b64::encode_append(ulaw, scratch);
            frames.send_frame(id, scratch);
        };
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
    }

    /// The caller started talking. Clears Twilio's queue when audio may be playing or
    /// an answer is still coming, drops buffered audio, and reports how much of the
    /// current item the caller heard when that is less than the provider produced
    /// (capped by it: `audio_end_ms` may never exceed what the provider sent).
    pub(crate) fn interrupt(&mut self, response_active: bool) -> Interruption {
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
            let heard = self.frames.heard_ms(&item.id).min(produced);
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
        let mut speech = AiSpeech::new(AudioMode::Passthrough, tx).expect("passthrough");
        speech.frames().set_stream("MZ1");
        speech.delta("resp_1", "item_1", &ulaw_b64(250));
        assert_eq!(drain(&mut rx).len(), 2);
        speech.audio_done("item_1");
        let tail = drain(&mut rx);
        assert_eq!(tail.len(), 2);
        assert!(tail[1].contains(r#""name":"m2""#));
        speech.frames().mark_echoed("m1");
        let cut = speech.interrupt(true);
        assert!(cut.cleared);
        assert_eq!(cut.truncate, Some(("item_1".to_owned(), 20)));
        speech.delta("resp_1", "item_1", &ulaw_b64(160));
        assert!(drain(&mut rx).iter().all(|f| f.contains("clear")));
    }

    #[test]
    fn heard_is_capped_by_what_the_provider_produced() {
        let (tx, _rx) = mpsc::channel(64);
        let mut speech = AiSpeech::new(AudioMode::Passthrough, tx).expect("passthrough");
        speech.frames().set_stream("MZ1");
        speech.delta("resp_1", "item_1", &ulaw_b64(100));
        speech.audio_done("item_1");
        speech.frames().mark_echoed("m1");
        let cut = speech.interrupt(false);
        assert!(!cut.cleared);
        assert_eq!(cut.truncate, None, "12 ms produced, all of it heard");
    }
}
