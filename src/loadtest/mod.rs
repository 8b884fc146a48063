//! `servicepro loadtest`: N simulated Twilio calls at real-time pace (one
//! 160-byte μ-law frame per 20 ms per call, AI audio played in real time and marks
//! echoed as it plays) through the media-stream websocket of a separate process
//! (the engine this command starts, or with `--url`/`--pid` any bridge started
//! separately, such as Twilio's Node sample), against a
//! loopback Realtime provider that talks for the whole call and hears the caller
//! barge in every five seconds. It reports the calls sustained, frames received
//! and dropped, the added latency per direction and the barge-in reaction (timed
//! by [`clocks`]), and the **server process's own** CPU-seconds per call-second
//! and memory per call (from `/proc/<pid>`), apart from the generator's; how far
//! each truncation's `audio_end_ms` was from what the caller heard; and the caller
//! audio that never reached the provider.

mod caller;
mod clocks;
mod proc_stat;
mod syscalls;

use anyhow::Context;
use caller::Bridge;
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
    /// The port the server this command starts listens on.
    pub port: u16,
    /// A bridge started separately, instead of starting the engine.
    pub external: Option<External>,
    /// Sign the media-stream handshake (the engine checks it; the Node sample does not).
    pub signed: bool,
    /// The loopback provider's port (`0`: any free port).
    pub provider_port: u16,
    /// The provider starts talking once the session is configured, for bridges that
    /// never send `response.create` (the Node sample).
    pub provider_greets: bool,
    /// CPUs the engine this command starts is pinned to (`taskset -c`), since it would
    /// otherwise inherit the generator's pinning.
    pub server_cpus: Option<String>,
    /// Count the bridge's system calls in the measuring window (`perf stat`).
    pub syscalls: bool,
}

/// A bridge under test started separately.
#[derive(Debug, Clone)]
pub struct External {
    /// Its media-stream websocket URL.
    pub url: String,
    /// Its process, for CPU and memory.
    pub pid: u32,
}

#[derive(Default)]
pub(crate) struct Totals {
    pub(crate) frames_sent: AtomicU64,
    pub(crate) frames_received: AtomicU64,
    pub(crate) marks_echoed: AtomicU64,
    pub(crate) marks_received: AtomicU64,
    pub(crate) media_messages: AtomicU64,
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
        greet_on_connect: cfg.provider_greets,
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
    let (_, provider) = FakeRealtimeServer::start_on(cfg.provider_port, script).await?;
    if let Some(external) = &cfg.external {
        println!("provider: {}", provider.url());
        let bridge = Bridge {
            url: external.url.clone(),
            signed: cfg.signed,
        };
        return drive(&cfg, bridge, external.pid, None, &provider, &clocks).await;
    }
    let db_name = format!("servicepro_loadtest_{}", std::process::id());
    let db_url = servicepro_schema::database_admin::with_database(&cfg.database_url, &db_name)?;
    let port = cfg.port;
    let exe = std::env::current_exe()?;
    let mut server = match &cfg.server_cpus {
        Some(cpus) => {
            let mut pinned = std::process::Command::new("taskset");
            pinned.arg("-c").arg(cpus).arg(&exe);
            pinned
        }
        None => std::process::Command::new(&exe),
    };
    let mut server = server
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
    let base = format!("http://127.0.0.1:{port}");
    let result = match prepare_engine(&base).await {
        Ok(()) => {
            let bridge = Bridge {
                url: format!("ws://127.0.0.1:{port}/twilio/media-stream/load"),
                signed: cfg.signed,
            };
            drive(&cfg, bridge, pid, Some(&base), &provider, &clocks).await
        }
        Err(e) => Err(e),
    };
    let _ = server.kill();
    let _ = server.wait();
    servicepro_schema::database_admin::drop_database(&cfg.database_url, &db_name).await?;
    result
}

/// Generator CPU (cores) from which its own queueing shows in the latencies: with the
/// generator pinned to one core, it is then behind real time.
const GENERATOR_SATURATED: f64 = 0.9;

/// Waits for the engine started at `base` and creates the load tenant.
async fn prepare_engine(base: &str) -> anyhow::Result<()> {
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
    Ok(())
}

