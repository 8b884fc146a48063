//! A loopback fake of the Stripe subscriptions API for tests (`testkit`):
//! `GET /v1/subscriptions/{id}` and `POST /v1/subscriptions/{id}` (a new price on
//! its item, prorated as asked), with a card-declined mode answering Stripe's 402
//! `card_error` and a mode answering 500. It also signs events the way Stripe does.

use super::signature;
use crate::loopback::{Answer, LoopbackServer, RawRequest};
use serde_json::{json, Value};
use servicepro_schema::SecretString;
use std::collections::HashMap;
use std::io;

/// How the fake answers subscription updates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FakeMode {
    /// As Stripe does when the payment goes through.
    #[default]
    Normal,
    /// 402 `card_error` / `card_declined`, the subscription left as it was.
    CardDeclined,
    /// 500 to every request.
    ServerError,
}

#[derive(Debug, Default)]
struct Shared {
    subscriptions: HashMap<String, Value>,
    mode: FakeMode,
    requests: Vec<RawRequest>,
}

/// The running fake; stops when dropped.
#[derive(Debug)]
pub struct FakeStripe {
    server: LoopbackServer<Shared>,
}

impl FakeStripe {
    /// Starts an empty fake on `127.0.0.1:0`.
    pub async fn start() -> io::Result<Self> {
        Ok(FakeStripe {
            server: LoopbackServer::start(Shared::default(), answer).await?,
        })
    }

    /// `http://127.0.0.1:{port}/` (the `STRIPE_API_BASE` to configure).
    pub fn base_url(&self) -> String {
        format!("{}/", self.server.base_url())
    }

    /// Stores (or replaces) a subscription object.
    pub fn put_subscription(&self, subscription: Value) {
        let id = subscription["id"].as_str().unwrap_or_default().to_owned();
        self.server.state().subscriptions.insert(id, subscription);
    }

    /// The subscription as the fake holds it.
    pub fn subscription(&self, id: &str) -> Option<Value> {
        self.server.state().subscriptions.get(id).cloned()
    }

    /// Switches how updates are answered.
    pub fn set_mode(&self, mode: FakeMode) {
        self.server.state().mode = mode;
    }

    /// The requests received so far, in order.
    pub fn requests(&self) -> Vec<RawRequest> {
        self.server.state().requests.clone()
    }
}

/// A subscription object as Stripe sends it: one item on `price`, linked to `tenant`.
pub fn subscription(id: &str, tenant: &str, status: &str, price: &str, created: i64) -> Value {
    json!({
        "id": id,
        "object": "subscription",
        "customer": format!("cus_{tenant}"),
        "status": status,
        "created": created,
        "metadata": {"tenant_id": tenant},
        "items": {"object": "list", "data": [{
            "id": format!("si_{id}"),
            "object": "subscription_item",
            "price": {"id": price, "object": "price"},
            "current_period_end": created + 30 * 86_400,
        }]},
    })
}

/// An event of `kind` about `object`, created at `created`, as JSON text.
pub fn event(id: &str, kind: &str, created: i64, object: Value) -> String {
    json!({
        "id": id,
        "object": "event",
        "type": kind,
        "created": created,
        "api_version": "2025-03-31.basil",
        "data": {"object": object},
    })
    .to_string()
}

/// The `Stripe-Signature` header Stripe would send for `body` at `t`.
pub fn signature_header(secret: &SecretString, t: i64, body: &str) -> String {
    format!("t={t},v1={}", signature::sign(secret, t, body.as_bytes()))
}

fn error(status: u16, kind: &str, code: Option<&str>, message: &str) -> (u16, Value) {
    let mut detail = json!({"type": kind, "message": message});
    if let Some(code) = code {
        detail["code"] = json!(code);
        detail["decline_code"] = json!("generic_decline");
    }
    (status, json!({ "error": detail }))
}

fn answer(state: &mut Shared, request: RawRequest) -> Answer {
    let (status, body) = respond(state, request);
    Answer {
        status,
        body: body.to_string(),
        headers: Vec::new(),
        delay: std::time::Duration::ZERO,
    }
}

fn respond(state: &mut Shared, request: RawRequest) -> (u16, Value) {
    let id = request
        .path
        .strip_prefix("/v1/subscriptions/")
        .unwrap_or_default()
        .to_owned();
    let form: HashMap<String, String> = url::form_urlencoded::parse(&request.body)
        .into_owned()
        .collect();
    let method = request.method.clone();
    state.requests.push(request);
    if state.mode == FakeMode::ServerError {
        return error(500, "api_error", None, "An unknown error occurred");
    }
    let Some(subscription) = state.subscriptions.get_mut(&id) else {
        return error(
            404,
            "invalid_request_error",
            None,
            &format!("No such subscription: '{id}'"),
        );
    };
    if method == "GET" {
        return (200, subscription.clone());
    }
    if state.mode == FakeMode::CardDeclined {
        return error(
            402,
            "card_error",
            Some("card_declined"),
            "Your card was declined.",
        );
    }
    if let Some(price) = form.get("items[0][price]") {
        subscription["items"]["data"][0]["price"]["id"] = json!(price);
    }
    (200, subscription.clone())
}
