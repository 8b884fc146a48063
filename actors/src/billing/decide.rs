//! What a Stripe event does to a tenant, decided from what is stored (pure; the
//! store runs it inside the transaction that holds the tenant's billing row).
//!
//! Order comes from the objects' own timestamps, never from arrival:
//! * a subscription event older than the last one applied (Stripe's event
//!   `created`), or about a subscription created before the stored one, is stale;
//!   one from the same second is unsure, and the subscription is fetched from
//!   Stripe and its current state applied;
//! * an invoice older than the stored latest one is stale, and `paid` is final
//!   for an invoice (a late `payment_failed` after it changes nothing).
//!
//! Stripe's subscription states map onto the tenant's status in [`tenant_status`];
//! an invoice paid reactivates a past-due or suspended tenant in one step, a failed
//! one makes an active or trialing tenant past due.

use super::prices::PriceMap;
use super::wire::{seconds, Invoice, Subscription};
use super::BillingError;
use chrono::{DateTime, Utc};
use servicepro_schema::{InvoiceOutcome, PlanTier, SubscriptionStatus, TenantStatus};

/// What the tenant's billing row and tenant row hold now.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stored {
    /// `sub_…`.
    pub subscription_id: Option<String>,
    /// The stored subscription's `created`.
    pub subscription_created: Option<DateTime<Utc>>,
    /// `created` of the last subscription event applied.
    pub last_event_at: Option<DateTime<Utc>>,
    /// The latest invoice.
    pub latest_invoice_id: Option<String>,
    /// Its `created`.
    pub latest_invoice_created: Option<DateTime<Utc>>,
    /// What became of it.
    pub latest_invoice_status: Option<InvoiceOutcome>,
    /// The tenant's status.
    pub status: Option<TenantStatus>,
    /// The tenant's plan.
    pub tier: Option<PlanTier>,
}

/// A subscription as billing applies it (its price already mapped to a tier).
#[derive(Debug, Clone, PartialEq)]
pub struct SubscriptionState {
    /// `sub_…`.
    pub id: String,
    /// `cus_…`.
    pub customer: String,
    /// Its state.
    pub status: SubscriptionStatus,
    /// When it was created.
    pub created: DateTime<Utc>,
    /// Its plan's price.
    pub price_id: String,
    /// The tier that price is.
    pub tier: PlanTier,
    /// Next billing date.
    pub period_end: Option<DateTime<Utc>>,
}

impl SubscriptionState {
    /// `sub` with its price mapped through `prices` (an unknown price is an error:
    /// the configuration is wrong, and Stripe retries once it is fixed).
    pub fn of(sub: &Subscription, prices: &PriceMap) -> Result<Self, BillingError> {
        let price = sub
            .plan_item()
            .map(|i| i.price.id.clone())
            .ok_or_else(|| BillingError::Malformed("subscription has no items".into()))?;
        let tier = prices
            .tier(&price)
            .ok_or_else(|| BillingError::UnknownPrice(price.clone()))?;
        Ok(SubscriptionState {
            id: sub.id.clone(),
            customer: sub.customer.clone(),
            status: sub.status,
            created: seconds(sub.created).unwrap_or_default(),
            price_id: price,
            tier,
            period_end: sub.period_end(),
        })
    }
}

/// An invoice event as billing applies it.
#[derive(Debug, Clone, PartialEq)]
pub struct InvoiceState {
    /// `in_…`.
    pub id: String,
    /// `cus_…`.
    pub customer: String,
    /// When it was created.
    pub created: DateTime<Utc>,
    /// What happened to it.
    pub outcome: InvoiceOutcome,
    /// When it was paid (for `paid`).
    pub paid_at: Option<DateTime<Utc>>,
    /// Amount paid, cents.
    pub amount_paid: i64,
}

impl InvoiceState {
    /// `invoice` with `outcome`.
    pub fn of(invoice: &Invoice, outcome: InvoiceOutcome) -> Self {
        InvoiceState {
            id: invoice.id.clone(),
            customer: invoice.customer.clone(),
            created: seconds(invoice.created).unwrap_or_default(),
            outcome,
            paid_at: invoice.status_transitions.paid_at.and_then(seconds),
            amount_paid: invoice.amount_paid.max(0),
        }
    }
}

/// What an event says, typed.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// A subscription's state at the event (`fetched`: read from Stripe just now,
    /// so current whatever the event's time).
    Subscription {
        /// Its state.
        state: SubscriptionState,
        /// Read from the API rather than the event.
        fetched: bool,
    },
    /// A completed Checkout: this subscription must be read from Stripe.
    Checkout {
        /// `sub_…`.
        subscription: String,
    },
    /// An invoice outcome.
    Invoice(InvoiceState),
    /// Nothing billing acts on.
    Nothing,
}

