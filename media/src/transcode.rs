//! The per-call transcoders between Twilio (μ-law 8 kHz) and the AI provider
//! (PCM16 little-endian at 24 kHz, or 16/48 kHz), with base64 on both sides.
//!
//! * [`InboundTranscoder`]: caller → provider. μ-law 8 kHz in, PCM16 LE bytes out.
//! * [`OutboundTranscoder`]: provider → caller. PCM16 LE bytes of any length in (deltas
//!   of 4,800 or 7,213 bytes, an odd trailing byte is carried over), whole 20 ms μ-law
//!   frames (160 bytes) out, as Twilio wants them.
//! * [`UlawPassthrough`]: provider → caller when the provider speaks μ-law itself:
//!   re-framing into 20 ms frames only. (Caller → provider needs no work at all then:
//!   forward Twilio's base64 payload unchanged.)
//!
//! All buffers are allocated at construction and reused; the `*_base64` methods append
//! to a `String` the caller lends, or hand out each frame's base64 as a `&str` borrowed
//! from a buffer the transcoder reuses.

use crate::b64;
use crate::error::{MediaError, Result};
use crate::framing::{FrameChunker, SAMPLES_8K, ULAW_FRAME_BYTES, ULAW_SILENCE};
use crate::g711::{self, ULAW_TO_F32};
use crate::resample::{f32_to_i16, frame_len, StreamResampler};

/// Caller → provider: μ-law 8 kHz to PCM16 LE at the provider's rate.
#[derive(Debug)]
pub struct InboundTranscoder {
    up: StreamResampler,
    /// μ-law bytes waiting for the rest of their 20 ms frame.
    pending: Vec<u8>,
    /// Decoded base64 payload, reused.
    ulaw: Vec<u8>,
    /// PCM16 LE bytes before base64, reused.
    pcm: Vec<u8>,
}

impl InboundTranscoder {
    /// A transcoder producing PCM16 at `out_rate` (16000, 24000 or 48000 Hz).
    pub fn new(out_rate: u32) -> Result<Self> {
        if out_rate == 8000 {
            return Err(MediaError::UnsupportedRate(out_rate));
        }
        let up = StreamResampler::new(8000, out_rate)?;
        let frame_bytes = frame_len(out_rate) * 2;
        Ok(Self {
            up,
            pending: Vec::with_capacity(ULAW_FRAME_BYTES),
            ulaw: Vec::with_capacity(ULAW_FRAME_BYTES * 4),
            pcm: Vec::with_capacity(frame_bytes * 4),
        })
    }

    /// A transcoder for the usual 24 kHz provider.
    pub fn to_24k() -> Result<Self> {
        Self::new(24000)
    }

    /// Delay the resampler adds, in milliseconds.
    pub fn delay_ms(&self) -> f64 {
        self.up.delay_ms()
    }

    /// Converts μ-law bytes (any length; whole 20 ms frames are converted, the rest waits)
    /// and appends PCM16 LE bytes to `out`. Returns the bytes appended.
    pub fn push_ulaw(&mut self, mut ulaw: &[u8], out: &mut Vec<u8>) -> Result<usize> {
        let start = out.len();
        if !self.pending.is_empty() {
            let take = (ULAW_FRAME_BYTES - self.pending.len()).min(ulaw.len());
            self.pending.extend_from_slice(&ulaw[..take]);
            ulaw = &ulaw[take..];
            if self.pending.len() < ULAW_FRAME_BYTES {
                return Ok(0);
            }
            let result = Self::frame(&mut self.up, &self.pending, out);
            self.pending.clear();
            result?;
        }
        let mut frames = ulaw.chunks_exact(ULAW_FRAME_BYTES);
        for frame in &mut frames {
            Self::frame(&mut self.up, frame, out)?;
        }
        self.pending.extend_from_slice(frames.remainder());
        Ok(out.len() - start)
    }

    fn frame(up: &mut StreamResampler, ulaw: &[u8], out: &mut Vec<u8>) -> Result<()> {
        up.process_frame_with(
            |input| {
                for (d, &c) in input.iter_mut().zip(ulaw) {
                    *d = ULAW_TO_F32[c as usize];
                }
                if ulaw.len() < input.len() {
                    input[ulaw.len()..].fill(0.0);
                }
            },
            |output| extend_pcm_le(output, out),
        )
    }

