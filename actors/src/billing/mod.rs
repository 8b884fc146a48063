//! Billing: Stripe through one actor, and the trial scheduler.
//!
//! * [`actor`] — [`BillingActor`]: verifies and applies Stripe webhooks, changes a
//!   subscription's plan (upgrade or downgrade); every status or tier change goes
//!   through the tenant's actor ([`crate::tenant::TenantRegistry::root_write`]).
//! * [`signature`] — `Stripe-Signature` (HMAC-SHA256, several `v1`, 300 s tolerance).
//! * [`wire`] — the Stripe objects read (events, subscriptions, invoices, sessions).
//! * [`decide`] — what an event does, ordered by the objects' own timestamps (pure).
//! * [`store`] — the event id and its effects in one audited transaction.
//! * [`client`] — the two Stripe REST calls, over `reqwest`.
//! * [`prices`] — which price is which plan.
//! * [`owner_notice`] — a suspended tenant's owner told of texts at most once a day.
//! * [`trials`] — [`trials::TrialScheduler`]: expired trials to `past_due`, then
//!   `suspended` after the grace period; idempotent, safe with two processes.
//! * `fake` (`testkit`) — the loopback Stripe API and Stripe-style event signing.
//!
//! What each status allows is `servicepro_schema::policy`.

pub mod actor;
pub mod client;
pub mod decide;
#[cfg(any(test, feature = "testkit"))]
pub mod fake;
pub mod owner_notice;
pub mod prices;
pub mod signature;
pub mod store;
pub mod trials;
pub mod wire;

pub use actor::{BillingActor, BillingConfig, NumberProvisioner, Upgrade, Upgraded, Webhook};
pub use client::{StripeClient, StripeError};
pub use prices::PriceMap;

use crate::tenant::TenantError;
use servicepro_schema::policy::Refused;
use servicepro_schema::{DbError, PlanTier};

/// Why billing could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum BillingError {
    /// The webhook's signature was refused.
    #[error(transparent)]
    Signature(#[from] signature::SignatureError),
    /// The webhook's body is not a Stripe event billing can read.
    #[error("malformed Stripe event: {0}")]
    Malformed(String),
    /// A subscription's price is none of `STRIPE_PRICE_*` (a configuration error).
    #[error("price {0} is not one of STRIPE_PRICE_STARTER/PRO/ELITE")]
    UnknownPrice(String),
    /// The tenant is on that tier already.
    #[error("already on the {0} plan")]
    AlreadyOnTier(PlanTier),
    /// The tenant pays for no subscription (and is not in its trial).
    #[error("no subscription: subscribe through checkout first")]
    NoSubscription,
    /// The status policy refuses billing to this tenant now.
    #[error(transparent)]
    Refused(#[from] Refused),
    /// Stripe failed or refused.
    #[error(transparent)]
    Stripe(#[from] StripeError),
    /// The tenant could not be read or changed.
    #[error(transparent)]
    Tenant(#[from] TenantError),
}

impl From<DbError> for BillingError {
    fn from(err: DbError) -> Self {
        BillingError::Tenant(TenantError::Db(err))
    }
}