/// Drives the calls against `bridge` (process `pid`); `metrics` is the engine's base
/// URL when it is the engine, whose `/metrics` is read at the end.
async fn drive(
    cfg: &LoadTest,
    bridge: Bridge,
    pid: u32,
    metrics: Option<&str>,
    provider: &servicepro_actors::realtime::fake_server::FakeServerHandle,
    clocks: &Arc<Clocks>,
) -> anyhow::Result<()> {
    let rss_before = proc_stat::rss_kib(pid)?;
    let totals = Arc::new(Totals::default());
    let started = Instant::now();
    let mut calls = Vec::with_capacity(cfg.calls);
    for i in 0..cfg.calls {
        let totals = totals.clone();
        let clocks = clocks.clone();
        let (bridge, seconds) = (bridge.clone(), cfg.seconds);
        calls.push(tokio::spawn(async move {
            match caller::one_call(i, bridge, seconds, totals.clone(), clocks).await {
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
    let allocs0 = allocations(metrics).await;
    let measure = Duration::from_secs(cfg.seconds.saturating_sub(8).max(2));
    let counting = if cfg.syscalls {
        Some(syscalls::start(pid, measure.as_secs_f64())?)
    } else {
        None
    };
    let cpu0 = proc_stat::cpu_ticks(pid)?;
    let own0 = proc_stat::cpu_ticks(std::process::id())?;
    let window = Instant::now();
    tokio::time::sleep(measure).await;
    let cpu1 = proc_stat::cpu_ticks(pid)?;
    let own1 = proc_stat::cpu_ticks(std::process::id())?;
    let window = window.elapsed().as_secs_f64();
    let allocs1 = allocations(metrics).await;
    let syscalls = match counting {
        Some(c) => Some(tokio::task::spawn_blocking(move || c.finish()).await??),
        None => None,
    };
    let rss_peak = proc_stat::rss_kib(pid)?;
    for c in calls {
        let _ = c.await;
    }
    let metrics = match metrics {
        Some(base) => {
            reqwest::get(format!("{base}/metrics"))
                .await?
                .text()
                .await?
        }
        None => String::new(),
    };
    let metric = |name: &str| -> u64 {
        metrics
            .lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or_default()
    };
    let dropped = metric("servicepro_media_frames_dropped_total");
    let engine = !metrics.is_empty();
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
        "frames: {sent} caller frames sent, {received} frames (20 ms) played to callers in {} media messages, {} marks received, {} echoed",
        totals.media_messages.load(Ordering::Relaxed),
        totals.marks_received.load(Ordering::Relaxed),
        totals.marks_echoed.load(Ordering::Relaxed)
    );
    let appended = clocks.frames_appended();
    println!(
        "provider: {} audio appends received carrying {appended} frames; caller frames that never reached it: {}",
        provider.stats().appends,
        sent.saturating_sub(appended)
    );
    if engine {
        println!(
            "engine: {} caller frames over pace (refused)",
            metric("servicepro_ai_call_frames_over_pace_total")
        );
        println!(
        "frames dropped: {dropped} at the websocket edge, {} caller frames and {} caller-bound frames in the call actors",
        metric("servicepro_ai_call_frames_dropped_in_total"),
        metric("servicepro_ai_call_frames_dropped_out_total")
        );
    }
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
    if engine {
        println!(
            "barge-in reaction inside the engine (speech_started handled → clear queued): p99 {} µs, max {} µs",
            metric("servicepro_ai_barge_in_reaction_p99_us"),
            metric("servicepro_ai_barge_in_reaction_max_us")
        );
    }
    println!("truncation: {}", clocks.truncations());
    if unmatched > 0 {
        println!("warning: {unmatched} calls' provider sessions were not matched; their latency is not counted");
    }
    println!(
        "bridge CPU: {cpu_seconds:.2} s over {window:.1} s with {} calls = {:.3} ms CPU per call-second ({:.2} cores)",
        cfg.calls,
        cpu_seconds * 1000.0 / call_seconds.max(1.0),
        cpu_seconds / window
    );
    let generator_cores = (own1 - own0) as f64 / ticks_per_sec / window;
    println!(
        "generator CPU (this process: callers and the loopback provider): {generator_cores:.2} cores"
    );
    if generator_cores >= GENERATOR_SATURATED {
        println!(
            "warning: the generator is at its CPU limit; the latencies above include its own queueing, not only the bridge's"
        );
    }
    match (allocs0, allocs1) {
        (Some(a0), Some(a1)) => println!(
            "bridge allocations: {:.1} per call-second ({:.0} bytes per call-second; {} reallocations)",
            a1.0.saturating_sub(a0.0) as f64 / call_seconds.max(1.0),
            a1.1.saturating_sub(a0.1) as f64 / call_seconds.max(1.0),
            a1.2.saturating_sub(a0.2)
        ),
        _ => println!("bridge allocations: not counted (build with --features testkit,alloc-stats)"),
    }
    if let Some(sys) = syscalls {
        let per = |n: u64| n as f64 / call_seconds.max(1.0);
        println!(
            "bridge system calls: {:.1} per call-second (reads {:.1}, writes {:.1}, epoll waits {:.1}, futex {:.1}, other {:.1})",
            per(sys.all),
            per(sys.reads),
            per(sys.writes),
            per(sys.polls),
            per(sys.futexes),
            per(sys.all.saturating_sub(sys.reads + sys.writes + sys.polls + sys.futexes))
        );
    }
    println!(
        "bridge memory: {:.1} MiB before, {:.1} MiB under load = {:.1} KiB per call",
        rss_before as f64 / 1024.0,
        rss_peak as f64 / 1024.0,
        rss_peak.saturating_sub(rss_before) as f64 / cfg.calls.max(1) as f64
    );
    Ok(())
}

/// The engine's allocation totals (allocations, bytes, reallocations) from its
/// `/metrics`, when it counts them (`--features alloc-stats`).
async fn allocations(metrics: Option<&str>) -> Option<(u64, u64, u64)> {
    let text = reqwest::get(format!("{}/metrics", metrics?))
        .await
        .ok()?
        .text()
        .await
        .ok()?;
    let value = |name: &str| -> Option<u64> {
        text.lines()
            .find(|l| l.split_whitespace().next() == Some(name))?
            .split_whitespace()
            .nth(1)?
            .parse()
            .ok()
    };
    Some((
        value("servicepro_process_allocations_total")?,
        value("servicepro_process_allocated_bytes_total")?,
        value("servicepro_process_reallocations_total")?,
    ))
}
