//! A small typed client of the two Stripe calls billing makes, over the
//! `reqwest` already in the tree (BENCHMARKS.md has why not `async-stripe`):
//! read a subscription, and move it to another price with proration.

use super::wire::{ErrorBody, Subscription};
use servicepro_schema::error::{cause_of, Cause};
use servicepro_schema::SecretString;
use std::time::Duration;
use url::Url;

/// Why a Stripe call failed.
#[derive(Debug, thiserror::Error)]
pub enum StripeError {
    /// Stripe refused the payment (HTTP 402, a `card_error`).
    #[error("payment refused: {message}")]
    PaymentRefused {
        /// Stripe's words, e.g. "Your card was declined."
        message: String,
        /// e.g. `card_declined`.
        code: Option<String>,
    },
    /// Stripe answered with another error status.
    #[error("Stripe answered {status}: {message}")]
    Api {
        /// HTTP status.
        status: u16,
        /// Stripe's message.
        message: String,
    },
    /// Stripe could not be reached.
    #[error("Stripe unreachable")]
    Transport(#[source] Cause),
    /// Stripe's answer could not be read.
    #[error("Stripe's answer could not be read")]
    Decode(#[source] Cause),
}

/// The Stripe REST API with the platform's secret key.
#[derive(Debug, Clone)]
pub struct StripeClient {
    http: reqwest::Client,
    base: Url,
    key: SecretString,
}

impl StripeClient {
    /// A client of the API at `base` (`https://api.stripe.com`, or a fake).
    pub fn new(base: Url, key: SecretString) -> Result<Self, StripeError> {
        crate::tls::install_crypto_provider();
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(20))
            .connect_timeout(Duration::from_secs(5))
            .build()
            .map_err(|e| StripeError::Transport(cause_of(e)))?;
        Ok(StripeClient { http, base, key })
    }

    fn url(&self, subscription: &str) -> Result<Url, StripeError> {
        self.base
            .join(&format!("v1/subscriptions/{subscription}"))
            .map_err(|e| StripeError::Decode(cause_of(e)))
    }

    /// `GET /v1/subscriptions/{id}`: the subscription as Stripe holds it now.
    pub async fn subscription(&self, id: &str) -> Result<Subscription, StripeError> {
        let request = self.http.get(self.url(id)?);
        self.send(request).await
    }

    /// `POST /v1/subscriptions/{id}`: its plan item moved to `price`, prorated
    /// (`create_prorations`, Stripe's default) and charged now or refused
    /// (`payment_behavior=error_if_incomplete`: a declined card is a 402 and the
    /// subscription is left as it was).
    pub async fn change_price(
        &self,
        id: &str,
        item: &str,
        price: &str,
    ) -> Result<Subscription, StripeError> {
        let form = [
            ("items[0][id]", item),
            ("items[0][price]", price),
            ("proration_behavior", "create_prorations"),
            ("payment_behavior", "error_if_incomplete"),
        ];
        let request = self.http.post(self.url(id)?).form(&form);
        self.send(request).await
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Result<Subscription, StripeError> {
        let response = request
            .bearer_auth(self.key.expose_secret())
            .send()
            .await
            .map_err(|e| StripeError::Transport(cause_of(e)))?;
        let status = response.status().as_u16();
        let body = response
            .bytes()
            .await
            .map_err(|e| StripeError::Transport(cause_of(e)))?;
        if (200..300).contains(&status) {
            return serde_json::from_slice(&body).map_err(|e| StripeError::Decode(cause_of(e)));
        }
        let detail = serde_json::from_slice::<ErrorBody>(&body).map(|b| b.error);
        match detail {
            Ok(e) if status == 402 => Err(StripeError::PaymentRefused {
                message: e.message,
                code: e.decline_code.or(e.code),
            }),
            Ok(e) => Err(StripeError::Api {
                status,
                message: e.message,
            }),
            Err(_) => Err(StripeError::Api {
                status,
                message: String::from_utf8_lossy(&body).chars().take(200).collect(),
            }),
        }
    }
}
