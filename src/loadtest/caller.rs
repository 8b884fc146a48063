//! One simulated Twilio caller on a media-stream websocket: `start`, a 160-byte μ-law
//! frame every 20 ms (tagged with the call's number, see [`clocks::tag`]), `stop`; and
//! Twilio's player: AI audio plays in real time from a buffer, each `mark` is echoed
//! when the audio before it has played, a `clear` empties the buffer and echoes the
//! marks still queued at once. Every frame is timed on the shared [`Clocks`].
//!
//! [`clocks::tag`]: super::clocks::tag

use std::collections::VecDeque;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use futures_util::{SinkExt, StreamExt};
use servicepro_actors::twilio::expected_signature;
use tokio::time::Instant;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Message;

use super::clocks::{tag, Clocks, FIRST_CALLER};
use super::{Totals, TOKEN};

/// Where and how a caller connects.
#[derive(Debug, Clone)]
pub struct Bridge {
    /// The media-stream websocket URL.
    pub url: String,
    /// Sign the handshake (`X-Twilio-Signature` with the load test's token).
    pub signed: bool,
}

/// Twilio's player of one call: what is queued, and the marks behind it.
#[derive(Debug, Default)]
struct Player {
    /// When the audio queued so far will have played.
    busy_until: Option<Instant>,
    /// Marks and the moment the audio before each has played.
    marks: VecDeque<(Instant, String)>,
    /// Audio queued since the last `clear`, in μ-law bytes (8 per millisecond).
    queued_bytes: u64,
}

impl Player {
    fn play(&mut self, bytes: u64, now: Instant) {
        let start = self.busy_until.filter(|&t| t > now).unwrap_or(now);
        self.busy_until = Some(start + Duration::from_micros(bytes * 125));
        self.queued_bytes += bytes;
    }

    fn mark(&mut self, name: String, now: Instant) {
        self.marks
            .push_back((self.busy_until.unwrap_or(now).max(now), name));
    }

    /// Drops the queued audio; returns the milliseconds played since the last clear
    /// and the marks to echo at once.
    fn clear(&mut self, now: Instant) -> (u64, Vec<String>) {
        let unplayed_us = self
            .busy_until
            .map_or(0, |t| t.saturating_duration_since(now).as_micros() as u64);
        let heard_ms = (self.queued_bytes * 125).saturating_sub(unplayed_us) / 1_000;
        self.busy_until = None;
        self.queued_bytes = 0;
        (heard_ms, self.marks.drain(..).map(|(_, n)| n).collect())
    }

    fn next_due(&self) -> Option<Instant> {
        self.marks.front().map(|(t, _)| *t)
    }

    fn due(&mut self, now: Instant) -> Vec<String> {
        let mut out = Vec::new();
        while self.marks.front().is_some_and(|(t, _)| *t <= now) {
            if let Some((_, name)) = self.marks.pop_front() {
                out.push(name);
            }
        }
        out
    }
}

/// Bytes of μ-law audio in a Twilio `media` message's payload.
fn payload_bytes(text: &str) -> u64 {
    let Some((_, rest)) = text.split_once("\"payload\":\"") else {
        return 0;
    };
    let b64 = rest.split('"').next().unwrap_or_default();
    b64.trim_end_matches('=').len() as u64 * 3 / 4
}

/// The name of a `mark` message.
fn mark_name(text: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    Some(value["mark"]["name"].as_str()?.to_owned())
}

