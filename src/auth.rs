//! The root admin's bearer-token check, compared in constant time.

use crate::error::ApiError;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{dev::Payload, web, FromRequest, HttpRequest};
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
