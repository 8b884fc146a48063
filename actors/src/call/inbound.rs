//! Caller → provider: Twilio `media` payloads become `input_audio_buffer.append`
//! events (untouched μ-law, or PCM16 24 kHz through the media crate) and wait in a
//! bounded queue until the provider session takes them, [`CallTuning::append_frames`]
//! 20 ms frames per append ([`APPEND_FRAMES`] in production; see there why one).
//! While the session is opening (or reopening) the queue holds the early audio; when the provider is slower than
//! real time (more than `MAX_IN_FLIGHT` frames handed over and not yet
//! written to its socket) the frames wait here and the oldest go first. Nothing ever
//! blocks and nothing grows without bound.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use servicepro_media::transcode::InboundTranscoder;
use servicepro_media::MediaError;

use super::deps::AudioMode;
#[cfg(doc)]
use super::deps::{CallTuning, APPEND_FRAMES};
use super::pacing::Pacer;
use crate::realtime::openai_events::{ClientEvent, APPEND_OVERHEAD};
use crate::realtime::provider::{SessionSender, TrySendError};

/// Duration of one Twilio media frame.
const FRAME_MS: u128 = 20;

/// How caller audio is encoded for the provider.
#[derive(Debug)]
enum Encoder {
    Passthrough,
    /// μ-law frames decoded, to be sent together (whole frames only, so a batch of
    /// three frames is 480 bytes and its base64 has no padding in the middle).
    Batched(Vec<u8>),
    Transcode(Box<InboundTranscoder>),
}

/// What became of a pump into the provider session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pumped {
    /// Everything queued was taken.
    Drained,
    /// The provider queue is full; frames are still waiting.
    Backlog,
    /// The session has ended.
    Closed,
}

/// The caller's audio on its way to the provider.
#[derive(Debug)]
pub(crate) struct CallerAudio {
    encoder: Encoder,
    queue: VecDeque<String>,
    capacity: usize,
    pacer: Pacer,
    /// Frames per append.
    batch: usize,
    /// Frames in the batch being filled.
    filling: usize,
    /// The batch being filled (base64 PCM16 in transcode mode, whose frames are whole
    /// base64 blocks).
    pending: String,
    frames_in: u64,
    dropped: u64,
}

impl CallerAudio {
    /// A path for `mode` holding at most `buffer` of audio, paced to real time with a
    /// burst allowance of `burst`.
    pub(crate) fn new(
        mode: AudioMode,
        buffer: Duration,
        burst: Duration,
        batch: usize,
    ) -> Result<Self, MediaError> {
        let batch = batch.max(1);
        let encoder = match mode {
            AudioMode::Passthrough if batch == 1 => Encoder::Passthrough,
            AudioMode::Passthrough => Encoder::Batched(Vec::with_capacity(160 * batch)),
            AudioMode::Transcode => Encoder::Transcode(Box::new(InboundTranscoder::to_24k()?)),
        };
        let capacity = usize::try_from(buffer.as_millis() / (FRAME_MS * batch as u128))
            .unwrap_or(usize::MAX)
            .max(1);
        Ok(Self {
            encoder,
            queue: VecDeque::with_capacity(capacity.min(256)),
            capacity,
            pacer: Pacer::new(burst, Instant::now()),
            batch,
            filling: 0,
            pending: String::new(),
            frames_in: 0,
            dropped: 0,
        })
    }

    /// Whether caller audio `payload` arriving at `now` is within real time plus the
    /// burst allowance. A frame refused here is received (counted in
    /// [`Self::frames_in`]) and over pace (counted in [`Self::over_pace`]), and must go
    /// no further: not to the provider, not to the recording.
    pub(crate) fn admit(&mut self, payload: &str, now: Instant) -> bool {
        let admitted = self.pacer.admit(payload, now);
        if !admitted {
            self.frames_in += 1;
        }
        admitted
    }

    /// Queues one Twilio payload (base64 μ-law), dropping the oldest queued frame when
    /// the queue is full. A payload that is not base64 is dropped and counted.
    pub(crate) fn push(&mut self, payload: &str) {
        self.frames_in += 1;
        let audio = match &mut self.encoder {
            Encoder::Passthrough => {
                // Room for the frame around it: the provider task builds it in place.
                let mut audio = String::with_capacity(payload.len() + APPEND_OVERHEAD);
                audio.push_str(payload);
                audio
            }
            Encoder::Batched(ulaw) => {
                if let Err(err) = servicepro_media::b64::decode_append(payload.as_bytes(), ulaw) {
                    tracing::debug!(%err, "caller audio is not base64 μ-law; dropped");
                    self.dropped += 1;
                    return;
                }
                self.filling += 1;
                if self.filling < self.batch {
                    return;
                }
                let mut out = String::with_capacity(
                    servicepro_media::b64::encoded_len(ulaw.len()) + APPEND_OVERHEAD,
                );
                servicepro_media::b64::encode_append(ulaw, &mut out);
                ulaw.clear();
                out
            }
            Encoder::Transcode(up) => {
                let pending = &mut self.pending;
                if pending.capacity() == 0 {
                    pending.reserve(1_300 * self.batch + APPEND_OVERHEAD);
                }
                match up.push_base64(payload, pending) {
                    Ok(0) => return,
                    Ok(_) => {}
                    Err(err) => {
                        tracing::debug!(%err, "caller audio is not base64 μ-law; dropped");
                        self.dropped += 1;
                        return;
                    }
                }
                self.filling += 1;
                if self.filling < self.batch {
                    return;
                }
                std::mem::take(pending)
            }
        };
        let frames = std::mem::take(&mut self.filling).max(1) as u64;
        if self.queue.len() == self.capacity {
            self.queue.pop_front();
            self.dropped += frames;
        }
        self.queue.push_back(audio);
    }

