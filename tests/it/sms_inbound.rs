//! The SMS channel: every inbound text is stored first and once, carrier
//! keywords are honoured, the tier gate holds, and the agent's reply goes
//! back inline as TwiML `<Message>`.

use crate::support::tenants::{TenantSpec, OWNER_CELL};
use crate::support::twilio_client::ACCOUNT_SID;
use crate::support::TestApp;
use std::time::Duration;

const CUSTOMER: &str = "+14155550777";
const NUMBER: &str = "+19185550100";

/// The TwiML answer to a text from the test customer to the test tenant's number.
pub(crate) async fn text(app: &TestApp, sid: &str, body: &str) -> String {
    let res = app
        .twilio_post(
            "/twilio/sms/incoming",
            &[
                ("AccountSid", ACCOUNT_SID),
                ("MessageSid", sid),
                ("From", CUSTOMER),
                ("To", NUMBER),
                ("Body", body),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    res.text().await.unwrap()
}

#[actix_web::test]
async fn a_text_is_stored_once_and_answered_inline() {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec::default()).await;
    let doc = text(&app, "SM_in_1", "hi, what do you charge for a full detail?").await;
    assert!(
        doc.contains("<Message>") && doc.ends_with("</Message></Response>"),
        "{doc}"
    );
    let again = text(&app, "SM_in_1", "hi, what do you charge for a full detail?").await;
    assert!(
        !again.contains("<Message>"),
        "a repeated webhook is not answered twice: {again}"
    );
    assert_eq!(app.count("messages WHERE direction = 'inbound' AND twilio_sid = 'SM_in_1' AND status = 'received'").await, 1);
    assert_eq!(
        app.count("messages WHERE direction = 'outbound' AND purpose = 'reply'")
            .await,
        1
    );
    assert_eq!(app.count("messages m JOIN conversations c ON c.tenant_id = m.tenant_id AND c.id = m.conversation_id JOIN customers u ON u.tenant_id = c.tenant_id AND u.id = c.customer_id WHERE u.phone = '+14155550777' AND c.channel = 'sms'").await, 2, "both linked to the conversation and customer");
    assert_eq!(
        app.count("usage_events WHERE kind = 'sms_in' AND source_key = 'SM_in_1'")
            .await,
        1
    );
}

#[actix_web::test]
async fn stop_means_nothing_more_until_start() {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec::default()).await;
    let doc = text(&app, "SM_s1", "STOP").await;
    assert!(doc.contains("<Message>") && doc.contains("START"), "{doc}");
    assert_eq!(
        app.count("customers WHERE phone = '+14155550777' AND sms_opted_out")
            .await,
        1
    );
    let doc = text(&app, "SM_s2", "can i book a wash").await;
    assert!(
        !doc.contains("<Message>"),
        "no reply to an opted-out number: {doc}"
    );
    assert_eq!(
        app.count("messages WHERE twilio_sid = 'SM_s2'").await,
        1,
        "still stored"
    );
    let refused = app
        .state
        .outbox
        .send(servicepro_actors::messaging::SendSms {
            tenant: servicepro_schema::TenantId::parse("acme").unwrap(),
            to: servicepro_schema::E164::parse(CUSTOMER).unwrap(),
            body: "promo".into(),
            purpose: "reply".into(),
            conversation_id: None,
            customer_id: None,
        })
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        refused.status,
        servicepro_schema::MessageStatus::Refused,
        "the outbox refuses opted-out numbers too"
    );
    let doc = text(&app, "SM_s3", "START").await;
    assert!(doc.contains("<Message>"), "{doc}");
    assert_eq!(
        app.count("customers WHERE phone = '+14155550777' AND NOT sms_opted_out")
            .await,
        1
    );
    actix_web::rt::time::sleep(Duration::from_millis(200)).await;
    assert!(
        app.twilio.messages().is_empty(),
        "compliance replies go inline, nothing through the API"
    );
}

#[actix_web::test]
async fn an_opt_out_in_the_customers_own_words_is_honoured() {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec::default()).await;
    text(&app, "SM_w1", "how much for a full detail").await;
    let doc = text(&app, "SM_w2", "pls stop texting me").await;
    assert!(doc.contains("<Message>") && doc.contains("START"), "{doc}");
    assert_eq!(
        app.count("customers WHERE phone = '+14155550777' AND sms_opted_out")
            .await,
        1
    );
    let doc = text(&app, "SM_w3", "how much is a wash").await;
    assert!(!doc.contains("<Message>"), "opted out: {doc}");
    text(&app, "SM_w4", "START").await;
    let doc = text(&app, "SM_w5", "can you stop by at 3 tomorrow").await;
    assert_eq!(
        app.count("customers WHERE phone = '+14155550777' AND sms_opted_out")
            .await,
        0,
        "'stop by' is not an opt-out: {doc}"
    );
}

