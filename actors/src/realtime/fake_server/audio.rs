//! The fake provider's audio: precomputed answer chunks, and a cheap speech detector
//! for caller audio. Both must stay cheap: the load bench runs a thousand sessions.

use std::sync::{Arc, Mutex};

use servicepro_media::{b64, g711, signal};

use super::log::lock;
use super::script::{FakeAudio, SpeechTrigger};
use crate::realtime::openai_events::AudioFormat;

/// Base64 answer chunks, computed once per format and shared by every session.
#[derive(Debug)]
pub(crate) struct AudioCache {
    audio: FakeAudio,
    chunk_ms: u32,
    chunks: Mutex<Vec<(AudioFormat, Arc<str>)>>,
}

impl AudioCache {
    pub(crate) fn new(audio: FakeAudio, chunk_ms: u32) -> Self {
        Self {
            audio,
            chunk_ms,
            chunks: Mutex::new(Vec::new()),
        }
    }

    /// One chunk of the answer in `format`, base64.
    pub(crate) fn chunk(&self, format: AudioFormat) -> Arc<str> {
        let mut chunks = lock(&self.chunks);
        if let Some((_, chunk)) = chunks.iter().find(|(f, _)| *f == format) {
            return Arc::clone(chunk);
        }
        let chunk: Arc<str> = Arc::from(self.render(format));
        chunks.push((format, Arc::clone(&chunk)));
        chunk
    }

    fn render(&self, format: AudioFormat) -> String {
        let rate = match format {
            AudioFormat::Pcmu | AudioFormat::Pcma => 8000,
            AudioFormat::Pcm { rate } => rate.max(1000),
        };
        let samples = (rate / 1000 * self.chunk_ms) as usize;
        let pcm = match self.audio {
            FakeAudio::Tone { freq_hz, amplitude } => signal::tone(
                f64::from(freq_hz),
                f64::from(rate),
                f64::from(amplitude),
                samples,
            ),
            FakeAudio::Silence => vec![0; samples],
        };
        let bytes = match format {
            AudioFormat::Pcmu => pcm.iter().map(|&s| g711::linear_to_ulaw(s)).collect(),
            AudioFormat::Pcma => pcm.iter().map(|&s| g711::linear_to_alaw(s)).collect(),
            AudioFormat::Pcm { .. } => pcm
                .iter()
                .flat_map(|s| s.to_le_bytes())
                .collect::<Vec<u8>>(),
        };
        let mut text = String::new();
        b64::encode_append(&bytes, &mut text);
        text
    }
}

/// A change in whether the caller is talking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SpeechEdge {
    /// Speech began this many ms into the caller's audio.
    Started(u64),
    /// Speech ended this many ms into the caller's audio.
    Stopped(u64),
}

/// Follows the caller's audio and reports speech edges per the script's trigger.
#[derive(Debug)]
pub(crate) struct SpeechMeter {
    trigger: SpeechTrigger,
    total_ms: u64,
    run_ms: u64,
    run_start_ms: u64,
    speaking: bool,
}

impl SpeechMeter {
    pub(crate) fn new(trigger: SpeechTrigger) -> Self {
        Self {
            trigger,
            total_ms: 0,
            run_ms: 0,
            run_start_ms: 0,
            speaking: false,
        }
    }

    /// Feeds one append's decoded bytes in `format`.
    pub(crate) fn push(&mut self, format: AudioFormat, bytes: &[u8]) -> Option<SpeechEdge> {
        let ms = bytes.len() as u64 / u64::from(format.bytes_per_ms());
        let start = self.total_ms;
        self.total_ms += ms;
        match self.trigger {
            SpeechTrigger::Never => None,
            SpeechTrigger::AfterAudio {
                after_ms,
                duration_ms,
            } => {
                let limit = if self.speaking { duration_ms } else { after_ms };
                self.run(true, start, ms, u64::from(limit))
                    .map(|edge| self.at_end(edge))
            }
            SpeechTrigger::Energy {
                start_ms,
                stop_ms,
                threshold,
            } => {
                let voiced = mean_level(format, bytes) > u32::from(threshold);
                let limit = if self.speaking { stop_ms } else { start_ms };
                // While silent, a run is voiced audio; while speaking, a run is quiet audio.
                self.run(voiced != self.speaking, start, ms, u64::from(limit))
            }
        }
    }

