//! The status side of billing: the trial scheduler under a controllable clock
//! (idempotent, once across two sweepers, reactivated by paying), each status
//! against the engine's paths from one table, the owner of a suspended tenant told
//! at most once a day, and the root admin's status and tier actions, audited.

use crate::support::stripe::{now, ts, Billing};
use crate::support::tenants::TenantSpec;
use crate::support::TestApp;
use chrono::Duration;
use reqwest::Method;
use serde_json::json;
use servicepro_actors::billing::fake;
use servicepro_actors::billing::owner_notice::claim_owner_notice;
use servicepro_actors::billing::trials::{sweep, Swept};
use servicepro_actors::conversation::web_chat::visitor::VisitorId;
use servicepro_actors::conversation::{web_chat, ChatError, ChatMessage};
use servicepro_actors::messaging::SendSms;
use servicepro_actors::tenant::context::TenantContext;
use servicepro_actors::tenant::Freshness;
use servicepro_actors::voice::call_flow::{answer_incoming, IncomingCall, Route};
use servicepro_actors::voice::callback_urls::CallbackUrls;
use servicepro_schema::policy::{self, Action};
use servicepro_schema::{MessageStatus, TenantDb, TenantId, TenantStatus, E164};

fn acme() -> TenantId {
    TenantId::parse("acme").unwrap()
}

/// `acme` as the engine sees it now.
async fn context(app: &TestApp) -> std::sync::Arc<TenantContext> {
    app.state
        .tenants
        .context(&acme(), Freshness::Check)
        .await
        .unwrap()
}

#[actix_web::test]
async fn expired_trials_go_past_due_then_suspended_and_paying_reactivates() {
    let b = Billing::start("pro", "trialing").await;
    let app = &b.app;
    app.create_tenant(TenantSpec {
        id: "paid",
        phone: "+19185550111",
        status: "trialing",
        ..TenantSpec::default()
    })
    .await;
    let ends = now() - Duration::days(1);
    app.sql(&format!(
        "UPDATE tenants SET trial_ends_at = '{}' WHERE id IN ('acme', 'paid'); \
         UPDATE tenant_billing SET stripe_subscription_id = 'sub_paid' WHERE tenant_id = 'paid'",
        ends.to_rfc3339()
    ))
    .await;
    let (pool, tenants) = (&app.state.pool, &app.state.tenants);
    let grace = 7;

    let before = sweep(pool, tenants, ends - Duration::hours(1), grace)
        .await
        .unwrap();
    assert_eq!(
        before,
        Swept::default(),
        "nothing due before the trial ends"
    );
    let swept = sweep(pool, tenants, ends + Duration::hours(1), grace)
        .await
        .unwrap();
    assert_eq!(
        swept,
        Swept {
            past_due: 1,
            suspended: 0
        }
    );
    assert_eq!(b.tenant().await.0, "past_due");
    let again = sweep(pool, tenants, ends + Duration::hours(2), grace)
        .await
        .unwrap();
    assert_eq!(again, Swept::default(), "idempotent");

    // Two processes sweeping at once after the grace period: one suspends, once.
    let late = ends + Duration::days(8);
    let (one, two) = tokio::join!(
        sweep(pool, tenants, late, grace),
        sweep(pool, tenants, late, grace)
    );
    assert_eq!(one.unwrap().suspended + two.unwrap().suspended, 1);
    assert_eq!(b.tenant().await.0, "suspended");
    assert_eq!(
        app.count("audit_log WHERE actor = 'trial-scheduler' AND target_tenant_id = 'acme'")
            .await,
        2
    );
    assert_eq!(
        b.query("SELECT status AS v FROM tenants WHERE id = 'paid'")
            .await,
        "trialing",
        "a tenant with a subscription is Stripe's to move"
    );

    // Paying again: one event, everything back.
    let sub = fake::subscription("sub_acme", "acme", "active", "price_pro", ts(-10));
    let event = fake::event("evt_pay", "customer.subscription.created", ts(-5), sub);
    assert_eq!(b.deliver(&event, ts(0)).await.0, 200);
    assert_eq!(b.tenant().await, ("active".into(), "pro".into()));
    let ctx = context(app).await;
    assert!(ctx
        .tenant
        .has_feature(servicepro_schema::Feature::AiSmsAgent));
}

