//! Stateful per-stream sample-rate conversion between 8 kHz and 16/24/48 kHz, in 20 ms
//! frames, on the polyphase FIR of [`crate::polyphase`].
//!
//! # Design
//!
//! Every ratio the product uses is an integer (2, 3 or 6), so each direction is a
//! polyphase FIR: one Kaiser-windowed sinc low-pass per ratio (cutoff 4 kHz, β = 9,
//! 30·L + 1 taps, i.e. 31 taps per phase), designed on first use and shared by every
//! instance through a `OnceLock`. An instance owns only its filter memory (31 samples
//! per input stream) and its frame buffers, ~4.4 KB per direction at 24 kHz: the 400
//! resamplers of 200 transcoded calls take 1.76 MB instead of 7.4 MB.
//!
//! # Why (issue 16)
//!
//! The previous implementation, rubato 5's `Fft` with 80-sample blocks, cost 1.33 µs
//! per frame in isolation but about twice that per call-second inside the server under
//! 200 calls: each instance owned its own filter spectrum, FFT plans and scratch
//! (18.6 KB per direction in 37 allocations), and 400 of them thrash the caches.
//! Measured side by side (8k ↔ 24k, one duplex 20 ms frame; commands and the full table
//! in BENCHMARKS.md "## Media"):
//!
//! | | rubato `Fft` (before) | polyphase FIR (now) |
//! |---|---|---|
//! | instructions per duplex frame (callgrind, resampling only) | 47.3k | 32.5k |
//! | criterion, 1 call / round-robin over 200 calls (400 instances) | 2.88 / 3.13 µs | 2.03 / 2.06 µs (AVX2 build; SSE2 2.81 / 2.87) |
//! | heap per call (up + down, incl. frame buffers) | 37.3 KB | 8.8 KB + 4.2 KB shared once |
//! | 1 kHz SNR through 8k→24k→8k (PCM16 floor) | 96.8 dB | 96.8 dB |
//! | delay per direction | 5 ms | 1.875 ms |
//! | alias rejection 24k→8k at 5 / 7 / 11 kHz | 153 / 154 / 146 dB | 103 / 104 / 111 dB |
//!
//! The FIR's stopband (≈ 92 dB from 5 kHz up) is far below what the product needs (60 dB)
//! and its passband is flat within 0.05 dB to 3.4 kHz; the shorter filter is what buys
//! the lower delay and instruction count. The inner loop computes 8 consecutive outputs
//! per pass (one broadcast coefficient times 8 samples per tap), which LLVM turns into
//! packed SSE2 on the baseline x86_64 target without `unsafe` or intrinsics; built for
//! SSE2 only, one hot instance was no faster than rubato (whose rustfft picks AVX at run
//! time), so the loops are also built for AVX2 and picked at run time, which makes the
//! FIR 1.4× faster than rubato on one call and 1.5× with 400 live instances.
//!
//! Samples are kept at PCM16 scale in `f32` (the filter is linear), and converted back
//! with round-to-nearest and saturation.

use crate::error::{MediaError, Result};
use crate::polyphase::{Direction, PolyphaseFir};

/// Sample rates the call path uses. 8 kHz is the telephone side; the others are what AI
/// providers and recordings use.
pub const SUPPORTED_RATES: [u32; 4] = [8000, 16000, 24000, 48000];

/// Samples in 20 ms at `rate_hz`.
pub fn frame_len(rate_hz: u32) -> usize {
    rate_hz as usize / 50
}

/// Converts `f32` samples at PCM16 scale to `i16` with round-to-nearest-even and
/// saturation. Branch-free so it vectorises; NaN becomes 0.
#[inline]
pub fn f32_to_i16(v: f32) -> i16 {
    // Adding 1.5·2^23 moves the integer part into the low mantissa bits, rounding to
    // nearest. A NaN stays NaN (0x7FC0_0000), whose low 16 bits after the subtraction are 0.
    const MAGIC: f32 = 12_582_912.0;
    let clamped = v.clamp(-32768.0, 32767.0);
    ((clamped + MAGIC).to_bits() as i32).wrapping_sub(0x4B40_0000) as i16
}

