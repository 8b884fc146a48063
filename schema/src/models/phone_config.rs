//! The `tenant_phone_config` row: which number routes to which tenant, how.

use crate::ids::{TenantId, E164};
use crate::schema::tenant_phone_config;
use crate::types::{IvrMode, VoiceAudio};
use chrono::{DateTime, Utc};
use diesel::{Insertable, Queryable, Selectable};

/// A tenant's number and how it answers.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = tenant_phone_config, check_for_backend(diesel::pg::Pg))]
pub struct PhoneConfig {
    /// Owning tenant.
    pub tenant_id: TenantId,
    /// Row id within the tenant.
    pub id: i64,
    /// The number in E.164 (the admin API parses it before storing).
    pub phone_number: E164,
    /// Twilio messaging service used to send texts, if any.
    pub messaging_service_sid: Option<String>,
    /// How calls are answered.
    pub ivr_mode: IvrMode,
    /// Owner's SIP address for forwarding.
    pub sip_uri: Option<String>,
    /// Owner's phone number for forwarding.
    pub forward_to: Option<String>,
    /// SIP username, if credentials are kept.
    pub sip_username: Option<String>,
    /// SIP password, sealed with [`crate::SecretBox`].
    pub sip_password_encrypted: Option<Vec<u8>>,
    /// BYO Twilio account SID.
    pub twilio_account_sid: Option<String>,
    /// BYO Twilio auth token, sealed with [`crate::SecretBox`].
    pub twilio_auth_token_encrypted: Option<Vec<u8>>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
    /// AI receptionist audio to the provider: `pcmu` (pass-through) or `pcm16` (transcoded).
    pub voice_audio: VoiceAudio,
    /// Whether AI receptionist calls are recorded (both legs, Ogg Opus).
    pub record_calls: bool,
}

/// A number to attach to a tenant.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = tenant_phone_config)]
pub struct NewPhoneConfig {
    /// The number in E.164 (the admin API parses it before storing).
    pub phone_number: E164,
    /// How calls are answered.
    pub ivr_mode: IvrMode,
    /// Owner's SIP address.
    pub sip_uri: Option<String>,
    /// Owner's phone number.
    pub forward_to: Option<String>,
    /// Twilio messaging service.
    pub messaging_service_sid: Option<String>,
    /// BYO Twilio account SID.
    pub twilio_account_sid: Option<String>,
    /// BYO Twilio auth token, sealed.
    pub twilio_auth_token_encrypted: Option<Vec<u8>>,
    /// AI receptionist audio: `pcmu` or `pcm16`.
    pub voice_audio: VoiceAudio,
    /// Whether AI receptionist calls are recorded.
    pub record_calls: bool,
}
