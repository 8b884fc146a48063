//! A `TestApp` with billing on against the loopback Stripe fake, a stopped clock,
//! and helpers that sign events the way Stripe does.

use super::app::TestApp;
use super::tenants::TenantSpec;
use chrono::{DateTime, TimeZone, Utc};
use serde_json::Value;
use servicepro_actors::billing::fake::{self, FakeStripe};
use servicepro_schema::{SecretString, TenantDb, TenantId};

/// The webhook secret the app is configured with (DESIGN.md §7's known-answer secret).
pub const WEBHOOK_SECRET: &str = "whsec_test_secret";
/// The plans' prices.
pub const PRICES: [(&str, &str); 3] = [
    ("STRIPE_PRICE_STARTER", "price_starter"),
    ("STRIPE_PRICE_PRO", "price_pro"),
    ("STRIPE_PRICE_ELITE", "price_elite"),
];

/// The app's stopped clock.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 4, 12, 0, 0).unwrap()
}

/// `now()` in Unix seconds, plus `offset`.
pub fn ts(offset: i64) -> i64 {
    now().timestamp() + offset
}

/// An app with billing on, its Stripe fake, and a tenant `acme` (`tier`, `status`).
pub struct Billing {
    /// The app.
    pub app: TestApp,
    /// Its Stripe.
    pub stripe: FakeStripe,
}

impl Billing {
    /// Starts both and creates `acme`.
    pub async fn start(tier: &str, status: &str) -> Billing {
        let stripe = FakeStripe::start().await.unwrap();
        let mut builder = TestApp::builder()
            .now(now())
            .var("STRIPE_SECRET_KEY", "sk_test_platform")
            .var("STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET)
            .var("STRIPE_API_BASE", &stripe.base_url());
        for (k, v) in PRICES {
            builder = builder.var(k, v);
        }
        let app = builder.spawn().await;
        app.create_tenant(TenantSpec {
            plan_tier: tier,
            status,
            ..TenantSpec::default()
        })
        .await;
        Billing { app, stripe }
    }

    /// Posts `body` signed at `t` (as Stripe would); answers (status, JSON).
    pub async fn deliver(&self, body: &str, t: i64) -> (u16, Value) {
        let header = fake::signature_header(&SecretString::new(WEBHOOK_SECRET), t, body);
        self.post(body, Some(&header)).await
    }

    /// Posts `body` with `signature` as the `Stripe-Signature` header.
    pub async fn post(&self, body: &str, signature: Option<&str>) -> (u16, Value) {
        let mut req = self
            .app
            .client
            .post(self.app.url("/stripe/webhook"))
            .header("content-type", "application/json")
            .body(body.to_owned());
        if let Some(sig) = signature {
            req = req.header("Stripe-Signature", sig);
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    /// A subscription event about `acme`, created at `ts(at)`.
    pub fn sub_event(&self, id: &str, kind: &str, at: i64, status: &str, price: &str) -> String {
        let object = fake::subscription("sub_acme", "acme", status, price, ts(-86_400));
        fake::event(id, kind, ts(at), object)
    }

    /// `acme`'s (status, plan_tier).
    pub async fn tenant(&self) -> (String, String) {
        let row = self
            .query("SELECT status || ' ' || plan_tier AS v FROM tenants WHERE id = 'acme'")
            .await;
        let (s, t) = row.split_once(' ').unwrap();
        (s.to_owned(), t.to_owned())
    }

    /// One text value from SQL run as the superuser (`… AS v`).
    pub async fn query(&self, sql: &str) -> String {
        #[derive(diesel::QueryableByName)]
        struct V {
            #[diesel(sql_type = diesel::sql_types::Text)]
            v: String,
        }
        use diesel_async::RunQueryDsl;
        let mut conn = self.app.db.superuser().await;
        let row: V = diesel::sql_query(sql).get_result(&mut conn).await.unwrap();
        row.v
    }

    /// A fresh API key of `acme`.
    pub async fn api_key(&self) -> String {
        let db = TenantDb::new(
            self.app.state.pool.clone(),
            TenantId::parse("acme").unwrap(),
        );
        let issued = servicepro_actors::tenant::api_keys::rotate(&db, "test")
            .await
            .unwrap();
        issued.plaintext.expose_secret().to_owned()
    }

    /// `POST /api/billing/upgrade {plan_tier}` with `acme`'s key.
    pub async fn upgrade(&self, key: &str, tier: &str) -> (u16, Value) {
        let res = self
            .app
            .client
            .post(self.app.url("/api/billing/upgrade"))
            .bearer_auth(key)
            .json(&serde_json::json!({ "plan_tier": tier }))
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }
}
