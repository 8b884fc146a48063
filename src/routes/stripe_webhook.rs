//! `POST /stripe/webhook`: the raw body (up to 256 KiB) and its `Stripe-Signature`
//! handed to the `BillingActor`, which verifies, records and applies the event.
//! 200 for an event applied, stale, ignored or replayed (Stripe stops retrying);
//! 400 for a bad signature (counted as a webhook rejection of no known tenant) or
//! body; 404 when billing is off.

use crate::body::{body_deadline, read_bounded};
use crate::error::ApiError;
use crate::routes::billing::billing;
use crate::state::AppState;
use actix_web::{web, HttpRequest, HttpResponse};
use servicepro_actors::billing::store::Outcome;
use servicepro_actors::billing::{BillingError, Webhook};

/// The largest webhook body read (Stripe's events are a few KiB; an invoice with
/// many lines more).
pub const STRIPE_BODY_LIMIT: usize = 256 * 1024;

/// `POST /stripe/webhook`.
pub async fn webhook(
    req: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let billing = billing(&state)?;
    let body = read_bounded(payload.into_inner(), STRIPE_BODY_LIMIT, body_deadline(&req)).await?;
    let signature = req
        .headers()
        .get("Stripe-Signature")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let message = Webhook {
        body: body.to_vec(),
        signature,
    };
    let outcome = billing.send(message).await.map_err(|e| {
        tracing::error!(error = %e, "billing actor unavailable");
        ApiError::internal()
    })?;
    if let Err(BillingError::Signature(_)) = &outcome {
        // The event is unverified, so the tenant it names is not taken on trust.
        state.metrics.tenants.webhook_rejected(None);
    }
    let outcome = outcome?;
    let name = match outcome {
        Outcome::Applied(_) => "applied",
        Outcome::Stale => "stale",
        Outcome::Ignored => "ignored",
        Outcome::Replayed => "replayed",
        Outcome::Fetch(_) => "unsure",
    };
    Ok(HttpResponse::Ok().json(serde_json::json!({ "received": true, "outcome": name })))
}
