//! A small OpenAI Chat Completions client: one `POST
//! {base}/v1/chat/completions` per call, with tools, bounded by a timeout.

use servicepro_schema::error::{cause, cause_of, Cause};
use std::fmt;
use std::time::Duration;

use servicepro_schema::SecretString;

use super::wire::{ChatMessage, ChatReply, CompletionBody, CompletionRequest, ToolChoice};

/// The model used unless configured otherwise.
pub const DEFAULT_MODEL: &str = "gpt-4.1-mini";

/// The API used unless configured otherwise.
pub const DEFAULT_BASE_URL: &str = "https://api.openai.com";

/// How long one request may take unless configured otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(8);

/// The most characters of an error body kept in [`ChatError::Http`].
const BODY_EXCERPT_CHARS: usize = 300;

/// A failed request to the provider.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ChatError {
    /// The provider answered with an error status (not 429).
    #[error("provider answered HTTP {0}: {1}")]
    Http(u16, String),
    /// No complete answer within the timeout.
    #[error("provider timed out")]
    Timeout,
    /// The answer was not a chat completion.
    #[error("undecodable provider answer: {0}")]
    Decode(#[source] Cause),
    /// HTTP 429, with the `Retry-After` seconds when given.
    #[error("provider rate limited the request (retry after {0:?} s)")]
    RateLimited(Option<u64>),
    /// The provider could not be reached.
    #[error("provider unreachable: {0}")]
    Transport(#[source] Cause),
    /// The client could not be built from its settings.
    #[error("bad provider settings: {0}")]
    Config(#[source] Cause),
}

/// A Chat Completions client.
#[derive(Clone)]
pub struct ChatClient {
    http: reqwest::Client,
    endpoint: String,
    api_key: SecretString,
    model: String,
    timeout: Duration,
}

impl fmt::Debug for ChatClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChatClient")
            .field("endpoint", &self.endpoint)
            .field("model", &self.model)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl ChatClient {
    /// A client of the API at `base_url` (e.g. `https://api.openai.com`;
    /// a trailing `/v1` is accepted), with the default model and timeout.
    pub fn new(base_url: &str, api_key: impl Into<SecretString>) -> Result<Self, ChatError> {
        crate::tls::install_crypto_provider();
        let http = reqwest::Client::builder()
            .connect_timeout(DEFAULT_TIMEOUT)
            .build()
            .map_err(|e| ChatError::Config(cause_of(e)))?;
        let base = base_url.trim().trim_end_matches('/');
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(ChatError::Config(cause(format!(
                "base URL {base:?} is not http(s)"
            ))));
        }
        let base = base.strip_suffix("/v1").unwrap_or(base);
        Ok(ChatClient {
            http,
            endpoint: format!("{base}/v1/chat/completions"),
            api_key: api_key.into(),
            model: DEFAULT_MODEL.to_owned(),
            timeout: DEFAULT_TIMEOUT,
        })
    }

    /// Uses `model` instead of [`DEFAULT_MODEL`].
    pub fn with_model(mut self, model: impl Into<String>) -> Self {
        self.model = model.into();
        self
    }

    /// Bounds each request by `timeout` instead of [`DEFAULT_TIMEOUT`].
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The model asked.
    pub fn model(&self) -> &str {
        &self.model
    }

    /// The full URL requests go to.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// Asks the model for the next assistant message. `tools` are
    /// function definitions (see
    /// [`tool_definitions`](super::tool_definitions)); `choice` is sent
    /// only with tools.
    pub async fn complete(
        &self,
        messages: &[ChatMessage],
        tools: &[serde_json::Value],
        choice: ToolChoice,
    ) -> Result<ChatReply, ChatError> {
        let request = CompletionRequest {
            model: &self.model,
            messages,
            tools,
            tool_choice: (!tools.is_empty()).then_some(choice),
        };
        let (status, retry_after, body) =
            match tokio::time::timeout(self.timeout, self.exchange(&request)).await {
                Ok(answer) => answer?,
                Err(_) => return Err(ChatError::Timeout),
            };
        if status == 429 {
            return Err(ChatError::RateLimited(retry_after));
        }
        if !(200..300).contains(&status) {
            return Err(ChatError::Http(status, excerpt(&body)));
        }
        decode(&body)
    }

    /// Sends the request and reads the whole answer.
    async fn exchange(
        &self,
        request: &CompletionRequest<'_>,
    ) -> Result<(u16, Option<u64>, String), ChatError> {
        let response = self
            .http
            .post(&self.endpoint)
            .bearer_auth(self.api_key.expose_secret())
            .timeout(self.timeout)
            .json(request)
            .send()
            .await
            .map_err(transport)?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.trim().parse().ok());
        let body = response.text().await.map_err(transport)?;
        Ok((status, retry_after, body))
    }
}

/// Reads a successful answer's first choice.
fn decode(body: &str) -> Result<ChatReply, ChatError> {
    let parsed: CompletionBody =
        serde_json::from_str(body).map_err(|e| ChatError::Decode(cause_of(e)))?;
    let usage = parsed.usage.unwrap_or_default();
    let choice = parsed
        .choices
        .into_iter()
        .next()
        .ok_or_else(|| ChatError::Decode(cause("no choices")))?;
    Ok(ChatReply {
        message: choice.message.into(),
        finish_reason: choice.finish_reason,
        usage,
    })
}

fn transport(error: reqwest::Error) -> ChatError {
    if error.is_timeout() {
        ChatError::Timeout
    } else {
        ChatError::Transport(cause_of(error))
    }
}

/// The start of an error body, for logs.
fn excerpt(body: &str) -> String {
    body.trim().chars().take(BODY_EXCERPT_CHARS).collect()
}
