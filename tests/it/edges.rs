//! The edges hold (issue 14): oversized websocket frames are refused at their header,
//! a media stream without `start` is closed, a silent caller's call is ended, a trickling body gets a 408, status
//! callbacks never move inbound texts, and text bodies are capped.

use crate::media_stream::{app_with_provider_and, start_frame, ws_request};
use crate::sms_inbound::text;
use crate::support::tenants::TenantSpec;
use crate::support::twilio_client::AUTH_TOKEN;
use crate::support::TestApp;
use futures_util::{SinkExt, StreamExt};
use servicepro_actors::realtime::fake_server::{FakeRealtimeServer, FakeScript};
use servicepro_actors::twilio::expected_signature;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::MaybeTlsStream;

const STREAM_URL: &str = "wss://sp.example.test/twilio/media-stream/acme";

type Socket = tokio_tungstenite::WebSocketStream<MaybeTlsStream<tokio::net::TcpStream>>;

/// A signed media-stream socket of tenant `acme`.
async fn signed_stream(app: &TestApp) -> Socket {
    let signature = expected_signature(AUTH_TOKEN, STREAM_URL, &[]);
    tokio_tungstenite::connect_async(ws_request(app, &signature))
        .await
        .unwrap()
        .0
}

/// The header of a masked text frame announcing `len` payload bytes.
fn frame_header(len: u64) -> Vec<u8> {
    let mut header = vec![0x81, 0x80 | 127];
    header.extend_from_slice(&len.to_be_bytes());
    header.extend_from_slice(&[7, 7, 7, 7]);
    header
}

/// Whether the server ends `socket` (a close frame, an error or the end) within `wait`.
async fn closed_within(socket: &mut Socket, wait: Duration) -> bool {
    let ended = async {
        loop {
            match socket.next().await {
                None | Some(Err(_)) | Some(Ok(Message::Close(_))) => return,
                Some(Ok(_)) => {}
            }
        }
    };
    tokio::time::timeout(wait, ended).await.is_ok()
}

#[actix_web::test]
async fn an_oversized_frame_is_refused_at_its_header_and_the_server_still_answers() {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec::default()).await;
    let mut socket = signed_stream(&app).await;
    // A 10 MB frame's header and its first kilobyte only: a server that waits for the
    // whole frame before checking its size never answers.
    let mut start = frame_header(10 * 1024 * 1024);
    start.extend(std::iter::repeat_n(b'x', 1024));
    socket.get_mut().write_all(&start).await.unwrap();
    assert!(
        closed_within(&mut socket, Duration::from_secs(5)).await,
        "the oversized frame is refused as soon as its header arrives"
    );
    // Frames under the limit still pass on another socket, and HTTP still answers.
    let mut ok = signed_stream(&app).await;
    ok.send(Message::text(
        r#"{"event":"connected","protocol":"Call","version":"1.0.0"}"#,
    ))
    .await
    .unwrap();
    assert!(!closed_within(&mut ok, Duration::from_millis(300)).await);
    let health = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
}

#[actix_web::test]
async fn a_stream_that_never_sends_start_is_closed_in_time() {
    let app = TestApp::builder()
        .var("SERVICEPRO_STREAM_START_TIMEOUT_MS", "400")
        .spawn()
        .await;
    app.create_tenant(TenantSpec::default()).await;
    let mut socket = signed_stream(&app).await;
    socket
        .send(Message::text(
            r#"{"event":"connected","protocol":"Call","version":"1.0.0"}"#,
        ))
        .await
        .unwrap();
    assert!(
        closed_within(&mut socket, Duration::from_secs(5)).await,
        "a socket without `start` is closed by the server"
    );
}

/// Sends `path`'s headers announcing a 200 000-byte body, then one byte every 100 ms;
/// the first line the server answers with (empty when it just closes), or `None`
/// when it answers nothing within `wait`.
async fn trickle(app: &TestApp, path: &str, wait: Duration) -> Option<String> {
    let addr = app.address.trim_start_matches("http://");
    let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let (mut read, mut write) = stream.into_split();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         X-Twilio-Signature: trickle\r\nContent-Length: 200000\r\n\r\n"
    );
    write.write_all(head.as_bytes()).await.unwrap();
    let writer = tokio::spawn(async move {
        loop {
            if write.write_all(b"a").await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    });
    let answer = tokio::time::timeout(wait, async {
        let mut buf = vec![0u8; 1024];
        let n = read.read(&mut buf).await.unwrap_or(0);
        String::from_utf8_lossy(&buf[..n])
            .lines()
            .next()
            .unwrap_or_default()
            .to_owned()
    })
    .await
    .ok();
    writer.abort();
    answer
}

