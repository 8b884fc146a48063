//! Tenant websites. Public: `GET /{tenant}/` (the live page, from the cache),
//! `GET /` by `Host` for a verified custom domain, `GET /{tenant}/images/{id}` (an
//! uploaded image, cached for good: its name is its hash). Owner (tenant API key):
//! `GET`/`PUT /api/tenant/website` (template and edits), `GET
//! /api/tenant/website/preview/{template}`, `POST /api/tenant/website/images` (an
//! upload), `POST /api/tenant/website/publish` (partner mode: send the seed).

use crate::auth::TenantApi;
use crate::body::{body_deadline, read_bounded, BoundedBody};
use crate::error::ApiError;
use crate::request_span::record_tenant;
use crate::sites::cache::Page;
use crate::sites::render::content_security_policy;
use crate::sites::{live_page, preview_page, SiteError};
use crate::state::AppState;
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use servicepro_actors::website::images::{ImageId, MAX_IMAGE_BYTES};
use servicepro_actors::website::overrides::SitePatch;
use servicepro_actors::website::seed::SeedUrls;
use servicepro_actors::website::store;
use servicepro_actors::website::template::TemplateId;
use servicepro_actors::website::{self as engine, WebsiteError};
use servicepro_schema::{DbError, TenantId};

/// A plain HTML answer for a visitor (never JSON on a public page).
fn html_status(status: StatusCode, message: &str) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{message}</title></head><body><main><h1>{message}</h1></main></body></html>"
        ))
}

fn not_found() -> HttpResponse {
    html_status(StatusCode::NOT_FOUND, "No site here")
}

/// The visitor-facing answer to a failure.
fn failure(error: SiteError) -> HttpResponse {
    match error {
        SiteError::Website(WebsiteError::Db(DbError::NotFound))
        | SiteError::Website(WebsiteError::Tenant(servicepro_actors::tenant::TenantError::Db(
            DbError::NotFound,
        ))) => not_found(),
        other => {
            tracing::error!(error = %other, "site page failed");
            html_status(
                StatusCode::SERVICE_UNAVAILABLE,
                "This site is unavailable right now; please try again shortly",
            )
        }
    }
}

/// Whether the request's `If-None-Match` names `etag`.
fn fresh(req: &HttpRequest, etag: &str) -> bool {
    req.headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
}

fn page_response(req: &HttpRequest, page: &Page) -> HttpResponse {
    let mut res = if fresh(req, &page.etag) {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    res.insert_header((header::ETAG, page.etag.as_str()))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::REFERRER_POLICY, "strict-origin-when-cross-origin"))
        .insert_header((header::CONTENT_SECURITY_POLICY, content_security_policy()));
    if fresh(req, &page.etag) {
        return res.finish();
    }
    res.content_type("text/html; charset=utf-8")
        .body(page.html.clone())
}

