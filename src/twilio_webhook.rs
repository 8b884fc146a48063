//! Verification of Twilio webhooks, done before any other work: the
//! `X-Twilio-Signature` is checked against the public URL Twilio called
//! (`SERVICEPRO_PUBLIC_URL` + path + query, never the Host header) and the
//! form body, with the tenant's own auth token when it brought its own
//! Twilio account, else the platform's. A bad or missing signature is a 403
//! and nothing is stored.

use crate::error::ApiError;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::HttpRequest;
use servicepro_actors::tenant::context::TenantContext;
use servicepro_actors::tenant::Freshness;
use servicepro_actors::twilio::{validate, Form, MissingField};
use servicepro_schema::{TenantId, E164};
use std::sync::Arc;

/// The header Twilio signs requests with.
pub const SIGNATURE_HEADER: &str = "X-Twilio-Signature";

/// How the tenant of a webhook is found.
#[derive(Debug, Clone, Copy)]
pub enum TenantFrom {
    /// From the number in the first of these form fields that names a
    /// tenant's number (`To` for inbound calls and texts).
    NumberFields(&'static [&'static str]),
    /// From the `tenant_id` query parameter of a callback URL we gave Twilio.
    Query,
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
        self.form
            .require(name)
            .map_err(|MissingField { name }| ApiError::bad_request(format!("missing {name}")))
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
    url::form_urlencoded::parse(req.uri().query()?.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

fn query_tenant(req: &HttpRequest) -> Option<TenantId> {
    TenantId::parse(&query_param(req, "tenant_id")?).ok()
}

fn forbidden(state: &AppState, req: &HttpRequest, reason: &str) -> ApiError {
    state.metrics.auth_rejected.inc();
    tracing::warn!(path = req.path(), reason, "twilio webhook rejected");
    ApiError::new(StatusCode::FORBIDDEN, "invalid_signature", reason)
}

/// Verifies a webhook and resolves its tenant. Call first in every handler.
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
        .ok_or_else(|| forbidden(state, req, "missing X-Twilio-Signature"))?
        .to_owned();
    let form = Form::parse(body);
    let tenant = match tenant_from {
        TenantFrom::Query => match query_tenant(req) {
            Some(id) => Some(state.tenants.context(&id, Freshness::Check).await?),
            None => None,
        },
        TenantFrom::NumberFields(fields) => {
            let mut found = None;
            for field in fields {
                if let Some(Ok(number)) = form.get(field).map(E164::parse) {
                    found = state.tenants.by_number(&number).await?;
                    if found.is_some() {
                        break;
                    }
                }
            }
            found
        }
    };
    let platform = state.config.twilio.auth_token.as_deref();
    let token = match &tenant {
        Some(ctx) => ctx.webhook_auth_token(&state.secrets, platform),
        None => platform.map(str::to_owned),
    }
    .ok_or_else(|| {
        forbidden(
            state,
            req,
            "no Twilio auth token is configured to verify this request",
        )
    })?;
    let url = public_url_of(state, req);
    if !validate(&token, &url, form.pairs(), &signature) {
        return Err(forbidden(state, req, "X-Twilio-Signature does not match"));
    }
    Ok(TwilioWebhook { form, tenant })
}
