//! Measures resamplers for the 8 kHz ↔ 24 kHz call path side by side: rubato 5
//! configurations (the `Fft` one is what `StreamResampler` used before issue 16) and the
//! polyphase FIR `StreamResampler` uses now. Per candidate: SNR of a 1 kHz tone through
//! 8k→24k→8k (PCM16 at every hop), delay (impulse peak), alias rejection of 24k→8k
//! (5, 7 and 11 kHz against 1 kHz, unquantised), and heap bytes per instance (a counting
//! global allocator: live bytes after constructing one up and one down instance; the
//! FIR's shared coefficient table is allocated once before and reported separately).
//!
//! `cargo run --release -p servicepro-media --example resampler_candidates` prints the
//! table; `... -- NAME FRAMES` runs FRAMES duplex frames of one candidate, for
//! `valgrind --tool=callgrind` (subtract a run with 0 frames).

use std::alloc::System;

use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};

use rubato::audioadapter_buffers::direct::InterleavedSlice;
use rubato::{
    Async, Fft, FixedAsync, FixedSync, Resampler, SincInterpolationParameters,
    SincInterpolationType, WindowFunction,
};
use servicepro_media::polyphase;
use servicepro_media::resample::StreamResampler;
use servicepro_media::signal::{fit_tone, peak_index, rms_db, tone, tone_f32};

#[path = "../benches/common/rubato_fft.rs"]
mod rubato_fft;

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

/// One direction of one candidate: a frame of `f32` at PCM16 scale in, a frame out.
trait Frames {
    fn frame(&mut self, input: &[f32], out: &mut Vec<f32>) -> Res<()>;
    fn reported_delay(&self) -> usize;
}

struct Rubato(Box<dyn Resampler<f32>>);

impl Frames for Rubato {
    fn frame(&mut self, input: &[f32], out: &mut Vec<f32>) -> Res<()> {
        out.resize(self.0.output_frames_max(), 0.0);
        let ai = InterleavedSlice::new(input, 1, input.len())?;
        let olen = out.len();
        let mut ao = InterleavedSlice::new_mut(&mut out[..], 1, olen)?;
        let (_, n) = self.0.process_into_buffer(&ai, &mut ao, None)?;
        out.truncate(n);
        Ok(())
    }
    fn reported_delay(&self) -> usize {
        self.0.output_delay()
    }
}

impl Frames for StreamResampler {
    fn frame(&mut self, input: &[f32], out: &mut Vec<f32>) -> Res<()> {
        out.resize(self.output_frame_len(), 0.0);
        self.process_frame_f32(input, out)?;
        Ok(())
    }
    fn reported_delay(&self) -> usize {
        self.delay_samples()
    }
}

type Pair = (Box<dyn Frames>, Box<dyn Frames>);

fn sinc(ratio: f64, len: usize, oversampling: usize, chunk: usize) -> Res<Box<dyn Frames>> {
    let params = SincInterpolationParameters::new(len, WindowFunction::BlackmanHarris2)
        .oversampling_factor(oversampling)
        .interpolation(SincInterpolationType::Nearest);
    Ok(Box::new(Rubato(Box::new(Async::<f32>::new_sinc(
        ratio,
        1.0,
        &params,
        chunk,
        1,
        FixedAsync::Input,
    )?))))
}

fn fft(from: usize, to: usize, chunk: usize, sub: usize) -> Res<Box<dyn Frames>> {
    let w = WindowFunction::BlackmanHarris2;
    Ok(Box::new(Rubato(Box::new(Fft::<f32>::new_custom(
        from,
        to,
        chunk,
        sub,
        1,
        w,
        FixedSync::Input,
    )?))))
}

fn make(name: &str) -> Res<Pair> {
    Ok(match name {
        "fir" => (
            Box::new(StreamResampler::new(8000, 24000)?),
            Box::new(StreamResampler::new(24000, 8000)?),
        ),
        "fft160" => (
            Box::new(Rubato(Box::new(Fft::<f32>::new(
                8000,
                24000,
                160,
                1,
                FixedSync::Both,
            )?))),
            Box::new(Rubato(Box::new(Fft::<f32>::new(
                24000,
                8000,
                480,
                1,
                FixedSync::Both,
            )?))),
        ),
        "fft80" | "fft40" | "fft32" | "fft20" => {
            let sub = 160 / name[3..].parse::<usize>()?;
            (fft(8000, 24000, 160, sub)?, fft(24000, 8000, 480, sub)?)
        }
        _ => {
            // sincUP_DOWN, e.g. sinc32_96: sinc_len at the input rate of each direction.
            let rest = name.get(4..).ok_or("bad candidate name")?;
            let (up, down) = rest.split_once('_').ok_or("bad candidate name")?;
            (
                sinc(3.0, up.parse()?, 3, 160)?,
                sinc(1.0 / 3.0, down.parse()?, 1, 480)?,
            )
        }
    })
}

/// Runs frames of i16 through a resampler, quantising to i16 at the output.
fn run(r: &mut dyn Frames, input: &[i16], frame: usize) -> Res<Vec<i16>> {
    let mut fin = vec![0f32; frame];
    let mut fout = Vec::new();
    let mut out = Vec::new();
    for chunk in input.chunks(frame) {
        for (d, s) in fin
            .iter_mut()
            .zip(chunk.iter().chain(std::iter::repeat(&0)))
        {
            *d = f32::from(*s);
        }
        r.frame(&fin, &mut fout)?;
        out.extend(
            fout.iter()
                .map(|v| v.round().clamp(-32768.0, 32767.0) as i16),
        );
    }
    Ok(out)
}