#[actix_web::test]
async fn a_picture_is_kept_for_the_owner_and_acknowledged() {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec::default()).await;
    text(&app, "SM_p1", "need an interior detail pls").await;
    let photo = "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1";
    let res = app
        .twilio_post(
            "/twilio/sms/incoming",
            &[
                ("AccountSid", ACCOUNT_SID),
                ("MessageSid", "MM_p2"),
                ("From", CUSTOMER),
                ("To", NUMBER),
                ("Body", ""),
                ("NumMedia", "1"),
                ("MediaContentType0", "image/jpeg"),
                ("MediaUrl0", photo),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    let doc = res.text().await.unwrap();
    assert!(
        doc.contains("got what you sent") && doc.contains("year, make and model"),
        "acknowledged, and the pending question asked again: {doc}"
    );
    let res = app
        .admin(
            reqwest::Method::GET,
            &format!("/api/admin/tenants/acme/conversations/{CUSTOMER}"),
        )
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = res.json().await.unwrap();
    let picture = body["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["twilio_sid"] == "MM_p2")
        .cloned()
        .unwrap_or_default();
    assert_eq!(picture["media_urls"], serde_json::json!([photo]), "{body}");
    assert_eq!(picture["body"], "");
}

#[actix_web::test]
async fn help_names_the_business() {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec::default()).await;
    let doc = text(&app, "SM_h", "help").await;
    assert!(
        doc.contains("Acme Detailing") && doc.contains("STOP"),
        "{doc}"
    );
    let cancel_appointment = text(&app, "SM_c", "cancel my appointment").await;
    assert_eq!(
        app.count("customers WHERE phone = '+14155550777' AND sms_opted_out")
            .await,
        0,
        "not a carrier keyword: {cancel_appointment}"
    );
    // The tenant context is cached between webhooks only while the database holds the
    // same rows: a change made by hand is seen by the very next text.
    app.sql("UPDATE tenants SET name = 'Acme Mobile Spa' WHERE id = 'acme'")
        .await;
    let renamed = text(&app, "SM_h2", "help").await;
    assert!(renamed.contains("Acme Mobile Spa"), "{renamed}");
    app.sql("UPDATE tenant_config SET owner_phone = '+19185550111' WHERE tenant_id = 'acme'")
        .await;
    let new_owner = text(&app, "SM_h3", "help").await;
    assert!(
        new_owner.contains("555") && new_owner.contains("0111"),
        "{new_owner}"
    );
}

#[actix_web::test]
async fn without_the_ai_agent_the_owner_is_notified_and_nothing_is_replied() {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec {
        plan_tier: "starter",
        ..TenantSpec::default()
    })
    .await;
    let doc = text(&app, "SM_st", "do you do boats?").await;
    assert!(!doc.contains("<Message>"), "{doc}");
    assert_eq!(app.count("messages WHERE twilio_sid = 'SM_st'").await, 1);
    let sent = app
        .twilio
        .wait_for_messages(1, Duration::from_secs(10))
        .await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].field("To"), Some(OWNER_CELL));
    assert!(sent[0].field("Body").unwrap().contains("do you do boats?"));
}

