//! `servicepro loadtest`: N simulated Twilio calls at real-time pace (one
//! 160-byte μ-law frame per 20 ms per call, marks echoed) through the real
//! media-stream websocket of a separate server process, against a
//! loopback Realtime provider that talks for the whole call and hears the caller
//! barge in every five seconds. It reports the calls sustained, frames received
//! and dropped, the added latency per direction and the barge-in reaction (timed
//! by [`clocks`]), and the **server process's own** CPU-seconds per call-second
//! and memory per call (from `/proc/<pid>`), apart from the generator's.

mod caller;
mod clocks;
mod proc_stat;

use anyhow::Context;
use clocks::Clocks;
use servicepro_actors::realtime::fake_server::{
    FakeProbe, FakeRealtimeServer, FakeResponse, FakeScript, Pacing, SpeechTrigger,
};
use servicepro_schema::VoiceAudio;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Caller audio between barge-ins: the loopback provider hears the caller start
/// talking after this much audio, for [`UTTERANCE_MS`], then answers again.
const BARGE_IN_EVERY_MS: u32 = 5_000;
/// Length of each scripted caller utterance.
const UTTERANCE_MS: u32 = 600;
/// Time between the starts of two calls.
const CALL_SPACING: Duration = Duration::from_millis(2);

pub(crate) const TOKEN: &str = "loadtest-auth-token";
const ROOT: &str = "loadtest-root-token-0123456789";

/// Load-test settings.
#[derive(Debug, Clone)]
pub struct LoadTest {
    /// Concurrent calls.
    pub calls: usize,
    /// Seconds each call lasts.
    pub seconds: u64,
    /// Transcode to PCM16 24 kHz instead of μ-law pass-through.
    pub transcode: bool,
    /// The PostgreSQL server (a scratch database is created on it).
    pub database_url: String,
    /// The port the server under test listens on.
    pub port: u16,
}

#[derive(Default)]
pub(crate) struct Totals {
    pub(crate) frames_sent: AtomicU64,
    pub(crate) frames_received: AtomicU64,
    pub(crate) marks_echoed: AtomicU64,
    pub(crate) clears: AtomicU64,
    pub(crate) calls_ok: AtomicU64,
    pub(crate) calls_failed: AtomicU64,
}

/// Runs the load test and prints the report.
pub async fn run(cfg: LoadTest) -> anyhow::Result<()> {
    servicepro_actors::tls::install_crypto_provider();
    let clocks = Arc::new(Clocks::new(
        cfg.calls,
        usize::try_from(cfg.seconds * 50).unwrap_or(0),
    ));
    let script = FakeScript {
        greet_on_connect: false,
        response: FakeResponse {
            chunk_ms: 100,
            chunks: u32::try_from(cfg.seconds * 10 + 20).unwrap_or(u32::MAX),
            pacing: Pacing::RealTime,
            ..FakeResponse::default()
        },
        speech: SpeechTrigger::AfterAudio {
            after_ms: BARGE_IN_EVERY_MS,
            duration_ms: UTTERANCE_MS,
        },
        interrupt_on_speech: true,
        respond_after_speech: true,
        record_audio: false,
        probe: Some(FakeProbe(clocks.clone())),
        ..FakeScript::default()
    };
    let (_, provider) = FakeRealtimeServer::start(script).await?;
    let db_name = format!("servicepro_loadtest_{}", std::process::id());
    let db_url = servicepro_schema::database_admin::with_database(&cfg.database_url, &db_name)?;
    let port = cfg.port;
    let mut server = std::process::Command::new(std::env::current_exe()?)
        .arg("serve")
        .env("DATABASE_URL", &db_url)
        .env("SERVICEPRO_BIND", format!("127.0.0.1:{port}"))
        .env("SERVICEPRO_PUBLIC_URL", format!("http://127.0.0.1:{port}"))
        .env("TWILIO_AUTH_TOKEN", TOKEN)
        .env("SERVICEPRO_ROOT_TOKEN", ROOT)
        .env("OPENAI_API_KEY", "sk-loadtest")
        .env("OPENAI_REALTIME_URL", provider.url().as_str())
        .env(
            "SERVICEPRO_VOICE_AUDIO",
            if cfg.transcode {
                VoiceAudio::Pcm16
            } else {
                VoiceAudio::Pcmu
            }
            .as_str(),
        )
        .env("RUST_LOG", "error")
        .spawn()
        .context("starting the server under test")?;
    let pid = server.id();
    let result = drive(&cfg, pid, &provider, &clocks).await;
    let _ = server.kill();
    let _ = server.wait();
    servicepro_schema::database_admin::drop_database(&cfg.database_url, &db_name).await?;
    result
}

