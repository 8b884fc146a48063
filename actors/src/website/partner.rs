//! `websiteGeneratorMode`: sites are rendered by the built-in templates, or (`partner`)
//! the tenant's [`WebsiteSeed`] is POSTed as JSON to a partner's endpoint, signed
//! with HMAC-SHA256 over the body (`X-ServicePro-Signature: sha256=<hex>`, with the
//! Unix time in `X-ServicePro-Timestamp` covered by the signature as
//! `<timestamp>.<body>`), and retried with backoff on a transport error, a 429 or a
//! 5xx; any other 4xx is final.

use super::seed::WebsiteSeed;
use hmac::{Hmac, Mac};
use servicepro_schema::error::{cause_of, Cause};
use servicepro_schema::SecretString;
use sha2::Sha256;
use std::time::Duration;

/// Who renders tenants' sites.
#[derive(Debug, Clone)]
pub enum GeneratorMode {
    /// The ten templates here.
    BuiltIn,
    /// A partner, sent each seed.
    Partner(PartnerEndpoint),
}

/// Where seeds go and the key they are signed with.
#[derive(Debug, Clone)]
pub struct PartnerEndpoint {
    /// The partner's URL.
    pub url: url::Url,
    /// The shared signing key.
    pub secret: SecretString,
}

/// The header carrying the signature.
pub const SIGNATURE_HEADER: &str = "x-servicepro-signature";
/// The header carrying the signing time.
pub const TIMESTAMP_HEADER: &str = "x-servicepro-timestamp";
/// Tries per seed.
pub const ATTEMPTS: u32 = 3;

/// Why a seed did not reach the partner.
#[derive(Debug, thiserror::Error)]
pub enum PartnerError {
    /// The seed could not be encoded.
    #[error("the seed could not be encoded")]
    Encode(#[source] Cause),
    /// The partner refused it (a 4xx other than 429): not retried.
    #[error("the partner refused the seed with status {0}")]
    Refused(u16),
    /// Every try failed (transport error, 429 or 5xx).
    #[error("the partner did not accept the seed after {ATTEMPTS} tries")]
    Unreachable(#[source] Cause),
}

/// `sha256=<hex>` of `<timestamp>.<body>` under `secret`.
pub fn signature(
    secret: &SecretString,
    timestamp: i64,
    body: &[u8],
) -> Result<String, PartnerError> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.expose_secret().as_bytes())
        .map_err(|e| PartnerError::Encode(cause_of(e)))?;
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    Ok(format!(
        "sha256={}",
        hex::encode(mac.finalize().into_bytes())
    ))
}

/// Sends seeds to a partner.
#[derive(Debug, Clone)]
pub struct PartnerClient {
    http: reqwest::Client,
    endpoint: PartnerEndpoint,
    backoff: Duration,
}

impl PartnerClient {
    /// A client of `endpoint`, waiting `backoff`, then twice that, between tries.
    pub fn new(endpoint: PartnerEndpoint, backoff: Duration) -> Result<Self, PartnerError> {
        crate::tls::install_crypto_provider();
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .connect_timeout(Duration::from_secs(5))
            .build()
            .map_err(|e| PartnerError::Unreachable(cause_of(e)))?;
        Ok(PartnerClient {
            http,
            endpoint,
            backoff,
        })
    }

    /// POSTs `seed`, signed at `now` (Unix seconds); answers the partner's status.
    pub async fn send(&self, seed: &WebsiteSeed, now: i64) -> Result<u16, PartnerError> {
        self.send_json(seed, now).await
    }

