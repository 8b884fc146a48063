//! `BillingActor`: the one place Stripe is called and its events applied.
//!
//! A webhook is verified ([`super::signature`]), parsed, linked to its tenant
//! (`metadata.tenant_id`, else the stored Stripe customer), and applied through the
//! tenant's actor in one transaction with its event id ([`super::store::apply`]);
//! when the order is unsure the subscription is read from Stripe and its current
//! state applied. An upgrade or downgrade moves the subscription's price (prorated;
//! a refused card changes nothing) and applies Stripe's answer the same way, so
//! the tier flips at once and features follow through `has_feature`. Requests are
//! handled concurrently; per tenant they are ordered by its actor and the billing
//! row's lock.

use super::client::StripeClient;
use super::decide::{Change, InvoiceState, SubscriptionState};
use super::prices::PriceMap;
use super::store::{self, EventRecord, Outcome};
use super::wire::{Body, Event};
use super::{signature, BillingError};
use crate::clock::Clock;
use crate::tenant::context::TenantContext;
use crate::tenant::{Freshness, RootWrite, TenantError, TenantRegistry};
use actix::{Actor, Context, Handler, Message, ResponseFuture, Supervised};
use chrono::{DateTime, Utc};
use futures_util::future::BoxFuture;
use servicepro_schema::lookup::tenant_by_stripe_customer;
use servicepro_schema::policy::{self, Action};
use servicepro_schema::{
    DbError, DbPool, PlanTier, RootDb, SecretString, TenantDb, TenantId, TenantStatus,
};
use std::sync::Arc;

/// The audit actor of billing's writes.
pub const ACTOR: &str = "stripe";

/// Where a tenant moving to a plan with a dedicated number gets one. Number
/// provisioning is built elsewhere (issue 15 items 1–2); the server wires it here.
pub trait NumberProvisioner: Send + Sync {
    /// Starts getting `tenant` a number (idempotent; retried by its own job).
    fn ensure_number(&self, tenant: &TenantId) -> BoxFuture<'static, ()>;
}

/// Billing's settings (billing is on only when Stripe is configured).
#[derive(Clone)]
pub struct BillingConfig {
    /// `STRIPE_WEBHOOK_SECRET`.
    pub webhook_secret: SecretString,
    /// `STRIPE_PRICE_STARTER/PRO/ELITE`.
    pub prices: PriceMap,
    /// The Stripe API (`STRIPE_SECRET_KEY`, `STRIPE_API_BASE`).
    pub client: StripeClient,
}

/// A Stripe webhook delivery, as received.
#[derive(Debug, Clone, Message)]
#[rtype(result = "Result<Outcome, BillingError>")]
pub struct Webhook {
    /// The raw body (the signature covers these bytes).
    pub body: Vec<u8>,
    /// The `Stripe-Signature` header.
    pub signature: Option<String>,
}

/// Move `tenant` to plan `tier` (up or down).
#[derive(Debug, Clone, Message)]
#[rtype(result = "Result<Upgraded, BillingError>")]
pub struct Upgrade {
    /// The tenant.
    pub tenant: TenantId,
    /// The plan it asked for.
    pub tier: PlanTier,
}

/// A plan change done.
#[derive(Debug, Clone)]
pub struct Upgraded {
    /// The tenant after the change.
    pub context: Arc<TenantContext>,
    /// A trialing tenant with no subscription: the tier changed for the trial, and a
    /// subscription must be started through Stripe Checkout before it ends.
    pub checkout_required: bool,
    /// A move to a plan with a dedicated number found none: provisioning started.
    pub provisioning: bool,
}

struct Deps {
    pool: DbPool,
    tenants: TenantRegistry,
    config: BillingConfig,
    clock: Clock,
    provisioner: Option<Arc<dyn NumberProvisioner>>,
}

/// The billing actor (one per process).
pub struct BillingActor {
    deps: Arc<Deps>,
}

