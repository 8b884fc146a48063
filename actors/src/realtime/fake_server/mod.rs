//! A loopback fake of the OpenAI Realtime API, for tests, the demo and the load bench.
//!
//! [`FakeRealtimeServer::start`] listens on `127.0.0.1:0` and speaks the websocket
//! protocol like the real API: `session.created` on connect, `session.updated` for each
//! `session.update`, scripted answers (audio and transcript deltas, `response.done` with
//! usage) on `response.create`, `speech_started`/`speech_stopped` from the caller's
//! audio, scripted function calls, and the real API's refusals (`response.cancel` with
//! no active response, truncation beyond the audio sent). It records every client event
//! per session. It is deterministic (ids are counters, audio is precomputed) and cheap:
//! one task per session, no timers unless an answer is paced in real time.

mod audio;
mod connection;
mod events;
mod log;
mod probe;
mod script;
mod state;
#[cfg(test)]
mod tests;

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::task::{JoinHandle, JoinSet};
use url::Url;

pub use log::{FakeServerStats, FakeSessionEnd, FakeSessionLog};
pub use probe::{FakeProbe, ProbeSink};
pub use script::{
    Disconnect, FakeAudio, FakeResponse, FakeScript, Pacing, Refusal, ScriptedToolCall,
    SpeechTrigger,
};

use audio::AudioCache;
use log::{lock, Shared};

/// Starts fake provider servers.
#[derive(Debug)]
pub struct FakeRealtimeServer;

impl FakeRealtimeServer {
    /// Listens on `127.0.0.1:0` and serves every connection with `script`. The server
    /// runs until the returned handle is dropped.
    pub async fn start(script: FakeScript) -> io::Result<(SocketAddr, FakeServerHandle)> {
        Self::start_on(0, script).await
    }

    /// Like [`Self::start`], on `127.0.0.1:port` (`0`: any free port), so a bridge
    /// started separately can be pointed at it.
    pub async fn start_on(
        port: u16,
        script: FakeScript,
    ) -> io::Result<(SocketAddr, FakeServerHandle)> {
        let listener = TcpListener::bind(("127.0.0.1", port)).await?;
        let addr = listener.local_addr()?;
        let url = Url::parse(&format!("ws://{addr}/v1/realtime?model=gpt-realtime"))
            .map_err(io::Error::other)?;
        let shared = Arc::new(Shared::default());
        let audio = Arc::new(AudioCache::new(
            script.response.audio,
            script.response.chunk_ms,
        ));
        let accept = tokio::spawn(accept_loop(
            listener,
            Arc::new(script),
            audio,
            Arc::clone(&shared),
        ));
        Ok((
            addr,
            FakeServerHandle {
                addr,
                url,
                shared,
                accept,
            },
        ))
    }
}

async fn accept_loop(
    listener: TcpListener,
    script: Arc<FakeScript>,
    audio: Arc<AudioCache>,
    shared: Arc<Shared>,
) {
    // Connections live in the set, so ending this task (the handle's drop) ends them.
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                if let Ok((stream, _)) = accepted {
                    connections.spawn(connection::serve(
                        stream,
                        Arc::clone(&script),
                        Arc::clone(&audio),
                        Arc::clone(&shared),
                    ));
                }
            }
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

/// A running fake server: where it listens, what it saw. Dropping it stops the server
/// and drops every open connection.
#[derive(Debug)]
pub struct FakeServerHandle {
    addr: SocketAddr,
    url: Url,
    shared: Arc<Shared>,
    accept: JoinHandle<()>,
}

impl FakeServerHandle {
    /// The listening address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The websocket URL to configure as the realtime URL.
    pub fn url(&self) -> Url {
        self.url.clone()
    }

    /// Totals across sessions.
    pub fn stats(&self) -> FakeServerStats {
        self.shared.stats()
    }

    /// Every session so far (websocket handshakes that succeeded), in connection order.
    pub fn sessions(&self) -> Vec<FakeSessionLog> {
        self.shared.snapshot()
    }

    /// The `index`-th session, if it has connected.
    pub fn session(&self, index: usize) -> Option<FakeSessionLog> {
        self.shared.session(index).map(|log| lock(&log).clone())
    }

    /// Waits until the `index`-th session exists and satisfies `ready`, for at most
    /// `limit`; returns its log then, or `None` on timeout.
    pub async fn wait_for_session(
        &self,
        index: usize,
        limit: Duration,
        ready: impl Fn(&FakeSessionLog) -> bool,
    ) -> Option<FakeSessionLog> {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let changed = self.shared.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            if let Some(log) = self.shared.session(index) {
                let log = lock(&log);
                if ready(&log) {
                    return Some(log.clone());
                }
            }
            if tokio::time::timeout_at(deadline, changed).await.is_err() {
                return None;
            }
        }
    }

    /// Waits until `count` connections have been accepted (refused ones included), for
    /// at most `limit`.
    pub async fn wait_for_connections(&self, count: usize, limit: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let changed = self.shared.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            if self.shared.stats().connections >= count {
                return true;
            }
            if tokio::time::timeout_at(deadline, changed).await.is_err() {
                return false;
            }
        }
    }

    /// Sessions that completed the websocket handshake.
    pub fn session_count(&self) -> usize {
        self.shared.session_count()
    }
}

impl Drop for FakeServerHandle {
    fn drop(&mut self) {
        self.accept.abort();
    }
}
