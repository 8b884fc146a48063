//! One simulated Twilio caller on the media-stream websocket: `start`, a 160-byte
//! μ-law frame every 20 ms, marks echoed at once, `stop`; every frame timed on the
//! shared [`Clocks`].

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use futures_util::{SinkExt, StreamExt};
use servicepro_actors::twilio::expected_signature;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;

use super::clocks::{Clocks, FIRST_CALLER};
use super::{Totals, TOKEN};

/// Runs call `i` for `seconds` against the server on `port`.
pub async fn one_call(
    i: usize,
    port: u16,
    seconds: u64,
    totals: Arc<Totals>,
    clocks: Arc<Clocks>,
) -> anyhow::Result<()> {
    let stream_url = format!("ws://127.0.0.1:{port}/twilio/media-stream/load");
    let mut request = stream_url.as_str().into_client_request()?;
    request.headers_mut().insert(
        "X-Twilio-Signature",
        expected_signature(TOKEN, &stream_url, &[]).parse()?,
    );
    let config = WebSocketConfig::default().read_buffer_size(8 << 10);
    let (socket, _) =
        tokio_tungstenite::connect_async_with_config(request, Some(config), true).await?;
    let (mut tx, mut rx) = socket.split();
    let call_sid = format!("CAload{i:028}");
    let stream_sid = format!("MZload{i:028}");
    let start = serde_json::json!({
        "event": "start", "sequenceNumber": "1", "streamSid": stream_sid,
        "start": { "streamSid": stream_sid, "accountSid": "ACload", "callSid": call_sid, "tracks": ["inbound"],
                   "customParameters": { "tenant_id": "load", "call_sid": call_sid, "from": format!("+{}", FIRST_CALLER + i as u64) },
                   "mediaFormat": { "encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1 } }
    });
    tx.send(Message::text(start.to_string())).await?;
    let (echo_tx, mut echo_rx) = tokio::sync::mpsc::channel::<String>(64);
    let reader_totals = totals.clone();
    let reader_clocks = clocks.clone();
    let reader = tokio::spawn(async move {
        while let Some(Ok(msg)) = rx.next().await {
            if let Message::Text(text) = msg {
                if text.contains("\"event\":\"media\"") {
                    reader_clocks.frame_received(i);
                    reader_totals
                        .frames_received
                        .fetch_add(1, Ordering::Relaxed);
                } else if text.contains("\"event\":\"clear\"") {
                    reader_clocks.clear_received(i);
                    reader_totals.clears.fetch_add(1, Ordering::Relaxed);
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
        clocks.frame_sent(i);
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