impl BillingActor {
    /// Billing over `config`, changing tenants through `tenants`, timed by `clock`.
    pub fn new(
        pool: DbPool,
        tenants: TenantRegistry,
        config: BillingConfig,
        clock: Clock,
        provisioner: Option<Arc<dyn NumberProvisioner>>,
    ) -> Self {
        BillingActor {
            deps: Arc::new(Deps {
                pool,
                tenants,
                config,
                clock,
                provisioner,
            }),
        }
    }
}

impl Actor for BillingActor {
    type Context = Context<Self>;
}

impl Supervised for BillingActor {}

impl Handler<Webhook> for BillingActor {
    type Result = ResponseFuture<Result<Outcome, BillingError>>;

    fn handle(&mut self, msg: Webhook, _: &mut Self::Context) -> Self::Result {
        let deps = Arc::clone(&self.deps);
        Box::pin(async move { deps.webhook(msg).await })
    }
}

impl Handler<Upgrade> for BillingActor {
    type Result = ResponseFuture<Result<Upgraded, BillingError>>;

    fn handle(&mut self, msg: Upgrade, _: &mut Self::Context) -> Self::Result {
        let deps = Arc::clone(&self.deps);
        let span = tracing::info_span!("billing_upgrade", tenant_id = %msg.tenant);
        Box::pin(tracing::Instrument::instrument(
            async move { deps.upgrade(msg).await },
            span,
        ))
    }
}

impl Deps {
    async fn webhook(&self, msg: Webhook) -> Result<Outcome, BillingError> {
        let now = (self.clock)();
        signature::verify(
            &self.config.webhook_secret,
            msg.signature.as_deref(),
            &msg.body,
            now,
        )?;
        let event: Event = serde_json::from_slice(&msg.body)
            .map_err(|e| BillingError::Malformed(e.to_string()))?;
        let record = EventRecord {
            id: event.id.clone(),
            kind: event.kind.clone(),
            created: event.created_at(),
        };
        let body = event
            .body()
            .map_err(|e| BillingError::Malformed(e.to_string()))?;
        let span = tracing::info_span!("stripe_event", event_id = %record.id, kind = %record.kind);
        tracing::Instrument::instrument(self.apply_event(record, body, now), span).await
    }

    async fn apply_event(
        &self,
        record: EventRecord,
        body: Body,
        now: DateTime<Utc>,
    ) -> Result<Outcome, BillingError> {
        let (tenant, change) = self.link(&body).await?;
        let Some(tenant) = tenant else {
            tracing::warn!("Stripe event names no tenant we know; recorded only");
            store::record_unlinked(&RootDb::new(self.pool.clone()), ACTOR, record).await?;
            return Ok(Outcome::Ignored);
        };
        let outcome = self
            .apply(&tenant, Some(record.clone()), change, now)
            .await?;
        let Outcome::Fetch(subscription) = outcome else {
            tracing::info!(tenant_id = %tenant, outcome = ?outcome, "Stripe event applied");
            return Ok(outcome);
        };
        tracing::info!(tenant_id = %tenant, "order unsure: reading the subscription from Stripe");
        let current = self.config.client.subscription(&subscription).await?;
        let change = Change::Subscription {
            state: SubscriptionState::of(&current, &self.config.prices)?,
            fetched: true,
        };
        self.apply(&tenant, Some(record), change, now).await
    }