    /// Twilio `media.payload` (base64 μ-law) in, base64 PCM16 LE appended to `out`.
    /// Appends nothing while less than a 20 ms frame is buffered. Returns the base64
    /// characters appended.
    pub fn push_base64(&mut self, payload: &str, out: &mut String) -> Result<usize> {
        self.ulaw.clear();
        b64::decode_append(payload.as_bytes(), &mut self.ulaw)?;
        let ulaw = std::mem::take(&mut self.ulaw);
        let mut pcm = std::mem::take(&mut self.pcm);
        pcm.clear();
        let result = self.push_ulaw(&ulaw, &mut pcm);
        let before = out.len();
        if result.is_ok() {
            b64::encode_append(&pcm, out);
        }
        self.ulaw = ulaw;
        self.pcm = pcm;
        result?;
        Ok(out.len() - before)
    }

    /// Ends the stream: converts the buffered partial frame (padded with silence) and
    /// the resampler's tail, appending PCM16 LE bytes to `out`.
    pub fn flush(&mut self, out: &mut Vec<u8>) -> Result<usize> {
        let start = out.len();
        if !self.pending.is_empty() {
            let result = Self::frame(&mut self.up, &self.pending, out);
            self.pending.clear();
            result?;
        }
        let mut tail = Vec::new();
        self.up.flush(&mut tail)?;
        out.reserve(tail.len() * 2);
        for s in tail {
            out.extend_from_slice(&s.to_le_bytes());
        }
        Ok(out.len() - start)
    }

    /// Drops buffered audio and filter state.
    pub fn reset(&mut self) {
        self.pending.clear();
        self.up.reset();
    }
}

fn extend_pcm_le(samples: &[f32], out: &mut Vec<u8>) {
    let start = out.len();
    out.resize(start + samples.len() * 2, 0);
    for (d, s) in out[start..].chunks_exact_mut(2).zip(samples) {
        d.copy_from_slice(&f32_to_i16(*s).to_le_bytes());
    }
}

/// Provider → caller: PCM16 LE at the provider's rate to 20 ms μ-law 8 kHz frames.
#[derive(Debug)]
pub struct OutboundTranscoder {
    down: StreamResampler,
    /// A trailing odd byte (half a sample) from the previous push.
    odd: Option<u8>,
    /// Samples waiting for the rest of their 20 ms input frame.
    pending: Vec<i16>,
    /// Decoded base64 delta, reused.
    pcm: Vec<u8>,
    /// Base64 text of one outbound frame, reused.
    text: String,
}

impl OutboundTranscoder {
    /// A transcoder taking PCM16 at `in_rate` (16000, 24000 or 48000 Hz).
    pub fn new(in_rate: u32) -> Result<Self> {
        if in_rate == 8000 {
            return Err(MediaError::UnsupportedRate(in_rate));
        }
        let down = StreamResampler::new(in_rate, 8000)?;
        let frame = frame_len(in_rate);
        Ok(Self {
            down,
            odd: None,
            pending: Vec::with_capacity(frame),
            pcm: Vec::with_capacity(frame * 2 * 16),
            text: String::with_capacity(b64::encoded_len(ULAW_FRAME_BYTES)),
        })
    }

    /// A transcoder for the usual 24 kHz provider.
    pub fn from_24k() -> Result<Self> {
        Self::new(24000)
    }

    /// Delay the resampler adds, in milliseconds.
    pub fn delay_ms(&self) -> f64 {
        self.down.delay_ms()
    }

    /// Input bytes held back until their 20 ms frame is complete (including a carried
    /// odd byte).
    pub fn pending_bytes(&self) -> usize {
        self.pending.len() * 2 + usize::from(self.odd.is_some())
    }

    /// Converts PCM16 LE bytes of any length and calls `emit` with each completed 20 ms
    /// μ-law frame (160 bytes), in order. Returns the number of frames emitted.
    pub fn push_pcm_le(&mut self, bytes: &[u8], emit: impl FnMut(&[u8])) -> Result<usize> {
        down_push(
            &mut self.down,
            &mut self.odd,
            &mut self.pending,
            bytes,
            emit,
        )
    }