/// The writes an applied event makes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Effects {
    /// The subscription's new state.
    pub subscription: Option<SubscriptionState>,
    /// `created` of the subscription event applied (moves `last_event_at`).
    pub event_at: Option<DateTime<Utc>>,
    /// The latest invoice's new state.
    pub invoice: Option<InvoiceState>,
    /// The tenant's new status.
    pub status: Option<TenantStatus>,
    /// The tenant's new plan.
    pub tier: Option<PlanTier>,
}

/// The decision about one event.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// Apply these writes.
    Apply(Effects),
    /// Older than what is stored: record the event, change nothing.
    Stale,
    /// Unsure: read this subscription from Stripe and apply its current state.
    Fetch(String),
    /// Nothing to do but record the event.
    Ignore,
}

/// The tenant's status for a Stripe subscription state.
pub fn tenant_status(status: SubscriptionStatus) -> TenantStatus {
    match status {
        SubscriptionStatus::Trialing => TenantStatus::Trialing,
        SubscriptionStatus::Active => TenantStatus::Active,
        // Payment due and Stripe still retrying (or the first payment pending).
        SubscriptionStatus::PastDue | SubscriptionStatus::Incomplete => TenantStatus::PastDue,
        // Retries ran out, the first payment never came, or a trial ended with no
        // card: access paused, data kept, paying again reactivates.
        SubscriptionStatus::Unpaid
        | SubscriptionStatus::IncompleteExpired
        | SubscriptionStatus::Paused => TenantStatus::Suspended,
        SubscriptionStatus::Canceled => TenantStatus::Cancelled,
    }
}

/// What an event created at `event_at` saying `change` does to `stored`.
pub fn decide(stored: &Stored, event_at: DateTime<Utc>, change: &Change) -> Decision {
    match change {
        Change::Nothing => Decision::Ignore,
        Change::Checkout { subscription } => Decision::Fetch(subscription.clone()),
        Change::Subscription { state, fetched } => {
            if !fetched {
                if let Some(unsure) = order_subscription(stored, event_at, state) {
                    return unsure;
                }
            }
            let event_at = stored.last_event_at.map_or(event_at, |at| at.max(event_at));
            Decision::Apply(Effects {
                status: changed(stored.status, tenant_status(state.status)),
                tier: changed(stored.tier, state.tier),
                subscription: Some(state.clone()),
                event_at: Some(event_at),
                invoice: None,
            })
        }
        Change::Invoice(invoice) => decide_invoice(stored, invoice),
    }
}

/// `Some` when a subscription event must not be applied as it is.
fn order_subscription(
    stored: &Stored,
    event_at: DateTime<Utc>,
    state: &SubscriptionState,
) -> Option<Decision> {
    let fetch = || Some(Decision::Fetch(state.id.clone()));
    match (&stored.subscription_id, stored.subscription_created) {
        (Some(id), _) if *id == state.id => match stored.last_event_at {
            Some(last) if event_at < last => Some(Decision::Stale),
            Some(last) if event_at == last => fetch(),
            _ => None,
        },
        (Some(_), Some(created)) if state.created < created => Some(Decision::Stale),
        (Some(_), Some(created)) if state.created == created => fetch(),
        _ => None,
    }
}

fn decide_invoice(stored: &Stored, invoice: &InvoiceState) -> Decision {
    let same = stored.latest_invoice_id.as_deref() == Some(invoice.id.as_str());
    let older = stored
        .latest_invoice_created
        .is_some_and(|at| invoice.created < at);
    let settled = stored.latest_invoice_status == Some(InvoiceOutcome::Paid);
    if (!same && older) || (same && settled && invoice.outcome != InvoiceOutcome::Paid) {
        return Decision::Stale;
    }
    let status = match (invoice.outcome, stored.status) {
        (InvoiceOutcome::Paid, Some(TenantStatus::PastDue | TenantStatus::Suspended)) => {
            Some(TenantStatus::Active)
        }
        (InvoiceOutcome::Paid, Some(TenantStatus::Trialing)) if invoice.amount_paid > 0 => {
            Some(TenantStatus::Active)
        }
        (
            InvoiceOutcome::PaymentFailed | InvoiceOutcome::ActionRequired,
            Some(TenantStatus::Active | TenantStatus::Trialing),
        ) => Some(TenantStatus::PastDue),
        _ => None,
    };
    Decision::Apply(Effects {
        invoice: Some(invoice.clone()),
        status,
        ..Effects::default()
    })
}

