//! The `TenantActor`: one per active tenant, the one cache of its context and the
//! brain's snapshot, and the one place its status, tier and settings change. A change
//! through it, or by hand in SQL, is seen by the very next text and call; an idle
//! actor stops; a crashed one is replaced or restarted and answers with the same state.

use crate::sms_inbound::text;
use crate::support::tenants::{TenantSpec, OWNER_CELL};
use crate::support::twilio_client::ACCOUNT_SID;
use crate::support::TestApp;
use actix::{ActorContext, Handler, Message};
use servicepro_actors::tenant::{ChangedBy, Freshness, SettingsUpdate, TenantActor};
use servicepro_schema::{PlanTier, TenantId, TenantStatus, E164};
use std::time::Duration;

const CUSTOMER: &str = "+14155550777";
const NUMBER: &str = "+19185550100";
const PAUSED: &str = "can&apos;t take calls at this number right now";
const NEW_OWNER: &str = "+19185550142";

fn acme() -> TenantId {
    TenantId::parse("acme").unwrap()
}

async fn call(app: &TestApp, sid: &str) -> String {
    let res = app
        .twilio_post(
            "/twilio/voice/incoming",
            &[
                ("AccountSid", ACCOUNT_SID),
                ("CallSid", sid),
                ("From", CUSTOMER),
                ("To", NUMBER),
                ("CallStatus", "ringing"),
                ("Direction", "inbound"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    res.text().await.unwrap()
}

/// The owner notices the fake Twilio was asked to send, by recipient.
fn notices_to(app: &TestApp, to: &str) -> usize {
    app.twilio
        .messages()
        .iter()
        .filter(|m| m.field("To") == Some(to))
        .count()
}

async fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    for _ in 0..100 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("timed out waiting until {what}");
}

#[actix_web::test]
async fn a_status_change_through_the_actor_is_seen_by_the_next_text_and_call() {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec::default()).await;
    let doc = text(&app, "SM_t1", "how much is a full detail?").await;
    assert!(doc.contains("<Message>"), "answered while active: {doc}");
    let doc = call(&app, "CA_t1").await;
    assert!(doc.contains("<Gather"), "the menu while active: {doc}");

    let ctx = app
        .state
        .tenants
        .change_status(&acme(), TenantStatus::Suspended, "test-operator")
        .await
        .unwrap();
    assert_eq!(ctx.tenant.status, TenantStatus::Suspended);

    let doc = call(&app, "CA_t2").await;
    assert!(doc.contains(PAUSED), "the very next call is paused: {doc}");
    let doc = text(&app, "SM_t2", "how much is a full detail?").await;
    assert!(
        !doc.contains("<Message>"),
        "the very next text gets no agent reply: {doc}"
    );
    assert_eq!(
        app.count("audit_log WHERE action = 'tenant.status' AND actor = 'test-operator' AND target_tenant_id = 'acme' AND detail->>'status' = 'suspended'")
            .await,
        1,
        "the change is audited"
    );

    app.state
        .tenants
        .change_status(&acme(), TenantStatus::Active, "test-operator")
        .await
        .unwrap();
    app.state
        .tenants
        .change_tier(&acme(), PlanTier::Starter, "test-operator")
        .await
        .unwrap();
    let doc = text(&app, "SM_t3", "how much is a full detail?").await;
    assert!(
        !doc.contains("<Message>"),
        "starter has no AI SMS agent, from the very next text: {doc}"
    );
}

#[actix_web::test]
async fn a_settings_change_through_the_actor_is_seen_by_the_next_text() {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec {
        plan_tier: "starter",
        ..TenantSpec::default()
    })
    .await;
    // Starter: every text is forwarded to the owner's phone.
    text(&app, "SM_s1", "are you open saturday?").await;
    app.twilio
        .wait_for_messages(1, Duration::from_secs(5))
        .await;
    assert_eq!(notices_to(&app, OWNER_CELL), 1);

    let update = SettingsUpdate {
        owner_phone: Some(E164::parse(NEW_OWNER).unwrap()),
        booking_url: Some("https://book.example.test/acme-new".to_owned()),
        ..SettingsUpdate::default()
    };
    let ctx = app
        .state
        .tenants
        .update_settings(&acme(), update, ChangedBy::Root("test-operator".to_owned()))
        .await
        .unwrap();
    let config = ctx.config.as_ref().unwrap();
    assert_eq!(config.owner_phone.as_deref(), Some(NEW_OWNER));

    text(&app, "SM_s2", "are you open sunday?").await;
    app.twilio
        .wait_for_messages(2, Duration::from_secs(5))
        .await;
    assert_eq!(
        notices_to(&app, NEW_OWNER),
        1,
        "the next text's notice goes to the new owner phone"
    );
    assert_eq!(notices_to(&app, OWNER_CELL), 1);
    assert_eq!(
        app.count("audit_log WHERE action = 'tenant.settings' AND target_tenant_id = 'acme'")
            .await,
        1
    );

    let refused = app
        .state
        .tenants
        .update_settings(
            &acme(),
            SettingsUpdate {
                booking_url: Some("not a url".to_owned()),
                ..SettingsUpdate::default()
            },
            ChangedBy::Owner,
        )
        .await;
    assert!(refused.is_err(), "an invalid setting is refused");
    assert_eq!(
        app.count("tenant_config WHERE tenant_id = 'acme' AND booking_url = 'https://book.example.test/acme-new'")
            .await,
        1,
        "and nothing is written"
    );
}

