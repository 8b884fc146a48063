//! The URLs we hand Twilio in TwiML: all under `SERVICEPRO_PUBLIC_URL`
//! (they are signed against it), each carrying the tenant id in its query
//! so the callback names its tenant even when Twilio's fields do not.

use url::form_urlencoded::Serializer;

/// Builds callback URLs from the public base URL.
#[derive(Debug, Clone)]
pub struct CallbackUrls {
    base: String,
    stream_base: String,
}

impl CallbackUrls {
    /// URLs under `public_url` (e.g. `https://sp.example.com`).
    pub fn new(public_url: &url::Url) -> Self {
        let base = public_url.as_str().trim_end_matches('/').to_owned();
        let stream_base = match public_url.scheme() {
            "https" => base.replacen("https://", "wss://", 1),
            _ => base.replacen("http://", "ws://", 1),
        };
        CallbackUrls { base, stream_base }
    }

    /// The base the hosted pages (the booking page) live under.
    pub fn public_base(&self) -> crate::booking::link::PublicBase {
        crate::booking::link::PublicBase::from_trimmed(&self.base)
    }

    fn url(&self, path: &str, tenant: &str, extra: &[(&str, &str)]) -> String {
        let mut query = Serializer::new(String::new());
        query.append_pair("tenant_id", tenant);
        for (k, v) in extra {
            query.append_pair(k, v);
        }
        format!("{}{path}?{}", self.base, query.finish())
    }

    /// The webhooks set on a number we buy: calls, call status and texts (they
    /// carry no tenant: the number says whose it is).
    pub fn number_webhooks(&self) -> crate::provisioning::numbers::NumberWebhooks {
        crate::provisioning::numbers::NumberWebhooks {
            voice: format!("{}/twilio/voice/incoming", self.base),
            voice_status: format!("{}/twilio/voice/status", self.base),
            sms: format!("{}/twilio/sms/incoming", self.base),
        }
    }

    /// The IVR menu's action (attempt counts repeats of the menu).
    pub fn ivr(&self, tenant: &str, attempt: u32) -> String {
        self.url(
            "/twilio/voice/ivr",
            tenant,
            &[("attempt", &attempt.to_string())],
        )
    }

    /// Where Twilio reports how a forwarded call ended.
    pub fn dial_complete(&self, tenant: &str) -> String {
        self.url("/twilio/voice/dial-complete", tenant, &[])
    }

    /// Where Twilio reports a finished voicemail recording.
    pub fn recording(&self, tenant: &str, caller: &str) -> String {
        self.url("/twilio/voice/recording", tenant, &[("from", caller)])
    }

    /// Where the caller goes after leaving a voicemail.
    pub fn voicemail_done(&self, tenant: &str) -> String {
        self.url("/twilio/voice/voicemail-done", tenant, &[])
    }

    /// The speech receptionist's next turn (`turn` counts silent turns in a row).
    pub fn voice_agent(&self, tenant: &str, turn: u32) -> String {
        self.url(
            "/twilio/voice/agent",
            tenant,
            &[("turn", &turn.to_string())],
        )
    }

    /// The media-stream websocket of `tenant`'s calls. `<Stream>` drops query
    /// strings, so the tenant is a path segment: the handshake's signature covers it,
    /// and the edge verifies it with that tenant's own Twilio token when it brought
    /// one. The call travels as `<Parameter>`s.
    pub fn media_stream(&self, tenant: &str) -> String {
        format!("{}/twilio/media-stream/{tenant}", self.stream_base)
    }

    /// The status callback of our outbound texts.
    pub fn sms_status(&self, tenant: &str, message_id: i64) -> String {
        self.url(
            "/twilio/sms/status",
            tenant,
            &[("message_id", &message_id.to_string())],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_signed_callback_urls() {
        let urls = CallbackUrls::new(&url::Url::parse("https://sp.example.com/").unwrap());
        assert_eq!(
            urls.ivr("acme", 2),
            "https://sp.example.com/twilio/voice/ivr?tenant_id=acme&attempt=2"
        );
        assert_eq!(
            urls.recording("acme", "+14158675309"),
            "https://sp.example.com/twilio/voice/recording?tenant_id=acme&from=%2B14158675309"
        );
        assert_eq!(
            urls.media_stream("acme"),
            "wss://sp.example.com/twilio/media-stream/acme"
        );
        let local = CallbackUrls::new(&url::Url::parse("http://127.0.0.1:8080").unwrap());
        assert_eq!(
            local.media_stream("acme"),
            "ws://127.0.0.1:8080/twilio/media-stream/acme"
        );
    }
}