/// What each path does for a tenant with each status: the policy's table, seen
/// through the engine's own entry points.
#[actix_web::test]
async fn each_status_on_each_path_follows_the_policy_table() {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec {
        plan_tier: "elite",
        ..TenantSpec::default()
    })
    .await;
    let urls = CallbackUrls::new(&url::Url::parse("https://sp.example.test").unwrap());
    let call = IncomingCall {
        call_sid: "CA1".into(),
        from: "+15550001111".into(),
        caller: None,
        to: "+19185550100".into(),
    };
    // (status, call route, AI answers chat, 1:1 text queued, reminder queued)
    let table = [
        (TenantStatus::Trialing, Route::Ivr, true, true, true),
        (TenantStatus::Active, Route::Ivr, true, true, true),
        (TenantStatus::PastDue, Route::Ivr, true, true, false),
        (TenantStatus::Suspended, Route::Paused, false, false, false),
        (
            TenantStatus::Cancelled,
            Route::Cancelled,
            false,
            false,
            false,
        ),
    ];
    for (status, route, ai, text, reminder) in table {
        app.state
            .tenants
            .change_status(&acme(), status, "test")
            .await
            .unwrap();
        let ctx = context(&app).await;
        assert_eq!(
            answer_incoming(&ctx, &call, &urls, false).0,
            route,
            "{status}"
        );
        let chat = ChatMessage {
            tenant: acme(),
            text: "hi".into(),
            phone: None,
            visitor: VisitorId::parse("billing-visitor-1").unwrap(),
        };
        let answered = web_chat(
            &app.state.conversations,
            &ctx,
            chat,
            app.state.web_chat_policy(),
        )
        .await;
        assert_eq!(
            !matches!(answered, Err(ChatError::NotInPlan)),
            ai,
            "{status}"
        );
        for (purpose, expected) in [("booking_link", text), ("reminder", reminder)] {
            let queued = app
                .state
                .outbox
                .send(SendSms {
                    tenant: acme(),
                    to: E164::parse("+15550001111").unwrap(),
                    body: "hello".into(),
                    purpose: purpose.into(),
                    conversation_id: None,
                    customer_id: None,
                })
                .await
                .unwrap()
                .unwrap();
            let sent = queued.status != MessageStatus::Refused;
            assert_eq!(sent, expected, "{status} {purpose}: {:?}", queued.reason);
        }
        // The rest of the table (export, dashboards, billing, bookings) as the policy says.
        assert!(
            policy::may(status, Action::DataExport),
            "export always open"
        );
        assert_eq!(policy::may(status, Action::NewBooking), text, "{status}");
        assert_eq!(
            policy::may(status, Action::DashboardRead),
            status != TenantStatus::Cancelled
        );
    }
}

#[actix_web::test]
async fn a_suspended_owner_is_told_at_most_once_a_day() {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec::default()).await;
    // Even a tenant whose billing row is missing is told (the claim makes the row).
    app.sql("DELETE FROM tenant_billing WHERE tenant_id = 'acme'")
        .await;
    let db = TenantDb::new(app.state.pool.clone(), acme());
    let day = Duration::days(1);
    assert!(claim_owner_notice(&db, now(), day).await.unwrap());
    let (a, b) = tokio::join!(
        claim_owner_notice(&db, now() + Duration::hours(1), day),
        claim_owner_notice(&db, now() + Duration::hours(1), day)
    );
    assert!(!a.unwrap() && !b.unwrap());
    assert!(claim_owner_notice(&db, now() + day, day).await.unwrap());
}

/// `POST path` with `body`, with the root token or none; (status, JSON).
async fn admin_post(
    app: &TestApp,
    path: &str,
    body: serde_json::Value,
    root: bool,
) -> (u16, serde_json::Value) {
    let req = if root {
        app.admin(Method::POST, path)
    } else {
        app.client.post(app.url(path))
    };
    let res = req.json(&body).send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or_default())
}

#[actix_web::test]
async fn root_status_and_tier_actions_go_through_the_registry_and_the_audit_log() {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec::default()).await;
    let status = "/api/admin/tenants/acme/status";
    let (code, body) = admin_post(&app, status, json!({"status": "suspended"}), true).await;
    assert_eq!(code, 200);
    assert_eq!(body["status"], "suspended");
    assert_eq!(
        body["allowed"],
        json!([
            "inbound_sms",
            "owner_notice",
            "dashboard_read",
            "data_export",
            "billing"
        ])
    );
    assert!(body["banner"].as_str().unwrap().contains("paused"));
    let ctx = context(&app).await;
    assert_eq!(
        ctx.tenant.status,
        TenantStatus::Suspended,
        "the engine sees it at once"
    );

    let tier = "/api/admin/tenants/acme/tier";
    for (path, request, root, expected) in [
        (status, json!({"status": "suspended"}), true, 409),
        (tier, json!({"plan_tier": "starter"}), true, 200),
        (tier, json!({"plan_tier": "gold"}), true, 422),
        (
            "/api/admin/tenants/nobody/status",
            json!({"status": "active"}),
            true,
            404,
        ),
        (status, json!({"status": "active"}), false, 401),
    ] {
        let (code, body) = admin_post(&app, path, request.clone(), root).await;
        assert_eq!(code, expected, "{path} {request}: {body}");
    }
    assert_eq!(
        app.count(
            "audit_log WHERE actor = 'root-token' AND target_tenant_id = 'acme' \
             AND ((action = 'tenant.status' AND detail->>'status' = 'suspended') \
               OR (action = 'tenant.tier' AND detail->>'plan_tier' = 'starter'))"
        )
        .await,
        2
    );
}

