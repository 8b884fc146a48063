//! Cache footprint of the per-call resamplers: one duplex 20 ms frame (8k→24k, 160 → 480
//! samples, and 24k→8k, 480 → 160) per iteration, round-robin over `calls` live calls
//! (two instances each), for rubato's `Fft` (the previous `StreamResampler`) and the
//! polyphase FIR (the current one). With 1 call everything stays in L1; with 200 calls
//! (400 instances) each frame finds its instance evicted by the 199 others, as in the
//! server. See BENCHMARKS.md "## Media".

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use servicepro_media::resample::StreamResampler;
use servicepro_media::signal::tone_f32;

#[path = "common/rubato_fft.rs"]
mod rubato_fft;
use rubato_fft::RubatoFft;

/// Call counts compared: one hot call, and the 200 calls of the server measurement.
const CALLS: [usize; 2] = [1, 200];

fn round_robin(c: &mut Criterion) {
    let up_in = tone_f32(440.0, 8000.0, 8000.0, 160);
    let down_in = tone_f32(440.0, 24000.0, 8000.0, 480);
    let mut up_out = vec![0f32; 480];
    let mut down_out = vec![0f32; 160];
    let mut g = c.benchmark_group("resample_duplex_frame");
    g.throughput(Throughput::Elements(1));
    for calls in CALLS {
        let Ok(mut fir) = (0..calls)
            .map(|_| {
                Ok((
                    StreamResampler::new(8000, 24000)?,
                    StreamResampler::new(24000, 8000)?,
                ))
            })
            .collect::<servicepro_media::Result<Vec<_>>>()
        else {
            return;
        };
        let mut i = 0;
        g.bench_function(BenchmarkId::new("polyphase_fir", calls), |b| {
            b.iter(|| {
                let (up, down) = &mut fir[i % calls];
                i += 1;
                let _ = up.process_frame_f32(black_box(&up_in), &mut up_out);
                let _ = down.process_frame_f32(black_box(&down_in), &mut down_out);
                black_box(down_out[0] + up_out[0])
            })
        });
        drop(fir);

        let Ok(mut fft) = (0..calls)
            .map(|_| Ok((RubatoFft::new(8000, 24000)?, RubatoFft::new(24000, 8000)?)))
            .collect::<Result<Vec<_>, rubato::ResamplerConstructionError>>()
        else {
            return;
        };
        let mut i = 0;
        g.bench_function(BenchmarkId::new("rubato_fft", calls), |b| {
            b.iter(|| {
                let (up, down) = &mut fft[i % calls];
                i += 1;
                let _ = up.process_frame_f32(black_box(&up_in), &mut up_out);
                let _ = down.process_frame_f32(black_box(&down_in), &mut down_out);
                black_box(down_out[0] + up_out[0])
            })
        });
    }
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(30)
}

criterion_group! {
    name = benches;
    config = config();
    targets = round_robin
}
criterion_main!(benches);