    async fn send_json<T: serde::Serialize>(
        &self,
        seed: &T,
        now: i64,
    ) -> Result<u16, PartnerError> {
        let body = serde_json::to_vec(seed).map_err(|e| PartnerError::Encode(cause_of(e)))?;
        let signed = signature(&self.endpoint.secret, now, &body)?;
        let mut wait = self.backoff;
        let mut last: Cause = servicepro_schema::error::cause("no try made");
        for attempt in 1..=ATTEMPTS {
            let sent = self
                .http
                .post(self.endpoint.url.clone())
                .header("content-type", "application/json")
                .header(SIGNATURE_HEADER, &signed)
                .header(TIMESTAMP_HEADER, now.to_string())
                .body(body.clone())
                .send()
                .await;
            match sent {
                Ok(res) if res.status().is_success() => return Ok(res.status().as_u16()),
                Ok(res) if res.status().as_u16() == 429 || res.status().is_server_error() => {
                    last = servicepro_schema::error::cause(format!(
                        "status {}",
                        res.status().as_u16()
                    ));
                }
                Ok(res) => return Err(PartnerError::Refused(res.status().as_u16())),
                Err(e) => last = cause_of(e),
            }
            tracing::warn!(attempt, error = %last, "partner did not take the website seed");
            if attempt < ATTEMPTS {
                tokio::time::sleep(wait).await;
                wait *= 2;
            }
        }
        Err(PartnerError::Unreachable(last))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loopback::{Answer, LoopbackServer, RawRequest};

    #[derive(Default)]
    struct Partner {
        /// Statuses to answer, in order (then 200).
        script: Vec<u16>,
        received: Vec<RawRequest>,
    }

    fn partner(state: &mut Partner, req: RawRequest) -> Answer {
        state.received.push(req);
        let status = if state.script.is_empty() {
            200
        } else {
            state.script.remove(0)
        };
        Answer {
            status,
            body: "{}".to_owned(),
            headers: Vec::new(),
            delay: Duration::ZERO,
        }
    }

    fn header<'a>(req: &'a RawRequest, name: &str) -> &'a str {
        req.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_default()
    }

    fn seed_json() -> serde_json::Value {
        serde_json::json!({"business_name": "Acme"})
    }

    async fn client(server: &LoopbackServer<Partner>) -> PartnerClient {
        let endpoint = PartnerEndpoint {
            url: url::Url::parse(&format!("{}/seeds", server.base_url())).unwrap(),
            secret: SecretString::new("partner-secret"),
        };
        PartnerClient::new(endpoint, Duration::from_millis(5)).unwrap()
    }

    #[tokio::test]
    async fn a_seed_is_signed_and_retried_until_the_partner_takes_it() {
        let server = LoopbackServer::start(
            Partner {
                script: vec![503, 429],
                ..Partner::default()
            },
            partner,
        )
        .await
        .unwrap();
        let status = client(&server)
            .await
            .send_json(&seed_json(), 1_700_000_000)
            .await
            .unwrap();
        assert_eq!(status, 200);
        let state = server.state();
        assert_eq!(state.received.len(), 3, "two failures, then success");
        for req in &state.received {
            assert_eq!(req.path, "/seeds");
            assert_eq!(header(req, TIMESTAMP_HEADER), "1700000000");
            let expected = signature(
                &SecretString::new("partner-secret"),
                1_700_000_000,
                &req.body,
            )
            .unwrap();
            assert_eq!(header(req, SIGNATURE_HEADER), expected);
            let wrong = signature(&SecretString::new("other"), 1_700_000_000, &req.body).unwrap();
            assert_ne!(header(req, SIGNATURE_HEADER), wrong);
        }
        let body: serde_json::Value = serde_json::from_slice(&state.received[0].body).unwrap();
        assert_eq!(body["business_name"], "Acme");
    }

    #[tokio::test]
    async fn a_refusal_is_final_and_an_outage_gives_up_after_three_tries() {
        let server = LoopbackServer::start(
            Partner {
                script: vec![400],
                ..Partner::default()
            },
            partner,
        )
        .await
        .unwrap();
        let refused = client(&server).await.send_json(&seed_json(), 1).await;
        assert!(
            matches!(refused, Err(PartnerError::Refused(400))),
            "{refused:?}"
        );
        assert_eq!(server.state().received.len(), 1);

        server.state().script = vec![500, 502, 503, 200];
        server.state().received.clear();
        let down = client(&server).await.send_json(&seed_json(), 1).await;
        assert!(
            matches!(down, Err(PartnerError::Unreachable(_))),
            "{down:?}"
        );
        assert_eq!(server.state().received.len(), ATTEMPTS as usize);
    }
}