    /// Hands at most `room` queued frames to the provider, oldest first, without
    /// waiting; returns what happened and how many were handed over. Frames beyond
    /// `room` wait here (the oldest dropped when new ones arrive). Should the provider
    /// queue be full anyway, the frame offered is lost and counted.
    pub(crate) fn pump(&mut self, sender: &SessionSender, room: usize) -> (Pumped, usize) {
        let mut sent = 0;
        while sent < room {
            let Some(audio) = self.queue.pop_front() else {
                return (Pumped::Drained, sent);
            };
            match sender.try_send(ClientEvent::InputAudioAppend { audio }) {
                Ok(()) => sent += 1,
                Err(TrySendError::Full) => {
                    self.dropped += 1;
                    break;
                }
                Err(TrySendError::Closed) => return (Pumped::Closed, sent),
            }
        }
        let pumped = if self.queue.is_empty() {
            Pumped::Drained
        } else {
            Pumped::Backlog
        };
        (pumped, sent)
    }

    /// Frames waiting for the provider.
    pub(crate) fn queued(&self) -> usize {
        self.queue.len()
    }

    /// Caller frames received.
    pub(crate) fn frames_in(&self) -> u64 {
        self.frames_in
    }

    /// Caller frames dropped.
    pub(crate) fn dropped(&self) -> u64 {
        self.dropped
    }

    /// Caller frames refused for arriving faster than real time.
    pub(crate) fn over_pace(&self) -> u64 {
        self.pacer.refused()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BURST: Duration = Duration::from_secs(1);

    #[test]
    fn queue_keeps_the_newest_frames_when_full() {
        let mut audio =
            CallerAudio::new(AudioMode::Passthrough, Duration::from_millis(100), BURST, 1)
                .expect("passthrough needs no resampler");
        for i in 0..8 {
            audio.push(&format!("frame{i}"));
        }
        assert_eq!(audio.queued(), 5);
        assert_eq!(audio.dropped(), 3);
        assert_eq!(audio.frames_in(), 8);
        assert_eq!(audio.queue.front().map(String::as_str), Some("frame3"));
    }

    #[test]
    fn batches_carry_three_frames_in_order_in_both_modes() {
        let frames: Vec<String> = (0u8..7)
            .map(|i| {
                let mut text = String::new();
                servicepro_media::b64::encode_append(&[i; 160], &mut text);
                text
            })
            .collect();
        let mut audio = CallerAudio::new(AudioMode::Passthrough, Duration::from_secs(2), BURST, 3)
            .expect("passthrough");
        for frame in &frames {
            audio.push(frame);
        }
        assert_eq!((audio.queued(), audio.frames_in()), (2, 7), "the 7th waits");
        let mut bytes = Vec::new();
        for batch in &audio.queue {
            servicepro_media::b64::decode_append(batch.as_bytes(), &mut bytes).expect("base64");
        }
        let expected: Vec<u8> = (0u8..6).flat_map(|i| [i; 160]).collect();
        assert_eq!(bytes, expected);

        let mut audio = CallerAudio::new(AudioMode::Transcode, Duration::from_secs(2), BURST, 3)
            .expect("24 kHz");
        for frame in &frames {
            audio.push(frame);
        }
        assert_eq!(audio.queued(), 2);
        let mut pcm = Vec::new();
        let front = audio
            .queue
            .front()
            .map(String::as_bytes)
            .unwrap_or_default();
        servicepro_media::b64::decode_append(front, &mut pcm).expect("base64");
        assert_eq!(pcm.len(), 3 * 960, "60 ms of PCM16 at 24 kHz");
    }

    #[test]
    fn transcoding_turns_a_frame_into_960_bytes_and_counts_bad_base64() {
        let mut audio = CallerAudio::new(AudioMode::Transcode, Duration::from_secs(1), BURST, 1)
            .expect("24 kHz is supported");
        let mut payload = String::new();
        servicepro_media::b64::encode_append(&[0xFF; 160], &mut payload);
        audio.push(&payload);
        audio.push("!!not base64!!");
        assert_eq!(audio.queued(), 1);
        assert_eq!(audio.dropped(), 1);
        let mut pcm = Vec::new();
        let queued = audio
            .queue
            .front()
            .map(String::as_bytes)
            .unwrap_or_default();
        servicepro_media::b64::decode_append(queued, &mut pcm).expect("valid base64");
        assert_eq!(pcm.len(), 960);
    }
}
