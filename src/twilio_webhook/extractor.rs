//! [`Twilio<S>`]: the one extractor of every Twilio request, webhooks and the
//! media-stream handshake alike. It reads the form body with a size limit
//! ([`MAX_WEBHOOK_BODY`]) and the body-read deadline ([`crate::body`]; the handshake
//! has no body and its payload is left for the websocket), calls [`verify`], and yields the form and the tenant. `S` declares
//! where the tenant comes from, and what a route gets:
//!
//! | `S` | tenant from | `tenant` |
//! |---|---|---|
//! | [`ByNumber<To>`], [`ByNumber<CallParties>`] | the dialled number | `Option<Arc<TenantContext>>` (none: no tenant owns it) |
//! | [`ByCallback`] | the `tenant_id` of the callback URL | `Arc<TenantContext>` (else 400) |
//! | [`ByPath`] | `/twilio/media-stream/{tenant}` | `Arc<TenantContext>` (else 403) |

use super::{query_value, verify, TenantFrom};
use crate::body::{body_deadline, read_bounded};
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::web::Data;
use actix_web::{FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use servicepro_actors::tenant::context::TenantContext;
use servicepro_actors::twilio::Form;
use std::marker::PhantomData;
use std::sync::Arc;

/// The largest webhook body read (Twilio's are a few KiB; an MMS with ten media
/// URLs stays well under this).
pub const MAX_WEBHOOK_BODY: usize = 64 * 1024;

/// Where a route's tenant comes from, and what it is given.
pub trait TenantSource: 'static {
    /// How [`verify`] finds the tenant.
    const FROM: TenantFrom;
    /// The tenant as the route receives it.
    type Tenant;
    /// The route's tenant from the one verification found.
    fn tenant(found: Option<Arc<TenantContext>>) -> Result<Self::Tenant, ApiError>;
}

/// The form fields whose number names the tenant, first match wins.
pub trait NumberFields: 'static {
    /// The field names, in order.
    const FIELDS: &'static [&'static str];
}

/// The dialled number (`To`): inbound calls and texts.
pub struct To;
impl NumberFields for To {
    const FIELDS: &'static [&'static str] = &["To"];
}

/// Either party of a call (`To`, `From`, `Called`): status callbacks of calls in
/// either direction.
pub struct CallParties;
impl NumberFields for CallParties {
    const FIELDS: &'static [&'static str] = &["To", "From", "Called"];
}

/// The tenant owning the number in the fields `F`, if any.
pub struct ByNumber<F>(PhantomData<F>);
impl<F: NumberFields> TenantSource for ByNumber<F> {
    const FROM: TenantFrom = TenantFrom::NumberFields(F::FIELDS);
    type Tenant = Option<Arc<TenantContext>>;
    fn tenant(found: Option<Arc<TenantContext>>) -> Result<Self::Tenant, ApiError> {
        Ok(found)
    }
}

/// The tenant named by the `tenant_id` of a callback URL we gave Twilio.
pub struct ByCallback;
impl TenantSource for ByCallback {
    const FROM: TenantFrom = TenantFrom::Query;
    type Tenant = Arc<TenantContext>;
    fn tenant(found: Option<Arc<TenantContext>>) -> Result<Self::Tenant, ApiError> {
        found.ok_or_else(|| ApiError::bad_request("the callback names no known tenant"))
    }
}

/// The tenant of the media-stream URL's path (the websocket handshake).
pub struct ByPath;
impl TenantSource for ByPath {
    const FROM: TenantFrom = TenantFrom::Path;
    type Tenant = Arc<TenantContext>;
    fn tenant(found: Option<Arc<TenantContext>>) -> Result<Self::Tenant, ApiError> {
        found.ok_or_else(|| {
            ApiError::new(
                StatusCode::FORBIDDEN,
                "invalid_signature",
                "the stream names no known tenant",
            )
        })
    }
}

/// A verified Twilio request: its form (empty for the handshake) and tenant.
pub struct Twilio<S: TenantSource> {
    /// The form fields.
    pub form: Form,
    /// The tenant, as `S` declares it.
    pub tenant: S::Tenant,
    query: Option<String>,
}

impl<S: TenantSource> Twilio<S> {
    /// A required field, or a 400 naming it.
    pub fn require(&self, name: &str) -> Result<&str, ApiError> {
        Ok(self.form.require(name)?)
    }

    /// A parameter of the URL Twilio called (signed with it, so trustworthy).
    pub fn query(&self, name: &str) -> Option<String> {
        query_value(self.query.as_deref(), name)
    }
}

impl<S: TenantSource> FromRequest for Twilio<S> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        // The handshake's payload is the websocket's: left for it.
        let payload = match S::FROM {
            TenantFrom::Path => Payload::None,
            _ => payload.take(),
        };
        Box::pin(async move {
            let state = req.app_data::<Data<AppState>>().cloned().ok_or_else(|| {
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "application state missing",
                )
            })?;
            let body = read_bounded(payload, MAX_WEBHOOK_BODY, body_deadline(&req)).await?;
            let hook = verify(&state, &req, &body, S::FROM).await?;
            Ok(Twilio {
                form: hook.form,
                tenant: S::tenant(hook.tenant)?,
                query: req.uri().query().map(str::to_owned),
            })
        })
    }
}