#[actix_web::test]
async fn a_change_by_hand_in_sql_is_seen_by_the_next_request() {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec::default()).await;
    let doc = call(&app, "CA_h1").await;
    assert!(doc.contains("<Gather"), "{doc}");
    let first = text(&app, "SM_h1", "how much is a full detail?").await;

    app.sql("UPDATE tenants SET status = 'suspended' WHERE id = 'acme'")
        .await;
    let doc = call(&app, "CA_h2").await;
    assert!(doc.contains(PAUSED), "the next call sees the status: {doc}");
    app.sql("UPDATE tenants SET status = 'active' WHERE id = 'acme'")
        .await;

    // Services are in the brain's snapshot: a price edited by hand is quoted at once.
    app.sql("UPDATE services SET price_cents = 98765 WHERE tenant_id = 'acme'")
        .await;
    let second = text(&app, "SM_h2", "how much is a full detail?").await;
    assert!(
        !first.contains("987.65") && second.contains("987.65"),
        "the next text quotes the new price: {first} / {second}"
    );
}

#[actix_web::test]
async fn an_idle_tenant_actor_stops_and_the_next_request_starts_it_again() {
    let app = TestApp::builder()
        .var("SERVICEPRO_TENANT_IDLE_STOP_SECS", "1")
        .spawn()
        .await;
    app.create_tenant(TenantSpec::default()).await;
    call(&app, "CA_i1").await;
    assert!(app.state.tenants.is_live(&acme()));
    let tenants = app.state.tenants.clone();
    wait_until("the idle actor stopped", || !tenants.is_live(&acme())).await;
    assert_eq!(app.state.tenants.live(), 0);
    let doc = call(&app, "CA_i2").await;
    assert!(doc.contains("<Gather"), "{doc}");
    assert!(app.state.tenants.is_live(&acme()));
}

/// Makes the actor panic, as a bug would.
#[derive(Message)]
#[rtype(result = "()")]
struct Panic;

impl Handler<Panic> for TenantActor {
    type Result = ();

    fn handle(&mut self, _: Panic, _: &mut Self::Context) {
        panic!("a tenant actor bug");
    }
}

/// Stops the actor, as an actor does on a failure it cannot carry on from.
#[derive(Message)]
#[rtype(result = "()")]
struct Stop;

impl Handler<Stop> for TenantActor {
    type Result = ();

    fn handle(&mut self, _: Stop, ctx: &mut Self::Context) {
        ctx.stop();
    }
}

#[actix_web::test]
async fn a_crashed_tenant_actor_comes_back_with_the_same_state() {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec::default()).await;
    let tenants = app.state.tenants.clone();
    tenants
        .change_status(&acme(), TenantStatus::Suspended, "test-operator")
        .await
        .unwrap();

    // A supervised stop: the supervisor restarts the same actor with an empty cache.
    let before = tenants.actor(&acme());
    before.send(Stop).await.unwrap();
    let ctx = tenants.context(&acme(), Freshness::Check).await.unwrap();
    assert_eq!(ctx.tenant.status, TenantStatus::Suspended);
    assert!(tenants.actor(&acme()) == before, "restarted in place");

    // A panic kills the actor: the registry starts a new one on the next request.
    let _ = tenants.actor(&acme()).send(Panic).await;
    wait_until("the panicked actor is gone", || !before.connected()).await;
    let doc = call(&app, "CA_c1").await;
    assert!(
        doc.contains(PAUSED),
        "the replacement answers with the same state: {doc}"
    );
    assert!(tenants.actor(&acme()) != before, "a new actor");
    let snapshot = tenants.snapshot(&acme(), Freshness::Check).await.unwrap();
    assert_eq!(snapshot.profile().business_name, "Acme Detailing");
}