/// `GET /{tenant}/`: the tenant's live site.
pub async fn home(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> HttpResponse {
    let Ok(tenant) = TenantId::parse(&path) else {
        return not_found();
    };
    record_tenant(tenant.as_str());
    match live_page(&state, &tenant, None).await {
        Ok(page) => page_response(&req, &page),
        Err(e) => failure(e),
    }
}

/// `GET /{tenant}`: to `/{tenant}/` when the tenant exists.
pub async fn home_redirect(state: web::Data<AppState>, path: web::Path<String>) -> HttpResponse {
    let Ok(tenant) = TenantId::parse(&path) else {
        return not_found();
    };
    match servicepro_schema::lookup::tenant_version(&state.pool, &tenant).await {
        Ok(Some(_)) => HttpResponse::PermanentRedirect()
            .insert_header((header::LOCATION, format!("/{tenant}/")))
            .finish(),
        Ok(None) => not_found(),
        Err(e) => failure(e.into()),
    }
}

/// The request's host, lower-case, without port or trailing dot.
fn request_host(req: &HttpRequest) -> Option<String> {
    let raw = req.headers().get(header::HOST)?.to_str().ok()?;
    let host = raw.rsplit_once(':').map_or(raw, |(h, port)| {
        if port.bytes().all(|b| b.is_ascii_digit()) {
            h
        } else {
            raw
        }
    });
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    (!host.is_empty()).then_some(host)
}

/// `GET /`: the site of the verified custom domain named by `Host`.
pub async fn by_host(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let Some(host) = request_host(&req) else {
        return not_found();
    };
    match store::tenant_by_domain(&state.pool, &host).await {
        Ok(Some((tenant, version))) => {
            record_tenant(tenant.as_str());
            match live_page(&state, &tenant, Some(version)).await {
                Ok(page) => page_response(&req, &page),
                Err(e) => failure(e),
            }
        }
        Ok(None) => not_found(),
        Err(e) => failure(e.into()),
    }
}

/// `GET /{tenant}/images/{id}`: an uploaded image.
pub async fn image(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> HttpResponse {
    let (tenant, id) = path.into_inner();
    let (Ok(tenant), Ok(id)) = (TenantId::parse(&tenant), ImageId::parse(&id)) else {
        return not_found();
    };
    let etag = format!("\"{id}\"");
    let cache = "public, max-age=31536000, immutable";
    if fresh(&req, &etag) {
        return HttpResponse::NotModified()
            .insert_header((header::ETAG, etag))
            .insert_header((header::CACHE_CONTROL, cache))
            .finish();
    }
    match store::image(&state.tenant_db(tenant), &id).await {
        Ok(found) => match HeaderValue::from_str(&found.content_type) {
            Ok(content_type) => HttpResponse::Ok()
                .insert_header((header::CONTENT_TYPE, content_type))
                .insert_header((header::ETAG, etag))
                .insert_header((header::CACHE_CONTROL, cache))
                .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
                .body(found.bytes),
            Err(_) => failure(SiteError::Website(WebsiteError::Stored(
                "image content type".to_owned(),
            ))),
        },
        Err(e) => failure(SiteError::Website(e)),
    }
}

fn public_base(state: &AppState) -> String {
    state
        .config
        .public_url
        .as_str()
        .trim_end_matches('/')
        .to_owned()
}

/// The owner's view: settings, the templates, where the site is.
fn owner_view(state: &AppState, tenant: &TenantId, view: engine::SiteView) -> serde_json::Value {
    let base = public_base(state);
    let templates: Vec<_> = TemplateId::ALL
        .iter()
        .map(|t| {
            serde_json::json!({
                "id": t.slug(), "name": t.name(),
                "preview_url": format!("{base}/api/tenant/website/preview/{}", t.slug()),
            })
        })
        .collect();
    serde_json::json!({
        "template": view.template,
        "overrides": view.overrides,
        "live_url": format!("{base}/{tenant}/"),
        "templates": templates,
        "generator": if state.website_partner.is_some() { "partner" } else { "built-in" },
    })
}

/// `GET /api/tenant/website`.
pub async fn get_settings(
    auth: TenantApi,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let view = engine::settings(&state.tenant_db(auth.tenant.clone())).await?;
    Ok(HttpResponse::Ok().json(owner_view(&state, &auth.tenant, view)))
}

/// `PUT /api/tenant/website` with `{"template"?, "overrides"?: {...}}`.
pub async fn put_settings(
    auth: TenantApi,
    state: web::Data<AppState>,
    body: BoundedBody,
) -> Result<HttpResponse, ApiError> {
    let map = match serde_json::from_slice::<serde_json::Value>(&body) {
        Ok(serde_json::Value::Object(map)) => map,
        Ok(_) => return Err(ApiError::bad_request("the body must be a JSON object")),
        Err(e) => {
            return Err(ApiError::bad_request(format!(
                "the body is not valid JSON: {e}"
            )))
        }
    };
    let patch = SitePatch::parse(&map)?;
    let db = state.tenant_db(auth.tenant.clone());
    let view = engine::change(&state.tenants, &db, patch).await?;
    Ok(HttpResponse::Ok().json(owner_view(&state, &auth.tenant, view)))
}

/// `GET /api/tenant/website/preview/{template}`: the site in that template.
pub async fn preview(
    auth: TenantApi,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let template =
        TemplateId::parse(&path).map_err(|e| ApiError::invalid_field("template", e.to_string()))?;
    match preview_page(&state, &auth.tenant, template).await {
        Ok(page) => Ok(HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .insert_header((header::CONTENT_SECURITY_POLICY, content_security_policy()))
            .body(page.html)),
        Err(SiteError::Website(e)) => Err(e.into()),
        Err(SiteError::Render(e)) => {
            tracing::error!(error = %e, "preview failed to render");
            Err(ApiError::internal())
        }
    }
}

/// `POST /api/tenant/website/images`: the raw image as the body (≤ 2 MiB).
pub async fn upload_image(
    auth: TenantApi,
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let bytes = read_bounded(payload.into_inner(), MAX_IMAGE_BYTES, body_deadline(&req)).await?;
    let tenant = auth.tenant.clone();
    let upload = store::put_image(&state.tenant_db(tenant.clone()), bytes.to_vec()).await?;
    Ok(HttpResponse::Created().json(serde_json::json!({
        "id": upload.id,
        "content_type": upload.kind.content_type(),
        "url": format!("/{tenant}/images/{}", upload.id),
    })))
}

/// `POST /api/tenant/website/publish`: sends the seed to the partner (partner mode).
pub async fn publish(
    auth: TenantApi,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let Some(partner) = &state.website_partner else {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "built_in_generator",
            "sites are rendered here (SERVICEPRO_WEBSITE_GENERATOR=built-in); nothing to send",
        ));
    };
    let base = public_base(&state);
    let urls = SeedUrls { public_base: &base };
    let db = state.tenant_db(auth.tenant);
    let now = (state.clock)().timestamp();
    let seed = engine::publish(&state.tenants, &db, partner, &urls, now).await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "sent": true, "seed": &*seed })))
}
