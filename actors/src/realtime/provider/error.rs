//! What can go wrong with a provider session, sorted by what the engine does about it.

use servicepro_schema::error::Cause;
use thiserror::Error;

/// Why a provider session could not be opened or ended. Auth and rejections at the
/// handshake are configuration problems (do not retry at once); connect failures and
/// timeouts are worth a retry; `Closed` ends a live call's AI leg.
#[derive(Debug, Error)]
pub enum ProviderError {
    /// DNS, TCP, TLS or the websocket upgrade failed before any HTTP status.
    #[error("cannot connect to the realtime provider: {0}")]
    Connect(#[source] Cause),
    /// The handshake was refused with 401 or 403: bad or missing API key.
    #[error("the realtime provider refused our credentials (HTTP {status})")]
    Auth {
        /// HTTP status of the refusal.
        status: u16,
    },
    /// The handshake was refused with another HTTP status (404 model, 429 limits, 5xx).
    #[error("the realtime provider refused the connection (HTTP {status})")]
    Rejected {
        /// HTTP status of the refusal.
        status: u16,
    },
    /// The peer broke the websocket protocol, or an event could not be encoded.
    #[error("realtime protocol error: {0}")]
    Protocol(#[source] Cause),
    /// The socket closed: by the provider's close frame, or lost (code 1006).
    #[error("realtime session closed ({code}): {reason}")]
    Closed {
        /// Websocket close code (1000 normal, 1006 abnormal, 1011 server error…).
        code: u16,
        /// Close reason text.
        reason: String,
    },
    /// The handshake took too long, or the provider went silent (no frame, not even a
    /// pong) for longer than the idle timeout.
    #[error("realtime provider timed out: {0}")]
    Timeout(&'static str),
}

impl ProviderError {
    /// The session ended without a close frame (connection lost).
    pub(crate) fn lost(reason: impl Into<String>) -> Self {
        Self::Closed {
            code: 1006,
            reason: reason.into(),
        }
    }
}
