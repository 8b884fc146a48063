//! Building the client from the environment: the LLM brain is on exactly
//! when `OPENAI_API_KEY` is set (and not blank).

use std::time::Duration;

use super::client::{ChatClient, ChatError, DEFAULT_BASE_URL};

/// The API key; without it the offline brain answers alone.
pub const ENV_API_KEY: &str = "OPENAI_API_KEY";
/// The API base URL (default [`DEFAULT_BASE_URL`]).
pub const ENV_BASE_URL: &str = "OPENAI_BASE_URL";
/// The chat model (default [`DEFAULT_MODEL`](super::DEFAULT_MODEL)).
pub const ENV_MODEL: &str = "OPENAI_CHAT_MODEL";
/// The per-request timeout in milliseconds (default 8000).
pub const ENV_TIMEOUT_MS: &str = "OPENAI_CHAT_TIMEOUT_MS";

impl ChatClient {
    /// The client configured by the process environment; `None` when
    /// [`ENV_API_KEY`] is unset or blank.
    pub fn from_env() -> Option<Result<Self, ChatError>> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Like [`ChatClient::from_env`], reading variables through `lookup`.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Option<Result<Self, ChatError>> {
        let set = |name: &str| {
            lookup(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let key = set(ENV_API_KEY)?;
        let base = set(ENV_BASE_URL).unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
        Some(ChatClient::new(&base, key).and_then(|client| {
            let client = match set(ENV_MODEL) {
                Some(model) => client.with_model(model),
                None => client,
            };
            match set(ENV_TIMEOUT_MS) {
                None => Ok(client),
                Some(ms) => ms
                    .parse::<u64>()
                    .ok()
                    .filter(|ms| *ms > 0)
                    .map(|ms| client.with_timeout(Duration::from_millis(ms)))
                    .ok_or_else(|| {
                        ChatError::Config(format!(
                            "{ENV_TIMEOUT_MS}={ms:?} is not a positive number"
                        ))
                    }),
            }
        }))
    }
}
