//! `POST /api/signup` (no key): a business signs itself up for a trial. Rate-limited
//! per client address (429 with `Retry-After`), parsed field by field (422 naming
//! the field), then one engine call, `tenant::signup::sign_up`.

use crate::body::BoundedBody;
use crate::error::ApiError;
use crate::request_span::record_tenant;
use crate::routes::json_fields::Fields;
use crate::state::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use servicepro_actors::tenant::admin::INDUSTRIES;
use servicepro_actors::tenant::signup::{
    self, parse_name, parse_password, AreaCode, Email, Signup, SignupError,
};
use servicepro_schema::{PlanTier, TenantStatus};

const FIELDS: [&str; 8] = [
    "owner_name",
    "email",
    "business_name",
    "industry",
    "city",
    "area_code",
    "plan_tier",
    "password",
];

fn parse_signup(fields: &Fields) -> Result<Signup, ApiError> {
    fields.only(&FIELDS)?;
    let industry = fields.required_str("industry")?;
    if !INDUSTRIES.contains(&industry.as_str()) {
        return Err(ApiError::invalid_field(
            "industry",
            format!("industry must be one of {}", INDUSTRIES.join(", ")),
        ));
    }
    Ok(Signup {
        owner_name: fields.required("owner_name", parse_name)?,
        email: fields.required("email", Email::parse)?,
        business_name: fields.required("business_name", parse_name)?,
        industry,
        city: fields.required("city", parse_name)?,
        area_code: fields.required("area_code", AreaCode::parse)?,
        plan_tier: fields
            .optional("plan_tier", str::parse::<PlanTier>)?
            .unwrap_or(PlanTier::Pro),
        password: fields
            .optional_exact_str("password")?
            .map(|raw| parse_password(&raw))
            .transpose()
            .map_err(|e| ApiError::invalid_field("password", format!("password: {e}")))?,
    })
}

/// `POST /api/signup`: 201 with the tenant and its API key (shown once).
pub async fn signup(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: BoundedBody,
) -> Result<HttpResponse, ApiError> {
    let ip = req
        .peer_addr()
        .map(|a| a.ip())
        .ok_or_else(|| ApiError::bad_request("no client address"))?;
    if let Err(wait) = state.signup_limiter.check(ip) {
        tracing::warn!(%ip, "signup rate limited");
        return Err(ApiError::too_many_requests(
            "of signups from this address",
            wait,
        ));
    }
    let request = parse_signup(&Fields::parse(&body)?)?;
    match signup::sign_up(&state.root_db, &state.provisioner, request, (state.clock)()).await {
        Ok(done) => {
            record_tenant(done.tenant.as_str());
            Ok(HttpResponse::Created().json(serde_json::json!({
                "tenant_id": done.tenant,
                "api_key": done.api_key.expose_secret(),
                "status": TenantStatus::Trialing,
                "plan_tier": done.plan_tier,
                "trial_ends_at": done.trial_ends_at,
                "phone_number": done.phone_number,
                "provisioning": done.provisioning,
                "message": done.message,
            })))
        }
        Err(SignupError::EmailTaken) => Err(ApiError::conflict(
            "email",
            "an account with this e-mail address already exists",
        )),
        Err(SignupError::Pack(e)) => Err(ApiError::invalid_field("industry", e.to_string())),
        Err(SignupError::Password(reason)) => {
            tracing::error!(%reason, "password hashing failed");
            Err(ApiError::internal())
        }
        Err(SignupError::Db(e)) => Err(e.into()),
    }
}
