//! A small client of Twilio's REST API (2010-04-01): send a message,
//! redirect a live call, and typed JSON requests for the rest (numbers, accounts:
//! `crate::provisioning::numbers`). The base URL is configuration (a loopback fake in
//! tests); credentials are per call so BYO-Twilio tenants use their own.

use servicepro_schema::error::{cause_of, Cause};
use servicepro_schema::MessageStatus;
use servicepro_schema::{SecretString, E164};
use std::time::Duration;
use url::Url;

/// Account credentials for one request (platform or the tenant's own).
#[derive(Debug, Clone)]
pub struct TwilioCredentials {
    /// Account SID (`AC…`).
    pub account_sid: String,
    /// Auth token (never printed).
    pub auth_token: SecretString,
}

/// Where a text is sent from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SmsFrom {
    /// A phone number.
    Number(E164),
    /// A Messaging Service SID (`MG…`), which picks the sender itself.
    MessagingService(String),
}

/// What Twilio answered for a created message.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct CreatedMessage {
    /// Message SID (`SM…`).
    pub sid: String,
    /// Initial status, usually `queued` or `accepted`.
    pub status: String,
}

impl CreatedMessage {
    /// The initial status as stored. A status Twilio does not document for a new
    /// message is logged and stored as `queued`: Twilio has the text either way, and
    /// its status callbacks move it on.
    pub fn status(&self) -> MessageStatus {
        self.status.parse().unwrap_or_else(|e| {
            tracing::warn!(sid = %self.sid, error = %e, "undocumented status for a created message; stored as queued");
            MessageStatus::Queued
        })
    }
}

