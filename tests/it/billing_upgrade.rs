//! `POST /api/billing/upgrade`: the subscription's price moved through Stripe
//! (prorated), the tier flipped at once and features following; a refused card
//! (402) and the same tier (409) change nothing; a downgrade keeps every row and
//! only turns off what the lower plan lacks; a trial with no subscription changes
//! its tier for the trial.

use crate::support::stripe::{ts, Billing};
use servicepro_actors::billing::fake::{self, FakeMode};
use servicepro_actors::tenant::context::TenantContext;
use servicepro_actors::tenant::Freshness;
use servicepro_actors::voice::call_flow::{answer_incoming, IncomingCall, Route};
use servicepro_actors::voice::callback_urls::CallbackUrls;
use servicepro_schema::TenantId;

/// `acme` paying for `price` through `sub_acme` (Stripe's fake and our row agree).
async fn subscribed(tier: &str, price: &str) -> Billing {
    let b = Billing::start(tier, "active").await;
    let sub = fake::subscription("sub_acme", "acme", "active", price, ts(-86_400));
    b.stripe.put_subscription(sub.clone());
    let event = fake::event("evt_sub", "customer.subscription.created", ts(-60), sub);
    assert_eq!(b.deliver(&event, ts(0)).await.0, 200);
    b
}

/// `acme` as the engine sees it now.
async fn acme_context(b: &Billing) -> std::sync::Arc<TenantContext> {
    let acme = TenantId::parse("acme").unwrap();
    b.app
        .state
        .tenants
        .context(&acme, Freshness::Check)
        .await
        .unwrap()
}

fn features(body: &serde_json::Value) -> Vec<String> {
    body["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap().to_owned())
        .collect()
}

#[actix_web::test]
async fn upgrade_moves_the_price_and_flips_the_tier_at_once() {
    let b = subscribed("pro", "price_pro").await;
    let key = b.api_key().await;
    let (status, body) = b.upgrade(&key, "elite").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (body["plan_tier"].as_str(), body["status"].as_str()),
        (Some("elite"), Some("active"))
    );
    assert!(features(&body).contains(&"aiVoiceAgent".to_owned()));
    assert_eq!(body["billing"]["checkout_required"], false);
    assert_eq!(b.tenant().await, ("active".into(), "elite".into()));
    let update = b
        .stripe
        .requests()
        .into_iter()
        .find(|r| r.method == "POST")
        .unwrap();
    let form: Vec<(String, String)> = url::form_urlencoded::parse(&update.body)
        .into_owned()
        .collect();
    for expected in [
        ("items[0][id]", "si_sub_acme"),
        ("items[0][price]", "price_elite"),
        ("proration_behavior", "create_prorations"),
        ("payment_behavior", "error_if_incomplete"),
    ] {
        assert!(
            form.iter()
                .any(|(k, v)| (k.as_str(), v.as_str()) == expected),
            "{expected:?} in {form:?}"
        );
    }
    // The engine sees it at once: the tenant's actor answers the new tier.
    let ctx = acme_context(&b).await;
    assert_eq!(ctx.tenant.plan_tier.as_str(), "elite");

    let (status, body) = b.upgrade(&key, "elite").await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (409, Some("plan_tier"))
    );
    let (status, body) = b.upgrade(&key, "gold").await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (422, Some("plan_tier"))
    );
    let res = b
        .app
        .client
        .post(b.app.url("/api/billing/upgrade"))
        .bearer_auth("spk_acme_wrong")
        .json(&serde_json::json!({"plan_tier": "pro"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
}

#[actix_web::test]
async fn a_refused_card_is_402_and_changes_nothing() {
    let b = subscribed("pro", "price_pro").await;
    let key = b.api_key().await;
    b.stripe.set_mode(FakeMode::CardDeclined);
    let (status, body) = b.upgrade(&key, "elite").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (402, Some("payment_refused"))
    );
    assert_eq!(body["error"]["message"], "Your card was declined.");
    assert_eq!(b.tenant().await, ("active".into(), "pro".into()));
    b.stripe.set_mode(FakeMode::ServerError);
    assert_eq!(b.upgrade(&key, "elite").await.0, 502);
    assert_eq!(b.tenant().await, ("active".into(), "pro".into()));
}

#[actix_web::test]
async fn a_downgrade_keeps_the_ai_settings_and_answers_with_the_menu() {
    let b = subscribed("elite", "price_elite").await;
    b.app
        .sql("UPDATE tenant_phone_config SET ivr_mode = 'ai-voice' WHERE tenant_id = 'acme'")
        .await;
    let key = b.api_key().await;
    let (status, body) = b.upgrade(&key, "starter").await;
    assert_eq!(status, 200, "{body}");
    assert!(!features(&body).contains(&"aiVoiceAgent".to_owned()));
    assert!(!features(&body).contains(&"aiSmsAgent".to_owned()));
    let kept = b
        .query("SELECT ivr_mode AS v FROM tenant_phone_config WHERE tenant_id = 'acme'")
        .await;
    assert_eq!(
        kept, "ai-voice",
        "the AI setting is kept for the day it comes back"
    );
    assert!(b.app.count("services WHERE tenant_id = 'acme'").await > 0);
    let ctx = acme_context(&b).await;
    let call = IncomingCall {
        call_sid: "CA1".into(),
        from: "+15550001111".into(),
        caller: None,
        to: "+19185550100".into(),
    };
    let urls = CallbackUrls::new(&url::Url::parse("https://sp.example.test").unwrap());
    let (route, _) = answer_incoming(&ctx, &call, &urls, true);
    assert_eq!(route, Route::IvrFallback);

    // Back up: the same settings answer with the AI again, no re-setup.
    let (status, _) = b.upgrade(&key, "elite").await;
    assert_eq!(status, 200);
    let ctx = acme_context(&b).await;
    assert_eq!(answer_incoming(&ctx, &call, &urls, true).0, Route::AiVoice);
}

#[actix_web::test]
async fn a_trial_without_a_subscription_changes_tier_for_the_trial() {
    let b = Billing::start("pro", "trialing").await;
    let key = b.api_key().await;
    let (status, body) = b.upgrade(&key, "elite").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["billing"]["checkout_required"], true);
    assert_eq!(b.tenant().await, ("trialing".into(), "elite".into()));
    assert!(b.stripe.requests().is_empty());
    // An active tenant with no subscription must subscribe first.
    b.app
        .sql("UPDATE tenants SET status = 'active' WHERE id = 'acme'")
        .await;
    let (status, body) = b.upgrade(&key, "pro").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("no_subscription"))
    );
    // A cancelled tenant may not change plans (the status policy).
    b.app
        .sql("UPDATE tenants SET status = 'cancelled' WHERE id = 'acme'")
        .await;
    let (status, body) = b.upgrade(&key, "pro").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (403, Some("not_allowed_now"))
    );
}

