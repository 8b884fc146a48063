//! The websocket task of one provider session: writes client events, parses provider
//! frames into events, keeps the connection alive, and closes the socket when the
//! session's guard is dropped. Events that are ready together (up to [`WRITE_BATCH`])
//! are encoded into tungstenite's buffer and flushed once: one socket write per wake-up,
//! not one per event, in the order they were handed over.

use servicepro_schema::error::{cause, cause_of};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::sync::mpsc;
use tokio::sync::mpsc::error::TrySendError;
use tokio::time::{timeout, Instant};
use tokio_tungstenite::tungstenite::error::ProtocolError;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::{Bytes, Error as WsError, Message};
use tokio_tungstenite::WebSocketStream;

use super::error::ProviderError;
use super::session::{SessionCounters, SessionOptions, TaskEnds};
use crate::realtime::openai_events::{
    encode_client_event, encode_client_event_owned, parse_server_event, ClientEvent, ServerEvent,
};

/// Most events written with one flush: a backlog (a slow provider catching up) still
/// goes out in bounded writes, and reading is never starved for long.
pub(crate) const WRITE_BATCH: usize = 32;

/// What the loop does after handling one frame or command.
pub(super) enum Step {
    Continue,
    /// Close the socket politely and end the session as ours.
    Close,
}

/// Runs the session until it is closed, lost or times out. `first` is written before
/// anything else (the session's `session.update`).
pub(crate) async fn run<S>(
    mut ws: WebSocketStream<S>,
    ends: TaskEnds,
    options: SessionOptions,
    first: Option<ClientEvent>,
) -> Result<(), ProviderError>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let TaskEnds {
        mut commands,
        events,
        mut shutdown,
        counters,
        alive: _alive,
    } = ends;
    if let Some(event) = first {
        write_event(&mut ws, &event, &options, &counters).await?;
    }
    let period = options.keepalive_interval.max(Duration::from_millis(10));
    let mut keepalive = tokio::time::interval_at(Instant::now() + period, period);
    keepalive.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut last_heard = Instant::now();
    loop {
        let step = tokio::select! {
            _ = &mut shutdown => Step::Close,
            command = commands.recv() => match command {
                Some(event) => {
                    // A provider that stops reading must not pin the task: the write is
                    // bounded by the idle timeout and abandoned on shutdown.
                    tokio::select! {
                        written = timeout(
                            options.idle_timeout,
                            write_ready(&mut ws, event, &mut commands, &options, &counters),
                        ) => match written {
                            Ok(result) => result.map(|()| Step::Continue)?,
                            Err(_) => return Err(ProviderError::Timeout("provider stopped reading")),
                        },
                        _ = &mut shutdown => return Ok(()),
                    }
                }
                None => Step::Close,
            },
            frame = ws.next() => {
                last_heard = Instant::now();
                match frame {
                    Some(Ok(Message::Close(frame))) => {
                        // Let tungstenite send its close reply before the socket drops.
                        let _ = timeout(options.close_grace, ws.flush()).await;
                        return Err(closed_by_peer(frame));
                    }
                    Some(Ok(message)) => {
                        let Some(event) = read_message(message, &counters) else {
                            continue;
                        };
                        tokio::select! {
                            _ = &mut shutdown => Step::Close,
                            step = forward(event, &events, &counters) => step,
                        }
                    }
                    Some(Err(err)) => return Err(session_error(err)),
                    None => return Err(ProviderError::lost("connection lost")),
                }
            },
            _ = keepalive.tick() => {
                if last_heard.elapsed() >= options.idle_timeout {
                    return Err(ProviderError::Timeout("no frame from the provider"));
                }
                tokio::select! {
                    sent = timeout(options.idle_timeout, ws.send(Message::Ping(Bytes::new()))) => {
                        match sent {
                            Ok(result) => result.map_err(session_error).map(|()| Step::Continue)?,
                            Err(_) => return Err(ProviderError::Timeout("provider stopped reading")),
                        }
                    }
                    _ = &mut shutdown => return Ok(()),
                }
            },
        };
        if let Step::Close = step {
            close(&mut ws, options.close_grace).await;
            return Ok(());
        }
    }
}

async fn write_event<S>(
    ws: &mut WebSocketStream<S>,
    event: &ClientEvent,
    options: &SessionOptions,
    counters: &SessionCounters,
) -> Result<(), ProviderError>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let text = encode_client_event(event, options.shape).map_err(|err| {
        ProviderError::Protocol(cause(format!("cannot encode {}: {err}", event.kind())))
    })?;
    ws.send(Message::text(text)).await.map_err(session_error)?;
    SessionCounters::bump(&counters.frames_out);
    Ok(())
}