/// A failed Twilio request.
#[derive(Debug, Clone, thiserror::Error)]
pub enum TwilioError {
    /// Twilio answered with an error (e.g. 21610: recipient unsubscribed).
    #[error("twilio {status}: {message} (code {code})")]
    Api {
        /// HTTP status.
        status: u16,
        /// Twilio error code.
        code: i64,
        /// Twilio's message.
        message: String,
    },
    /// Twilio could not be reached or timed out (the HTTP client's error).
    #[error("twilio unreachable: {0}")]
    Transport(#[source] Cause),
    /// The answer was not what Twilio documents, or its URL could not be built.
    #[error("unexpected twilio answer: {0}")]
    Decode(#[source] Cause),
}

impl TwilioError {
    /// Worth retrying later (network trouble, 429, 5xx).
    pub fn is_transient(&self) -> bool {
        match self {
            TwilioError::Transport(_) => true,
            TwilioError::Api { status, .. } => *status == 429 || *status >= 500,
            TwilioError::Decode(_) => false,
        }
    }
}

#[derive(serde::Deserialize)]
struct ApiErrorBody {
    code: Option<i64>,
    message: Option<String>,
}

/// The REST client.
#[derive(Debug, Clone)]
pub struct TwilioRest {
    http: reqwest::Client,
    base: Url,
}

impl TwilioRest {
    /// A client of the API at `base` (e.g. `https://api.twilio.com`).
    pub fn new(base: Url) -> Result<Self, TwilioError> {
        crate::tls::install_crypto_provider();
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .connect_timeout(Duration::from_secs(5))
            .build()
            .map_err(|e| TwilioError::Transport(cause_of(e)))?;
        Ok(TwilioRest { http, base })
    }

    fn endpoint(&self, creds: &TwilioCredentials, tail: &str) -> Result<Url, TwilioError> {
        let path = format!("2010-04-01/Accounts/{}/{tail}", creds.account_sid);
        self.base
            .join(&path)
            .map_err(|e| TwilioError::Decode(cause_of(e)))
    }

    async fn post_form(
        &self,
        creds: &TwilioCredentials,
        tail: &str,
        form: &[(&str, &str)],
    ) -> Result<reqwest::Response, TwilioError> {
        let url = self.endpoint(creds, tail)?;
        self.send(creds, self.http.post(url).form(form)).await
    }

    /// Sends an authenticated request; a non-2xx answer is a [`TwilioError::Api`].
    async fn send(
        &self,
        creds: &TwilioCredentials,
        request: reqwest::RequestBuilder,
    ) -> Result<reqwest::Response, TwilioError> {
        let res = request
            .basic_auth(&creds.account_sid, Some(creds.auth_token.expose_secret()))
            .send()
            .await
            .map_err(|e| TwilioError::Transport(cause_of(e)))?;
        if res.status().is_success() {
            return Ok(res);
        }
        let status = res.status().as_u16();
        let body: Option<ApiErrorBody> = res.json().await.ok();
        Err(TwilioError::Api {
            status,
            code: body.as_ref().and_then(|b| b.code).unwrap_or_default(),
            message: body
                .and_then(|b| b.message)
                .unwrap_or_else(|| format!("HTTP {status}")),
        })
    }

    async fn decode<T: serde::de::DeserializeOwned>(
        res: reqwest::Response,
    ) -> Result<T, TwilioError> {
        res.json::<T>()
            .await
            .map_err(|e| TwilioError::Decode(cause_of(e)))
    }

    /// `GET /2010-04-01/Accounts/{sid}/{tail}` with `query`, decoded from JSON.
    pub async fn get_json<T: serde::de::DeserializeOwned>(
        &self,
        creds: &TwilioCredentials,
        tail: &str,
        query: &[(&str, &str)],
    ) -> Result<T, TwilioError> {
        let mut url = self.endpoint(creds, tail)?;
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        let res = self.send(creds, self.http.get(url)).await?;
        Self::decode(res).await
    }

    /// `POST /2010-04-01/Accounts/{sid}/{tail}` (form-encoded), decoded from JSON.
    pub async fn post_json<T: serde::de::DeserializeOwned>(
        &self,
        creds: &TwilioCredentials,
        tail: &str,
        form: &[(&str, &str)],
    ) -> Result<T, TwilioError> {
        Self::decode(self.post_form(creds, tail, form).await?).await
    }

    /// `DELETE /2010-04-01/Accounts/{sid}/{tail}`.
    pub async fn delete(&self, creds: &TwilioCredentials, tail: &str) -> Result<(), TwilioError> {
        let url = self.endpoint(creds, tail)?;
        self.send(creds, self.http.delete(url)).await.map(|_| ())
    }

    /// `GET /2010-04-01/Accounts/{sid}.json`: the account itself, which answers only
    /// to its own credentials (how BYO credentials are checked before storing).
    pub async fn fetch_account(
        &self,
        creds: &TwilioCredentials,
    ) -> Result<serde_json::Value, TwilioError> {
        let path = format!("2010-04-01/Accounts/{}.json", creds.account_sid);
        let url = self
            .base
            .join(&path)
            .map_err(|e| TwilioError::Decode(cause_of(e)))?;
        Self::decode(self.send(creds, self.http.get(url)).await?).await
    }

    /// Sends a text (`POST /Accounts/{sid}/Messages.json`).
    pub async fn send_sms(
        &self,
        creds: &TwilioCredentials,
        from: &SmsFrom,
        to: &str,
        body: &str,
        status_callback: Option<&str>,
    ) -> Result<CreatedMessage, TwilioError> {
        let mut form: Vec<(&str, &str)> = vec![("To", to), ("Body", body)];
        match from {
            SmsFrom::Number(n) => form.push(("From", n.as_str())),
            SmsFrom::MessagingService(sid) => form.push(("MessagingServiceSid", sid)),
        }
        if let Some(cb) = status_callback {
            form.push(("StatusCallback", cb));
        }
        self.post_json(creds, "Messages.json", &form).await
    }

    /// Replaces a live call's TwiML (`POST /Accounts/{sid}/Calls/{CallSid}.json`
    /// with `Twiml`): handoffs and fallbacks redirect calls this way.
    pub async fn redirect_call(
        &self,
        creds: &TwilioCredentials,
        call_sid: &str,
        twiml: &str,
    ) -> Result<(), TwilioError> {
        self.post_form(
            creds,
            &format!("Calls/{call_sid}.json"),
            &[("Twiml", twiml)],
        )
        .await
        .map(|_| ())
    }
}