#[actix_web::test]
async fn web_chat_uses_the_same_brain() {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec::default()).await;
    let res = app
        .client
        .post(app.url("/api/agent/messages"))
        .json(&serde_json::json!({ "tenant_id": "acme", "message": "how much is an interior detail?", "visitor_id": "v-1234567" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert!(
        body["reply"].as_str().is_some_and(|r| !r.is_empty()),
        "{body}"
    );
    assert!(body["conversation_id"].is_number());
    assert_eq!(app.count("conversations WHERE channel = 'web'").await, 1);
    let missing = app
        .client
        .post(app.url("/api/agent/messages"))
        .json(&serde_json::json!({ "tenant_id": "acme", "message": "hi" }))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 422);
    let unknown = app
        .client
        .post(app.url("/api/agent/messages"))
        .json(&serde_json::json!({ "tenant_id": "nobody", "message": "hi", "visitor_id": "visitor-1" }))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
}

#[actix_web::test]
async fn the_owner_views_show_bookings_and_transcripts() {
    let now = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 12, 1, 15, 0, 0).unwrap();
    let app = TestApp::builder().now(now).spawn().await;
    app.create_tenant(TenantSpec::default()).await;
    text(
        &app,
        "SM_v1",
        "hi can i get an interior detail saturday morning for my 2020 civic at 9 elm st tulsa",
    )
    .await;
    text(&app, "SM_v2", "1").await;
    let res = app
        .admin(reqwest::Method::GET, "/api/admin/tenants/acme/appointments")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    let appointments = body["appointments"].as_array().unwrap();
    assert_eq!(appointments.len(), 1, "{body}");
    assert_eq!(appointments[0]["service"], "Interior Detail");
    assert_eq!(appointments[0]["customer_phone"], CUSTOMER);
    assert_eq!(appointments[0]["status"], "booked");

    let res = app
        .admin(
            reqwest::Method::GET,
            "/api/admin/tenants/acme/conversations/(415)%20555-0777",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    let messages = body["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 4, "two texts in, two replies out: {body}");
    assert_eq!(messages[0]["direction"], "inbound");
    assert_eq!(messages[1]["direction"], "outbound");

    let unauthorised = app
        .client
        .get(app.url("/api/admin/tenants/acme/appointments"))
        .send()
        .await
        .unwrap();
    assert_eq!(unauthorised.status(), 401);
}

#[actix_web::test]
async fn a_reply_the_webhook_stopped_waiting_for_is_texted_instead() {
    use servicepro_actors::brain::agent::{AgentRequest, Channel, UserRole};
    use servicepro_actors::conversation::Turn;
    use servicepro_schema::{TenantId, E164};
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec::default()).await;
    let tenant = TenantId::parse("acme").unwrap();
    let customer = "+14155550778";
    let (reply_to, gave_up) = tokio::sync::oneshot::channel();
    drop(gave_up);
    let actor = app
        .state
        .conversations
        .actor(&tenant, customer, Channel::Sms);
    let response = actor
        .send(Turn {
            request: AgentRequest {
                tenant_id: tenant.clone(),
                channel: Channel::Sms,
                role: UserRole::Customer,
                text: "what do you charge for a full detail?".into(),
                conversation_id: None,
                phone: Some(E164::parse(customer).unwrap()),
                context: serde_json::Value::Null,
            },
            reply_to: Some(reply_to),
            prepared: None,
            inline_from: Some("+19185550100".into()),
            answers: None,
            web: None,
        })
        .await
        .unwrap()
        .unwrap();
    assert!(!response.reply.is_empty());
    let mut texted = 0;
    for _ in 0..100 {
        texted = app
            .count("messages WHERE direction = 'outbound' AND purpose = 'reply' AND status <> 'failed'")
            .await;
        if texted == 1 {
            break;
        }
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(texted, 1, "the reply went out through the outbox");
    assert_eq!(
        app.count("messages WHERE direction = 'outbound' AND status = 'failed'")
            .await,
        0,
        "a reply nobody waits for any more is recorded for the outbox, never as sent inline"
    );
    assert_eq!(
        app.twilio
            .wait_for_messages(1, Duration::from_secs(5))
            .await
            .len(),
        1,
        "and Twilio got it once"
    );
}

#[actix_web::test]
async fn the_engine_says_what_became_of_each_text() {
    use servicepro_actors::conversation::{inbound_text, InboundOutcome, InboundText, NoReply};
    use servicepro_actors::tenant::context::TenantContext;
    use servicepro_schema::{TenantId, E164};
    use std::sync::Arc;
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec::default()).await;
    let tenant = TenantId::parse("acme").unwrap();
    let ctx = Arc::new(
        TenantContext::load(&app.state.tenant_db(tenant.clone()))
            .await
            .unwrap(),
    );
    let text = |sid: &str, body: &str| InboundText {
        sid: sid.to_owned(),
        from: CUSTOMER.to_owned(),
        sender: Some(E164::parse(CUSTOMER).unwrap()),
        to: NUMBER.to_owned(),
        body: body.to_owned(),
        media: Vec::new(),
    };
    let conversations = &app.state.conversations;
    let to_acme = || Some((tenant.clone(), ctx.clone()));
    let outcome = |o: Result<InboundOutcome, _>| o.unwrap();
    assert_eq!(
        outcome(inbound_text(conversations, None, text("SM_e0", "hi")).await),
        InboundOutcome::NoTenant
    );
    let answered = outcome(inbound_text(conversations, to_acme(), text("SM_e1", "hi")).await);
    assert!(
        matches!(answered, InboundOutcome::Reply(ref r) if !r.is_empty()),
        "{answered:?}"
    );
    assert_eq!(
        outcome(inbound_text(conversations, to_acme(), text("SM_e1", "hi")).await),
        InboundOutcome::Duplicate
    );
    let stop = outcome(inbound_text(conversations, to_acme(), text("SM_e2", "STOP")).await);
    assert!(
        matches!(stop, InboundOutcome::Reply(ref r) if r.contains("START")),
        "{stop:?}"
    );
    assert_eq!(
        outcome(inbound_text(conversations, to_acme(), text("SM_e3", "how much?")).await),
        InboundOutcome::NoReply(NoReply::OptedOut)
    );
    let mut not_a_number = text("SM_e4", "START");
    not_a_number.sender = None;
    let resubscribed = outcome(inbound_text(conversations, to_acme(), not_a_number).await);
    assert!(
        matches!(resubscribed, InboundOutcome::Reply(_)),
        "{resubscribed:?}"
    );
    let mut not_a_number = text("SM_e5", "how much is a full detail?");
    not_a_number.sender = None;
    assert_eq!(
        outcome(inbound_text(conversations, to_acme(), not_a_number).await),
        InboundOutcome::NoReply(NoReply::NotAPhoneNumber)
    );
    assert_eq!(app.count("messages WHERE direction = 'inbound'").await, 5);
}