    /// A provider audio delta (base64 PCM16 LE) in; `emit` is called with the base64
    /// text of each completed 20 ms μ-law frame, ready for a Twilio `media` message.
    /// Returns the number of frames emitted.
    pub fn push_base64(&mut self, delta: &str, mut emit: impl FnMut(&str)) -> Result<usize> {
        self.pcm.clear();
        b64::decode_append(delta.as_bytes(), &mut self.pcm)?;
        let text = &mut self.text;
        down_push(
            &mut self.down,
            &mut self.odd,
            &mut self.pending,
            &self.pcm,
            |frame| {
                text.clear();
                b64::encode_append(frame, text);
                emit(text);
            },
        )
    }

    /// Ends a response: emits the buffered partial frame padded with silence and the
    /// resampler's tail as whole μ-law frames. A carried odd byte is dropped.
    /// Returns the number of frames emitted.
    pub fn flush(&mut self, mut emit: impl FnMut(&[u8])) -> Result<usize> {
        self.odd = None;
        let mut frames = 0;
        if !self.pending.is_empty() {
            let pending = &self.pending;
            self.down.process_frame_with(
                |input| {
                    for (d, s) in input.iter_mut().zip(pending.iter()) {
                        *d = f32::from(*s);
                    }
                    input[pending.len()..].fill(0.0);
                },
                |output| emit_ulaw(output, &mut emit),
            )?;
            self.pending.clear();
            frames += 1;
        }
        let mut tail = Vec::with_capacity(SAMPLES_8K * 2);
        self.down.flush(&mut tail)?;
        let mut ulaw = [0u8; ULAW_FRAME_BYTES];
        for chunk in tail.chunks(SAMPLES_8K) {
            ulaw.fill(ULAW_SILENCE);
            g711::encode_ulaw(chunk, &mut ulaw);
            emit(&ulaw);
            frames += 1;
        }
        Ok(frames)
    }

    /// Barge-in: drops everything buffered (partial frame, odd byte, filter state), so
    /// the next response starts clean.
    pub fn clear(&mut self) {
        self.odd = None;
        self.pending.clear();
        self.down.reset();
    }
}

fn emit_ulaw(samples: &[f32], emit: &mut impl FnMut(&[u8])) {
    let mut ulaw = [0u8; ULAW_FRAME_BYTES];
    for (d, s) in ulaw.iter_mut().zip(samples) {
        *d = g711::linear_to_ulaw(f32_to_i16(*s));
    }
    emit(&ulaw);
}

fn down_push(
    down: &mut StreamResampler,
    odd: &mut Option<u8>,
    pending: &mut Vec<i16>,
    mut bytes: &[u8],
    mut emit: impl FnMut(&[u8]),
) -> Result<usize> {
    let frame = down.input_frame_len();
    let mut frames = 0;
    if let Some(low) = *odd {
        if let Some((&high, rest)) = bytes.split_first() {
            pending.push(i16::from_le_bytes([low, high]));
            *odd = None;
            bytes = rest;
        }
    }
    // Complete a partially filled frame first.
    if !pending.is_empty() && pending.len() < frame {
        let take = (frame - pending.len()).min(bytes.len() / 2);
        pending.extend(
            bytes[..take * 2]
                .chunks_exact(2)
                .map(|b| i16::from_le_bytes([b[0], b[1]])),
        );
        bytes = &bytes[take * 2..];
    }
    if pending.len() == frame {
        let p = &*pending;
        down.process_frame_with(
            |input| {
                for (d, s) in input.iter_mut().zip(p.iter()) {
                    *d = f32::from(*s);
                }
            },
            |output| emit_ulaw(output, &mut emit),
        )?;
        pending.clear();
        frames += 1;
    }
    // Whole frames straight from the byte slice.
    let mut chunks = bytes.chunks_exact(frame * 2);
    for chunk in &mut chunks {
        down.process_frame_with(
            |input| {
                for (d, b) in input.iter_mut().zip(chunk.chunks_exact(2)) {
                    *d = f32::from(i16::from_le_bytes([b[0], b[1]]));
                }
            },
            |output| emit_ulaw(output, &mut emit),
        )?;
        frames += 1;
    }
    let rest = chunks.remainder();
    let mut samples = rest.chunks_exact(2);
    pending.extend((&mut samples).map(|b| i16::from_le_bytes([b[0], b[1]])));
    if let [last] = samples.remainder() {
        *odd = Some(*last);
    }
    Ok(frames)
}

