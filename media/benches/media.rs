//! Criterion benches for the per-call media path. Each figure converts to "concurrent
//! calls one core sustains in real time": 20 ms divided by the time per 20 ms frame, or
//! 1 s divided by the time per call-second. See BENCHMARKS.md for results.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use servicepro_media::b64;
use servicepro_media::ogg_opus::OpusRecorder;
use servicepro_media::opus::{OpusEncoder, DEFAULT_BITRATE, STEREO_BITRATE};
use servicepro_media::resample::StreamResampler;
use servicepro_media::transcode::{InboundTranscoder, OutboundTranscoder};
use servicepro_media::wav::read_wav;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../fixtures/audio/speech10s.wav"
);

struct Audio {
    ulaw: Vec<u8>,
    pcm16k: Vec<i16>,
    pcm24k_le: Vec<u8>,
    /// 8 kHz stereo, both channels talking (the speech and its second half first):
    /// the worst case of a two-party call recording.
    pcm8k_stereo: Vec<i16>,
}

fn audio() -> Audio {
    let bytes = std::fs::read(FIXTURE).unwrap_or_default();
    let wav = read_wav(&bytes).ok();
    let ulaw = wav
        .as_ref()
        .map(|w| w.data.clone())
        .unwrap_or_else(|| vec![0xFF; 80000]);
    let pcm8 = wav.map(|w| w.to_pcm16()).unwrap_or_else(|| vec![0; 80000]);
    let mut pcm16k = Vec::new();
    let mut pcm24k = Vec::new();
    if let Ok(mut up) = StreamResampler::new(8000, 16000) {
        let _ = up.push(&pcm8, &mut pcm16k);
    }
    if let Ok(mut up) = StreamResampler::new(8000, 24000) {
        let _ = up.push(&pcm8, &mut pcm24k);
    }
    let pcm24k_le = pcm24k.iter().flat_map(|s| s.to_le_bytes()).collect();
    let half = pcm8.len() / 2;
    let pcm8k_stereo = pcm8
        .iter()
        .enumerate()
        .flat_map(|(i, &l)| [l, pcm8[(i + half) % pcm8.len()]])
        .collect();
    Audio {
        ulaw,
        pcm16k,
        pcm24k_le,
        pcm8k_stereo,
    }
}

fn per_frame(c: &mut Criterion) {
    let a = audio();
    let frames = a.ulaw.len() / 160;
    let mut g = c.benchmark_group("frame_20ms");
    g.throughput(Throughput::Elements(1));

    let Ok(mut inbound) = InboundTranscoder::to_24k() else {
        return;
    };
    let mut out = Vec::with_capacity(4096);
    let mut i = 0;
    g.bench_function("ulaw8k_decode_resample_to_pcm24k", |b| {
        b.iter(|| {
            out.clear();
            let f = &a.ulaw[(i % frames) * 160..][..160];
            i += 1;
            let _ = inbound.push_ulaw(black_box(f), &mut out);
            black_box(out.len())
        })
    });

    let Ok(mut outbound) = OutboundTranscoder::from_24k() else {
        return;
    };
    let mut i = 0;
    g.bench_function("pcm24k_resample_encode_to_ulaw8k", |b| {
        b.iter(|| {
            let f = &a.pcm24k_le[(i % frames) * 960..][..960];
            i += 1;
            let mut n = 0;
            let _ = outbound.push_pcm_le(black_box(f), |frame| n += frame[0] as usize);
            black_box(n)
        })
    });
    g.finish();
}

fn per_call_second(c: &mut Criterion) {
    let a = audio();
    let frames = a.ulaw.len() / 160;
    let twilio: Vec<String> = a
        .ulaw
        .chunks_exact(160)
        .map(|f| {
            let mut s = String::new();
            b64::encode_append(f, &mut s);
            s
        })
        .collect();
    let provider: Vec<String> = a
        .pcm24k_le
        .chunks_exact(960)
        .map(|f| {
            let mut s = String::new();
            b64::encode_append(f, &mut s);
            s
        })
        .collect();
    let mut g = c.benchmark_group("call_second");
    g.throughput(Throughput::Elements(1));

    let (Ok(mut inbound), Ok(mut outbound)) =
        (InboundTranscoder::to_24k(), OutboundTranscoder::from_24k())
    else {
        return;
    };
    let mut text = String::with_capacity(2048);
    let mut i = 0;
    g.bench_function("duplex_base64_ulaw8k_pcm24k", |b| {
        b.iter(|| {
            let mut n = 0;
            for _ in 0..50 {
                let j = i % frames.min(provider.len());
                i += 1;
                text.clear();
                n += inbound.push_base64(&twilio[j], &mut text).unwrap_or(0);
                let _ = outbound.push_base64(&provider[j], |f| n += f.len());
            }
            black_box(n)
        })
    });

    let Ok(mut enc) = OpusEncoder::new(16000, DEFAULT_BITRATE) else {
        return;
    };
    let mut i = 0;
    let opus_frames = a.pcm16k.len() / 320;
    g.bench_function("opus_encode_16k_6kbps", |b| {
        b.iter(|| {
            let mut n = 0;
            for _ in 0..50 {
                let f = &a.pcm16k[(i % opus_frames) * 320..][..320];
                i += 1;
                n += enc.encode(black_box(f)).map(|p| p.len()).unwrap_or(0);
            }
            black_box(n)
        })
    });

    g.bench_function("ogg_opus_record_16k_6kbps", |b| {
        b.iter(|| {
            let Ok(mut rec) =
                OpusRecorder::new(Vec::with_capacity(4096), 16000, DEFAULT_BITRATE, 1)
            else {
                return 0;
            };
            let _ = rec.push(black_box(&a.pcm16k[..16000]));
            rec.finish().map(|v| v.len()).unwrap_or(0)
        })
    });

    // A call recording's steady state: one second of both parties (caller left, AI
    // right) per iteration into a recorder that stays open, as the call encoder does,
    // at libopus's default complexity and at a few lower ones.
    let seconds = (a.pcm8k_stereo.len() / 16000).max(1);
    for complexity in [None, Some(8), Some(5), Some(3)] {
        let Ok(mut stereo) = OpusRecorder::with_channels(
            std::io::sink(),
            2,
            8000,
            STEREO_BITRATE,
            1,
            &["ENCODER=servicepro-media"],
        ) else {
            return;
        };
        let name = match complexity {
            Some(c) => {
                if stereo.set_complexity(c).is_err() {
                    return;
                }
                format!("ogg_opus_record_stereo_8k_16kbps_complexity{c}")
            }
            None => "ogg_opus_record_stereo_8k_16kbps".to_owned(),
        };
        let mut i = 0;
        g.bench_function(name, |b| {
            b.iter(|| {
                let s = &a.pcm8k_stereo[(i % seconds) * 16000..][..16000];
                i += 1;
                black_box(stereo.push(black_box(s)).is_ok())
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
    targets = per_frame, per_call_second
}
criterion_main!(benches);
