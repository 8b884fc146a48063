//! What the fake provider saw and did, per session, for tests to inspect.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::sync::Notify;

use crate::realtime::openai_events::ClientEvent;

/// One session as the fake saw it.
#[derive(Debug, Clone, Default)]
pub struct FakeSessionLog {
    /// The session id the fake gave it (`sess_fake_<n>`).
    pub session_id: String,
    /// The `Authorization` header of the upgrade request.
    pub authorization: Option<String>,
    /// The `OpenAI-Beta` header of the upgrade request.
    pub openai_beta: Option<String>,
    /// Every client event understood, in order (appends only when the script records
    /// audio).
    pub events: Vec<ClientEvent>,
    /// `input_audio_buffer.append` events received.
    pub appends: u64,
    /// Caller audio received, in bytes.
    pub audio_bytes: u64,
    /// Client frames the fake could not understand (answered with an `error` event).
    pub rejected: Vec<String>,
    /// `error` events the fake sent.
    pub errors_sent: Vec<String>,
    /// Responses the fake started (audio answers and tool calls).
    pub responses_started: u64,
    /// How the session ended, once it has.
    pub end: Option<FakeSessionEnd>,
}

impl FakeSessionLog {
    /// The `type`s of the recorded client events, in order.
    pub fn event_types(&self) -> Vec<&'static str> {
        self.events.iter().map(ClientEvent::kind).collect()
    }
}

/// How a fake session ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FakeSessionEnd {
    /// The client sent a close frame with this code.
    ClientClosed {
        /// Close code, when the frame had one.
        code: Option<u16>,
    },
    /// The connection went away without a close frame.
    ConnectionLost,
    /// The script dropped or closed it.
    ServerDropped,
}

/// Totals across sessions, cheap to read during a load test.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FakeServerStats {
    /// TCP connections accepted (refused ones included).
    pub connections: usize,
    /// Sessions currently open.
    pub open_sessions: usize,
    /// `input_audio_buffer.append` events received.
    pub appends: u64,
    /// Server events sent.
    pub events_sent: u64,
}

/// State shared by the accept loop, the connections and the handle.
#[derive(Debug, Default)]
pub(crate) struct Shared {
    sessions: Mutex<Vec<Arc<Mutex<FakeSessionLog>>>>,
    pub(crate) changed: Notify,
    pub(crate) connections: AtomicUsize,
    pub(crate) open: AtomicUsize,
    pub(crate) appends: AtomicU64,
    pub(crate) events_sent: AtomicU64,
}

/// Locks a mutex, shrugging off poisoning: a log is still worth reading after a panic.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Shared {
    /// Registers a new session's log and returns it with its index.
    pub(crate) fn new_session(&self) -> (usize, Arc<Mutex<FakeSessionLog>>) {
        let mut sessions = lock(&self.sessions);
        let index = sessions.len();
        let log = Arc::new(Mutex::new(FakeSessionLog {
            session_id: format!("sess_fake_{}", index + 1),
            ..FakeSessionLog::default()
        }));
        sessions.push(Arc::clone(&log));
        (index, log)
    }

    pub(crate) fn session(&self, index: usize) -> Option<Arc<Mutex<FakeSessionLog>>> {
        lock(&self.sessions).get(index).cloned()
    }

    pub(crate) fn session_count(&self) -> usize {
        lock(&self.sessions).len()
    }

    pub(crate) fn snapshot(&self) -> Vec<FakeSessionLog> {
        let sessions: Vec<_> = lock(&self.sessions).clone();
        sessions.iter().map(|log| lock(log).clone()).collect()
    }

    pub(crate) fn stats(&self) -> FakeServerStats {
        FakeServerStats {
            connections: self.connections.load(Ordering::Relaxed),
            open_sessions: self.open.load(Ordering::Relaxed),
            appends: self.appends.load(Ordering::Relaxed),
            events_sent: self.events_sent.load(Ordering::Relaxed),
        }
    }
}
