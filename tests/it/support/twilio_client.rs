//! Plays Twilio towards the app: signs webhooks with the account's auth
//! token over the app's public URL, exactly as Twilio's servers do, using
//! the signing code's known-answer-tested `expected_signature`.

use super::app::TestApp;
use servicepro_actors::twilio::expected_signature;

/// The platform account the test app is configured with.
pub const ACCOUNT_SID: &str = "AC00000000000000000000000000000001";
/// Its auth token.
pub const AUTH_TOKEN: &str = "platform-auth-token-0001";
/// The public URL the test app believes Twilio calls.
pub const PUBLIC_URL: &str = "https://sp.example.test";

impl TestApp {
    /// POSTs a webhook to `path_and_query`, signed with `token`.
    pub async fn twilio_post_with(
        &self,
        token: &str,
        path_and_query: &str,
        params: &[(&str, &str)],
    ) -> reqwest::Response {
        let pairs: Vec<(String, String)> = params
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let signature = expected_signature(token, &format!("{PUBLIC_URL}{path_and_query}"), &pairs);
        self.client
            .post(self.url(path_and_query))
            .header("X-Twilio-Signature", signature)
            .form(&pairs)
            .send()
            .await
            .unwrap()
    }

    /// POSTs a webhook signed with the platform token.
    pub async fn twilio_post(
        &self,
        path_and_query: &str,
        params: &[(&str, &str)],
    ) -> reqwest::Response {
        self.twilio_post_with(AUTH_TOKEN, path_and_query, params)
            .await
    }
}
