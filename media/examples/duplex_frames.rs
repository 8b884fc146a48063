//! Runs N duplex 20 ms frames of the call path on the speech fixture, for counting
//! instructions under callgrind and timing calls per core:
//!
//! ```text
//! cargo build --release -p servicepro-media --example duplex_frames
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null target/release/examples/duplex_frames 0
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null target/release/examples/duplex_frames 2000
//! target/release/examples/duplex_frames --measure
//! ```
//!
//! `--measure` prints JSON: calls one core sustains (best of 5 timed runs of 50,000
//! frames), the 1 kHz tone SNR through 8k→24k→8k (PCM16 at every hop, delay aligned),
//! and the resamplers' algorithmic delay.
//!
//! Per frame, exactly what the engine does: a Twilio payload (base64 μ-law, 160 bytes)
//! through [`InboundTranscoder::push_base64`] to base64 PCM16 24 kHz, and a provider
//! delta (base64 PCM16 24 kHz, 960 bytes) through [`OutboundTranscoder::push_base64`]
//! to base64 μ-law. The base64 inputs are prepared before the loop.

use std::time::Instant;

use servicepro_media::b64;
use servicepro_media::resample::StreamResampler;
use servicepro_media::signal::{fit_tone, tone};
use servicepro_media::transcode::{InboundTranscoder, OutboundTranscoder};
use servicepro_media::wav::read_wav;

type Res<T> = Result<T, Box<dyn std::error::Error>>;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../fixtures/audio/speech10s.wav"
);

/// Base64 Twilio payloads and provider deltas for every 20 ms of the fixture.
fn prepare() -> Res<(Vec<String>, Vec<String>)> {
    let wav = read_wav(&std::fs::read(FIXTURE)?)?;
    let mut up = StreamResampler::new(8000, 24000)?;
    let mut pcm24 = Vec::new();
    up.push(&wav.to_pcm16(), &mut pcm24)?;
    let mut twilio = Vec::new();
    let mut provider = Vec::new();
    for (ulaw, pcm) in wav.data.chunks_exact(160).zip(pcm24.chunks_exact(480)) {
        let mut t = String::new();
        b64::encode_append(ulaw, &mut t);
        twilio.push(t);
        let bytes: Vec<u8> = pcm.iter().flat_map(|s| s.to_le_bytes()).collect();
        let mut p = String::new();
        b64::encode_append(&bytes, &mut p);
        provider.push(p);
    }
    Ok((twilio, provider))
}

fn run(frames: usize, twilio: &[String], provider: &[String]) -> Res<usize> {
    let mut inbound = InboundTranscoder::to_24k()?;
    let mut outbound = OutboundTranscoder::from_24k()?;
    let mut to_provider = String::with_capacity(2048);
    let mut sink = 0usize;
    for i in 0..frames {
        let j = i % twilio.len();
        to_provider.clear();
        sink += inbound.push_base64(&twilio[j], &mut to_provider)?;
        outbound.push_base64(&provider[j], |frame| sink += frame.len())?;
    }
    Ok(std::hint::black_box(sink))
}

/// The tone test, same as python_path.py's: 2 s of 1 kHz at -6 dBFS, 20 ms frames.
fn tone_test() -> Res<(f64, f64, f64, f64)> {
    let mut up = StreamResampler::new(8000, 24000)?;
    let mut down = StreamResampler::new(24000, 8000)?;
    let t = tone(1000.0, 8000.0, 16384.0, 16000);
    let mut mid = Vec::new();
    up.push(&t, &mut mid)?;
    let mut back = Vec::new();
    down.push(&mid, &mut back)?;
    let fit = fit_tone(&back, 1000.0, 8000.0, 16384.0, 800).ok_or("tone fit failed")?;
    Ok((fit.snr_db, fit.sinad_db, up.delay_ms(), down.delay_ms()))
}

fn main() -> Res<()> {
    let arg = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "--measure".into());
    let (twilio, provider) = prepare()?;
    if arg == "--measure" {
        run(200, &twilio, &provider)?;
        let n = 50_000;
        let mut best = f64::INFINITY;
        for _ in 0..5 {
            let start = Instant::now();
            run(n, &twilio, &provider)?;
            best = best.min(start.elapsed().as_secs_f64());
        }
        let per_frame = best / n as f64;
        let (snr, sinad, up_ms, down_ms) = tone_test()?;
        println!(
            "{{\"impl\": \"servicepro-media (polyphase FIR)\", \"us_per_duplex_frame\": {:.3}, \"calls_per_core\": {:.0}, \"tone_snr_db\": {snr:.2}, \"tone_sinad_db\": {sinad:.2}, \"delay_up_ms\": {up_ms:.2}, \"delay_down_ms\": {down_ms:.2}, \"lag_up_max_ms\": {up_ms:.2}, \"lag_down_max_ms\": {down_ms:.2}}}",
            per_frame * 1e6,
            0.020 / per_frame
        );
    } else {
        run(arg.parse()?, &twilio, &provider)?;
    }
    Ok(())
}