/// Level in dB of a `freq` tone at 24 kHz after the down direction, steady state.
fn level_down(down: &mut dyn Frames, freq: f64) -> Res<f64> {
    let input = tone_f32(freq, 24000.0, 16384.0, 480 * 20);
    let mut out = Vec::new();
    let mut steady = Vec::new();
    for (i, frame) in input.chunks_exact(480).enumerate() {
        down.frame(frame, &mut out)?;
        if i >= 2 {
            steady.extend_from_slice(&out);
        }
    }
    Ok(rms_db(&steady))
}

fn measure(name: &str) -> Res<()> {
    // Heap bytes of one up + one down instance (FIR tables already built by a first one).
    drop(make(name)?);
    let region = Region::new(GLOBAL);
    let pair = make(name)?;
    let change = region.change();
    let bytes = change.bytes_allocated as isize - change.bytes_deallocated as isize
        + change.bytes_reallocated;
    drop(pair);

    let (mut up, mut down) = make(name)?;
    let t = tone(1000.0, 8000.0, 16384.0, 16000);
    let mid = run(up.as_mut(), &t, 160)?;
    let back = run(down.as_mut(), &mid, 480)?;
    let fit = fit_tone(&back, 1000.0, 8000.0, 16384.0, 800).ok_or("no fit")?;
    // Delay from an impulse, each direction.
    let (mut up, mut down) = make(name)?;
    let mut imp = vec![0i16; 1600];
    imp[400] = 16000;
    let o = run(up.as_mut(), &imp, 160)?;
    let d_up = peak_index(&o).ok_or("empty")? as f64 - 1200.0;
    let mut imp24 = vec![0i16; 4800];
    imp24[1200] = 16000;
    let o = run(down.as_mut(), &imp24, 480)?;
    let d_down = peak_index(&o).ok_or("empty")? as f64 - 400.0;
    // Alias rejection 24k→8k: the worst of 5, 7 and 11 kHz against 1 kHz.
    let (_, mut down) = make(name)?;
    let reference = level_down(down.as_mut(), 1000.0)?;
    let mut rejections = Vec::new();
    for f in [5000.0, 7000.0, 11000.0] {
        let (_, mut down) = make(name)?;
        rejections.push(reference - level_down(down.as_mut(), f)?);
    }
    println!(
        "{name:10} snr {:6.1} dB sinad {:6.1} dB  delay up {:4} smp@24k ({:.2} ms) reported {:4}  down {:4} smp@8k ({:.2} ms) reported {:4}  alias 5k/7k/11k {:5.1}/{:5.1}/{:5.1} dB  heap up+down {:6} B",
        fit.snr_db,
        fit.sinad_db,
        d_up,
        d_up / 24.0,
        up.reported_delay(),
        d_down,
        d_down / 8.0,
        down.reported_delay(),
        rejections[0],
        rejections[1],
        rejections[2],
        bytes,
    );
    Ok(())
}

fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() >= 3 {
        let (mut up, mut down) = make(&args[1])?;
        let frames: usize = args[2].parse()?;
        let t = tone(1000.0, 8000.0, 16384.0, 160);
        let fin: Vec<f32> = t.iter().map(|s| f32::from(*s)).collect();
        let mut f24 = Vec::with_capacity(1024);
        let mut f8 = Vec::with_capacity(1024);
        for _ in 0..frames {
            up.frame(&fin, &mut f24)?;
            down.frame(&f24, &mut f8)?;
        }
        std::hint::black_box(&f8);
        return Ok(());
    }
    for name in [
        "fir",
        "fft160",
        "fft80",
        "fft40",
        "fft32",
        "fft20",
        "sinc32_96",
        "sinc48_144",
        "sinc64_192",
        "sinc32_64",
        "sinc64_128",
        "sinc24_72",
    ] {
        measure(name)?;
    }
    // Per call (one up and one down instance, no boxing), as the transcoders hold them.
    drop(StreamResampler::new(8000, 24000)?);
    let region = Region::new(GLOBAL);
    let pair = (
        StreamResampler::new(8000, 24000)?,
        StreamResampler::new(24000, 8000)?,
    );
    let fir = region.change();
    drop(pair);
    let region = Region::new(GLOBAL);
    // The old wrapper also held a `pending` Vec<i16> of one input frame per direction.
    let pair = (
        rubato_fft::RubatoFft::new(8000, 24000)?,
        rubato_fft::RubatoFft::new(24000, 8000)?,
        Vec::<i16>::with_capacity(160),
        Vec::<i16>::with_capacity(480),
    );
    let old = region.change();
    drop(pair);
    let bytes = |c: stats_alloc::Stats| {
        c.bytes_allocated as isize - c.bytes_deallocated as isize + c.bytes_reallocated
    };
    println!(
        "per call 8k<->24k (up + down StreamResampler): polyphase FIR {} B in {} allocations, rubato Fft wrapper {} B in {} allocations",
        bytes(fir),
        fir.allocations,
        bytes(old),
        old.allocations
    );
    let shared: usize = [2, 3, 6]
        .into_iter()
        .filter_map(polyphase::design)
        .map(|d| d.bytes())
        .sum();
    println!("fir shared coefficient tables (2x, 3x, 6x, once per process): {shared} B");
    Ok(())
}
