//! The HTTP edge's error: every failure becomes
//! `{"error": {"code", "message", "field"?}}` with the right status.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use servicepro_actors::billing::{BillingError, StripeError};
use servicepro_actors::tenant::TenantError;
use servicepro_schema::DbError;

/// An error answered to an API client.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable machine-readable code, e.g. `invalid_field`.
    pub code: &'static str,
    /// Human-readable reason.
    pub message: String,
    /// The request field at fault, when one is.
    pub field: Option<String>,
    /// For a 429: seconds to wait, answered as `Retry-After`.
    pub retry_after: Option<u64>,
}

impl ApiError {
    /// An error with no field.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            field: None,
            retry_after: None,
        }
    }

    /// 429: over a rate limit (`what`); try again after `wait` (rounded up to
    /// whole seconds, at least one).
    pub fn too_many_requests(what: &str, wait: std::time::Duration) -> Self {
        let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        ApiError {
            retry_after: Some(secs.max(1)),
            ..Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                format!("too many requests {what}; try again later"),
            )
        }
    }

    /// 422: `field` has an unusable value.
    pub fn invalid_field(field: &str, message: impl Into<String>) -> Self {
        ApiError {
            field: Some(field.to_owned()),
            ..Self::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_field", message)
        }
    }

    /// 400: the body could not be read as the expected format.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    /// 500: a failure of ours; the cause is logged, never shown.
    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error",
        )
    }

    /// 401: missing or wrong credentials.
    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "missing or invalid bearer token",
        )
    }

    /// 404.
    pub fn not_found(what: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("{what} not found"),
        )
    }

    /// 403: the status policy refuses this to the tenant now (suspended, cancelled…).
    pub fn forbidden_now(refused: servicepro_schema::policy::Refused) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "not_allowed_now",
            refused.to_string(),
        )
    }

    /// 409: `field` collides with an existing record.
    pub fn conflict(field: &str, message: impl Into<String>) -> Self {
        ApiError {
            field: Some(field.to_owned()),
            ..Self::new(StatusCode::CONFLICT, "conflict", message)
        }
    }
}

impl From<servicepro_actors::retention::PurgeError> for ApiError {
    fn from(err: servicepro_actors::retention::PurgeError) -> Self {
        use servicepro_actors::retention::PurgeError;
        match err {
            PurgeError::NotFound => ApiError::not_found("tenant"),
            e @ (PurgeError::Refused(_) | PurgeError::Changed(_)) => {
                Self::new(StatusCode::CONFLICT, "purge_refused", e.to_string())
            }
            PurgeError::Db(e) => e.into(),
            other => {
                tracing::error!(error = %other, "tenant purge failed; nothing was deleted");
                ApiError::internal()
            }
        }
    }
}

impl From<DbError> for ApiError {
    fn from(err: DbError) -> Self {
        match err {
            DbError::NotFound => ApiError::not_found("record"),
            DbError::Unavailable(reason) => {
                tracing::warn!(%reason, "database unavailable");
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "the database is unavailable; try again shortly",
                )
            }
            DbError::Conflict { constraint, .. } => ApiError::new(
                StatusCode::CONFLICT,
                "conflict",
                format!("conflicts with an existing record ({constraint})"),
            ),
            DbError::Invalid(reason) => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                reason.to_string(),
            ),
            other => {
                tracing::error!(error = %other, "database error");
                ApiError::internal()
            }
        }
    }
}

impl From<TenantError> for ApiError {
    fn from(err: TenantError) -> Self {
        match err {
            TenantError::Db(e) => e.into(),
            TenantError::Settings(e) => ApiError::invalid_field(e.field, e.reason),
            TenantError::Refused(e) => ApiError::forbidden_now(e),
            other => {
                tracing::error!(error = %other, "tenant unavailable");
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "the tenant's settings are unavailable; try again shortly",
                )
            }
        }
    }
}

impl From<BillingError> for ApiError {
    fn from(err: BillingError) -> Self {
        match err {
            BillingError::Signature(e) => {
                ApiError::new(StatusCode::BAD_REQUEST, "bad_signature", e.to_string())
            }
            BillingError::Malformed(reason) => ApiError::bad_request(reason),
            e @ BillingError::UnknownPrice(_) => {
                tracing::error!(error = %e, "Stripe names a price no plan has");
                ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "unknown_price",
                    e.to_string(),
                )
            }
            e @ BillingError::AlreadyOnTier(_) => ApiError::conflict("plan_tier", e.to_string()),
            e @ BillingError::NoSubscription => {
                ApiError::new(StatusCode::CONFLICT, "no_subscription", e.to_string())
            }
            BillingError::Refused(e) => {
                ApiError::new(StatusCode::FORBIDDEN, "not_allowed_now", e.to_string())
            }
            BillingError::Stripe(StripeError::PaymentRefused { message, .. }) => {
                ApiError::new(StatusCode::PAYMENT_REQUIRED, "payment_refused", message)
            }
            BillingError::Stripe(e) => {
                tracing::error!(error = %e, "Stripe failed");
                ApiError::new(
                    StatusCode::BAD_GATEWAY,
                    "stripe_unavailable",
                    "Stripe could not be reached; try again shortly",
                )
            }
            BillingError::Tenant(e) => e.into(),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut body = serde_json::json!({ "code": self.code, "message": self.message });
        if let (Some(field), Some(obj)) = (&self.field, body.as_object_mut()) {
            obj.insert("field".to_owned(), serde_json::Value::String(field.clone()));
        }
        let mut response = HttpResponse::build(self.status);
        if let Some(secs) = self.retry_after {
            response.insert_header((actix_web::http::header::RETRY_AFTER, secs.to_string()));
        }
        response.json(serde_json::json!({ "error": body }))
    }
}

impl From<servicepro_actors::website::WebsiteError> for ApiError {
    fn from(err: servicepro_actors::website::WebsiteError) -> Self {
        use servicepro_actors::website::partner::PartnerError;
        use servicepro_actors::website::WebsiteError;
        match err {
            WebsiteError::Db(e) => e.into(),
            WebsiteError::Tenant(e) => e.into(),
            WebsiteError::Invalid { field, reason } => ApiError::invalid_field(&field, reason),
            WebsiteError::Partner(e @ PartnerError::Refused(_))
            | WebsiteError::Partner(e @ PartnerError::Unreachable(_)) => {
                tracing::warn!(error = %e, "website partner did not take the seed");
                ApiError::new(
                    StatusCode::BAD_GATEWAY,
                    "partner_unavailable",
                    e.to_string(),
                )
            }
            other => {
                tracing::error!(error = %other, "website unavailable");
                ApiError::internal()
            }
        }
    }
}

impl From<servicepro_actors::tenant::catalog::CatalogError> for ApiError {
    fn from(err: servicepro_actors::tenant::catalog::CatalogError) -> Self {
        use servicepro_actors::tenant::catalog::CatalogError;
        match err {
            CatalogError::Invalid { field, reason } => {
                ApiError::invalid_field(field.as_str(), reason)
            }
            CatalogError::NameTaken(name) => ApiError::invalid_field(
                "name",
                format!("name: another service is already called {name:?}"),
            ),
            CatalogError::NotFound => ApiError::not_found("service"),
            CatalogError::Refused(refused) => ApiError::forbidden_now(refused),
            CatalogError::Db(e) => e.into(),
        }
    }
}