#[actix_web::test]
async fn a_starter_moving_to_pro_gets_its_platform_number_bought_once() {
    let b = Billing::start("pro", "active").await;
    let mut body = crate::signup::body("owner@sprout.example", "Sprout Lawn");
    body["plan_tier"] = "starter".into();
    // Tulsa's other area code: the fake's numbers there are not `acme`'s.
    body["area_code"] = "539".into();
    let signed = b.app.signed_up(&body).await;
    assert_eq!(signed["phone_number"], serde_json::Value::Null);
    assert!(
        b.app.twilio.purchases().is_empty(),
        "a starter buys nothing"
    );
    let tenant = signed["tenant_id"].as_str().unwrap().to_owned();
    let key = signed["api_key"].as_str().unwrap().to_owned();
    let sub = fake::subscription(
        "sub_sprout",
        &tenant,
        "active",
        "price_starter",
        ts(-86_400),
    );
    b.stripe.put_subscription(sub.clone());
    let event = fake::event("evt_sprout", "customer.subscription.created", ts(-60), sub);
    assert_eq!(b.deliver(&event, ts(0)).await.0, 200);

    let (status, profile) = b.upgrade(&key, "pro").await;
    assert_eq!(status, 200, "{profile}");
    assert_eq!(profile["plan_tier"], "pro");
    // The number is bought by the upgrade (or, had Twilio failed, by the retry job).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while b.app.twilio.purchases().is_empty() && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let purchases = b.app.twilio.purchases();
    assert_eq!(purchases.len(), 1, "one number for the upgraded tenant");
    let numbers = b
        .app
        .count(&format!("tenant_phone_config WHERE tenant_id = '{tenant}'"))
        .await;
    assert_eq!(numbers, 1);
    // Upgrading again is a 409 and buys nothing more.
    assert_eq!(b.upgrade(&key, "pro").await.0, 409);
    assert_eq!(b.app.twilio.purchases().len(), 1);
}