/// A stateful resampler for one direction of one call.
///
/// Feed it 20 ms frames with [`StreamResampler::process_frame`] (or any lengths with
/// [`StreamResampler::push`]); it keeps the filter state across frames so frame
/// boundaries leave no trace, allocates nothing after construction, and delays the
/// signal by [`StreamResampler::delay_samples`] output samples. At the end of a stream,
/// [`StreamResampler::flush`] emits the audio still inside the filter.
pub struct StreamResampler {
    inner: PolyphaseFir,
    in_rate: u32,
    out_rate: u32,
    frame_in: usize,
    frame_out: usize,
    /// Input samples waiting for the rest of their frame (used by `push`).
    pending: Vec<i16>,
}

impl std::fmt::Debug for StreamResampler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StreamResampler")
            .field("in_rate", &self.in_rate)
            .field("out_rate", &self.out_rate)
            .field("delay_samples", &self.inner.delay_samples())
            .field("pending", &self.pending.len())
            .finish()
    }
}

impl StreamResampler {
    /// A resampler from `in_rate` to `out_rate`; one of the two must be 8 kHz and the
    /// other one of 16, 24 or 48 kHz.
    pub fn new(in_rate: u32, out_rate: u32) -> Result<Self> {
        if in_rate == out_rate {
            return Err(MediaError::UnsupportedRate(in_rate));
        }
        for rate in [in_rate, out_rate] {
            if !SUPPORTED_RATES.contains(&rate) {
                return Err(MediaError::UnsupportedRate(rate));
            }
        }
        let (direction, high) = match (in_rate, out_rate) {
            (8000, high) => (Direction::Up, high),
            (high, 8000) => (Direction::Down, high),
            _ => return Err(MediaError::UnsupportedRate(in_rate.max(out_rate))),
        };
        let frame_in = frame_len(in_rate);
        let frame_out = frame_len(out_rate);
        let inner = PolyphaseFir::new(high as usize / 8000, direction, frame_in)
            .ok_or(MediaError::UnsupportedRate(high))?;
        Ok(Self {
            inner,
            in_rate,
            out_rate,
            frame_in,
            frame_out,
            pending: Vec::with_capacity(frame_in),
        })
    }

    /// Input sample rate in Hz.
    pub fn in_rate(&self) -> u32 {
        self.in_rate
    }

    /// Output sample rate in Hz.
    pub fn out_rate(&self) -> u32 {
        self.out_rate
    }

    /// Input samples per 20 ms frame.
    pub fn input_frame_len(&self) -> usize {
        self.frame_in
    }

    /// Output samples per 20 ms frame.
    pub fn output_frame_len(&self) -> usize {
        self.frame_out
    }

    /// Algorithmic delay in output samples: an input event appears this much later.
    pub fn delay_samples(&self) -> usize {
        self.inner.delay_samples()
    }

    /// Algorithmic delay in milliseconds.
    pub fn delay_ms(&self) -> f64 {
        self.delay_samples() as f64 * 1000.0 / f64::from(self.out_rate)
    }

    /// Bytes this instance owns on the heap; the filter coefficients are shared by
    /// every instance and not counted.
    pub fn heap_bytes(&self) -> usize {
        self.inner.heap_bytes() + self.pending.capacity() * std::mem::size_of::<i16>()
    }

    /// Input samples held back by [`Self::push`] until their frame is complete.
    pub fn pending_len(&self) -> usize {
        self.pending.len()
    }

    /// Resamples one 20 ms frame. `input` must hold exactly [`Self::input_frame_len`]
    /// samples (a shorter one is padded with silence, a longer one is an error) and
    /// `output` at least [`Self::output_frame_len`]. Returns the samples written.
    pub fn process_frame(&mut self, input: &[i16], output: &mut [i16]) -> Result<usize> {
        if input.len() > self.frame_in {
            return Err(MediaError::Resample(format!(
                "frame of {} samples, expected {}",
                input.len(),
                self.frame_in
            )));
        }
        let out = output
            .get_mut(..self.frame_out)
            .ok_or_else(|| MediaError::Resample("output buffer too short".into()))?;
        let buf_in = self.inner.input_mut();
        for (d, s) in buf_in.iter_mut().zip(input) {
            *d = f32::from(*s);
        }
        buf_in[input.len()..].fill(0.0);
        self.inner.run();
        for (d, s) in out.iter_mut().zip(self.inner.output()) {
            *d = f32_to_i16(*s);
        }
        Ok(self.frame_out)
    }

