//! The demo's stand-in for Twilio's webhooks: signs and posts a request to
//! the running server exactly as Twilio would.

use servicepro_actors::twilio::expected_signature;

/// Posts signed webhooks to the server.
pub struct DemoTwilio {
    /// Where the server listens.
    pub server: String,
    /// The public URL it signs against.
    pub public_url: String,
    /// The account's auth token.
    pub auth_token: String,
    client: reqwest::Client,
}

impl DemoTwilio {
    /// A webhook poster.
    pub fn new(server: String, public_url: String, auth_token: String) -> Self {
        DemoTwilio {
            server,
            public_url,
            auth_token,
            client: reqwest::Client::new(),
        }
    }

    /// POSTs `params` to `path_and_query`, signed; returns status and body.
    pub async fn post(
        &self,
        path_and_query: &str,
        params: &[(&str, &str)],
    ) -> anyhow::Result<(u16, String)> {
        let pairs: Vec<(String, String)> = params
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        let url = format!("{}{path_and_query}", self.public_url.trim_end_matches('/'));
        let signature = expected_signature(&self.auth_token, &url, &pairs);
        let res = self
            .client
            .post(format!("{}{path_and_query}", self.server))
            .header("X-Twilio-Signature", signature)
            .form(&pairs)
            .send()
            .await?;
        Ok((res.status().as_u16(), res.text().await?))
    }
}

/// TwiML with one verb per line, for reading.
pub fn pretty_twiml(doc: &str) -> String {
    doc.replace("?><Response>", "?>\n<Response>\n  ")
        .replace("><Say", ">\n  <Say")
        .replace("><Gather", ">\n  <Gather")
        .replace("><Dial", ">\n  <Dial")
        .replace("><Record", ">\n  <Record")
        .replace("><Redirect", ">\n  <Redirect")
        .replace("><Connect", ">\n  <Connect")
        .replace("><Hangup", ">\n  <Hangup")
        .replace("></Response>", ">\n</Response>")
}