/// Provider → caller when the provider already speaks μ-law 8 kHz: only re-framing into
/// 20 ms frames. Caller → provider needs no counterpart: forward Twilio's payload as is.
#[derive(Debug)]
pub struct UlawPassthrough {
    chunker: FrameChunker,
    ulaw: Vec<u8>,
    text: String,
}

impl Default for UlawPassthrough {
    fn default() -> Self {
        Self::new()
    }
}

impl UlawPassthrough {
    /// A pass-through emitting 160-byte (20 ms) frames.
    pub fn new() -> Self {
        Self {
            chunker: FrameChunker::ulaw_20ms(),
            ulaw: Vec::with_capacity(ULAW_FRAME_BYTES * 16),
            text: String::with_capacity(b64::encoded_len(ULAW_FRAME_BYTES)),
        }
    }

    /// μ-law bytes of any length in; `emit` gets each whole 20 ms frame.
    /// Returns the number of frames emitted.
    pub fn push_ulaw(&mut self, ulaw: &[u8], emit: impl FnMut(&[u8])) -> usize {
        self.chunker.push(ulaw, emit)
    }

    /// A provider delta (base64 μ-law) in; `emit` gets the base64 of each whole frame.
    /// Returns the number of frames emitted.
    pub fn push_base64(&mut self, delta: &str, mut emit: impl FnMut(&str)) -> Result<usize> {
        self.ulaw.clear();
        b64::decode_append(delta.as_bytes(), &mut self.ulaw)?;
        let text = &mut self.text;
        Ok(self.chunker.push(&self.ulaw, |frame| {
            text.clear();
            b64::encode_append(frame, text);
            emit(text);
        }))
    }

    /// Ends a response: emits the partial frame padded with μ-law silence, if any.
    pub fn flush(&mut self, emit: impl FnMut(&[u8])) -> bool {
        self.chunker.flush_padded(ULAW_SILENCE, emit)
    }