    /// Which tenant an event is about, and what it says.
    async fn link(&self, body: &Body) -> Result<(Option<TenantId>, Change), BillingError> {
        let prices = &self.config.prices;
        let (named, customer, change) = match body {
            Body::Subscription(sub) => (
                sub.metadata.get("tenant_id").cloned(),
                Some(sub.customer.clone()),
                Change::Subscription {
                    state: SubscriptionState::of(sub, prices)?,
                    fetched: false,
                },
            ),
            Body::Invoice(invoice, outcome) => (
                invoice.tenant_metadata().map(str::to_owned),
                Some(invoice.customer.clone()),
                Change::Invoice(InvoiceState::of(invoice, *outcome)),
            ),
            Body::CheckoutCompleted(session) => (
                session
                    .metadata
                    .get("tenant_id")
                    .cloned()
                    .or_else(|| session.client_reference_id.clone()),
                session.customer.clone(),
                match &session.subscription {
                    Some(sub) => Change::Checkout {
                        subscription: sub.clone(),
                    },
                    None => Change::Nothing,
                },
            ),
            Body::Other => (None, None, Change::Nothing),
        };
        let tenant = match (named.as_deref().map(TenantId::parse), customer) {
            (Some(Ok(tenant)), _) => Some(tenant),
            (_, Some(customer)) => tenant_by_stripe_customer(&self.pool, &customer).await?,
            _ => None,
        };
        Ok((tenant, change))
    }

    /// Applies `change` through `tenant`'s actor (an unknown tenant is `Ignored`).
    async fn apply(
        &self,
        tenant: &TenantId,
        event: Option<EventRecord>,
        change: Change,
        now: DateTime<Utc>,
    ) -> Result<Outcome, BillingError> {
        let id = tenant.clone();
        let write = RootWrite {
            write: Arc::new(move |root| {
                let (id, event, change) = (id.clone(), event.clone(), change.clone());
                Box::pin(async move { store::apply(&root, ACTOR, &id, event, change, now).await })
            }),
        };
        match self.tenants.root_write(tenant, write).await {
            Ok((outcome, _)) => Ok(outcome),
            Err(TenantError::Db(DbError::NotFound)) => {
                tracing::warn!(tenant_id = %tenant, "Stripe names a tenant that does not exist");
                Ok(Outcome::Ignored)
            }
            Err(e) => Err(e.into()),
        }
    }

    async fn upgrade(&self, msg: Upgrade) -> Result<Upgraded, BillingError> {
        let Upgrade { tenant, tier } = msg;
        let ctx = self.tenants.context(&tenant, Freshness::Check).await?;
        policy::check(ctx.tenant.status, Action::Billing)?;
        if ctx.tenant.plan_tier == tier {
            return Err(BillingError::AlreadyOnTier(tier));
        }
        let db = TenantDb::new(self.pool.clone(), tenant.clone());
        let subscription = store::subscription_of(&db).await?;
        let (context, checkout_required) = match subscription {
            None if ctx.tenant.status == TenantStatus::Trialing => {
                let ctx = self.tenants.change_tier(&tenant, tier, ACTOR).await?;
                (ctx, true)
            }
            None => return Err(BillingError::NoSubscription),
            Some(id) => (self.change_price(&tenant, &id, tier).await?, false),
        };
        let provisioning = context
            .tenant
            .has_feature(servicepro_schema::Feature::DedicatedNumber)
            && context.phone.is_none();
        if provisioning {
            match &self.provisioner {
                Some(p) => p.ensure_number(&tenant).await,
                None => tracing::error!(
                    "plan includes a dedicated number but no number provisioner is wired"
                ),
            }
        }
        tracing::info!(plan_tier = %context.tenant.plan_tier, "plan changed");
        Ok(Upgraded {
            context,
            checkout_required,
            provisioning,
        })
    }

    /// Moves subscription `id` to `tier`'s price and applies Stripe's answer.
    async fn change_price(
        &self,
        tenant: &TenantId,
        id: &str,
        tier: PlanTier,
    ) -> Result<Arc<TenantContext>, BillingError> {
        let client = &self.config.client;
        let current = client.subscription(id).await?;
        let item = current
            .plan_item()
            .ok_or_else(|| BillingError::Malformed("subscription has no items".into()))?;
        let price = self.config.prices.price(tier);
        let updated = client.change_price(id, &item.id, price).await?;
        let change = Change::Subscription {
            state: SubscriptionState::of(&updated, &self.config.prices)?,
            fetched: true,
        };
        let now = (self.clock)();
        self.apply(tenant, None, change, now).await?;
        Ok(self.tenants.context(tenant, Freshness::Check).await?)
    }
}
