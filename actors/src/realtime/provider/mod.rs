//! Provider sessions: the [`RealtimeConnector`] the engine opens AI voice sessions with,
//! the [`RealtimeSession`] it holds for a call, and [`OpenAiRealtime`], the connector for
//! the OpenAI Realtime API (and for the loopback fake, which speaks the same protocol).
//!
//! A session's websocket runs in its own tokio task behind two bounded channels; the
//! engine never touches the socket. Dropping the session (or its [`SessionGuard`])
//! closes the socket at once and ends the task.

mod error;
mod io_task;
mod openai;
mod session;
#[cfg(test)]
mod tests;

use futures_util::future::BoxFuture;

pub use error::ProviderError;
pub use openai::OpenAiRealtime;
#[cfg(any(test, feature = "testkit"))]
pub(crate) use openai::READ_BUFFER_BYTES;
pub use session::{
    RealtimeSession, SessionGuard, SessionOptions, SessionSender, SessionStats, TrySendError,
};

use crate::realtime::openai_events::SessionConfig;

/// Opens provider sessions. Object-safe (`Arc<dyn RealtimeConnector>`) with `Send`
/// futures, so call actors can be handed a real provider or a test double.
pub trait RealtimeConnector: Send + Sync {
    /// Opens a session configured by `config` (sent as its first `session.update`).
    fn connect(
        &self,
        config: SessionConfig,
    ) -> BoxFuture<'static, Result<RealtimeSession, ProviderError>>;
}