    /// Resamples one frame already in `f32` at PCM16 scale into `output` (`f32`).
    /// Same length rules as [`Self::process_frame`].
    pub fn process_frame_f32(&mut self, input: &[f32], output: &mut [f32]) -> Result<usize> {
        if input.len() > self.frame_in || output.len() < self.frame_out {
            return Err(MediaError::Resample("buffer sizes".into()));
        }
        let buf_in = self.inner.input_mut();
        buf_in[..input.len()].copy_from_slice(input);
        buf_in[input.len()..].fill(0.0);
        self.inner.run();
        output[..self.frame_out].copy_from_slice(self.inner.output());
        Ok(self.frame_out)
    }

    /// Resamples one frame in place: `fill` writes exactly [`Self::input_frame_len`]
    /// samples (`f32` at PCM16 scale) into the input buffer, and `drain` reads the
    /// [`Self::output_frame_len`] output samples. This is the copy-free path the
    /// transcoders use.
    pub fn process_frame_with<R>(
        &mut self,
        fill: impl FnOnce(&mut [f32]),
        drain: impl FnOnce(&[f32]) -> R,
    ) -> Result<R> {
        fill(self.inner.input_mut());
        self.inner.run();
        Ok(drain(self.inner.output()))
    }

    /// Accepts any number of input samples, resamples every completed 20 ms frame and
    /// appends the output to `out`. A partial frame waits for the next call.
    /// Returns the number of samples appended.
    pub fn push(&mut self, mut input: &[i16], out: &mut Vec<i16>) -> Result<usize> {
        let mut written = 0;
        if !self.pending.is_empty() {
            let take = (self.frame_in - self.pending.len()).min(input.len());
            self.pending.extend_from_slice(&input[..take]);
            input = &input[take..];
            if self.pending.len() < self.frame_in {
                return Ok(0);
            }
            let pending = std::mem::take(&mut self.pending);
            let result = self.append_frame(&pending, out);
            self.pending = pending;
            self.pending.clear();
            written += result?;
        }
        let mut frames = input.chunks_exact(self.frame_in);
        for frame in &mut frames {
            written += self.append_frame(frame, out)?;
        }
        self.pending.extend_from_slice(frames.remainder());
        Ok(written)
    }

    fn append_frame(&mut self, frame: &[i16], out: &mut Vec<i16>) -> Result<usize> {
        let start = out.len();
        out.resize(start + self.frame_out, 0);
        self.process_frame(frame, &mut out[start..])
    }

    /// Ends the stream: pads the pending partial frame with silence and pushes silence
    /// through until every input sample has come out, appending to `out`. The
    /// resampler is then ready for a new stream. Returns the samples appended.
    pub fn flush(&mut self, out: &mut Vec<i16>) -> Result<usize> {
        let mut written = 0;
        if !self.pending.is_empty() {
            let pending = std::mem::take(&mut self.pending);
            let result = self.append_frame(&pending, out);
            self.pending = pending;
            self.pending.clear();
            written += result?;
        }
        let tail_frames = self.delay_samples().div_ceil(self.frame_out);
        for _ in 0..tail_frames {
            written += self.append_frame(&[], out)?;
        }
        self.inner.reset();
        Ok(written)
    }

