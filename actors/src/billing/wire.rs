//! The parts of Stripe's JSON objects billing reads (events, subscriptions,
//! invoices, Checkout Sessions) and the events it acts on. Unknown fields are
//! ignored; timestamps are Unix seconds, as Stripe sends them.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use servicepro_schema::{InvoiceOutcome, SubscriptionStatus};
use std::collections::HashMap;

/// A webhook event.
#[derive(Debug, Clone, Deserialize)]
pub struct Event {
    /// `evt_…`.
    pub id: String,
    /// e.g. `customer.subscription.updated`.
    #[serde(rename = "type")]
    pub kind: String,
    /// When Stripe created the event (seconds).
    pub created: i64,
    /// The object the event is about.
    pub data: EventData,
}

/// An event's payload.
#[derive(Debug, Clone, Deserialize)]
pub struct EventData {
    /// The object as it was when the event happened.
    pub object: serde_json::Value,
}

/// A list Stripe returns (`{"object":"list","data":[…]}`).
#[derive(Debug, Clone, Deserialize)]
pub struct List<T> {
    /// The items.
    pub data: Vec<T>,
}

/// A subscription.
#[derive(Debug, Clone, Deserialize)]
pub struct Subscription {
    /// `sub_…`.
    pub id: String,
    /// `cus_…`.
    pub customer: String,
    /// Its state.
    pub status: SubscriptionStatus,
    /// When it was created (seconds): orders one subscription against another.
    pub created: i64,
    /// `tenant_id` links it to its tenant.
    #[serde(default)]
    pub metadata: HashMap<String, String>,
    /// Its items (one per plan here).
    pub items: List<SubscriptionItem>,
    /// End of the current period (older API versions put it here).
    #[serde(default)]
    pub current_period_end: Option<i64>,
}

/// One item of a subscription.
#[derive(Debug, Clone, Deserialize)]
pub struct SubscriptionItem {
    /// `si_…`.
    pub id: String,
    /// Its price.
    pub price: Price,
    /// End of the current period (newer API versions put it here).
    #[serde(default)]
    pub current_period_end: Option<i64>,
}

/// A price.
#[derive(Debug, Clone, Deserialize)]
pub struct Price {
    /// `price_…`.
    pub id: String,
}

impl Subscription {
    /// Its first item (the plan).
    pub fn plan_item(&self) -> Option<&SubscriptionItem> {
        self.items.data.first()
    }

    /// End of the current period, wherever this API version put it.
    pub fn period_end(&self) -> Option<DateTime<Utc>> {
        self.current_period_end
            .or_else(|| self.plan_item().and_then(|i| i.current_period_end))
            .and_then(seconds)
    }
}

/// An invoice.
#[derive(Debug, Clone, Deserialize)]
pub struct Invoice {
    /// `in_…`.
    pub id: String,
    /// `cus_…`.
    pub customer: String,
    /// When it was created (seconds): orders one invoice against another.
    pub created: i64,
    /// What was paid, in cents.
    #[serde(default)]
    pub amount_paid: i64,
    /// When it moved between states.
    #[serde(default)]
    pub status_transitions: StatusTransitions,
    /// The subscription's metadata (API versions before 2025-03-31).
    #[serde(default)]
    pub subscription_details: Option<SubscriptionDetails>,
    /// The subscription's metadata (API versions from 2025-03-31).
    #[serde(default)]
    pub parent: Option<InvoiceParent>,
}

/// An invoice's state transitions.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct StatusTransitions {
    /// When it was paid (seconds).
    #[serde(default)]
    pub paid_at: Option<i64>,
}

/// Where an invoice came from.
#[derive(Debug, Clone, Deserialize)]
pub struct InvoiceParent {
    /// The subscription, when one.
    #[serde(default)]
    pub subscription_details: Option<SubscriptionDetails>,
}

/// The subscription an invoice bills.
#[derive(Debug, Clone, Deserialize)]
pub struct SubscriptionDetails {
    /// The subscription's metadata at invoicing time.
    #[serde(default)]
    pub metadata: HashMap<String, String>,
}

impl Invoice {
    /// The `tenant_id` of its subscription's metadata, if it carries one.
    pub fn tenant_metadata(&self) -> Option<&str> {
        let details = self
            .parent
            .as_ref()
            .and_then(|p| p.subscription_details.as_ref())
            .or(self.subscription_details.as_ref())?;
        details.metadata.get("tenant_id").map(String::as_str)
    }
}

/// A Checkout Session.
#[derive(Debug, Clone, Deserialize)]
pub struct CheckoutSession {
    /// `cs_…`.
    pub id: String,
    /// `cus_…`, when a customer was made.
    #[serde(default)]
    pub customer: Option<String>,
    /// `sub_…`, in subscription mode.
    #[serde(default)]
    pub subscription: Option<String>,
    /// Our tenant id, when we created the session.
    #[serde(default)]
    pub client_reference_id: Option<String>,
    /// `tenant_id`, when we created the session.
    #[serde(default)]
    pub metadata: HashMap<String, String>,
}

/// The events billing acts on, with their objects.
#[derive(Debug, Clone)]
pub enum Body {
    /// `checkout.session.completed`.
    CheckoutCompleted(CheckoutSession),
    /// `customer.subscription.created/updated/deleted/trial_will_end`.
    Subscription(Subscription),
    /// `invoice.paid`, `invoice.payment_failed`, `invoice.payment_action_required`.
    Invoice(Invoice, InvoiceOutcome),
    /// Anything else: recorded, no effect.
    Other,
}

impl Event {
    /// The event's object, typed by its `type`.
    pub fn body(&self) -> Result<Body, serde_json::Error> {
        let object = || self.data.object.clone();
        Ok(match self.kind.as_str() {
            "checkout.session.completed" => {
                Body::CheckoutCompleted(serde_json::from_value(object())?)
            }
            "customer.subscription.created"
            | "customer.subscription.updated"
            | "customer.subscription.deleted"
            | "customer.subscription.trial_will_end" => {
                Body::Subscription(serde_json::from_value(object())?)
            }
            "invoice.paid" => {
                Body::Invoice(serde_json::from_value(object())?, InvoiceOutcome::Paid)
            }
            "invoice.payment_failed" => Body::Invoice(
                serde_json::from_value(object())?,
                InvoiceOutcome::PaymentFailed,
            ),
            "invoice.payment_action_required" => Body::Invoice(
                serde_json::from_value(object())?,
                InvoiceOutcome::ActionRequired,
            ),
            _ => Body::Other,
        })
    }

    /// When Stripe created the event.
    pub fn created_at(&self) -> DateTime<Utc> {
        seconds(self.created).unwrap_or_default()
    }
}

/// Unix seconds as a time (`None` when out of range).
pub fn seconds(s: i64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(s, 0)
}

/// Stripe's error body (`{"error":{"type","code","decline_code","message"}}`).
#[derive(Debug, Clone, Deserialize)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// One Stripe error.
#[derive(Debug, Clone, Deserialize)]
pub struct ErrorDetail {
    /// e.g. `card_error`.
    #[serde(rename = "type", default)]
    pub kind: String,
    /// e.g. `card_declined`.
    #[serde(default)]
    pub code: Option<String>,
    /// e.g. `insufficient_funds`.
    #[serde(default)]
    pub decline_code: Option<String>,
    /// Human-readable.
    #[serde(default)]
    pub message: String,
}
