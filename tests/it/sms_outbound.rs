//! Outbound texts: stored first, paced per sending number, sent in order,
//! none lost; refusals are kept with their reason; delivery reports move
//! the status forward only; transient Twilio failures are retried.

use crate::support::tenants::TenantSpec;
use crate::support::twilio_client::ACCOUNT_SID;
use crate::support::TestApp;
use servicepro_actors::messaging::SendSms;
use servicepro_schema::{MessageStatus, TenantId, E164};
use std::time::Duration;

fn text(to: &str, body: &str) -> SendSms {
    SendSms {
        tenant: TenantId::parse("acme").unwrap(),
        to: E164::parse(to).unwrap(),
        body: body.to_owned(),
        purpose: "reply".to_owned(),
        conversation_id: None,
        customer_id: None,
    }
}

#[actix_web::test]
async fn a_burst_of_fifty_leaves_at_the_allowed_rate_and_none_is_lost() {
    const RATE: u32 = 25;
    let app = TestApp::builder()
        .var("SERVICEPRO_SMS_PER_NUMBER_PER_SECOND", &RATE.to_string())
        .spawn()
        .await;
    app.create_tenant(TenantSpec::default()).await;
    let recipients: Vec<String> = (0..50).map(|i| format!("+1415555{i:04}")).collect();
    for (i, to) in recipients.iter().enumerate() {
        let queued = app
            .state
            .outbox
            .send(text(to, &format!("burst {i}")))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(queued.status, MessageStatus::Pending);
    }
    let sent = app
        .twilio
        .wait_for_messages(50, Duration::from_secs(30))
        .await;
    assert_eq!(sent.len(), 50, "every text reached Twilio");
    let order: Vec<&str> = sent.iter().map(|m| m.field("To").unwrap()).collect();
    assert_eq!(
        order,
        recipients.iter().map(String::as_str).collect::<Vec<_>>(),
        "in order, once each"
    );
    let span = sent[49].at - sent[0].at;
    let floor = Duration::from_secs_f64(49.0 / f64::from(RATE) * 0.9);
    assert!(
        span >= floor,
        "50 texts took {span:?}; the number allows {RATE}/s so at least {floor:?}"
    );
    actix_web::rt::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(app.count("messages WHERE direction = 'outbound' AND twilio_sid IS NOT NULL AND status = 'queued' AND sent_at IS NOT NULL").await, 50);
    assert_eq!(
        app.count("usage_events WHERE kind = 'sms_out'").await,
        50,
        "metered once each"
    );
}

#[actix_web::test]
async fn opted_out_recipients_and_paused_tenants_are_refused_with_a_reason() {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec::default()).await;
    app.sql("INSERT INTO customers (tenant_id, phone, sms_opted_out) VALUES ('acme', '+14155550001', true)").await;
    let queued = app
        .state
        .outbox
        .send(text("+14155550001", "hello"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(queued.status, MessageStatus::Refused);
    assert!(queued.reason.unwrap().contains("opted out"));

    app.sql("UPDATE tenants SET status = 'past_due' WHERE id = 'acme'")
        .await;
    let mut reminder = text("+14155550002", "see you tomorrow");
    reminder.purpose = "reminder".to_owned();
    let queued = app.state.outbox.send(reminder).await.unwrap().unwrap();
    assert_eq!(
        queued.status,
        MessageStatus::Refused,
        "automations pause while past due"
    );
    let reply = app
        .state
        .outbox
        .send(text("+14155550002", "a reply"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        reply.status,
        MessageStatus::Pending,
        "replies still go while past due"
    );

    app.sql("UPDATE tenants SET status = 'suspended' WHERE id = 'acme'")
        .await;
    let queued = app
        .state
        .outbox
        .send(text("+14155550003", "hi"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(queued.status, MessageStatus::Refused);

    assert_eq!(
        app.count("messages WHERE status = 'refused' AND error_message IS NOT NULL")
            .await,
        3,
        "refusals are kept"
    );
    let sent = app
        .twilio
        .wait_for_messages(1, Duration::from_secs(10))
        .await;
    actix_web::rt::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(sent.len(), 1);
    assert_eq!(app.twilio.messages().len(), 1, "only the reply was sent");
}

#[actix_web::test]
async fn transient_twilio_failures_are_retried_and_hard_ones_recorded() {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec::default()).await;
    app.twilio.fail_next(&[503]);
    app.state
        .outbox
        .send(text("+14155550010", "retried"))
        .await
        .unwrap()
        .unwrap();
    let sent = app
        .twilio
        .wait_for_messages(2, Duration::from_secs(10))
        .await;
    assert_eq!(sent.len(), 2, "one failure, one retry");
    actix_web::rt::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        app.count("messages WHERE body = 'retried' AND status = 'queued'")
            .await,
        1
    );

    app.twilio.fail_next(&[400]);
    app.state
        .outbox
        .send(text("+14155550011", "refused by twilio"))
        .await
        .unwrap()
        .unwrap();
    app.twilio
        .wait_for_messages(3, Duration::from_secs(10))
        .await;
    actix_web::rt::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(app.twilio.messages().len(), 3, "a 400 is not retried");
    assert_eq!(app.count("messages WHERE body = 'refused by twilio' AND status = 'failed' AND error_code = '20500'").await, 1);
}

#[actix_web::test]
async fn delivery_reports_move_forward_only() {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec::default()).await;
    let queued = app
        .state
        .outbox
        .send(text("+14155550020", "track me"))
        .await
        .unwrap()
        .unwrap();
    let sent = app
        .twilio
        .wait_for_messages(1, Duration::from_secs(10))
        .await;
    let callback = sent[0].field("StatusCallback").unwrap().to_owned();
    let path = callback
        .strip_prefix("https://sp.example.test")
        .unwrap()
        .to_owned();
    assert!(path.ends_with(&format!("message_id={}", queued.message_id)));
    let report = |status: &'static str| {
        vec![
            ("AccountSid", ACCOUNT_SID),
            ("MessageSid", "SM_track"),
            ("MessageStatus", status),
            ("From", "+19185550100"),
            ("To", "+14155550020"),
        ]
    };
    for status in ["sent", "delivered", "sent", "delivered"] {
        let res = app.twilio_post(&path, &report(status)).await;
        assert_eq!(res.status(), 200);
    }
    assert_eq!(
        app.count(&format!(
            "messages WHERE id = {} AND status = 'delivered'",
            queued.message_id
        ))
        .await,
        1
    );
    let mut failed = report("undelivered");
    failed.push(("ErrorCode", "30003"));
    app.twilio_post(&path, &failed).await;
    assert_eq!(
        app.count(&format!(
            "messages WHERE id = {} AND status = 'delivered' AND error_code IS NULL",
            queued.message_id
        ))
        .await,
        1,
        "terminal states are final"
    );
}