#[actix_web::test]
async fn a_suspended_tenants_texts_are_kept_unanswered_and_the_owner_told_once() {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec::default()).await;
    app.state
        .tenants
        .change_status(&acme(), TenantStatus::Suspended, "test")
        .await
        .unwrap();
    for (sid, body) in [("SM_s1", "are you open?"), ("SM_s2", "hello??")] {
        let doc = crate::sms_inbound::text(&app, sid, body).await;
        assert!(
            !doc.contains("<Message>"),
            "no AI reply while suspended: {doc}"
        );
    }
    assert_eq!(
        app.count("messages WHERE direction = 'inbound' AND twilio_sid IN ('SM_s1', 'SM_s2')")
            .await,
        2,
        "texts are kept"
    );
    let sent = app
        .twilio
        .wait_for_messages(1, std::time::Duration::from_secs(10))
        .await;
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0].field("To"),
        Some(crate::support::tenants::OWNER_CELL)
    );
    assert!(sent[0].field("Body").unwrap().contains("are you open?"));
    // The second text found the day's notice claimed: nothing more is sent.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(app.twilio.requests().len(), 1);
    assert_eq!(app.count("messages WHERE direction = 'outbound'").await, 1);
}

#[actix_web::test]
async fn a_suspended_owner_cannot_change_settings_but_an_operator_can() {
    use servicepro_actors::tenant::{ChangedBy, SettingsUpdate, TenantError};
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec::default()).await;
    let update = || SettingsUpdate {
        booking_url: Some("https://book.example.test/acme-2".to_owned()),
        ..SettingsUpdate::default()
    };
    let tenants = &app.state.tenants;
    tenants
        .change_status(&acme(), TenantStatus::Suspended, "test")
        .await
        .unwrap();
    let refused = tenants
        .update_settings(&acme(), update(), ChangedBy::Owner)
        .await;
    assert!(
        matches!(refused, Err(TenantError::Refused(r)) if r.action == Action::DashboardWrite),
        "{refused:?}"
    );
    let by_root = tenants
        .update_settings(&acme(), update(), ChangedBy::Root("test-operator".into()))
        .await
        .unwrap();
    assert_eq!(
        by_root.config.as_ref().unwrap().booking_url.as_deref(),
        Some("https://book.example.test/acme-2")
    );
    tenants
        .change_status(&acme(), TenantStatus::PastDue, "test")
        .await
        .unwrap();
    assert!(tenants
        .update_settings(&acme(), update(), ChangedBy::Owner)
        .await
        .is_ok());
}

#[actix_web::test]
async fn the_scheduler_sweeps_on_its_interval_by_the_engines_clock() {
    let app = TestApp::builder()
        .now(now())
        .var("SERVICEPRO_TRIAL_SWEEP_SECS", "1")
        .var("SERVICEPRO_TRIAL_GRACE_DAYS", "0")
        .spawn()
        .await;
    app.create_tenant(TenantSpec {
        status: "trialing",
        ..TenantSpec::default()
    })
    .await;
    // Ended a minute before the engine's (stopped) clock; the wall clock plays no part.
    let ended = (now() - Duration::minutes(1)).to_rfc3339();
    app.sql(&format!(
        "UPDATE tenants SET trial_ends_at = '{ended}' WHERE id = 'acme'"
    ))
    .await;
    let mut status = String::new();
    for _ in 0..100 {
        let ctx = context(&app).await;
        status = ctx.tenant.status.to_string();
        if status == "suspended" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        status, "suspended",
        "grace 0: past the trial's end means suspended"
    );
    assert_eq!(
        app.count("audit_log WHERE actor = 'trial-scheduler' AND action = 'tenant.status'")
            .await,
        1
    );
}
