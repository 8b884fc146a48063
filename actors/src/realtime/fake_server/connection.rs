//! One TCP connection to the fake provider: the websocket handshake (with scripted
//! refusals), then the loop that feeds a [`FakeSession`] and writes its frames.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio::time::{sleep_until, timeout, Instant};
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tokio_tungstenite::tungstenite::http::StatusCode;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::{CloseFrame, WebSocketConfig};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

use super::audio::AudioCache;
use super::log::{lock, FakeSessionEnd, FakeSessionLog, Shared};
use super::script::{Disconnect, FakeScript, Refusal};
use super::state::FakeSession;

/// How long a closing fake waits for the client's close reply.
const CLOSE_GRACE: Duration = Duration::from_millis(500);

/// Serves one accepted TCP connection to its end.
// The handshake callback's error type (an HTTP response) is fixed by tungstenite.
#[allow(clippy::result_large_err)]
pub(crate) async fn serve(
    stream: TcpStream,
    script: Arc<FakeScript>,
    audio: Arc<AudioCache>,
    shared: Arc<Shared>,
) {
    shared.connections.fetch_add(1, Ordering::Relaxed);
    if script.refuse == Some(Refusal::Hangup) {
        shared.changed.notify_waiters();
        return;
    }
    let _ = stream.set_nodelay(true);
    let mut headers = (None, None);
    let handshake = tokio_tungstenite::accept_hdr_async_with_config(
        stream,
        |request: &Request, response: Response| {
            let header = |name: &str| {
                request
                    .headers()
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned)
            };
            headers = (header("authorization"), header("openai-beta"));
            if let Some(Refusal::Http(status)) = &script.refuse {
                return Err(refusal(*status));
            }
            if let Some(key) = &script.require_api_key {
                if headers.0.as_deref() != Some(format!("Bearer {key}").as_str()) {
                    return Err(refusal(401));
                }
            }
            Ok(response)
        },
        Some(
            WebSocketConfig::default()
                .read_buffer_size(crate::realtime::provider::READ_BUFFER_BYTES),
        ),
    )
    .await;
    let Ok(mut ws) = handshake else {
        shared.changed.notify_waiters();
        return;
    };
    let (_, log) = shared.new_session();
    {
        let mut entry = lock(&log);
        entry.authorization = headers.0;
        entry.openai_beta = headers.1;
    }
    shared.open.fetch_add(1, Ordering::Relaxed);
    let end = match &script.refuse {
        Some(Refusal::Close { code, reason }) => {
            close(&mut ws, *code, reason).await;
            FakeSessionEnd::ServerDropped
        }
        _ => {
            run(
                &mut ws,
                &script,
                audio,
                Arc::clone(&log),
                Arc::clone(&shared),
            )
            .await
        }
    };
    lock(&log).end = Some(end);
    shared.open.fetch_sub(1, Ordering::Relaxed);
    shared.changed.notify_waiters();
}

fn refusal(status: u16) -> ErrorResponse {
    let mut response = ErrorResponse::new(Some("refused by the fake realtime server".into()));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::UNAUTHORIZED);
    response
}

async fn run(
    ws: &mut WebSocketStream<TcpStream>,
    script: &Arc<FakeScript>,
    audio: Arc<AudioCache>,
    log: Arc<Mutex<FakeSessionLog>>,
    shared: Arc<Shared>,
) -> FakeSessionEnd {
    let mut session = FakeSession::new(Arc::clone(script), audio, log, Arc::clone(&shared));
    let drop_at = script
        .drop_after
        .as_ref()
        .map(|(after, how)| (Instant::now() + *after, how));
    let mut out = Vec::new();
    let mut client_close: Option<Option<u16>> = None;
    session.on_connect(&mut out);
    loop {
        let now = Instant::now();
        while session.next_step_at().is_some_and(|at| at <= now) {
            session.step(now, &mut out);
        }
        shared.changed.notify_waiters();
        if client_close.is_none() && !out.is_empty() && !send_all(ws, &mut out, &shared).await {
            return FakeSessionEnd::ConnectionLost;
        }
        out.clear();
        let step_at = session.next_step_at();
        tokio::select! {
            message = ws.next() => match message {
                Some(Ok(Message::Text(text))) => session.on_text(text.as_str(), Instant::now(), &mut out),
                Some(Ok(Message::Close(frame))) => {
                    client_close = Some(frame.map(|f| u16::from(f.code)));
                }
                Some(Ok(_)) => {}
                Some(Err(_)) | None => {
                    return match client_close {
                        Some(code) => FakeSessionEnd::ClientClosed { code },
                        None => FakeSessionEnd::ConnectionLost,
                    };
                }
            },
            _ = sleep_until(step_at.unwrap_or(now)), if step_at.is_some() => {}
            _ = sleep_until(drop_at.map_or(now, |(at, _)| at)), if drop_at.is_some() => {
                if let Some((_, Disconnect::Close { code, reason })) = drop_at {
                    close(ws, *code, reason).await;
                }
                return FakeSessionEnd::ServerDropped;
            }
        }
    }
}

async fn send_all(
    ws: &mut WebSocketStream<TcpStream>,
    out: &mut Vec<String>,
    shared: &Shared,
) -> bool {
    let count = out.len() as u64;
    for frame in out.drain(..) {
        if ws.feed(Message::text(frame)).await.is_err() {
            return false;
        }
    }
    shared.events_sent.fetch_add(count, Ordering::Relaxed);
    ws.flush().await.is_ok()
}

async fn close(ws: &mut WebSocketStream<TcpStream>, code: u16, reason: &str) {
    let frame = CloseFrame {
        code: CloseCode::from(code),
        reason: reason.to_owned().into(),
    };
    let _ = timeout(CLOSE_GRACE, async {
        if ws.close(Some(frame)).await.is_ok() {
            while let Some(Ok(_)) = ws.next().await {}
        }
    })
    .await;
}
