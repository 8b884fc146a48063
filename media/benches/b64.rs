//! Base64 of media payloads: this crate's `b64` (SIMD, table fallback) against the
//! `base64` crate, at the sizes the call path sees (a 20 ms μ-law frame, a 20 ms PCM16
//! 24 kHz frame, a 100 ms PCM16 24 kHz provider delta).
//!
//! `cargo bench -p servicepro-media --bench b64`

use base64::Engine;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use servicepro_media::b64;

fn base64_sizes(c: &mut Criterion) {
    let mut g = c.benchmark_group("b64");
    for n in [160usize, 960, 4800] {
        let raw: Vec<u8> = (0..n).map(|i| (i * 7 + 3) as u8).collect();
        let text = base64::engine::general_purpose::STANDARD.encode(&raw);
        g.throughput(Throughput::Bytes(n as u64));
        let mut out = Vec::with_capacity(n);
        g.bench_function(format!("decode_{n}/servicepro"), |b| {
            b.iter(|| {
                out.clear();
                b64::decode_append(std::hint::black_box(text.as_bytes()), &mut out)
            })
        });
        g.bench_function(format!("decode_{n}/base64_crate"), |b| {
            b.iter(|| {
                out.clear();
                base64::engine::general_purpose::STANDARD
                    .decode_vec(std::hint::black_box(text.as_bytes()), &mut out)
            })
        });
        let mut s = String::with_capacity(text.len());
        g.bench_function(format!("encode_{n}/servicepro"), |b| {
            b.iter(|| {
                s.clear();
                b64::encode_append(std::hint::black_box(&raw), &mut s);
            })
        });
        g.bench_function(format!("encode_{n}/base64_crate"), |b| {
            b.iter(|| {
                s.clear();
                base64::engine::general_purpose::STANDARD
                    .encode_string(std::hint::black_box(&raw), &mut s);
            })
        });
    }
    g.finish();
}

criterion_group!(benches, base64_sizes);
criterion_main!(benches);
