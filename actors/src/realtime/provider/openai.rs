//! The OpenAI Realtime API over a websocket (tokio-tungstenite with rustls).

use servicepro_schema::error::{cause, cause_of};
use std::fmt;
use std::time::Duration;

use futures_util::future::BoxFuture;
use servicepro_schema::SecretString;
use tokio::time::timeout;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::header::{HeaderName, HeaderValue, AUTHORIZATION};
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::Error as WsError;
use url::Url;

use super::error::ProviderError;
use super::io_task;
use super::session::{RealtimeSession, SessionOptions};
use super::RealtimeConnector;
use crate::realtime::openai_events::{ApiShape, ClientEvent, SessionConfig};

/// Largest provider message accepted; audio deltas are a few hundred KiB at most.
const MAX_MESSAGE_BYTES: usize = 8 << 20;

/// Read buffer of a provider socket. tungstenite zero-fills the free part of its read
/// buffer before every read, so its 128 KiB default cost a 128 KiB memset per frame
/// (a tenth of the engine's CPU under load); an audio delta is a few KiB and a larger
/// message grows the buffer as needed.
pub(crate) const READ_BUFFER_BYTES: usize = 8 << 10;

/// Opens OpenAI Realtime sessions. Cheap to clone; holds the API key (redacted from
/// `Debug`).
#[derive(Clone)]
pub struct OpenAiRealtime {
    url: Url,
    api_key: SecretString,
    connect_timeout: Duration,
    options: SessionOptions,
}

impl fmt::Debug for OpenAiRealtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OpenAiRealtime")
            .field("url", &self.url.as_str())
            .field("api_key", &self.api_key)
            .field("connect_timeout", &self.connect_timeout)
            .field("options", &self.options)
            .finish()
    }
}

impl OpenAiRealtime {
    /// A connector for `url` (e.g. `wss://api.openai.com/v1/realtime?model=gpt-realtime`,
    /// or a loopback fake's `ws://` URL) speaking the GA protocol.
    pub fn new(url: Url, api_key: impl Into<SecretString>) -> Self {
        Self {
            url,
            api_key: api_key.into(),
            connect_timeout: Duration::from_secs(10),
            options: SessionOptions::default(),
        }
    }

    /// Speak `shape`; [`ApiShape::Beta`] also sends `OpenAI-Beta: realtime=v1`.
    pub fn with_shape(mut self, shape: ApiShape) -> Self {
        self.options.shape = shape;
        self
    }

    /// Give up on the TCP + TLS + websocket handshake after `limit`.
    pub fn with_connect_timeout(mut self, limit: Duration) -> Self {
        self.connect_timeout = limit;
        self
    }

    /// Channel sizes, keepalive and close timings of the sessions opened.
    pub fn with_session_options(mut self, options: SessionOptions) -> Self {
        let shape = self.options.shape;
        self.options = SessionOptions { shape, ..options };
        self
    }

    /// The websocket URL sessions are opened on.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// Opens a session and sends `config` as its first `session.update`. The provider's
    /// `session.created` and `session.updated` arrive as events.
    pub async fn open(&self, config: SessionConfig) -> Result<RealtimeSession, ProviderError> {
        crate::tls::install_crypto_provider();
        let request = self.request()?;
        let ws_config = WebSocketConfig::default()
            .max_message_size(Some(MAX_MESSAGE_BYTES))
            .read_buffer_size(READ_BUFFER_BYTES);
        let handshake =
            tokio_tungstenite::connect_async_tls_with_config(request, Some(ws_config), true, None);
        let (ws, _response) = timeout(self.connect_timeout, handshake)
            .await
            .map_err(|_| ProviderError::Timeout("connecting to the provider"))?
            .map_err(handshake_error)?;
        let options = self.options.clone();
        let first = ClientEvent::SessionUpdate { session: config };
        Ok(RealtimeSession::start(options.channel_capacity, |ends| {
            tokio::spawn(io_task::run(ws, ends, options, Some(first)))
        }))
    }

    fn request(
        &self,
    ) -> Result<tokio_tungstenite::tungstenite::handshake::client::Request, ProviderError> {
        let mut request = self
            .url
            .as_str()
            .into_client_request()
            .map_err(|err| ProviderError::Connect(cause_of(err)))?;
        let mut bearer = HeaderValue::from_str(&format!("Bearer {}", self.api_key.expose_secret()))
            .map_err(|e| ProviderError::Connect(cause_of(e)))?;
        bearer.set_sensitive(true);
        let headers = request.headers_mut();
        headers.insert(AUTHORIZATION, bearer);
        if self.options.shape == ApiShape::Beta {
            headers.insert(
                HeaderName::from_static("openai-beta"),
                HeaderValue::from_static("realtime=v1"),
            );
        }
        Ok(request)
    }
}

impl RealtimeConnector for OpenAiRealtime {
    fn connect(
        &self,
        config: SessionConfig,
    ) -> BoxFuture<'static, Result<RealtimeSession, ProviderError>> {
        let this = self.clone();
        Box::pin(async move { this.open(config).await })
    }
}

/// Maps a handshake failure: 401/403 are credentials, other statuses rejections, and
/// everything before a status is a connect failure.
fn handshake_error(err: WsError) -> ProviderError {
    match err {
        WsError::Http(response) => match response.status().as_u16() {
            status @ (401 | 403) => ProviderError::Auth { status },
            status => ProviderError::Rejected { status },
        },
        WsError::Io(_) | WsError::Tls(_) | WsError::Url(_) | WsError::HttpFormat(_) => {
            ProviderError::Connect(cause_of(err))
        }
        WsError::ConnectionClosed | WsError::AlreadyClosed => {
            ProviderError::Connect(cause("connection closed during the handshake"))
        }
        other => ProviderError::Protocol(cause_of(other)),
    }
}
