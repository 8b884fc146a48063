//! A minimal Twilio ⇄ Realtime bridge on the engine's own runtime (tokio) and
//! websocket crate (tokio-tungstenite), for issue 16's question whether a leaner
//! websocket edge than actix-web's would be cheaper per message. Not a product.
//!
//! It does per message what Twilio's Node sample does (and no more): a caller
//! `media` becomes one `input_audio_buffer.append`; a provider audio delta
//! becomes one `media` and one `mark`, written with one flush; the first
//! `speech_started` while marks are outstanding sends `clear` and a
//! `conversation.item.truncate` from the media clock, as the sample does. No
//! pacing, recording, transcript, tenant, signature or exactly-once
//! finalisation. One thread (tokio's current-thread runtime), one task per call
//! polling both sockets in `select!`, borrowed JSON parsing. Measured in
//! BENCHMARKS.md ("Side by side again"): it makes the same system calls as the
//! engine and costs twice its CPU per call-second, so the edge stays actix-web.
//!
//! ```text
//! cargo build --release --example lean_bridge
//! RT_URL=ws://127.0.0.1:17070/v1/realtime taskset -c 0 target/release/examples/lean_bridge 5060
//! ```
//!
//! then drive it with `servicepro loadtest --url ws://127.0.0.1:5060/media-stream
//! --pid PID --no-signature --provider-port 17070 --provider-greets`
//! (`benches/voice/side_by_side.sh` does both).

use futures_util::{SinkExt, StreamExt};
use serde::Deserialize;
use std::borrow::Cow;
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::Message;

/// What the bridge reads of a Twilio media-stream message.
#[derive(Deserialize)]
struct TwilioEvent<'a> {
    #[serde(borrow)]
    event: Cow<'a, str>,
    #[serde(borrow, default)]
    media: Option<TwilioMedia<'a>>,
    #[serde(borrow, default)]
    start: Option<TwilioStart<'a>>,
}

#[derive(Deserialize)]
struct TwilioMedia<'a> {
    #[serde(borrow)]
    payload: Cow<'a, str>,
    #[serde(borrow, default)]
    timestamp: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct TwilioStart<'a> {
    #[serde(borrow, rename = "streamSid")]
    stream_sid: Cow<'a, str>,
}

/// What the bridge reads of a Realtime server event.
#[derive(Deserialize)]
struct ProviderEvent<'a> {
    #[serde(borrow, rename = "type")]
    kind: Cow<'a, str>,
    #[serde(borrow, default)]
    delta: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    item_id: Option<Cow<'a, str>>,
}

const SESSION_UPDATE: &str = r#"{"type":"session.update","session":{"type":"realtime","model":"gpt-realtime","output_modalities":["audio"],"audio":{"input":{"format":{"type":"audio/pcmu"},"turn_detection":{"type":"server_vad"}},"output":{"format":{"type":"audio/pcmu"},"voice":"alloy"}},"instructions":"You are a helpful assistant."}}"#;

/// One call's state: the sample's, field for field.
#[derive(Default)]
struct Call {
    stream_sid: String,
    latest_media_ms: u64,
    response_start_ms: Option<u64>,
    last_item: Option<String>,
    marks_outstanding: usize,
}

type Error = Box<dyn std::error::Error + Send + Sync>;

fn main() -> Result<(), Error> {
    let port: u16 = std::env::args()
        .nth(1)
        .map(|p| p.parse())
        .transpose()?
        .unwrap_or(5060);
    let rt_url = std::env::var("RT_URL")?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let local = tokio::task::LocalSet::new();
    local.block_on(&runtime, async move {
        let listener = TcpListener::bind(("127.0.0.1", port)).await?;
        loop {
            let (socket, _) = listener.accept().await?;
            socket.set_nodelay(true)?;
            let rt_url = rt_url.clone();
            tokio::task::spawn_local(async move {
                if let Err(e) = call(socket, &rt_url).await {
                    eprintln!("call ended: {e}");
                }
            });
        }
    })
}

async fn call(socket: TcpStream, rt_url: &str) -> Result<(), Error> {
    let twilio = tokio_tungstenite::accept_async(socket).await?;
    let mut request = rt_url.into_client_request()?;
    request
        .headers_mut()
        .insert("Authorization", HeaderValue::from_static("Bearer x"));
    let (provider, _) = tokio_tungstenite::connect_async_with_config(request, None, true).await?;
    let (mut to_twilio, mut from_twilio) = twilio.split();
    let (mut to_provider, mut from_provider) = provider.split();
    to_provider.send(Message::text(SESSION_UPDATE)).await?;
    let mut state = Call::default();
    loop {
        tokio::select! {
            msg = from_twilio.next() => {
                let Some(msg) = msg else { break };
                let Message::Text(text) = msg? else { continue };
                let Ok(event) = serde_json::from_str::<TwilioEvent>(text.as_str()) else { continue };
                match (event.event.as_ref(), event.media, event.start) {
                    ("media", Some(media), _) => {
                        if let Some(ms) = media.timestamp.and_then(|t| t.parse().ok()) {
                            state.latest_media_ms = ms;
                        }
                        let append = format!(
                            r#"{{"type":"input_audio_buffer.append","audio":"{}"}}"#,
                            media.payload
                        );
                        to_provider.send(Message::text(append)).await?;
                    }
                    ("start", _, Some(start)) => {
                        state.stream_sid = start.stream_sid.into_owned();
                        state.latest_media_ms = 0;
                        state.response_start_ms = None;
                    }
                    ("mark", _, _) => state.marks_outstanding = state.marks_outstanding.saturating_sub(1),
                    ("stop", _, _) => break,
                    _ => {}
                }
            }
            msg = from_provider.next() => {
                let Some(msg) = msg else { break };
                let Message::Text(text) = msg? else { continue };
                let Ok(event) = serde_json::from_str::<ProviderEvent>(text.as_str()) else { continue };
                match (event.kind.as_ref(), event.delta) {
                    ("response.output_audio.delta", Some(delta)) => {
                        let sid = &state.stream_sid;
                        to_twilio
                            .feed(Message::text(format!(
                                r#"{{"event":"media","streamSid":"{sid}","media":{{"payload":"{delta}"}}}}"#
                            )))
                            .await?;
                        to_twilio
                            .feed(Message::text(format!(
                                r#"{{"event":"mark","streamSid":"{sid}","mark":{{"name":"responsePart"}}}}"#
                            )))
                            .await?;
                        to_twilio.flush().await?;
                        state.response_start_ms.get_or_insert(state.latest_media_ms);
                        if let Some(item) = event.item_id {
                            state.last_item = Some(item.into_owned());
                        }
                        state.marks_outstanding += 1;
                    }
                    ("input_audio_buffer.speech_started", _) if state.marks_outstanding > 0 => {
                        if let (Some(start), Some(item)) =
                            (state.response_start_ms, state.last_item.take())
                        {
                            let heard = state.latest_media_ms.saturating_sub(start);
                            to_provider
                                .send(Message::text(format!(
                                    r#"{{"type":"conversation.item.truncate","item_id":"{item}","content_index":0,"audio_end_ms":{heard}}}"#
                                )))
                                .await?;
                        }
                        let sid = &state.stream_sid;
                        to_twilio
                            .send(Message::text(format!(r#"{{"event":"clear","streamSid":"{sid}"}}"#)))
                            .await?;
                        state.marks_outstanding = 0;
                        state.response_start_ms = None;
                    }
                    _ => {}
                }
            }
        }
    }
    Ok(())
}
