//! `POST /stripe/webhook` end to end: events signed the way Stripe signs them,
//! applied once (a replay is a no-op), ordered by their own timestamps, refused
//! when stale, tampered with or unsigned; invoices moving the tenant to past due and
//! back to active in one step; Checkout linking a customer.

use crate::support::stripe::{ts, Billing, WEBHOOK_SECRET};
use serde_json::json;
use servicepro_actors::billing::fake;
use servicepro_schema::SecretString;

fn invoice(id: &str, kind: &str, at: i64, amount_paid: i64, with_metadata: bool) -> String {
    let mut object = json!({
        "id": id, "object": "invoice", "customer": "cus_acme",
        "created": ts(at - 60), "amount_paid": amount_paid,
        "status_transitions": {"paid_at": if kind == "invoice.paid" { json!(ts(at)) } else { json!(null) }},
    });
    if with_metadata {
        object["parent"] = json!({"subscription_details": {"metadata": {"tenant_id": "acme"}, "subscription": "sub_acme"}});
    }
    fake::event(
        &format!("evt_{id}_{}", kind.replace('.', "_")),
        kind,
        ts(at),
        object,
    )
}

#[actix_web::test]
async fn events_apply_once_and_invoices_move_the_status_both_ways() {
    let b = Billing::start("pro", "trialing").await;
    let created = b.sub_event(
        "evt_1",
        "customer.subscription.created",
        -50,
        "active",
        "price_elite",
    );
    assert_eq!(b.deliver(&created, ts(0)).await.0, 200);
    assert_eq!(b.tenant().await, ("active".into(), "elite".into()));

    let failed = invoice("in_1", "invoice.payment_failed", -40, 0, true);
    let (status, body) = b.deliver(&failed, ts(0)).await;
    assert_eq!((status, body["outcome"].as_str()), (200, Some("applied")));
    assert_eq!(b.tenant().await.0, "past_due");

    // A replay (Stripe retries, or an attacker resends a captured delivery): no-op.
    let (status, body) = b.deliver(&failed, ts(0)).await;
    assert_eq!((status, body["outcome"].as_str()), (200, Some("replayed")));
    assert_eq!(b.app.count("stripe_events").await, 2);

    let paid = invoice("in_1", "invoice.paid", -30, 4900, true);
    assert_eq!(b.deliver(&paid, ts(0)).await.0, 200);
    assert_eq!(
        b.tenant().await.0,
        "active",
        "paying again reactivates in one step"
    );
    let billing = b
        .query(
            "SELECT concat_ws(' ', stripe_customer_id, stripe_subscription_id, subscription_status, \
             price_id, latest_invoice_id, latest_invoice_status, last_payment_cents, \
             current_period_end IS NOT NULL, last_payment_at IS NOT NULL) AS v \
             FROM tenant_billing WHERE tenant_id = 'acme'",
        )
        .await;
    assert_eq!(
        billing,
        "cus_acme sub_acme active price_elite in_1 paid 4900 t t"
    );

    // A late failure of the invoice already paid changes nothing.
    let late = invoice("in_1", "invoice.payment_action_required", -20, 0, true);
    let (_, body) = b.deliver(&late, ts(0)).await;
    assert_eq!(body["outcome"], "stale");
    assert_eq!(b.tenant().await.0, "active");
    assert_eq!(
        b.app
            .count("audit_log WHERE action = 'billing.apply' AND target_tenant_id = 'acme'")
            .await,
        5
    );
}

#[actix_web::test]
async fn updated_before_created_keeps_the_newer_state() {
    let b = Billing::start("pro", "trialing").await;
    let updated = b.sub_event(
        "evt_upd",
        "customer.subscription.updated",
        -10,
        "past_due",
        "price_elite",
    );
    let created = b.sub_event(
        "evt_new",
        "customer.subscription.created",
        -20,
        "trialing",
        "price_pro",
    );
    assert_eq!(b.deliver(&updated, ts(0)).await.1["outcome"], "applied");
    assert_eq!(b.tenant().await, ("past_due".into(), "elite".into()));
    let (status, body) = b.deliver(&created, ts(0)).await;
    assert_eq!((status, body["outcome"].as_str()), (200, Some("stale")));
    assert_eq!(b.tenant().await, ("past_due".into(), "elite".into()));
    assert_eq!(
        b.app.count("stripe_events WHERE outcome = 'stale'").await,
        1
    );
    assert!(
        b.stripe.requests().is_empty(),
        "the order was clear: Stripe not asked"
    );
}

