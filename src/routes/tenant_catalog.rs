//! The tenant API's services and text templates (`Authorization: Bearer <tenant
//! api key>`), through the same engine call as the Settings page
//! (`tenant::catalog::change_catalog`): the same rules, the field named in any
//! 422, another tenant's service id a 404, a suspended tenant a 403.
//!
//! * `POST /api/tenant/services` `{name, price_cents, duration_minutes}` → 201 `{id}`
//! * `PUT /api/tenant/services/{id}` (the same body) → 204
//! * `DELETE /api/tenant/services/{id}` → 204 (no longer offered; past
//!   appointments keep it)
//! * `PUT /api/tenant/templates/{key}` `{body}` → 204

use crate::auth::TenantApi;
use crate::body::BoundedBody;
use crate::error::ApiError;
use crate::routes::json_fields::Fields;
use crate::state::AppState;
use actix_web::{web, HttpResponse};
use servicepro_actors::packs::SmsTemplateKey;
use servicepro_actors::tenant::catalog::{change_catalog, CatalogChange, ServiceDraft};

/// A whole-number field that must be there.
fn required_int(fields: &Fields, field: &str) -> Result<i64, ApiError> {
    fields
        .optional_json::<i64>(field)?
        .ok_or_else(|| ApiError::invalid_field(field, format!("{field} is required")))
}

fn draft(body: &[u8]) -> Result<ServiceDraft, ApiError> {
    let fields = Fields::parse(body)?;
    fields.only(&["name", "price_cents", "duration_minutes"])?;
    Ok(ServiceDraft::new(
        &fields.required_str("name")?,
        required_int(&fields, "price_cents")?,
        required_int(&fields, "duration_minutes")?,
    )?)
}

/// `POST /api/tenant/services`.
pub async fn add_service(
    auth: TenantApi,
    state: web::Data<AppState>,
    body: BoundedBody,
) -> Result<HttpResponse, ApiError> {
    let change = CatalogChange::AddService(draft(&body)?);
    let id = change_catalog(&state.tenant_db(auth.tenant), change).await?;
    Ok(HttpResponse::Created().json(serde_json::json!({ "id": id })))
}

/// `PUT /api/tenant/services/{id}`.
pub async fn edit_service(
    auth: TenantApi,
    state: web::Data<AppState>,
    path: web::Path<i64>,
    body: BoundedBody,
) -> Result<HttpResponse, ApiError> {
    let change = CatalogChange::EditService(path.into_inner(), draft(&body)?);
    change_catalog(&state.tenant_db(auth.tenant), change).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `DELETE /api/tenant/services/{id}`.
pub async fn remove_service(
    auth: TenantApi,
    state: web::Data<AppState>,
    path: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let change = CatalogChange::RemoveService(path.into_inner());
    change_catalog(&state.tenant_db(auth.tenant), change).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// `PUT /api/tenant/templates/{key}`.
pub async fn put_template(
    auth: TenantApi,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: BoundedBody,
) -> Result<HttpResponse, ApiError> {
    let key = SmsTemplateKey::from_key(&path).ok_or_else(|| ApiError::not_found("template"))?;
    let fields = Fields::parse(&body)?;
    fields.only(&["body"])?;
    let text = fields.required_str("body")?;
    change_catalog(
        &state.tenant_db(auth.tenant),
        CatalogChange::SetTemplate(key, text),
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