    /// Scripted edges fall where the trigger fired, not where the run began.
    fn at_end(&self, edge: SpeechEdge) -> SpeechEdge {
        match edge {
            SpeechEdge::Started(_) => SpeechEdge::Started(self.total_ms),
            SpeechEdge::Stopped(_) => SpeechEdge::Stopped(self.total_ms),
        }
    }

    fn run(&mut self, extends: bool, start: u64, ms: u64, limit: u64) -> Option<SpeechEdge> {
        if !extends {
            self.run_ms = 0;
            return None;
        }
        if self.run_ms == 0 {
            self.run_start_ms = start;
        }
        self.run_ms += ms;
        if self.run_ms < limit.max(1) {
            return None;
        }
        self.run_ms = 0;
        self.speaking = !self.speaking;
        Some(if self.speaking {
            SpeechEdge::Started(self.run_start_ms)
        } else {
            SpeechEdge::Stopped(self.run_start_ms)
        })
    }
}

/// Mean absolute PCM16 level of the audio, sampling every 4th sample (enough for a
/// voice/no-voice decision at a quarter of the cost).
fn mean_level(format: AudioFormat, bytes: &[u8]) -> u32 {
    let (sum, n) = match format {
        AudioFormat::Pcmu | AudioFormat::Pcma => {
            let decode = if format == AudioFormat::Pcmu {
                g711::ulaw_to_linear
            } else {
                g711::alaw_to_linear
            };
            bytes.iter().step_by(4).fold((0u64, 0u64), |(sum, n), &b| {
                (sum + u64::from(decode(b).unsigned_abs()), n + 1)
            })
        }
        AudioFormat::Pcm { .. } => bytes
            .chunks_exact(2)
            .step_by(4)
            .fold((0, 0), |(sum, n), b| {
                (
                    sum + u64::from(i16::from_le_bytes([b[0], b[1]]).unsigned_abs()),
                    n + 1,
                )
            }),
    };
    sum.checked_div(n)
        .map_or(0, |mean| u32::try_from(mean).unwrap_or(u32::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ulaw_frame(level: i16) -> Vec<u8> {
        signal::tone(400.0, 8000.0, f64::from(level), 160)
            .iter()
            .map(|&s| g711::linear_to_ulaw(s))
            .collect()
    }

    #[test]
    fn energy_trigger_starts_after_voiced_audio_and_stops_after_quiet() {
        let mut meter = SpeechMeter::new(SpeechTrigger::Energy {
            start_ms: 100,
            stop_ms: 60,
            threshold: 500,
        });
        let quiet = ulaw_frame(0);
        let loud = ulaw_frame(8000);
        let mut edges = Vec::new();
        for frame in [
            &quiet, &quiet, &loud, &loud, &loud, &loud, &loud, &loud, &quiet, &quiet, &quiet,
        ] {
            edges.extend(meter.push(AudioFormat::Pcmu, frame));
        }
        assert_eq!(
            edges,
            vec![SpeechEdge::Started(40), SpeechEdge::Stopped(160)]
        );
    }

    #[test]
    fn scripted_trigger_ignores_content_and_repeats() {
        let mut meter = SpeechMeter::new(SpeechTrigger::AfterAudio {
            after_ms: 40,
            duration_ms: 20,
        });
        let silence = vec![0u8; 960];
        let edges: Vec<_> = (0..6)
            .filter_map(|_| meter.push(AudioFormat::PCM_24K, &silence))
            .collect();
        assert_eq!(
            edges,
            vec![
                SpeechEdge::Started(40),
                SpeechEdge::Stopped(60),
                SpeechEdge::Started(100),
                SpeechEdge::Stopped(120)
            ]
        );
    }

    #[test]
    fn cached_chunks_have_the_right_length_per_format() {
        let cache = AudioCache::new(
            FakeAudio::Tone {
                freq_hz: 400,
                amplitude: 8000,
            },
            20,
        );
        let mut bytes = Vec::new();
        b64::decode_append(cache.chunk(AudioFormat::Pcmu).as_bytes(), &mut bytes).unwrap();
        assert_eq!(bytes.len(), 160);
        assert!(mean_level(AudioFormat::Pcmu, &bytes) > 3000);
        bytes.clear();
        b64::decode_append(cache.chunk(AudioFormat::PCM_24K).as_bytes(), &mut bytes).unwrap();
        assert_eq!(bytes.len(), 960);
        assert!(Arc::ptr_eq(
            &cache.chunk(AudioFormat::Pcmu),
            &cache.chunk(AudioFormat::Pcmu)
        ));
    }
}
