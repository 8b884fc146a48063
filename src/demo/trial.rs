//! The demo's trial tour: a business signs up (its number bought from the
//! Twilio sink), a customer texts the new number, then Stripe's events —
//! signed the way Stripe signs them — upgrade it to elite, move it to past due
//! when an invoice fails, and reactivate it when the invoice is paid.

use super::DemoTwilio;
use anyhow::Context;
use chrono::Utc;
use serde_json::{json, Value};
use servicepro_actors::billing::signature;
use servicepro_actors::billing::PriceMap;
use servicepro_schema::SecretString;

/// The demo's Stripe webhook secret (events are signed with it here).
pub const WEBHOOK_SECRET: &str = "whsec_demo_not_secret";

/// The demo's plan prices (`STRIPE_PRICE_*`).
pub fn prices() -> PriceMap {
    PriceMap {
        starter: "price_demo_starter".into(),
        pro: "price_demo_pro".into(),
        elite: "price_demo_elite".into(),
    }
}

/// The demo owner's e-mail, for signing in to `/app`.
pub const OWNER_EMAIL: &str = "dana@greenway.example";
/// The demo owner's password (a demo, not a secret).
pub const OWNER_PASSWORD: &str = "greenway-demo-owner";

/// Runs the tour against `server`.
pub async fn tour(server: &str, twilio: &DemoTwilio) -> anyhow::Result<()> {
    let http = reqwest::Client::new();
    let res = http
        .post(format!("{server}/api/signup"))
        .json(&json!({
            "owner_name": "Dana Reyes", "email": OWNER_EMAIL, "password": OWNER_PASSWORD,
            "business_name": "Greenway Lawn", "industry": "lawn-care",
            "city": "Tulsa", "area_code": "918", "plan_tier": "pro",
        }))
        .send()
        .await?;
    let status = res.status();
    let signup: Value = res.json().await?;
    if status.as_u16() != 201 {
        anyhow::bail!("signup answered {status}: {signup}");
    }
    let tenant = signup["tenant_id"]
        .as_str()
        .context("signup: no tenant_id")?;
    let key = signup["api_key"].as_str().context("signup: no api_key")?;
    let number = signup["phone_number"].as_str().unwrap_or("(pending)");
    println!(
        "  POST /api/signup → {status}: {tenant} trialing on {} until {}, number {number} (provisioning {})",
        signup["plan_tier"], signup["trial_ends_at"], signup["provisioning"]
    );

    if let Some(number) = signup["phone_number"].as_str() {
        let line = "hey how much do you charge to mow a small front and back yard?";
        let (status, doc) = twilio
            .post(
                "/twilio/sms/incoming",
                &[
                    ("MessageSid", "SMdemotrial000000000000000000000"),
                    ("From", "+19185550177"),
                    ("To", number),
                    ("Body", line),
                ],
            )
            .await?;
        println!("  customer → {number}: {line}");
        println!("  agent ({status}): {}", super::inline_reply(&doc));
    }

    let now = Utc::now().timestamp();
    let subscription = json!({
        "id": "sub_demo", "object": "subscription", "customer": "cus_demo",
        "status": "active", "created": now - 30, "metadata": {"tenant_id": tenant},
        "items": {"object": "list", "data": [{
            "id": "si_demo", "object": "subscription_item",
            "price": {"id": prices().elite, "object": "price"},
            "current_period_end": now + 30 * 86_400,
        }]},
    });
    let invoice = |at: i64, paid: bool| {
        json!({
            "id": "in_demo", "object": "invoice", "customer": "cus_demo",
            "created": now - 25, "amount_paid": if paid { 14_900 } else { 0 },
            "status_transitions": {"paid_at": if paid { json!(at) } else { Value::Null }},
            "parent": {"subscription_details": {"metadata": {"tenant_id": tenant}, "subscription": "sub_demo"}},
        })
        .to_string()
    };
    let steps = [
        (
            "customer.subscription.created",
            now - 20,
            subscription.to_string(),
        ),
        ("invoice.payment_failed", now - 10, invoice(now - 10, false)),
        ("invoice.paid", now - 5, invoice(now - 5, true)),
    ];
    for (i, (kind, at, object)) in steps.iter().enumerate() {
        let body = json!({
            "id": format!("evt_demo_{i}"), "object": "event", "type": kind, "created": at,
            "api_version": "2025-03-31.basil",
            "data": {"object": serde_json::from_str::<Value>(object)?},
        })
        .to_string();
        let t = Utc::now().timestamp();
        let sig = signature::sign(&SecretString::from(WEBHOOK_SECRET), t, body.as_bytes());
        let res = http
            .post(format!("{server}/stripe/webhook"))
            .header("content-type", "application/json")
            .header("Stripe-Signature", format!("t={t},v1={sig}"))
            .body(body)
            .send()
            .await?;
        let status = res.status();
        let profile: Value = http
            .get(format!("{server}/api/tenant"))
            .bearer_auth(key)
            .send()
            .await?
            .json()
            .await?;
        println!(
            "  Stripe {kind} → {status}; GET /api/tenant: {} / {}{}",
            profile["plan_tier"],
            profile["status"],
            profile["billing"]["banner"]
                .as_str()
                .map(|b| format!(" — banner: {b}"))
                .unwrap_or_default()
        );
    }
    Ok(())
}