async fn drive(
    cfg: &LoadTest,
    pid: u32,
    provider: &servicepro_actors::realtime::fake_server::FakeServerHandle,
    clocks: &Arc<Clocks>,
) -> anyhow::Result<()> {
    let base = format!("http://127.0.0.1:{}", cfg.port);
    let http = reqwest::Client::new();
    let mut ready = false;
    for _ in 0..100 {
        if http
            .get(format!("{base}/readyz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            ready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    anyhow::ensure!(ready, "the server did not become ready");
    let created = http
        .post(format!("{base}/api/admin/tenants"))
        .bearer_auth(ROOT)
        .json(&serde_json::json!({"id": "load", "name": "Load Detailing", "industry": "mobile-detailing", "plan_tier": "elite",
            "status": "active", "phone_number": "+19185550100", "ivr_mode": "ai-voice", "forward_to": "+19185550199"}))
        .send()
        .await?;
    anyhow::ensure!(
        created.status().is_success(),
        "creating the tenant: {}",
        created.status()
    );
    let rss_before = proc_stat::rss_kib(pid)?;
    let totals = Arc::new(Totals::default());
    let started = Instant::now();
    let mut calls = Vec::with_capacity(cfg.calls);
    for i in 0..cfg.calls {
        let totals = totals.clone();
        let clocks = clocks.clone();
        let (port, seconds) = (cfg.port, cfg.seconds);
        calls.push(tokio::spawn(async move {
            match caller::one_call(i, port, seconds, totals.clone(), clocks).await {
                Ok(()) => totals.calls_ok.fetch_add(1, Ordering::Relaxed),
                Err(e) => {
                    eprintln!("call {i}: {e}");
                    totals.calls_failed.fetch_add(1, Ordering::Relaxed)
                }
            };
        }));
        // Calls start 2 ms apart (500 a second), so their frames, marks and barge-ins
        // are spread over the 20 ms frame period as real calls' are, not in lockstep.
        tokio::time::sleep(CALL_SPACING).await;
    }
    tokio::time::sleep(Duration::from_secs(cfg.seconds.min(5))).await;
    let cpu0 = proc_stat::cpu_ticks(pid)?;
    let window = Instant::now();
    let measure = Duration::from_secs(cfg.seconds.saturating_sub(8).max(2));
    tokio::time::sleep(measure).await;
    let cpu1 = proc_stat::cpu_ticks(pid)?;
    let window = window.elapsed().as_secs_f64();
    let rss_peak = proc_stat::rss_kib(pid)?;
    for c in calls {
        let _ = c.await;
    }
    let metrics = http
        .get(format!("{base}/metrics"))
        .send()
        .await?
        .text()
        .await?;
    let metric = |name: &str| -> u64 {
        metrics
            .lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or_default()
    };
    let dropped = metric("servicepro_media_frames_dropped_total");
    let ticks_per_sec = 100.0;
    let cpu_seconds = (cpu1 - cpu0) as f64 / ticks_per_sec;
    let call_seconds = cfg.calls as f64 * window;
    let sent = totals.frames_sent.load(Ordering::Relaxed);
    let received = totals.frames_received.load(Ordering::Relaxed);
    println!(
        "mode: {}",
        if cfg.transcode {
            "transcode (pcm16 24 kHz)"
        } else {
            "pass-through (pcmu)"
        }
    );
    println!(
        "calls: {} ok, {} failed, {} s each (wall {:.1} s)",
        totals.calls_ok.load(Ordering::Relaxed),
        totals.calls_failed.load(Ordering::Relaxed),
        cfg.seconds,
        started.elapsed().as_secs_f64()
    );
    println!(
        "frames: {sent} caller frames sent, {received} frames played to callers, {} marks echoed",
        totals.marks_echoed.load(Ordering::Relaxed)
    );
    println!(
        "provider: {} audio appends received",
        provider.stats().appends
    );
    println!(
        "frames dropped: {dropped} at the websocket edge, {} caller frames and {} caller-bound frames in the call actors",
        metric("servicepro_ai_call_frames_dropped_in"),
        metric("servicepro_ai_call_frames_dropped_out")
    );
    let (inbound, outbound, barge_in, unmatched) = clocks.report();
    println!(
        "added latency, caller → provider (frame sent → its audio at the provider): {inbound}"
    );
    println!(
        "added latency, provider → caller (audio delta sent → its frames at the caller): {outbound}"
    );
    println!(
        "barge-in: {} clears received; reaction (speech_started sent → clear received): {barge_in}",
        totals.clears.load(Ordering::Relaxed)
    );
    println!(
        "barge-in reaction inside the engine (speech_started handled → clear queued): p99 {} µs, max {} µs",
        metric("servicepro_ai_barge_in_reaction_p99_us"),
        metric("servicepro_ai_barge_in_reaction_max_us")
    );
    if unmatched > 0 {
        println!("warning: {unmatched} calls' provider sessions were not matched; their latency is not counted");
    }
    println!(
        "server CPU: {cpu_seconds:.2} s over {window:.1} s with {} calls = {:.3} ms CPU per call-second ({:.2} cores)",
        cfg.calls,
        cpu_seconds * 1000.0 / call_seconds.max(1.0),
        cpu_seconds / window
    );
    println!(
        "server memory: {:.1} MiB before, {:.1} MiB under load = {:.1} KiB per call",
        rss_before as f64 / 1024.0,
        rss_peak as f64 / 1024.0,
        rss_peak.saturating_sub(rss_before) as f64 / cfg.calls.max(1) as f64
    );
    Ok(())
}
