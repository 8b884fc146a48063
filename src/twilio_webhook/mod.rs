//! Verification of Twilio requests, done before any other work: the
//! `X-Twilio-Signature` is checked against the public URL Twilio called
//! (`SERVICEPRO_PUBLIC_URL` + path + query, never the Host header; for the
//! media-stream handshake, the tenant's stream URL) and the form body, with
//! the tenant's own auth token when it brought its own Twilio account, else
//! the platform's. A bad or missing signature is a 403 and nothing is stored.
//!
//! Routes take the [`Twilio`] extractor (`extractor`), which reads the body
//! with a size limit and calls [`verify`]; where the tenant comes from is
//! declared by its type parameter ([`ByNumber`], [`ByCallback`], [`ByPath`]).

mod extractor;

pub use extractor::{
    ByCallback, ByNumber, ByPath, CallParties, NumberFields, TenantSource, To, Twilio,
    MAX_WEBHOOK_BODY,
};

use crate::error::ApiError;
use crate::request_span::record_tenant;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::HttpRequest;
use servicepro_actors::tenant::context::TenantContext;
use servicepro_actors::tenant::{Freshness, TenantError};
use servicepro_actors::twilio::{validate, Form, MissingField};
use servicepro_schema::{DbError, TenantId, E164};
use std::sync::Arc;

/// The header Twilio signs requests with.
pub const SIGNATURE_HEADER: &str = "X-Twilio-Signature";
/// The path segment naming the tenant of a media stream (`/twilio/media-stream/{tenant}`).
pub const TENANT_SEGMENT: &str = "tenant";

/// How the tenant of a request is found.
#[derive(Debug, Clone, Copy)]
pub enum TenantFrom {
    /// From the number in the first of these form fields that names a
    /// tenant's number (`To` for inbound calls and texts).
    NumberFields(&'static [&'static str]),
    /// From the `tenant_id` query parameter of a callback URL we gave Twilio.
    Query,
    /// From the [`TENANT_SEGMENT`] of the media-stream URL, signed over that tenant's
    /// stream URL; a tenant that is not known is refused.
    Path,
}

/// A verified webhook: its form and, when known, its tenant.
#[derive(Debug)]
pub struct TwilioWebhook {
    /// The form fields.
    pub form: Form,
    /// The tenant the request is for, when one owns the number or is named.
    pub tenant: Option<Arc<TenantContext>>,
}

impl TwilioWebhook {
    /// A required field, or a 400 naming it.
    pub fn require(&self, name: &str) -> Result<&str, ApiError> {
        Ok(self.form.require(name)?)
    }
}

impl From<MissingField> for ApiError {
    fn from(MissingField { name }: MissingField) -> Self {
        ApiError::bad_request(format!("missing {name}"))
    }
}

/// The URL Twilio called, as it signed it.
pub fn public_url_of(state: &AppState, req: &HttpRequest) -> String {
    let base = state.config.public_url.as_str().trim_end_matches('/');
    match req.uri().query() {
        Some(q) => format!("{base}{}?{q}", req.uri().path()),
        None => format!("{base}{}", req.uri().path()),
    }
}

/// A query parameter of the callback URL (signed with it, so trustworthy).
pub fn query_param(req: &HttpRequest, name: &str) -> Option<String> {
    query_value(req.uri().query(), name)
}

/// The value of `name` in the query string `query`.
pub(crate) fn query_value(query: Option<&str>, name: &str) -> Option<String> {
    url::form_urlencoded::parse(query?.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// A 403 for a request refused for its signature, counted (process-wide, and for
/// `tenant` when the request named a known one, else as unknown).
fn forbidden(
    state: &AppState,
    req: &HttpRequest,
    reason: &str,
    tenant: Option<&TenantId>,
) -> ApiError {
    state.metrics.auth_rejected.inc();
    state.metrics.tenants.webhook_rejected(tenant);
    tracing::warn!(path = req.path(), reason, "twilio request rejected");
    ApiError::new(StatusCode::FORBIDDEN, "invalid_signature", reason)
}

/// `id`'s context from its `TenantActor`, at the version in the database now.
async fn tenant_context(
    state: &AppState,
    id: &TenantId,
) -> Result<Arc<TenantContext>, TenantError> {
    state.tenants.context(id, Freshness::Check).await
}

/// The tenant owning the number in the first of `fields` that names one (the number
/// lookup returns the tenant's version, so a cached context costs no second trip).
async fn tenant_by_number(
    state: &AppState,
    form: &Form,
    fields: &[&str],
) -> Result<Option<Arc<TenantContext>>, TenantError> {
    for field in fields {
        if let Some(Ok(number)) = form.get(field).map(E164::parse) {
            if let Some(ctx) = state.tenants.by_number(&number).await? {
                return Ok(Some(ctx));
            }
        }
    }
    Ok(None)
}

/// The tenant named by the stream URL's path, and that URL; a 403 when unknown.
async fn tenant_by_path(
    state: &AppState,
    req: &HttpRequest,
) -> Result<(Arc<TenantContext>, String), ApiError> {
    let unknown = || forbidden(state, req, "the stream names no known tenant", None);
    let id = req
        .match_info()
        .get(TENANT_SEGMENT)
        .and_then(|raw| TenantId::parse(raw).ok())
        .ok_or_else(unknown)?;
    let url = state.urls.media_stream(id.as_str());
    match tenant_context(state, &id).await {
        Ok(ctx) => Ok((ctx, url)),
        Err(TenantError::Db(DbError::NotFound)) => Err(unknown()),
        Err(e) => Err(e.into()),
    }
}

/// Verifies a request and resolves its tenant. Call first in every handler (the
/// [`Twilio`] extractor does).
pub async fn verify(
    state: &AppState,
    req: &HttpRequest,
    body: &[u8],
    tenant_from: TenantFrom,
) -> Result<TwilioWebhook, ApiError> {
    let signature = req
        .headers()
        .get(SIGNATURE_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty())
        .ok_or_else(|| forbidden(state, req, "missing X-Twilio-Signature", None))?
        .to_owned();
    let form = Form::parse(body);
    let (tenant, url) = match tenant_from {
        TenantFrom::Query => {
            match query_param(req, "tenant_id").and_then(|t| TenantId::parse(&t).ok()) {
                Some(id) => (Some(tenant_context(state, &id).await?), None),
                None => (None, None),
            }
        }
        TenantFrom::NumberFields(fields) => (tenant_by_number(state, &form, fields).await?, None),
        TenantFrom::Path => {
            let (ctx, url) = tenant_by_path(state, req).await?;
            (Some(ctx), Some(url))
        }
    };
    if let Some(ctx) = &tenant {
        record_tenant(ctx.tenant.id.as_str());
    }
    let tenant_id = tenant.as_ref().map(|ctx| &ctx.tenant.id);
    let platform = state.config.twilio.auth_token.as_ref();
    let token = match &tenant {
        Some(ctx) => ctx.webhook_auth_token(&state.secrets, platform),
        None => platform.cloned(),
    }
    .ok_or_else(|| {
        forbidden(
            state,
            req,
            "no Twilio auth token is configured to verify this request",
            tenant_id,
        )
    })?;
    let url = url.unwrap_or_else(|| public_url_of(state, req));
    if !validate(token.expose_secret(), &url, form.pairs(), &signature) {
        return Err(forbidden(
            state,
            req,
            "X-Twilio-Signature does not match",
            tenant_id,
        ));
    }
    Ok(TwilioWebhook { form, tenant })
}
