//! The Twilio `start` frame, parsed and checked once by the websocket edge against the
//! tenant its handshake was signed for, then handed to the [`CallActor`](super::CallActor)
//! as a typed [`StartFrame`] (the actor never parses a `start` itself).

use servicepro_schema::{TenantId, E164};
use thiserror::Error;

use crate::realtime::twilio_stream::{MediaFormat, Start};

/// The `<Parameter>` carrying the tenant id on the `<Stream>`.
pub const TENANT_PARAMETER: &str = "tenant_id";
/// The `<Parameter>` carrying the caller's number on the `<Stream>`.
pub const CALLER_PARAMETER: &str = "from";

/// Why a `start` frame was refused: the stream is closed and no call is started.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum StartRefused {
    /// Its `tenant_id` parameter names another tenant than the signed stream URL.
    #[error("the stream's tenant parameter {named:?} differs from its signed tenant {signed}")]
    ForeignTenant {
        /// The tenant the frame names.
        named: String,
        /// The tenant the handshake was signed for.
        signed: TenantId,
    },
}

/// A checked `start` frame: the stream and call it opens, and the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartFrame {
    /// Stream id (`MZ…`), addressed on every frame sent back.
    pub stream_sid: String,
    /// The call (`CA…`).
    pub call_sid: String,
    /// The caller's number as the `from` parameter carried it (empty when absent).
    pub from: String,
    /// Encoding of the caller's audio.
    pub media_format: MediaFormat,
}

impl StartFrame {
    /// Checks `start` for a stream whose handshake was signed for `tenant`: a `tenant_id`
    /// parameter, when present, must name that tenant. A format other than 8 kHz μ-law is
    /// logged and treated as it (Twilio sends nothing else today).
    pub fn check(start: Start, tenant: &TenantId) -> Result<Self, StartRefused> {
        let Start {
            stream_sid,
            call_sid,
            mut custom_parameters,
            media_format,
            ..
        } = start;
        if let Some(named) = custom_parameters.remove(TENANT_PARAMETER) {
            if named != tenant.as_str() {
                return Err(StartRefused::ForeignTenant {
                    named,
                    signed: tenant.clone(),
                });
            }
        }
        if !media_format.is_mulaw_8k_mono() {
            tracing::warn!(%call_sid, format = ?media_format, "unexpected media format; treating it as 8 kHz μ-law");
        }
        Ok(StartFrame {
            stream_sid,
            call_sid,
            from: custom_parameters
                .remove(CALLER_PARAMETER)
                .unwrap_or_default(),
            media_format,
        })
    }

    /// The caller's number, when the `from` parameter is a valid E.164 number.
    pub fn caller(&self) -> Option<E164> {
        E164::parse(&self.from).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::realtime::twilio_stream::{parse_twilio_frame, TwilioEvent};

    fn start(parameters: serde_json::Value, encoding: &str) -> Start {
        let frame = serde_json::json!({
            "event": "start", "sequenceNumber": "1", "streamSid": "MZ1",
            "start": {
                "streamSid": "MZ1", "accountSid": "AC1", "callSid": "CA1", "tracks": ["inbound"],
                "customParameters": parameters,
                "mediaFormat": { "encoding": encoding, "sampleRate": 8000, "channels": 1 }
            }
        })
        .to_string();
        match parse_twilio_frame(&frame) {
            Ok(TwilioEvent::Start(start)) => start,
            other => panic!("not a start frame: {other:?}"),
        }
    }

    fn acme() -> TenantId {
        TenantId::parse("acme").unwrap()
    }

    #[test]
    fn a_start_naming_its_signed_tenant_opens_the_call_with_its_caller() {
        let checked = StartFrame::check(
            start(
                serde_json::json!({"tenant_id": "acme", "from": "+14158675309"}),
                "audio/x-mulaw",
            ),
            &acme(),
        )
        .unwrap();
        assert_eq!(checked.stream_sid, "MZ1");
        assert_eq!(checked.call_sid, "CA1");
        assert_eq!(checked.from, "+14158675309");
        assert_eq!(checked.caller().unwrap().as_str(), "+14158675309");
    }

    #[test]
    fn a_start_naming_another_tenant_is_refused() {
        let refused = StartFrame::check(
            start(serde_json::json!({"tenant_id": "byo"}), "audio/x-mulaw"),
            &acme(),
        );
        assert_eq!(
            refused,
            Err(StartRefused::ForeignTenant {
                named: "byo".to_owned(),
                signed: acme(),
            })
        );
    }

    #[test]
    fn a_start_without_parameters_is_the_signed_tenants_with_no_caller() {
        let checked =
            StartFrame::check(start(serde_json::json!({}), "audio/x-mulaw"), &acme()).unwrap();
        assert_eq!(checked.from, "");
        assert!(checked.caller().is_none());
    }

    #[test]
    fn an_unexpected_format_is_kept_and_treated_as_mulaw() {
        let checked = StartFrame::check(
            start(serde_json::json!({"tenant_id": "acme"}), "audio/l16"),
            &acme(),
        )
        .unwrap();
        assert!(!checked.media_format.is_mulaw_8k_mono());
    }
}
