//! The tenant API (`Authorization: Bearer <tenant api key>`, [`TenantApi`]): an
//! owner reads their profile, changes their settings, rotates their key and
//! switches between their own Twilio account and the platform's. Every handler
//! touches only the key's own tenant.

use crate::auth::TenantApi;
use crate::body::BoundedBody;
use crate::error::ApiError;
use crate::routes::admin::parse_sip_uri;
use crate::routes::json_fields::Fields;
use crate::state::AppState;
use actix_web::{web, HttpResponse};
use servicepro_actors::brain::db_tools::ServiceArea;
use servicepro_actors::packs::BusinessHours;
use servicepro_actors::tenant::admin::ForwardTarget;
use servicepro_actors::tenant::byo_twilio::{self, parse_account_sid, ByoError, OwnAccount};
use servicepro_actors::tenant::{
    api_keys, profile, ChangedBy, SettingsUpdate, SuspendedCallBehavior,
};
use servicepro_schema::{IvrMode, SecretString, VoiceAudio, E164};

/// `GET /api/tenant`: the key's tenant's profile.
pub async fn get_tenant(
    auth: TenantApi,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let db = state.tenant_db(auth.tenant);
    let found = profile::profile(&db, (state.clock)()).await?;
    Ok(HttpResponse::Ok().json(found))
}

const SETTINGS: [&str; 12] = [
    "business_hours",
    "service_area",
    "booking_url",
    "ivr_mode",
    "sip_uri",
    "forward_to",
    "voice_audio",
    "record_calls",
    "time_zone",
    "owner_phone",
    "owner_email",
    "suspended_call_behavior",
];

/// The forwarding target, when one of `sip_uri` and `forward_to` is given.
fn parse_forward(fields: &Fields) -> Result<Option<ForwardTarget>, ApiError> {
    let sip = fields.optional("sip_uri", parse_sip_uri)?;
    let number = fields.optional("forward_to", E164::parse)?;
    match (sip, number) {
        (Some(_), Some(_)) => Err(ApiError::invalid_field(
            "forward_to",
            "give sip_uri or forward_to, not both",
        )),
        (Some(sip), None) => Ok(Some(ForwardTarget::Sip(sip))),
        (None, Some(number)) => Ok(Some(ForwardTarget::Number(number))),
        (None, None) => Ok(None),
    }
}

/// The settings update in `fields` (the API's body, or a settings form in the
/// same shape), each field checked by the one rule for it.
pub(crate) fn parse_settings(fields: &Fields) -> Result<SettingsUpdate, ApiError> {
    fields.only(&SETTINGS)?;
    Ok(SettingsUpdate {
        business_hours: fields.optional_json::<BusinessHours>("business_hours")?,
        service_area: fields.optional_json::<ServiceArea>("service_area")?,
        booking_url: fields.optional_str("booking_url")?,
        ivr_mode: fields.optional("ivr_mode", str::parse::<IvrMode>)?,
        forward: parse_forward(fields)?,
        voice_audio: fields.optional("voice_audio", str::parse::<VoiceAudio>)?,
        record_calls: fields.optional_bool("record_calls")?,
        time_zone: fields.optional("time_zone", |raw| {
            raw.parse::<chrono_tz::Tz>()
                .map_err(|_| "not an IANA time zone, e.g. America/Chicago")
        })?,
        owner_phone: fields.optional("owner_phone", E164::parse)?,
        owner_email: fields.optional_str("owner_email")?,
        suspended_call_behavior: fields.optional(
            "suspended_call_behavior",
            str::parse::<SuspendedCallBehavior>,
        )?,
    })
}

/// `PATCH /api/tenant/settings`: validated, then through the tenant's actor
/// (`TenantRegistry::update_settings`), so the next call or text sees it; 204.
pub async fn patch_settings(
    auth: TenantApi,
    state: web::Data<AppState>,
    body: BoundedBody,
) -> Result<HttpResponse, ApiError> {
    let update = parse_settings(&Fields::parse(&body)?)?;
    state
        .tenants
        .update_settings(&auth.tenant, update, ChangedBy::Owner)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `POST /api/tenant/keys`: a new key (shown once); every other key of the tenant,
/// the one used here included, is revoked.
pub async fn rotate_key(
    auth: TenantApi,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let issued = api_keys::rotate(&state.tenant_db(auth.tenant), "default").await?;
    Ok(HttpResponse::Created().json(serde_json::json!({
        "api_key": issued.plaintext.expose_secret(),
        "key_prefix": issued.row.key_prefix,
    })))
}

impl From<ByoError> for ApiError {
    fn from(err: ByoError) -> Self {
        match err {
            ByoError::NotStarter(tier) => ApiError::conflict(
                "plan_tier",
                format!("the {tier} plan uses the platform's Twilio account"),
            ),
            ByoError::Refused(_) => ApiError::invalid_field(
                "auth_token",
                "Twilio refused this account SID and auth token",
            ),
            ByoError::NeedsNumber => ApiError::invalid_field(
                "phone_number",
                "phone_number is required: name the number in your Twilio account to use",
            ),
            ByoError::NotInAccount => {
                ApiError::invalid_field("phone_number", "this number is not in that Twilio account")
            }
            ByoError::Twilio(e) => {
                tracing::warn!(error = %e, "Twilio unavailable for a credentials check");
                ApiError::new(
                    actix_web::http::StatusCode::BAD_GATEWAY,
                    "twilio_unavailable",
                    "Twilio could not be reached to check the credentials; try again shortly",
                )
            }
            ByoError::Secret => ApiError::internal(),
            ByoError::Db(e) => e.into(),
        }
    }
}

/// `PUT /api/tenant/twilio {account_sid, auth_token, phone_number?}`: use the
/// tenant's own Twilio account (checked with Twilio before it is stored).
pub async fn use_own_twilio(
    auth: TenantApi,
    state: web::Data<AppState>,
    body: BoundedBody,
) -> Result<HttpResponse, ApiError> {
    let fields = Fields::parse(&body)?;
    fields.only(&["account_sid", "auth_token", "phone_number"])?;
    let own = OwnAccount {
        account_sid: fields.required("account_sid", parse_account_sid)?,
        auth_token: SecretString::from(fields.required_str("auth_token")?),
        phone_number: fields.optional("phone_number", E164::parse)?,
    };
    let sid = own.account_sid.clone();
    byo_twilio::use_own_account(
        &state.tenant_db(auth.tenant),
        &state.twilio,
        &state.secrets,
        &state.urls.number_webhooks(),
        own,
        state.config.voice_audio,
    )
    .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "twilio": "own", "account_sid": sid })))
}

/// `DELETE /api/tenant/twilio`: back to the platform's account (numbers and
/// history kept).
pub async fn use_platform_twilio(
    auth: TenantApi,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    byo_twilio::use_platform_account(&state.tenant_db(auth.tenant)).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "twilio": "platform" })))
}