fn changed<T: PartialEq + Copy>(stored: Option<T>, new: T) -> Option<T> {
    (stored != Some(new)).then_some(new)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: i64) -> DateTime<Utc> {
        seconds(1_780_000_000 + s).unwrap_or_default()
    }

    fn sub(
        id: &str,
        status: SubscriptionStatus,
        created: i64,
        tier: PlanTier,
    ) -> SubscriptionState {
        SubscriptionState {
            id: id.into(),
            customer: "cus_1".into(),
            status,
            created: at(created),
            price_id: format!("price_{tier}"),
            tier,
            period_end: None,
        }
    }

    fn subscribed(last_event: i64) -> Stored {
        Stored {
            subscription_id: Some("sub_1".into()),
            subscription_created: Some(at(0)),
            last_event_at: Some(at(last_event)),
            status: Some(TenantStatus::Active),
            tier: Some(PlanTier::Pro),
            ..Stored::default()
        }
    }

    fn change(state: SubscriptionState) -> Change {
        Change::Subscription {
            state,
            fetched: false,
        }
    }

    #[test]
    fn every_subscription_state_has_a_tenant_status() {
        use SubscriptionStatus as S;
        use TenantStatus as T;
        let expected = [
            (S::Trialing, T::Trialing),
            (S::Active, T::Active),
            (S::PastDue, T::PastDue),
            (S::Unpaid, T::Suspended),
            (S::Canceled, T::Cancelled),
            (S::Incomplete, T::PastDue),
            (S::IncompleteExpired, T::Suspended),
            (S::Paused, T::Suspended),
        ];
        assert_eq!(expected.len(), S::ALL.len());
        for (s, t) in expected {
            assert_eq!(tenant_status(s), t, "{s}");
        }
    }

    #[test]
    fn newer_applies_older_is_stale_same_second_fetches() {
        let stored = subscribed(10);
        let past_due = sub("sub_1", SubscriptionStatus::PastDue, 0, PlanTier::Pro);
        let applied = decide(&stored, at(11), &change(past_due.clone()));
        let Decision::Apply(effects) = applied else {
            panic!("{applied:?}")
        };
        assert_eq!(effects.status, Some(TenantStatus::PastDue));
        assert_eq!(effects.tier, None);
        assert_eq!(effects.event_at, Some(at(11)));
        assert_eq!(
            decide(&stored, at(9), &change(past_due.clone())),
            Decision::Stale
        );
        assert_eq!(
            decide(&stored, at(10), &change(past_due.clone())),
            Decision::Fetch("sub_1".into())
        );
        let fetched = Change::Subscription {
            state: past_due,
            fetched: true,
        };
        assert!(matches!(
            decide(&stored, at(10), &fetched),
            Decision::Apply(_)
        ));
    }

    #[test]
    fn an_older_subscription_never_replaces_a_newer_one() {
        let stored = subscribed(10);
        let old = sub("sub_0", SubscriptionStatus::Canceled, -5, PlanTier::Starter);
        assert_eq!(decide(&stored, at(20), &change(old)), Decision::Stale);
        let new = sub("sub_2", SubscriptionStatus::Active, 15, PlanTier::Elite);
        let Decision::Apply(effects) = decide(&stored, at(20), &change(new)) else {
            panic!("newer subscription not applied")
        };
        assert_eq!(effects.tier, Some(PlanTier::Elite));
    }

    #[test]
    fn invoices_order_by_created_and_paid_is_final() {
        let mut stored = subscribed(10);
        stored.status = Some(TenantStatus::PastDue);
        let paid = InvoiceState {
            id: "in_2".into(),
            customer: "cus_1".into(),
            created: at(50),
            outcome: InvoiceOutcome::Paid,
            paid_at: Some(at(60)),
            amount_paid: 4900,
        };
        let Decision::Apply(effects) = decide(&stored, at(60), &Change::Invoice(paid.clone()))
        else {
            panic!("paid invoice not applied")
        };
        assert_eq!(effects.status, Some(TenantStatus::Active));
        stored.latest_invoice_id = Some("in_2".into());
        stored.latest_invoice_created = Some(at(50));
        stored.latest_invoice_status = Some(InvoiceOutcome::Paid);
        stored.status = Some(TenantStatus::Active);
        let late_failure = InvoiceState {
            outcome: InvoiceOutcome::PaymentFailed,
            ..paid.clone()
        };
        assert_eq!(
            decide(&stored, at(70), &Change::Invoice(late_failure)),
            Decision::Stale
        );
        let older = InvoiceState {
            id: "in_1".into(),
            created: at(20),
            outcome: InvoiceOutcome::PaymentFailed,
            ..paid
        };
        assert_eq!(
            decide(&stored, at(70), &Change::Invoice(older)),
            Decision::Stale
        );
    }

    #[test]
    fn a_free_trial_invoice_does_not_end_the_trial() {
        let mut stored = subscribed(10);
        stored.status = Some(TenantStatus::Trialing);
        let zero = InvoiceState {
            id: "in_0".into(),
            customer: "cus_1".into(),
            created: at(1),
            outcome: InvoiceOutcome::Paid,
            paid_at: Some(at(1)),
            amount_paid: 0,
        };
        let Decision::Apply(effects) = decide(&stored, at(1), &Change::Invoice(zero)) else {
            panic!("not applied")
        };
        assert_eq!(effects.status, None);
    }
}
