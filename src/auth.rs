//! Who is calling: the root admin's bearer token (compared in constant time)
//! and a tenant's API key (`Authorization: Bearer spk_…`, checked by the engine
//! inside the key's own tenant scope).

use crate::error::ApiError;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{dev::Payload, web, FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use servicepro_actors::tenant::api_keys::{self, KeyOwner};
use servicepro_schema::TenantId;
use std::future::{ready, Ready};
use subtle::ConstantTimeEq;

/// Proof that the request carried the root token; handlers take it as an argument.
#[derive(Debug, Clone, Copy)]
pub struct RootAdmin;

impl RootAdmin {
    /// The actor name written to the audit log.
    pub const ACTOR: &'static str = "root-token";
}

fn bearer(req: &HttpRequest) -> Option<&str> {
    req.headers()
        .get(actix_web::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

impl FromRequest for RootAdmin {
    type Error = ApiError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let Some(state) = req.app_data::<web::Data<AppState>>() else {
            return ready(Err(ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "state missing",
            )));
        };
        let Some(expected) = state.config.root_token.as_ref() else {
            return ready(Err(ApiError::new(
                StatusCode::NOT_FOUND,
                "admin_disabled",
                "the admin API is off (SERVICEPRO_ROOT_TOKEN is not set)",
            )));
        };
        let ok = bearer(req).is_some_and(|given| {
            given
                .as_bytes()
                .ct_eq(expected.expose_secret().as_bytes())
                .into()
        });
        if ok {
            ready(Ok(RootAdmin))
        } else {
            state.metrics.auth_rejected.inc();
            tracing::warn!(path = req.path(), "root token rejected");
            ready(Err(ApiError::unauthorized()))
        }
    }
}

/// Proof that the request carried a live API key of [`TenantApi::tenant`];
/// handlers of the tenant API take it as an argument and touch only that tenant.
#[derive(Debug, Clone)]
pub struct TenantApi {
    /// The authenticated tenant.
    pub tenant: TenantId,
    /// The key's row id (for rotation and audit).
    pub key_id: i64,
}

impl FromRequest for TenantApi {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let presented = bearer(req).map(str::to_owned);
        Box::pin(async move {
            let state = state.ok_or_else(|| {
                ApiError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "state missing",
                )
            })?;
            let owner = match presented {
                Some(key) => api_keys::authenticate(&state.pool, &key).await?,
                None => None,
            };
            match owner {
                Some(KeyOwner { tenant, key_id }) => {
                    crate::request_span::record_tenant(tenant.as_str());
                    Ok(TenantApi { tenant, key_id })
                }
                None => {
                    state.metrics.auth_rejected.inc();
                    tracing::warn!("tenant API key rejected");
                    Err(ApiError::unauthorized())
                }
            }
        })
    }
}