    /// Barge-in: drops the partial frame.
    pub fn clear(&mut self) {
        self.chunker.reset();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signal::{fit_tone, tone};

    fn pcm_le(samples: &[i16]) -> Vec<u8> {
        samples.iter().flat_map(|s| s.to_le_bytes()).collect()
    }

    fn from_le(bytes: &[u8]) -> Vec<i16> {
        bytes
            .chunks_exact(2)
            .map(|b| i16::from_le_bytes([b[0], b[1]]))
            .collect()
    }

    #[test]
    fn inbound_frame_gives_480_samples_of_24k_pcm() {
        let mut t = InboundTranscoder::to_24k().unwrap();
        let mut out = Vec::new();
        assert_eq!(t.push_ulaw(&[0xFF; 160], &mut out).unwrap(), 960);
        assert_eq!(t.push_ulaw(&[0xFF; 100], &mut out).unwrap(), 0);
        assert_eq!(t.push_ulaw(&[0xFF; 60], &mut out).unwrap(), 960);
        assert!(out.iter().all(|&b| b == 0));
        let n = t.flush(&mut out).unwrap();
        assert!(n >= 2 * 120);
        assert!(t.delay_ms() > 0.0);
    }

    #[test]
    fn base64_both_ways_round_trips_a_tone_through_ulaw() {
        // μ-law 8k tone → inbound (24k PCM16) → outbound (μ-law 8k) ≈ original tone.
        let tone8 = tone(1000.0, 8000.0, 12000.0, 8000);
        let mut ulaw = vec![0u8; tone8.len()];
        g711::encode_ulaw(&tone8, &mut ulaw);
        let mut inbound = InboundTranscoder::to_24k().unwrap();
        let mut outbound = OutboundTranscoder::from_24k().unwrap();
        let mut back = Vec::new();
        let mut provider_text = String::new();
        for frame in ulaw.chunks(160) {
            let mut payload = String::new();
            b64::encode_append(frame, &mut payload);
            provider_text.clear();
            inbound.push_base64(&payload, &mut provider_text).unwrap();
            assert_eq!(provider_text.len(), b64::encoded_len(960));
            outbound
                .push_base64(&provider_text, |twilio| {
                    assert_eq!(twilio.len(), b64::encoded_len(160));
                    let mut codes = Vec::new();
                    b64::decode_append(twilio.as_bytes(), &mut codes).unwrap();
                    back.extend(codes.iter().map(|&c| g711::ulaw_to_linear(c)));
                })
                .unwrap();
        }
        assert_eq!(back.len(), 8000);
        let fit = fit_tone(&back, 1000.0, 8000.0, 12000.0, 800).unwrap();
        // Two μ-law quantisations bound this at about 35 dB.
        assert!(fit.snr_db > 30.0, "{fit:?}");
    }

    #[test]
    fn outbound_buffers_arbitrary_deltas_and_emits_whole_frames() {
        let samples = tone(300.0, 24000.0, 8000.0, 24000);
        let bytes = pcm_le(&samples);
        let mut t = OutboundTranscoder::from_24k().unwrap();
        let mut frames = Vec::new();
        let mut fed = 0;
        for len in [4800, 7213, 1, 0, 3, 959, 961] {
            t.push_pcm_le(&bytes[fed..fed + len], |f| frames.push(f.to_vec()))
                .unwrap();
            fed += len;
        }
        assert_eq!(fed % 2, 1);
        let whole = fed / 2 / 480;
        assert_eq!(frames.len(), whole);
        assert_eq!(t.pending_bytes(), fed - whole * 960);
        t.push_pcm_le(&bytes[fed..], |f| frames.push(f.to_vec()))
            .unwrap();
        assert_eq!(frames.len(), 50);
        assert!(frames.iter().all(|f| f.len() == 160));
        // Same result as feeding whole frames.
        let mut u = OutboundTranscoder::from_24k().unwrap();
        let mut direct = Vec::new();
        u.push_pcm_le(&bytes, |f| direct.push(f.to_vec())).unwrap();
        assert_eq!(frames, direct);
        // Flush emits the partial frame and the filter tail.
        t.push_pcm_le(&bytes[..101], |f| frames.push(f.to_vec()))
            .unwrap();
        assert_eq!(t.pending_bytes(), 101);
        let flushed = t.flush(|f| assert_eq!(f.len(), 160)).unwrap();
        assert!(flushed >= 1);
        assert_eq!(t.pending_bytes(), 0);
        t.clear();
    }

    #[test]
    fn odd_trailing_byte_and_bad_base64_do_not_panic() {
        let mut t = OutboundTranscoder::from_24k().unwrap();
        assert_eq!(t.push_pcm_le(&[1], |_| {}).unwrap(), 0);
        assert_eq!(t.pending_bytes(), 1);
        assert_eq!(t.push_pcm_le(&[2], |_| {}).unwrap(), 0);
        assert_eq!(t.pending_bytes(), 2);
        assert!(t.push_base64("@@@", |_| {}).is_err());
        let mut i = InboundTranscoder::to_24k().unwrap();
        let mut out = String::new();
        assert!(i.push_base64("not base64!", &mut out).is_err());
        assert_eq!(i.push_base64("", &mut out).unwrap(), 0);
        assert!(InboundTranscoder::new(8000).is_err());
        assert!(OutboundTranscoder::new(44100).is_err());
        i.reset();
    }

    #[test]
    fn inbound_output_decodes_to_a_clean_24k_tone() {
        let tone8 = tone(1000.0, 8000.0, 12000.0, 4000);
        let mut ulaw = vec![0u8; tone8.len()];
        g711::encode_ulaw(&tone8, &mut ulaw);
        let mut t = InboundTranscoder::to_24k().unwrap();
        let mut out = Vec::new();
        t.push_ulaw(&ulaw, &mut out).unwrap();
        let pcm = from_le(&out);
        assert_eq!(pcm.len(), 12000);
        let fit = fit_tone(&pcm, 1000.0, 24000.0, 12000.0, 1200).unwrap();
        assert!(fit.snr_db > 33.0, "{fit:?}");
    }

    #[test]
    fn passthrough_reframes_ulaw() {
        let mut p = UlawPassthrough::new();
        let mut frames = 0;
        assert_eq!(p.push_ulaw(&[0x55; 300], |_| frames += 1), 1);
        let mut text = String::new();
        b64::encode_append(&[0x11; 20], &mut text);
        let n = p
            .push_base64(&text, |f| assert_eq!(f.len(), b64::encoded_len(160)))
            .unwrap();
        assert_eq!(n, 1);
        assert!(!p.flush(|_| {}));
        p.push_ulaw(&[1], |_| {});
        assert!(p.flush(|f| assert_eq!(f[1], ULAW_SILENCE)));
        p.clear();
        assert!(p.push_base64("%", |_| {}).is_err());
    }
}