    /// Drops all state (filter memory and pending input), as at construction.
    pub fn reset(&mut self) {
        self.inner.reset();
        self.pending.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signal::{fit_tone, peak_index, rms_db, tone, tone_f32};

    fn run_all(r: &mut StreamResampler, input: &[i16]) -> Vec<i16> {
        let mut out = Vec::new();
        r.push(input, &mut out).unwrap();
        out
    }

    #[test]
    fn rounding_conversion_saturates_and_rounds_to_nearest() {
        assert_eq!(f32_to_i16(0.4), 0);
        assert_eq!(f32_to_i16(0.6), 1);
        assert_eq!(f32_to_i16(-0.6), -1);
        assert_eq!(f32_to_i16(2.5), 2);
        assert_eq!(f32_to_i16(1e9), i16::MAX);
        assert_eq!(f32_to_i16(-1e9), i16::MIN);
        assert_eq!(f32_to_i16(f32::NAN), 0);
        assert_eq!(f32_to_i16(f32::INFINITY), i16::MAX);
    }

    #[test]
    fn tone_round_trip_8k_24k_8k_keeps_40_db_snr_after_delay_alignment() {
        let mut up = StreamResampler::new(8000, 24000).unwrap();
        let mut down = StreamResampler::new(24000, 8000).unwrap();
        let t = tone(1000.0, 8000.0, 16384.0, 8000);
        let mid = run_all(&mut up, &t);
        assert_eq!(mid.len(), 24000);
        let back = run_all(&mut down, &mid);
        assert_eq!(back.len(), 8000);
        let fit = fit_tone(&back, 1000.0, 8000.0, 16384.0, 800).unwrap();
        assert!(fit.snr_db >= 40.0, "{fit:?}");
        // In practice the filter is transparent down to the PCM16 floor.
        assert!(fit.snr_db >= 90.0, "{fit:?}");
        // The fitted delay matches the reported one (mod one 8-sample period of 1 kHz).
        let total = (up.delay_samples() / 3 + down.delay_samples()) as f64;
        let expected = total.rem_euclid(8.0);
        let diff = (fit.delay_mod_period - expected).rem_euclid(8.0);
        assert!(diff.min(8.0 - diff) < 0.05, "{fit:?} vs {expected}");
    }

    /// Every direction the resampler supports.
    const DIRECTIONS: [(u32, u32); 6] = [
        (8000, 16000),
        (8000, 24000),
        (8000, 48000),
        (16000, 8000),
        (24000, 8000),
        (48000, 8000),
    ];

    #[test]
    fn reported_delay_matches_the_impulse_response() {
        for (from, to) in DIRECTIONS {
            let mut r = StreamResampler::new(from, to).unwrap();
            let n = frame_len(from) * 10;
            let mut imp = vec![0i16; n];
            imp[n / 2] = 20000;
            let out = run_all(&mut r, &imp);
            let expect = n / 2 * to as usize / from as usize + r.delay_samples();
            let peak = peak_index(&out).unwrap();
            assert!(
                peak.abs_diff(expect) <= 1,
                "{from}->{to}: peak {peak}, expected {expect}"
            );
            assert!(r.delay_ms() <= 5.0, "{from}->{to}: {} ms", r.delay_ms());
        }
    }

    /// Level in dB of `freq` at 24 kHz after 24k→8k, steady state, unquantised.
    fn level_after_24k_to_8k(freq: f64) -> f64 {
        let mut r = StreamResampler::new(24000, 8000).unwrap();
        let input = tone_f32(freq, 24000.0, 16384.0, 480 * 20);
        let mut out = vec![0f32; 160];
        let mut steady = Vec::new();
        for (i, frame) in input.chunks_exact(480).enumerate() {
            r.process_frame_f32(frame, &mut out).unwrap();
            if i >= 2 {
                steady.extend_from_slice(&out);
            }
        }
        rms_db(&steady)
    }

    #[test]
    fn aliases_from_24k_to_8k_are_at_least_95_db_down() {
        // 5, 7 and 11 kHz fold onto 3, 1 and 3 kHz at 8 kHz. The polyphase FIR measures
        // 102.6 / 104.1 / 111.4 dB here (the design's worst case above 5 kHz is ≈ 92 dB,
        // between these tones); rubato's Fft gave 146–154 dB (see BENCHMARKS.md). The
        // product needs 60 dB.
        let reference = level_after_24k_to_8k(1000.0);
        for freq in [5000.0, 7000.0, 11000.0] {
            let rejection = reference - level_after_24k_to_8k(freq);
            assert!(rejection >= 95.0, "{freq} Hz: {rejection:.1} dB");
        }
    }

    #[test]
    fn passband_is_flat_within_a_tenth_of_a_db_from_300_to_3400_hz() {
        for (from, to) in DIRECTIONS {
            for freq in (300..=3400).step_by(100) {
                let freq = f64::from(freq);
                let mut r = StreamResampler::new(from, to).unwrap();
                let input = tone(freq, f64::from(from), 16384.0, frame_len(from) * 10);
                let out = run_all(&mut r, &input);
                let fit = fit_tone(&out, freq, f64::from(to), 16384.0, frame_len(to)).unwrap();
                let gain_db = 20.0 * (fit.amplitude / 16384.0).log10();
                assert!(
                    gain_db.abs() <= 0.1,
                    "{from}->{to} at {freq} Hz: {gain_db:.3} dB"
                );
            }
        }
    }

    #[test]
    fn per_instance_state_stays_small_for_every_direction() {
        // The coefficients are shared; an instance holds its filter memory and frame
        // buffers only (the rubato Fft instances held 18.6 KB each on average).
        for (from, to, limit) in [
            (8000, 16000, 4_000),
            (8000, 24000, 4_500),
            (8000, 48000, 6_000),
            (16000, 8000, 4_500),
            (24000, 8000, 6_500),
            (48000, 8000, 11_500),
        ] {
            let r = StreamResampler::new(from, to).unwrap();
            assert!(r.heap_bytes() <= limit, "{from}->{to}: {}", r.heap_bytes());
            assert!(r.heap_bytes() >= (frame_len(from) + frame_len(to)) * 4);
        }
    }

    #[test]
    fn frame_boundaries_leave_no_discontinuity() {
        // A tone resampled frame by frame equals the same tone resampled through a
        // fresh resampler fed differently sized pieces, and its sample-to-sample steps
        // at frame edges are no larger than inside frames.
        let t = tone(440.0, 8000.0, 12000.0, 1600);
        let mut a = StreamResampler::new(8000, 24000).unwrap();
        let framed = run_all(&mut a, &t);
        let mut b = StreamResampler::new(8000, 24000).unwrap();
        let mut pieces = Vec::new();
        for chunk in t.chunks(37) {
            b.push(chunk, &mut pieces).unwrap();
        }
        assert_eq!(framed, pieces);
        let steps: Vec<i32> = framed
            .windows(2)
            .map(|w| (i32::from(w[1]) - i32::from(w[0])).abs())
            .collect();
        let delay = a.delay_samples();
        let max_inside = steps[delay + 10..]
            .iter()
            .enumerate()
            .filter(|(i, _)| !(i + delay + 11).is_multiple_of(480))
            .map(|(_, s)| *s)
            .max()
            .unwrap();
        for edge in (480..framed.len()).step_by(480) {
            if edge > delay + 10 {
                assert!(
                    steps[edge - 1] <= max_inside,
                    "step {} at frame edge {edge}",
                    steps[edge - 1]
                );
            }
        }
    }

    #[test]
    fn odd_sized_and_empty_input_never_panic() {
        let mut r = StreamResampler::new(24000, 8000).unwrap();
        let mut out = Vec::new();
        assert_eq!(r.push(&[], &mut out).unwrap(), 0);
        assert_eq!(r.push(&[1, 2, 3], &mut out).unwrap(), 0);
        assert_eq!(r.pending_len(), 3);
        assert_eq!(r.push(&vec![7; 477], &mut out).unwrap(), 160);
        assert_eq!(r.push(&vec![7; 7213], &mut out).unwrap(), 15 * 160);
        assert!(r.process_frame(&vec![0; 481], &mut [0; 160]).is_err());
        assert!(r.process_frame(&[0; 10], &mut [0; 10]).is_err());
        assert_eq!(r.process_frame(&[0; 10], &mut [0; 160]).unwrap(), 160);
        let flushed = r.flush(&mut out).unwrap();
        assert!(flushed >= r.delay_samples());
        assert_eq!(r.pending_len(), 0);
        assert!(StreamResampler::new(8000, 44100).is_err());
        assert!(StreamResampler::new(16000, 24000).is_err());
        assert!(StreamResampler::new(8000, 8000).is_err());
    }

    #[test]
    fn flush_emits_the_tail_still_inside_the_filter() {
        let mut r = StreamResampler::new(8000, 24000).unwrap();
        let t = tone(500.0, 8000.0, 10000.0, 250);
        let mut out = Vec::new();
        r.push(&t, &mut out).unwrap();
        r.flush(&mut out).unwrap();
        // All 250 input samples (750 at 24k) are out, after the delay.
        let needed = r.delay_samples() + 750;
        assert!(out.len() >= needed);
        let energy_tail: i64 = out[r.delay_samples() + 600..needed]
            .iter()
            .map(|s| i64::from(*s).abs())
            .sum();
        assert!(energy_tail > 0);
        r.reset();
    }
}