/// Writes `first` and every further command already waiting (at most [`WRITE_BATCH`]
/// in all), in order, with one flush; each counts as written once the flush is done.
async fn write_ready<S>(
    ws: &mut WebSocketStream<S>,
    first: ClientEvent,
    commands: &mut mpsc::Receiver<ClientEvent>,
    options: &SessionOptions,
    counters: &SessionCounters,
) -> Result<(), ProviderError>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    feed_event(ws, first, options).await?;
    let mut fed = 1u64;
    while fed < WRITE_BATCH as u64 {
        // An empty or closed queue ends the batch; the loop sees the close next.
        let Ok(event) = commands.try_recv() else {
            break;
        };
        feed_event(ws, event, options).await?;
        fed += 1;
    }
    ws.flush().await.map_err(session_error)?;
    counters
        .frames_out
        .fetch_add(fed, std::sync::atomic::Ordering::Relaxed);
    Ok(())
}

/// Encodes `event` (an append in its own buffer) into the socket's write buffer
/// without flushing it.
async fn feed_event<S>(
    ws: &mut WebSocketStream<S>,
    event: ClientEvent,
    options: &SessionOptions,
) -> Result<(), ProviderError>
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let kind = event.kind();
    let text = encode_client_event_owned(event, options.shape)
        .map_err(|err| ProviderError::Protocol(cause(format!("cannot encode {kind}: {err}"))))?;
    ws.feed(Message::text(text)).await.map_err(session_error)
}

/// Turns a websocket message into an event; `None` for control frames and for frames
/// that are counted as malformed and skipped.
fn read_message(message: Message, counters: &SessionCounters) -> Option<ServerEvent> {
    match message {
        Message::Text(text) => {
            SessionCounters::bump(&counters.frames_in);
            match parse_server_event(text.as_str()) {
                Ok(event) => Some(event),
                Err(err) => {
                    SessionCounters::bump(&counters.malformed_frames);
                    tracing::debug!(error = %err, "skipping a provider frame");
                    None
                }
            }
        }
        Message::Binary(_) => {
            SessionCounters::bump(&counters.malformed_frames);
            None
        }
        Message::Close(_) | Message::Ping(_) | Message::Pong(_) | Message::Frame(_) => None,
    }
}

/// The session's end when the provider sends a close frame.
fn closed_by_peer(frame: Option<CloseFrame>) -> ProviderError {
    match frame {
        Some(frame) => ProviderError::Closed {
            code: frame.code.into(),
            reason: frame.reason.as_str().to_owned(),
        },
        None => ProviderError::Closed {
            code: 1005,
            reason: String::new(),
        },
    }
}

/// Hands an event to the engine. Deltas and events the engine ignores are dropped (and
/// counted) when the engine is behind; everything else waits for room.
pub(super) async fn forward(
    event: ServerEvent,
    events: &tokio::sync::mpsc::Sender<ServerEvent>,
    counters: &SessionCounters,
) -> Step {
    let droppable = matches!(
        event,
        ServerEvent::AudioDelta(_)
            | ServerEvent::TranscriptDelta(_)
            | ServerEvent::RateLimitsUpdated(_)
            | ServerEvent::Other(_)
    );
    if droppable {
        return match events.try_send(event) {
            Ok(()) => Step::Continue,
            Err(TrySendError::Full(_)) => {
                SessionCounters::bump(&counters.dropped_server_events);
                Step::Continue
            }
            Err(TrySendError::Closed(_)) => Step::Close,
        };
    }
    match events.send(event).await {
        Ok(()) => Step::Continue,
        Err(_) => Step::Close,
    }
}

/// Sends a normal close frame and waits briefly for the provider's; the socket is
/// dropped when the task returns either way.
async fn close<S>(ws: &mut WebSocketStream<S>, grace: Duration)
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let frame = CloseFrame {
        code: CloseCode::Normal,
        reason: "session closed".into(),
    };
    let _ = timeout(grace, async {
        if ws.close(Some(frame)).await.is_err() {
            return;
        }
        while let Some(Ok(_)) = ws.next().await {}
    })
    .await;
}

/// Maps a websocket error during a live session.
pub(crate) fn session_error(err: WsError) -> ProviderError {
    match err {
        WsError::ConnectionClosed | WsError::AlreadyClosed => {
            ProviderError::lost("connection closed")
        }
        WsError::Io(err) => ProviderError::lost(err.to_string()),
        WsError::Protocol(ProtocolError::ResetWithoutClosingHandshake) => {
            ProviderError::lost("connection reset without a close frame")
        }
        other => ProviderError::Protocol(cause_of(other)),
    }
}
