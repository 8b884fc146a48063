//! The resampler `StreamResampler` wrapped before issue 16's polyphase FIR: rubato 5's
//! `Fft` with 80-sample blocks at 8 kHz and a BlackmanHarris2 window, plus the frame
//! buffers the wrapper owned. Kept for the side-by-side benches and the comparison
//! example (`examples/resampler_candidates.rs`), not used by the library.

// The example only constructs it (to count bytes); the bench only runs it.
#![allow(dead_code)]

use rubato::audioadapter_buffers::direct::InterleavedSlice;
use rubato::{Fft, FixedSync, Resampler, WindowFunction};

/// One direction of one call through rubato's `Fft`, 20 ms frames of `f32`.
pub struct RubatoFft {
    inner: Fft<f32>,
    frame_in: usize,
    frame_out: usize,
    buf_in: Vec<f32>,
    buf_out: Vec<f32>,
}

impl RubatoFft {
    /// `in_rate` → `out_rate`, one of them 8 kHz, exactly as the old `StreamResampler::new`.
    pub fn new(in_rate: u32, out_rate: u32) -> Result<Self, rubato::ResamplerConstructionError> {
        let frame_in = in_rate as usize / 50;
        let frame_out = out_rate as usize / 50;
        let inner = Fft::<f32>::new_custom(
            in_rate as usize,
            out_rate as usize,
            frame_in,
            2,
            1,
            WindowFunction::BlackmanHarris2,
            FixedSync::Input,
        )?;
        Ok(Self {
            inner,
            frame_in,
            frame_out,
            buf_in: vec![0.0; frame_in],
            buf_out: vec![0.0; frame_out],
        })
    }

    /// Resamples one 20 ms frame (`input` exactly one frame) into `output`.
    pub fn process_frame_f32(&mut self, input: &[f32], output: &mut [f32]) -> Option<usize> {
        self.buf_in.copy_from_slice(input.get(..self.frame_in)?);
        let ai = InterleavedSlice::new(&self.buf_in[..], 1, self.frame_in).ok()?;
        let mut ao = InterleavedSlice::new_mut(&mut self.buf_out[..], 1, self.frame_out).ok()?;
        self.inner.process_into_buffer(&ai, &mut ao, None).ok()?;
        output
            .get_mut(..self.frame_out)?
            .copy_from_slice(&self.buf_out);
        Some(self.frame_out)
    }
}
