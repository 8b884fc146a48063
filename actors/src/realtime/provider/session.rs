//! A live provider session as the engine holds it: a bounded channel of events out, a
//! bounded channel of events in, and a guard whose drop ends the websocket task.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use super::error::ProviderError;
use crate::realtime::openai_events::{ApiShape, ClientEvent, ServerEvent};

/// Tuning of one session's websocket task.
#[derive(Debug, Clone)]
pub struct SessionOptions {
    /// Protocol generation to encode client events for.
    pub shape: ApiShape,
    /// Capacity of each direction's channel. Nothing queues without bound: provider
    /// deltas (and events the engine ignores) that do not fit are dropped and counted,
    /// and [`SessionSender::try_send`] drops caller audio the same way.
    pub channel_capacity: usize,
    /// How often to ping the provider.
    pub keepalive_interval: Duration,
    /// How long the provider may stay silent (no frame, not even a pong) before the
    /// session fails with [`ProviderError::Timeout`].
    pub idle_timeout: Duration,
    /// How long a closing session waits for the provider's close frame.
    pub close_grace: Duration,
}

impl Default for SessionOptions {
    fn default() -> Self {
        Self {
            shape: ApiShape::Ga,
            channel_capacity: 256,
            keepalive_interval: Duration::from_secs(15),
            idle_timeout: Duration::from_secs(45),
            close_grace: Duration::from_millis(500),
        }
    }
}

/// Counters of one session, shared by its task and its handles.
#[derive(Debug, Default)]
pub(crate) struct SessionCounters {
    pub(crate) frames_in: AtomicU64,
    pub(crate) frames_out: AtomicU64,
    pub(crate) malformed_frames: AtomicU64,
    pub(crate) dropped_server_events: AtomicU64,
    pub(crate) dropped_client_events: AtomicU64,
}

/// A snapshot of a session's counters, for metrics and logs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SessionStats {
    /// Text frames received from the provider.
    pub frames_in: u64,
    /// Frames written to the provider.
    pub frames_out: u64,
    /// Provider frames that were not understood and were skipped.
    pub malformed_frames: u64,
    /// Audio or transcript deltas (or ignorable events) dropped because the engine was
    /// not keeping up.
    pub dropped_server_events: u64,
    /// Client events refused by [`SessionSender::try_send`] because the queue was full.
    pub dropped_client_events: u64,
}

impl SessionCounters {
    pub(crate) fn bump(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    fn snapshot(&self) -> SessionStats {
        SessionStats {
            frames_in: self.frames_in.load(Ordering::Relaxed),
            frames_out: self.frames_out.load(Ordering::Relaxed),
            malformed_frames: self.malformed_frames.load(Ordering::Relaxed),
            dropped_server_events: self.dropped_server_events.load(Ordering::Relaxed),
            dropped_client_events: self.dropped_client_events.load(Ordering::Relaxed),
        }
    }
}

/// Why [`SessionSender::try_send`] did not queue an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TrySendError {
    /// The queue is full; the event was dropped and counted.
    #[error("provider queue full: event dropped")]
    Full,
    /// The session has ended.
    #[error("provider session ended")]
    Closed,
}

/// Sends events to the provider. Cheap to clone; sending never outlives the session.
#[derive(Debug, Clone)]
pub struct SessionSender {
    tx: mpsc::Sender<ClientEvent>,
    counters: Arc<SessionCounters>,
}

impl SessionSender {
    /// Queues `event`, waiting for room. For control events (tool results, truncation).
    pub async fn send(&self, event: ClientEvent) -> Result<(), ProviderError> {
        self.tx
            .send(event)
            .await
            .map_err(|_| ProviderError::lost("provider session ended"))
    }

    /// Queues `event` if there is room, otherwise drops and counts it. For audio, which
    /// must never wait.
    pub fn try_send(&self, event: ClientEvent) -> Result<(), TrySendError> {
        self.tx.try_send(event).map_err(|err| match err {
            mpsc::error::TrySendError::Full(_) => {
                SessionCounters::bump(&self.counters.dropped_client_events);
                TrySendError::Full
            }
            mpsc::error::TrySendError::Closed(_) => TrySendError::Closed,
        })
    }

    /// The session's counters now.
    pub fn stats(&self) -> SessionStats {
        self.counters.snapshot()
    }
}