#[actix_web::test]
async fn events_of_the_same_second_are_settled_by_asking_stripe() {
    let b = Billing::start("pro", "trialing").await;
    let first = b.sub_event(
        "evt_a",
        "customer.subscription.updated",
        -10,
        "active",
        "price_pro",
    );
    let second = b.sub_event(
        "evt_b",
        "customer.subscription.updated",
        -10,
        "past_due",
        "price_pro",
    );
    // Stripe holds the subscription as it is now: active on elite.
    b.stripe.put_subscription(fake::subscription(
        "sub_acme",
        "acme",
        "active",
        "price_elite",
        ts(-86_400),
    ));
    assert_eq!(b.deliver(&first, ts(0)).await.1["outcome"], "applied");
    assert_eq!(b.deliver(&second, ts(0)).await.1["outcome"], "applied");
    assert_eq!(b.tenant().await, ("active".into(), "elite".into()));
    let asked = b.stripe.requests();
    assert_eq!(asked.len(), 1);
    assert_eq!(
        (asked[0].method.as_str(), asked[0].path.as_str()),
        ("GET", "/v1/subscriptions/sub_acme")
    );
    let auth = asked[0]
        .headers
        .iter()
        .find(|(n, _)| n == "authorization")
        .map(|(_, v)| v.as_str());
    assert_eq!(auth, Some("Bearer sk_test_platform"));
}

#[actix_web::test]
async fn signatures_are_checked_the_way_stripe_signs() {
    let b = Billing::start("pro", "trialing").await;
    let body = b.sub_event(
        "evt_sig",
        "customer.subscription.updated",
        -10,
        "active",
        "price_elite",
    );
    let secret = SecretString::new(WEBHOOK_SECRET);

    // Older than the 300 s tolerance (a captured delivery replayed later).
    let (status, err) = b.deliver(&body, ts(-301)).await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (400, Some("bad_signature"))
    );
    // A body changed after signing.
    let header = fake::signature_header(&secret, ts(0), &body);
    let tampered = body.replace("\"active\"", "\"canceled\"");
    assert_eq!(b.post(&tampered, Some(&header)).await.0, 400);
    // No signature at all, and one made with another secret.
    assert_eq!(b.post(&body, None).await.0, 400);
    let forged = fake::signature_header(&SecretString::new("whsec_other"), ts(0), &body);
    assert_eq!(b.post(&body, Some(&forged)).await.0, 400);
    assert_eq!(
        b.app.count("stripe_events").await,
        0,
        "nothing refused was recorded"
    );
    assert_eq!(b.tenant().await.0, "trialing");

    // Two v1 signatures (a secret being rolled): one valid is enough.
    let valid = fake::signature_header(&secret, ts(0), &body);
    let v1 = valid.split_once(",v1=").unwrap().1;
    let two = format!("t={},v1={},v1={v1}", ts(0), "ab".repeat(32));
    assert_eq!(b.post(&body, Some(&two)).await.0, 200);
    assert_eq!(b.tenant().await, ("active".into(), "elite".into()));
}

#[actix_web::test]
async fn checkout_links_the_customer_and_later_invoices_find_the_tenant_by_it() {
    let b = Billing::start("pro", "past_due").await;
    b.stripe.put_subscription(fake::subscription(
        "sub_acme",
        "acme",
        "active",
        "price_pro",
        ts(-5),
    ));
    let session = json!({
        "id": "cs_1", "object": "checkout.session", "mode": "subscription",
        "customer": "cus_acme", "subscription": "sub_acme", "client_reference_id": "acme",
    });
    let completed = fake::event("evt_cs", "checkout.session.completed", ts(-1), session);
    assert_eq!(b.deliver(&completed, ts(0)).await.1["outcome"], "applied");
    assert_eq!(b.tenant().await, ("active".into(), "pro".into()));

    // An invoice carrying no metadata is linked through the stored customer.
    let failed = invoice("in_9", "invoice.payment_failed", 0, 0, false);
    assert_eq!(b.deliver(&failed, ts(0)).await.1["outcome"], "applied");
    assert_eq!(b.tenant().await.0, "past_due");

    // An event about a customer nobody has is recorded, and changes nothing.
    let stranger = failed
        .replace("cus_acme", "cus_nobody")
        .replace("evt_in_9", "evt_x_9");
    assert_eq!(b.deliver(&stranger, ts(0)).await.1["outcome"], "ignored");
    assert_eq!(
        b.app
            .count("stripe_events WHERE outcome = 'unlinked'")
            .await,
        1
    );
}

#[actix_web::test]
async fn billing_off_answers_404_and_a_bad_body_400() {
    let app = crate::support::TestApp::spawn().await;
    let res = app
        .client
        .post(app.url("/stripe/webhook"))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let b = Billing::start("pro", "active").await;
    assert_eq!(b.deliver("not json", ts(0)).await.0, 400);
    let unknown_price = b.sub_event(
        "evt_p",
        "customer.subscription.updated",
        0,
        "active",
        "price_gold",
    );
    let (status, body) = b.deliver(&unknown_price, ts(0)).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("unknown_price"))
    );
}
