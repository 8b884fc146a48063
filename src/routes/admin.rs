//! The root admin API: create, list and inspect tenants (root token only).

use crate::auth::RootAdmin;
use crate::body::BoundedBody;
use crate::error::ApiError;
use crate::request_span::record_tenant;
use crate::routes::json_fields::Fields;
use crate::state::AppState;
use actix_web::{web, HttpResponse};
use servicepro_actors::tenant::admin::{
    self as tenant_admin, CreateTenant, ForwardTarget, TenantAdminError, INDUSTRIES,
};
use servicepro_actors::tenant::byo_twilio::parse_account_sid;
use servicepro_schema::{
    IvrMode, PlanTier, SecretString, TenantId, TenantStatus, VoiceAudio, E164,
};

fn parse_create(
    fields: &Fields,
    default_voice_audio: VoiceAudio,
) -> Result<CreateTenant, ApiError> {
    let id = fields.required("id", TenantId::parse)?;
    let name = fields.required_str("name")?;
    if name.chars().count() > 200 {
        return Err(ApiError::invalid_field(
            "name",
            "name must be at most 200 characters",
        ));
    }
    let industry = fields.required_str("industry")?;
    if !INDUSTRIES.contains(&industry.as_str()) {
        return Err(ApiError::invalid_field(
            "industry",
            format!("industry must be one of {}", INDUSTRIES.join(", ")),
        ));
    }
    let plan_tier = fields.required("plan_tier", str::parse::<PlanTier>)?;
    let status = fields.required("status", str::parse::<TenantStatus>)?;
    let phone_number = fields.required("phone_number", E164::parse)?;
    let ivr_mode = fields.required("ivr_mode", str::parse::<IvrMode>)?;
    let forward = parse_forward(fields)?;
    let byo_twilio = parse_byo_twilio(fields)?;
    let time_zone = fields
        .optional("time_zone", |raw| {
            raw.parse::<chrono_tz::Tz>()
                .map_err(|_| "not an IANA time zone, e.g. America/Chicago")
        })?
        .unwrap_or(chrono_tz::America::Chicago);
    let voice_audio = fields
        .optional("voice_audio", |raw| {
            raw.parse::<VoiceAudio>()
                .map_err(|_| "expected pcmu or pcm16")
        })?
        .unwrap_or(default_voice_audio);
    let record_calls = fields.optional_bool("record_calls")?.unwrap_or(false);
    Ok(CreateTenant {
        voice_audio,
        record_calls,
        id,
        name,
        industry,
        plan_tier,
        status,
        phone_number,
        ivr_mode,
        forward,
        byo_twilio,
        time_zone,
    })
}

/// Where a forwarded call goes: `sip_uri`, else `forward_to`; one is required.
fn parse_forward(fields: &Fields) -> Result<ForwardTarget, ApiError> {
    let sip_uri = fields.optional("sip_uri", parse_sip_uri)?;
    let forward_to = fields.optional("forward_to", E164::parse)?;
    match (sip_uri, forward_to) {
        (Some(sip), _) => Ok(ForwardTarget::Sip(sip)),
        (None, Some(number)) => Ok(ForwardTarget::Number(number)),
        (None, None) => Err(ApiError::invalid_field(
            "sip_uri",
            "one of sip_uri or forward_to is required",
        )),
    }
}

/// The tenant's own Twilio account: both `twilio_account_sid` and
/// `twilio_auth_token`, or neither.
fn parse_byo_twilio(fields: &Fields) -> Result<Option<(String, SecretString)>, ApiError> {
    let token = fields.optional_str("twilio_auth_token")?;
    let sid = fields.optional("twilio_account_sid", parse_account_sid)?;
    match (sid, token) {
        (Some(sid), Some(token)) => Ok(Some((sid, SecretString::from(token)))),
        (None, None) => Ok(None),
        (None, Some(_)) => Err(ApiError::invalid_field(
            "twilio_account_sid",
            "twilio_account_sid is required with twilio_auth_token",
        )),
        (Some(_), None) => Err(ApiError::invalid_field(
            "twilio_auth_token",
            "twilio_auth_token is required with twilio_account_sid",
        )),
    }
}

/// Accepts `user@host` or `sip:user@host` and stores `user@host`.
pub(crate) fn parse_sip_uri(raw: &str) -> Result<String, &'static str> {
    let bare = raw.strip_prefix("sip:").unwrap_or(raw);
    let (user, host) = bare.split_once('@').ok_or("expected user@domain")?;
    let ok = !user.is_empty()
        && host.contains('.')
        && bare
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "@.-_+%;=:".contains(c));
    if ok {
        Ok(bare.to_owned())
    } else {
        Err("expected user@domain, e.g. jody@cleanmachine.sip.twilio.com")
    }
}

/// `POST /api/admin/tenants`: creates a tenant; 201 with the tenant.
pub async fn create_tenant(
    _admin: RootAdmin,
    state: web::Data<AppState>,
    body: BoundedBody,
) -> Result<HttpResponse, ApiError> {
    let request = parse_create(&Fields::parse(&body)?, state.config.voice_audio)?;
    let id = request.id.clone();
    match tenant_admin::create_tenant(&state.root_db, &state.secrets, RootAdmin::ACTOR, request)
        .await
    {
        Ok(summary) => {
            record_tenant(id.as_str());
            tracing::info!("tenant created");
            Ok(HttpResponse::Created().json(summary))
        }
        Err(TenantAdminError::Duplicate { field }) => Err(ApiError::conflict(
            field,
            format!("{field} is already in use"),
        )),
        Err(TenantAdminError::Secret) => Err(ApiError::invalid_field(
            "twilio_auth_token",
            "could not encrypt the auth token",
        )),
        Err(TenantAdminError::Pack(e)) => Err(ApiError::invalid_field("industry", e.to_string())),
        Err(TenantAdminError::Db(e)) => Err(e.into()),
    }
}

/// `GET /api/admin/tenants`: every tenant.
pub async fn list_tenants(
    _admin: RootAdmin,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let tenants = tenant_admin::list_tenants(&state.root_db, RootAdmin::ACTOR).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "tenants": tenants })))
}

/// `GET /api/admin/tenants/{id}`: one tenant.
pub async fn get_tenant(
    _admin: RootAdmin,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = TenantId::parse(&path.into_inner()).map_err(|_| ApiError::not_found("tenant"))?;
    match tenant_admin::get_tenant(&state.root_db, RootAdmin::ACTOR, &id).await? {
        Some(summary) => Ok(HttpResponse::Ok().json(summary)),
        None => Err(ApiError::not_found("tenant")),
    }
}