/// Runs call `i` for `seconds` against `bridge`.
pub async fn one_call(
    i: usize,
    bridge: Bridge,
    seconds: u64,
    totals: Arc<Totals>,
    clocks: Arc<Clocks>,
) -> anyhow::Result<()> {
    let mut request = bridge.url.as_str().into_client_request()?;
    if bridge.signed {
        request.headers_mut().insert(
            "X-Twilio-Signature",
            expected_signature(TOKEN, &bridge.url, &[]).parse()?,
        );
    }
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
    let mut payload = String::with_capacity(216);
    let mut tick = tokio::time::interval(Duration::from_millis(20));
    let frames = seconds * 50;
    let mut sent = 0;
    let mut player = Player::default();
    let mut echoes: Vec<String> = Vec::new();
    while sent < frames {
        let due = player.next_due();
        tokio::select! {
            _ = tick.tick() => {
                payload.clear();
                base64::engine::general_purpose::STANDARD
                    .encode_string(tag(i, sent as usize), &mut payload);
                let frame = format!(
                    r#"{{"event":"media","sequenceNumber":"{}","streamSid":"{stream_sid}","media":{{"track":"inbound","chunk":"{}","timestamp":"{}","payload":"{payload}"}}}}"#,
                    sent + 2,
                    sent + 1,
                    sent * 20
                );
                clocks.frame_sent(i);
                tx.send(Message::text(frame)).await?;
                totals.frames_sent.fetch_add(1, Ordering::Relaxed);
                sent += 1;
            }
            _ = sleep_until(due) => echoes.extend(player.due(Instant::now())),
            msg = rx.next() => {
                let Some(Ok(Message::Text(text))) = msg else {
                    if msg.is_none() { anyhow::bail!("the bridge closed the stream"); }
                    continue;
                };
                let now = Instant::now();
                if text.contains("\"event\":\"media\"") {
                    let bytes = payload_bytes(&text);
                    player.play(bytes, now);
                    clocks.frame_received(i);
                    totals.frames_received.fetch_add(bytes / 160, Ordering::Relaxed);
                    totals.media_messages.fetch_add(1, Ordering::Relaxed);
                } else if text.contains("\"event\":\"clear\"") {
                    let (heard_ms, marks) = player.clear(now);
                    echoes.extend(marks);
                    clocks.clear_received(i, heard_ms);
                    totals.clears.fetch_add(1, Ordering::Relaxed);
                } else if text.contains("\"event\":\"mark\"") {
                    if let Some(name) = mark_name(&text) {
                        player.mark(name, now);
                    }
                    totals.marks_received.fetch_add(1, Ordering::Relaxed);
                }
            }
        }
        for name in echoes.drain(..) {
            let echo = serde_json::json!({"event": "mark", "streamSid": stream_sid, "sequenceNumber": "0", "mark": {"name": name}});
            tx.send(Message::text(echo.to_string())).await?;
            totals.marks_echoed.fetch_add(1, Ordering::Relaxed);
        }
    }
    let stop = format!(
        r#"{{"event":"stop","sequenceNumber":"{}","streamSid":"{stream_sid}","stop":{{"accountSid":"ACload","callSid":"{call_sid}"}}}}"#,
        frames + 2
    );
    tx.send(Message::text(stop)).await?;
    let _ = tx.close().await;
    Ok(())
}

/// Sleeps until `at`, or for ever without it.
async fn sleep_until(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_player_echoes_marks_when_their_audio_has_played_and_a_clear_at_once() {
        let t0 = Instant::now();
        let mut player = Player::default();
        player.play(800, t0); // 100 ms
        player.mark("a".into(), t0);
        player.play(800, t0 + Duration::from_millis(10));
        player.mark("b".into(), t0 + Duration::from_millis(10));
        assert_eq!(player.next_due(), Some(t0 + Duration::from_millis(100)));
        assert!(player.due(t0 + Duration::from_millis(99)).is_empty());
        assert_eq!(player.due(t0 + Duration::from_millis(100)), ["a"]);
        let (heard, marks) = player.clear(t0 + Duration::from_millis(150));
        assert_eq!(heard, 150);
        assert_eq!(marks, ["b"]);
        // After a silence, new audio plays from now.
        player.play(160, t0 + Duration::from_secs(1));
        player.mark("c".into(), t0 + Duration::from_secs(1));
        assert_eq!(
            player.next_due(),
            Some(t0 + Duration::from_secs(1) + Duration::from_millis(20))
        );
    }

    #[test]
    fn payload_bytes_and_mark_names_are_read_from_twilio_messages() {
        let media = r#"{"event":"media","streamSid":"MZ","media":{"payload":"//8="}}"#;
        assert_eq!(payload_bytes(media), 2);
        let mark = r#"{"event":"mark","streamSid":"MZ","mark":{"name":"m7"}}"#;
        assert_eq!(mark_name(mark).as_deref(), Some("m7"));
    }
}
