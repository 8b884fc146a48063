//! Measures rubato 5 resampler configurations for the 8 kHz ↔ 24 kHz call path: SNR of a
//! 1 kHz tone through 8k→24k→8k (PCM16 at every hop), delay (impulse peak), and a
//! frame loop to count instructions under callgrind.
//!
//! `cargo run --release -p servicepro-media --example resampler_candidates` prints the
//! table; `... -- NAME FRAMES` runs FRAMES duplex frames of one candidate, for
//! `valgrind --tool=callgrind` (subtract a run with 0 frames).

use rubato::audioadapter_buffers::direct::InterleavedSlice;
use rubato::{
    Async, Fft, FixedAsync, FixedSync, Resampler, SincInterpolationParameters,
    SincInterpolationType, WindowFunction,
};
use servicepro_media::signal::{fit_tone, peak_index, tone};

type Boxed = Box<dyn Resampler<f32>>;
type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn sinc(ratio: f64, len: usize, oversampling: usize, chunk: usize) -> Res<Boxed> {
    let params = SincInterpolationParameters::new(len, WindowFunction::BlackmanHarris2)
        .oversampling_factor(oversampling)
        .interpolation(SincInterpolationType::Nearest);
    Ok(Box::new(Async::<f32>::new_sinc(
        ratio,
        1.0,
        &params,
        chunk,
        1,
        FixedAsync::Input,
    )?))
}

fn make(name: &str) -> Res<(Boxed, Boxed)> {
    Ok(match name {
        "fft160" => (
            Box::new(Fft::<f32>::new(8000, 24000, 160, 1, FixedSync::Both)?),
            Box::new(Fft::<f32>::new(24000, 8000, 480, 1, FixedSync::Both)?),
        ),
        "fft80" | "fft40" | "fft32" | "fft20" => {
            let sub = 160 / name[3..].parse::<usize>()?;
            let w = WindowFunction::BlackmanHarris2;
            (
                Box::new(Fft::<f32>::new_custom(
                    8000,
                    24000,
                    160,
                    sub,
                    1,
                    w,
                    FixedSync::Input,
                )?),
                Box::new(Fft::<f32>::new_custom(
                    24000,
                    8000,
                    480,
                    sub,
                    1,
                    w,
                    FixedSync::Input,
                )?),
            )
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
fn run(r: &mut Boxed, input: &[i16], frame: usize, out: &mut Vec<i16>) -> Res<()> {
    let mut fin = vec![0f32; frame];
    let mut fout = vec![0f32; r.output_frames_max()];
    for chunk in input.chunks(frame) {
        for (d, s) in fin
            .iter_mut()
            .zip(chunk.iter().chain(std::iter::repeat(&0)))
        {
            *d = f32::from(*s) / 32768.0;
        }
        let ai = InterleavedSlice::new(&fin[..], 1, frame)?;
        let olen = fout.len();
        let mut ao = InterleavedSlice::new_mut(&mut fout[..], 1, olen)?;
        let (_, n) = r.process_into_buffer(&ai, &mut ao, None)?;
        out.extend(
            fout[..n]
                .iter()
                .map(|v| (v * 32768.0).round().clamp(-32768.0, 32767.0) as i16),
        );
    }
    Ok(())
}

fn measure(name: &str) -> Res<()> {
    let (mut up, mut down) = make(name)?;
    let secs = 2;
    let t = tone(1000.0, 8000.0, 16384.0, 8000 * secs);
    let mut mid = Vec::new();
    run(&mut up, &t, 160, &mut mid)?;
    let mut back = Vec::new();
    run(&mut down, &mid, 480, &mut back)?;
    let fit = fit_tone(&back, 1000.0, 8000.0, 16384.0, 800).ok_or("no fit")?;
    // Delay from an impulse, each direction.
    let (mut up, mut down) = make(name)?;
    let mut imp = vec![0i16; 1600];
    imp[400] = 16000;
    let mut o = Vec::new();
    run(&mut up, &imp, 160, &mut o)?;
    let d_up = peak_index(&o).ok_or("empty")? as f64 - 1200.0;
    let mut imp24 = vec![0i16; 4800];
    imp24[1200] = 16000;
    let mut o = Vec::new();
    run(&mut down, &imp24, 480, &mut o)?;
    let d_down = peak_index(&o).ok_or("empty")? as f64 - 400.0;
    println!(
        "{name:10} snr {:6.1} dB sinad {:6.1} dB  delay up {:4} smp@24k ({:.2} ms) reported {:4}  down {:4} smp@8k ({:.2} ms) reported {:4}",
        fit.snr_db,
        fit.sinad_db,
        d_up,
        d_up / 24.0,
        up.output_delay(),
        d_down,
        d_down / 8.0,
        down.output_delay()
    );
    Ok(())
}

fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() >= 3 {
        let (mut up, mut down) = make(&args[1])?;
        let frames: usize = args[2].parse()?;
        let t = tone(1000.0, 8000.0, 16384.0, 160);
        let mut fin = vec![0f32; 160];
        let mut f24 = vec![0f32; up.output_frames_max().max(480)];
        let mut f8 = vec![0f32; down.output_frames_max().max(160)];
        for _ in 0..frames {
            for (d, s) in fin.iter_mut().zip(&t) {
                *d = f32::from(*s);
            }
            let ai = InterleavedSlice::new(&fin[..], 1, 160)?;
            let l = f24.len();
            let mut ao = InterleavedSlice::new_mut(&mut f24[..], 1, l)?;
            up.process_into_buffer(&ai, &mut ao, None)?;
            let ai = InterleavedSlice::new(&f24[..480], 1, 480)?;
            let l = f8.len();
            let mut ao = InterleavedSlice::new_mut(&mut f8[..], 1, l)?;
            down.process_into_buffer(&ai, &mut ao, None)?;
        }
        std::hint::black_box(&f8);
        return Ok(());
    }
    for name in [
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
    Ok(())
}
