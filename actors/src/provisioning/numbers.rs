//! Twilio's phone-number resources on the wire (2010-04-01, form-encoded
//! requests, JSON answers): search local numbers by area code, buy one with our
//! webhooks set, find the numbers already bought for a tenant (by the
//! FriendlyName we tag them with), release one.

use crate::messaging::{TwilioCredentials, TwilioError, TwilioRest};
use servicepro_schema::{TenantId, E164};

/// The tag a number bought for `tenant` carries at Twilio (`FriendlyName`), so a
/// purchase whose answer was lost is found again before buying another.
pub fn friendly_name(tenant: &TenantId) -> String {
    format!("sp:{}", tenant.as_str())
}

/// Where Twilio sends a bought number's calls and texts.
#[derive(Debug, Clone)]
pub struct NumberWebhooks {
    /// `VoiceUrl`: `/twilio/voice/incoming`.
    pub voice: String,
    /// `StatusCallback`: `/twilio/voice/status`.
    pub voice_status: String,
    /// `SmsUrl`: `/twilio/sms/incoming`.
    pub sms: String,
}

impl NumberWebhooks {
    /// The webhook fields of a number's form.
    fn form(&self) -> [(&'static str, &str); 6] {
        [
            ("VoiceUrl", &self.voice),
            ("VoiceMethod", "POST"),
            ("StatusCallback", &self.voice_status),
            ("StatusCallbackMethod", "POST"),
            ("SmsUrl", &self.sms),
            ("SmsMethod", "POST"),
        ]
    }
}

/// A number bought (or found bought) at Twilio.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnedNumber {
    /// Its SID (`PN…`).
    pub sid: String,
    /// The number.
    pub phone_number: E164,
}

#[derive(Debug, serde::Deserialize)]
struct Available {
    phone_number: String,
}

#[derive(Debug, serde::Deserialize)]
struct AvailableList {
    #[serde(default)]
    available_phone_numbers: Vec<Available>,
}

#[derive(Debug, serde::Deserialize)]
struct Incoming {
    sid: String,
    phone_number: String,
    #[serde(default)]
    friendly_name: Option<String>,
}

#[derive(Debug, serde::Deserialize)]
struct IncomingList {
    #[serde(default)]
    incoming_phone_numbers: Vec<Incoming>,
}

fn decoded(number: &str) -> Result<E164, TwilioError> {
    E164::parse(number).map_err(|e| TwilioError::Decode(servicepro_schema::error::cause_of(e)))
}

impl Incoming {
    fn owned(self) -> Result<OwnedNumber, TwilioError> {
        Ok(OwnedNumber {
            phone_number: decoded(&self.phone_number)?,
            sid: self.sid,
        })
    }
}

/// Local US numbers in `area_code` that take both calls and texts, best first.
pub async fn search_local(
    twilio: &TwilioRest,
    creds: &TwilioCredentials,
    area_code: &str,
) -> Result<Vec<E164>, TwilioError> {
    let list: AvailableList = twilio
        .get_json(
            creds,
            "AvailablePhoneNumbers/US/Local.json",
            &[
                ("AreaCode", area_code),
                ("SmsEnabled", "true"),
                ("VoiceEnabled", "true"),
            ],
        )
        .await?;
    list.available_phone_numbers
        .iter()
        .map(|a| decoded(&a.phone_number))
        .collect()
}

/// Buys `number` for `tenant` with our webhooks (`POST IncomingPhoneNumbers.json`).
pub async fn buy(
    twilio: &TwilioRest,
    creds: &TwilioCredentials,
    tenant: &TenantId,
    number: &E164,
    hooks: &NumberWebhooks,
) -> Result<OwnedNumber, TwilioError> {
    let friendly = friendly_name(tenant);
    let mut form = vec![
        ("PhoneNumber", number.as_str()),
        ("FriendlyName", &friendly),
    ];
    form.extend(hooks.form());
    let bought: Incoming = twilio
        .post_json(creds, "IncomingPhoneNumbers.json", &form)
        .await?;
    bought.owned()
}

/// The numbers in the account tagged for `tenant` (see [`friendly_name`]).
pub async fn bought_for(
    twilio: &TwilioRest,
    creds: &TwilioCredentials,
    tenant: &TenantId,
) -> Result<Vec<OwnedNumber>, TwilioError> {
    let friendly = friendly_name(tenant);
    let list: IncomingList = twilio
        .get_json(
            creds,
            "IncomingPhoneNumbers.json",
            &[("FriendlyName", &friendly)],
        )
        .await?;
    list.incoming_phone_numbers
        .into_iter()
        .filter(|n| n.friendly_name.as_deref() == Some(friendly.as_str()))
        .map(Incoming::owned)
        .collect()
}

/// The number `number` in the account, if the account holds it.
pub async fn find_in_account(
    twilio: &TwilioRest,
    creds: &TwilioCredentials,
    number: &E164,
) -> Result<Option<OwnedNumber>, TwilioError> {
    let list: IncomingList = twilio
        .get_json(
            creds,
            "IncomingPhoneNumbers.json",
            &[("PhoneNumber", number.as_str())],
        )
        .await?;
    list.incoming_phone_numbers
        .into_iter()
        .find(|n| n.phone_number == number.as_str())
        .map(Incoming::owned)
        .transpose()
}

/// Releases a number back to Twilio (`DELETE IncomingPhoneNumbers/{sid}.json`).
pub async fn release(
    twilio: &TwilioRest,
    creds: &TwilioCredentials,
    sid: &str,
) -> Result<(), TwilioError> {
    twilio
        .delete(creds, &format!("IncomingPhoneNumbers/{sid}.json"))
        .await
}

/// Points a number already in the account at our webhooks
/// (`POST IncomingPhoneNumbers/{sid}.json`): a tenant bringing its own number.
pub async fn point_at_us(
    twilio: &TwilioRest,
    creds: &TwilioCredentials,
    sid: &str,
    hooks: &NumberWebhooks,
) -> Result<(), TwilioError> {
    let _: serde_json::Value = twilio
        .post_json(
            creds,
            &format!("IncomingPhoneNumbers/{sid}.json"),
            &hooks.form(),
        )
        .await?;
    Ok(())
}
