//! `servicepro loadtest`: N simulated Twilio calls at real-time pace (one
//! 160-byte μ-law frame per 20 ms per call, marks echoed) through the real
//! media-stream websocket of a separate server process, against a
//! loopback Realtime provider that talks for the whole call. It reports the
//! calls sustained, frames received and dropped, and the **server
//! process's own** CPU-seconds per call-second and memory per call (from
//! `/proc/<pid>`), apart from the generator's.

use anyhow::Context;
use base64::Engine;
use futures_util::{SinkExt, StreamExt};
use servicepro_actors::realtime::fake_server::{
    FakeRealtimeServer, FakeResponse, FakeScript, Pacing, SpeechTrigger,
};
use servicepro_actors::twilio::expected_signature;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

const TOKEN: &str = "loadtest-auth-token";
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
struct Totals {
    frames_sent: AtomicU64,
    frames_received: AtomicU64,
    marks_echoed: AtomicU64,
    calls_ok: AtomicU64,
    calls_failed: AtomicU64,
}

fn proc_cpu_ticks(pid: u32) -> anyhow::Result<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    let after = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest)
        .unwrap_or_default();
    let fields: Vec<&str> = after.split_whitespace().collect();
    let utime: u64 = fields
        .get(11)
        .and_then(|v| v.parse().ok())
        .unwrap_or_default();
    let stime: u64 = fields
        .get(12)
        .and_then(|v| v.parse().ok())
        .unwrap_or_default();
    Ok(utime + stime)
}

fn proc_rss_kib(pid: u32) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    Ok(status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or_default())
}

async fn one_call(i: usize, port: u16, seconds: u64, totals: Arc<Totals>) -> anyhow::Result<()> {
    let stream_url = format!("ws://127.0.0.1:{port}/twilio/media-stream");
    let mut request = stream_url.as_str().into_client_request()?;
    request.headers_mut().insert(
        "X-Twilio-Signature",
        expected_signature(TOKEN, &stream_url, &[]).parse()?,
    );
    let (socket, _) = tokio_tungstenite::connect_async(request).await?;
    let (mut tx, mut rx) = socket.split();
    let call_sid = format!("CAload{i:028}");
    let stream_sid = format!("MZload{i:028}");
    let start = serde_json::json!({
        "event": "start", "sequenceNumber": "1", "streamSid": stream_sid,
        "start": { "streamSid": stream_sid, "accountSid": "ACload", "callSid": call_sid, "tracks": ["inbound"],
                   "customParameters": { "tenant_id": "load", "call_sid": call_sid, "from": format!("+1415{:07}", 5_550_000 + i) },
                   "mediaFormat": { "encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1 } }
    });
    tx.send(Message::text(start.to_string())).await?;
    let (echo_tx, mut echo_rx) = tokio::sync::mpsc::channel::<String>(64);
    let reader_totals = totals.clone();
    let reader = tokio::spawn(async move {
        while let Some(Ok(msg)) = rx.next().await {
            if let Message::Text(text) = msg {
                if text.contains("\"event\":\"media\"") {
                    reader_totals
                        .frames_received
                        .fetch_add(1, Ordering::Relaxed);
                } else if text.contains("\"event\":\"mark\"") {
                    let _ = echo_tx.try_send(text.to_string());
                }
            }
        }
    });
    let payload = base64::engine::general_purpose::STANDARD.encode([0xFFu8; 160]);
    let mut tick = tokio::time::interval(Duration::from_millis(20));
    let frames = seconds * 50;
    for n in 0..frames {
        tick.tick().await;
        let frame = format!(
            r#"{{"event":"media","sequenceNumber":"{}","streamSid":"{stream_sid}","media":{{"track":"inbound","chunk":"{}","timestamp":"{}","payload":"{payload}"}}}}"#,
            n + 2,
            n + 1,
            n * 20
        );
        tx.send(Message::text(frame)).await?;
        totals.frames_sent.fetch_add(1, Ordering::Relaxed);
        while let Ok(mark) = echo_rx.try_recv() {
            tx.send(Message::text(mark)).await?;
            totals.marks_echoed.fetch_add(1, Ordering::Relaxed);
        }
    }
    let stop = format!(
        r#"{{"event":"stop","sequenceNumber":"{}","streamSid":"{stream_sid}","stop":{{"accountSid":"ACload","callSid":"{call_sid}"}}}}"#,
        frames + 2
    );
    tx.send(Message::text(stop)).await?;
    let _ = tx.close().await;
    reader.abort();
    Ok(())
}

/// Runs the load test and prints the report.
pub async fn run(cfg: LoadTest) -> anyhow::Result<()> {
    servicepro_actors::tls::install_crypto_provider();
    let script = FakeScript {
        greet_on_connect: false,
        response: FakeResponse {
            chunk_ms: 100,
            chunks: u32::try_from(cfg.seconds * 10 + 20).unwrap_or(u32::MAX),
            pacing: Pacing::RealTime,
            ..FakeResponse::default()
        },
        speech: SpeechTrigger::Never,
        record_audio: false,
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
            if cfg.transcode { "pcm16" } else { "pcmu" },
        )
        .env("RUST_LOG", "error")
        .spawn()
        .context("starting the server under test")?;
    let pid = server.id();
    let result = drive(&cfg, pid, &provider).await;
    let _ = server.kill();
    let _ = server.wait();
    servicepro_schema::database_admin::drop_database(&cfg.database_url, &db_name).await?;
    result
}

async fn drive(
    cfg: &LoadTest,
    pid: u32,
    provider: &servicepro_actors::realtime::fake_server::FakeServerHandle,
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
    let rss_before = proc_rss_kib(pid)?;
    let totals = Arc::new(Totals::default());
    let started = Instant::now();
    let mut calls = Vec::with_capacity(cfg.calls);
    for i in 0..cfg.calls {
        let totals = totals.clone();
        let (port, seconds) = (cfg.port, cfg.seconds);
        calls.push(tokio::spawn(async move {
            match one_call(i, port, seconds, totals.clone()).await {
                Ok(()) => totals.calls_ok.fetch_add(1, Ordering::Relaxed),
                Err(e) => {
                    eprintln!("call {i}: {e}");
                    totals.calls_failed.fetch_add(1, Ordering::Relaxed)
                }
            };
        }));
        if i % 50 == 49 {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    tokio::time::sleep(Duration::from_secs(cfg.seconds.min(5))).await;
    let cpu0 = proc_cpu_ticks(pid)?;
    let window = Instant::now();
    let measure = Duration::from_secs(cfg.seconds.saturating_sub(8).max(2));
    tokio::time::sleep(measure).await;
    let cpu1 = proc_cpu_ticks(pid)?;
    let window = window.elapsed().as_secs_f64();
    let rss_peak = proc_rss_kib(pid)?;
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