/// Owns a session's websocket task. Dropping it closes the socket at once (a close
/// frame, then the connection is dropped) and ends the task.
#[derive(Debug)]
pub struct SessionGuard {
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<Result<(), ProviderError>>>,
    #[cfg(test)]
    alive: std::sync::Weak<()>,
}

impl SessionGuard {
    /// Closes the session and waits for its task: `Ok` when we closed it, otherwise why
    /// it had already ended (provider close, lost connection, timeout).
    pub async fn close(mut self) -> Result<(), ProviderError> {
        drop(self.shutdown.take());
        match self.task.take() {
            Some(task) => task
                .await
                .unwrap_or_else(|_| Err(ProviderError::lost("session task ended abnormally"))),
            None => Ok(()),
        }
    }

    /// True once the websocket task has ended.
    pub fn is_finished(&self) -> bool {
        self.task.as_ref().is_none_or(JoinHandle::is_finished)
    }

    /// A handle that dies with the task, to prove in tests that no task outlives its session.
    #[cfg(test)]
    pub(crate) fn liveness(&self) -> std::sync::Weak<()> {
        self.alive.clone()
    }
}

impl Drop for SessionGuard {
    fn drop(&mut self) {
        // Dropping the sender wakes the task, which closes the socket and returns.
        drop(self.shutdown.take());
    }
}

/// An open provider session.
#[derive(Debug)]
pub struct RealtimeSession {
    sender: SessionSender,
    events: mpsc::Receiver<ServerEvent>,
    guard: SessionGuard,
}

/// The task's ends of a session's channels.
pub(crate) struct TaskEnds {
    pub(crate) commands: mpsc::Receiver<ClientEvent>,
    pub(crate) events: mpsc::Sender<ServerEvent>,
    pub(crate) shutdown: oneshot::Receiver<()>,
    pub(crate) counters: Arc<SessionCounters>,
    pub(crate) alive: Arc<()>,
}

impl RealtimeSession {
    /// Builds a session around a task started by `spawn` with the task's channel ends.
    pub(crate) fn start(
        capacity: usize,
        spawn: impl FnOnce(TaskEnds) -> JoinHandle<Result<(), ProviderError>>,
    ) -> Self {
        let capacity = capacity.max(1);
        let (tx, commands) = mpsc::channel(capacity);
        let (events_tx, events) = mpsc::channel(capacity);
        let (shutdown_tx, shutdown) = oneshot::channel();
        let counters = Arc::new(SessionCounters::default());
        let alive = Arc::new(());
        #[cfg(test)]
        let weak = Arc::downgrade(&alive);
        let task = spawn(TaskEnds {
            commands,
            events: events_tx,
            shutdown,
            counters: Arc::clone(&counters),
            alive,
        });
        Self {
            sender: SessionSender { tx, counters },
            events,
            guard: SessionGuard {
                shutdown: Some(shutdown_tx),
                task: Some(task),
                #[cfg(test)]
                alive: weak,
            },
        }
    }

    /// A sender to hand to whoever produces client events.
    pub fn sender(&self) -> &SessionSender {
        &self.sender
    }

    /// Queues `event`, waiting for room.
    pub async fn send(&self, event: ClientEvent) -> Result<(), ProviderError> {
        self.sender.send(event).await
    }

    /// Queues `event` if there is room, otherwise drops and counts it.
    pub fn try_send(&self, event: ClientEvent) -> Result<(), TrySendError> {
        self.sender.try_send(event)
    }

    /// The next provider event; `None` once the session has ended (then [`Self::close`]
    /// tells why).
    pub async fn recv(&mut self) -> Option<ServerEvent> {
        self.events.recv().await
    }

    /// The session's counters now.
    pub fn stats(&self) -> SessionStats {
        self.sender.stats()
    }

    /// Closes the session and waits for its task; see [`SessionGuard::close`].
    pub async fn close(self) -> Result<(), ProviderError> {
        self.guard.close().await
    }

    /// Splits the session so the sender, the event stream and the guard can live in
    /// different places (e.g. the events as an actor stream). The socket stays open while
    /// the guard lives and the receiver is read.
    pub fn into_parts(self) -> (SessionSender, mpsc::Receiver<ServerEvent>, SessionGuard) {
        (self.sender, self.events, self.guard)
    }

    #[cfg(test)]
    pub(crate) fn liveness(&self) -> std::sync::Weak<()> {
        self.guard.liveness()
    }
}