#[actix_web::test]
async fn a_started_call_whose_caller_goes_silent_is_ended() {
    let (_, provider) = FakeRealtimeServer::start(FakeScript::default())
        .await
        .unwrap();
    let app =
        app_with_provider_and(&provider, &[("SERVICEPRO_STREAM_IDLE_TIMEOUT_MS", "600")]).await;
    let mut socket = signed_stream(&app).await;
    socket
        .send(start_frame("MZ_idle", "CA_idle"))
        .await
        .unwrap();
    // The greeting comes back, but the caller never sends a frame.
    assert!(
        closed_within(&mut socket, Duration::from_secs(5)).await,
        "the call ends after the configured silence"
    );
}

#[actix_web::test]
async fn a_trickling_body_is_answered_408_within_the_deadline() {
    let app = TestApp::builder()
        .var("SERVICEPRO_BODY_READ_TIMEOUT_MS", "500")
        .spawn()
        .await;
    for path in ["/twilio/sms/incoming", "/api/agent/messages"] {
        let started = std::time::Instant::now();
        let answer = trickle(&app, path, Duration::from_secs(5)).await;
        let answer = answer.unwrap_or_else(|| panic!("{path}: the trickling body was held"));
        assert!(answer.starts_with("HTTP/1.1 408"), "{path}: {answer}");
        assert!(started.elapsed() >= Duration::from_millis(400), "{path}");
    }
}

#[actix_web::test]
async fn a_status_callback_never_moves_an_inbound_text() {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec::default()).await;
    text(&app, "SM_in_status", "hello there").await;
    let inbound = "messages WHERE direction = 'inbound' AND twilio_sid = 'SM_in_status'";
    assert_eq!(app.count(inbound).await, 1);
    let res = app
        .twilio_post(
            "/twilio/sms/status?tenant_id=acme&message_id=1",
            &[
                ("MessageSid", "SM_in_status"),
                ("MessageStatus", "delivered"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        app.count(&format!("{inbound} AND status = 'received'"))
            .await,
        1,
        "an inbound text's status is never changed by a delivery report"
    );
}

#[actix_web::test]
async fn a_status_callback_with_an_undocumented_status_is_refused_naming_the_field() {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec::default()).await;
    text(&app, "SM_in_odd", "hello there").await;
    let res = app
        .twilio_post(
            "/twilio/sms/status?tenant_id=acme&message_id=1",
            &[("MessageSid", "SM_in_odd"), ("MessageStatus", "teleported")],
        )
        .await;
    assert_eq!(res.status(), 422, "an invalid field value, as everywhere");
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"]["field"], "MessageStatus", "{body}");
    assert_eq!(
        app.count("messages WHERE status = 'teleported'").await,
        0,
        "nothing stored"
    );
}

#[actix_web::test]
async fn a_text_body_is_capped_at_twilios_maximum() {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec::default()).await;
    let long = "é".repeat(5_000);
    text(&app, "SM_in_long", &long).await;
    assert_eq!(
        app.count("messages WHERE twilio_sid = 'SM_in_long' AND char_length(body) = 1600")
            .await,
        1
    );
    let fits = "b".repeat(1_600);
    text(&app, "SM_in_fits", &fits).await;
    assert_eq!(
        app.count(&format!(
            "messages WHERE twilio_sid = 'SM_in_fits' AND body = '{fits}'"
        ))
        .await,
        1,
        "a body Twilio could send is stored whole"
    );
}

/// This process's resident set in KiB (`VmRSS`, or `VmHWM` for the peak).
fn rss_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// A measurement for NOTES, not an assertion: run with
/// `cargo test --test it rss_under -- --ignored --nocapture`.
#[actix_web::test]
#[ignore]
async fn rss_under_twenty_parallel_ten_megabyte_frames() {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec::default()).await;
    let payload = std::sync::Arc::new(vec![b'x'; 10 * 1024 * 1024]);
    let before = (rss_kib("VmRSS:"), rss_kib("VmHWM:"));
    let mut sockets = Vec::new();
    for _ in 0..20 {
        sockets.push(signed_stream(&app).await);
    }
    let sends = sockets.into_iter().map(|mut socket| {
        let payload = payload.clone();
        tokio::spawn(async move {
            let _ = socket
                .get_mut()
                .write_all(&frame_header(payload.len() as u64))
                .await;
            let _ = socket.get_mut().write_all(&payload).await;
            closed_within(&mut socket, Duration::from_secs(30)).await
        })
    });
    let closed = futures_util::future::join_all(sends).await;
    let after = (rss_kib("VmRSS:"), rss_kib("VmHWM:"));
    println!(
        "20 x 10 MB frames: closed {}/20; RSS {} -> {} KiB, peak {} -> {} KiB",
        closed.iter().filter(|c| matches!(c, Ok(true))).count(),
        before.0,
        after.0,
        before.1,
        after.1
    );
}
