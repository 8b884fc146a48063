//! The telephony spine: every incoming call is answered by tenant status
//! and `ivr_mode`, the IVR handles every key, voicemail and call status
//! callbacks are idempotent, and nothing is done for a bad signature.

use crate::support::tenants::{TenantSpec, BOOKING_URL, OWNER_CELL};
use crate::support::twilio_client::{ACCOUNT_SID, AUTH_TOKEN};
use crate::support::TestApp;

const CALLER: &str = "+14158675309";
const NUMBER: &str = "+19185550100";
/// The detailing pack's paused-line for "Acme Detailing", as TwiML escapes it.
const PAUSED: &str = "<Say>Sorry, Acme Detailing can&apos;t take calls at this number right now.";

fn call(sid: &str) -> Vec<(&'static str, String)> {
    vec![
        ("AccountSid", ACCOUNT_SID.to_owned()),
        ("CallSid", sid.to_owned()),
        ("From", CALLER.to_owned()),
        ("To", NUMBER.to_owned()),
        ("CallStatus", "ringing".to_owned()),
        ("Direction", "inbound".to_owned()),
    ]
}

fn refs<'a>(params: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    params.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

async fn incoming(app: &TestApp, sid: &str) -> String {
    let res = app
        .twilio_post("/twilio/voice/incoming", &refs(&call(sid)))
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/xml; charset=utf-8");
    res.text().await.unwrap()
}

async fn ivr(app: &TestApp, attempt: u32, digits: Option<&str>) -> String {
    let mut params = call("CA_ivr");
    if let Some(d) = digits {
        params.push(("Digits", d.to_owned()));
    }
    let res = app
        .twilio_post(
            &format!("/twilio/voice/ivr?tenant_id=acme&attempt={attempt}"),
            &refs(&params),
        )
        .await;
    assert_eq!(res.status(), 200);
    res.text().await.unwrap()
}

#[actix_web::test]
async fn each_mode_and_status_answers_as_it_should() {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec::default()).await;
    let cases = [
        (
            "simple",
            "active",
            "elite",
            "<Dial callerId=\"+14158675309\" timeout=\"20\"",
        ),
        (
            "simple",
            "past_due",
            "elite",
            "<Sip>sip:jody@cleanmachinetulsa.sip.twilio.com</Sip>",
        ),
        (
            "ivr",
            "trialing",
            "pro",
            "<Gather input=\"dtmf\" numDigits=\"1\"",
        ),
        (
            "ai-voice",
            "active",
            "elite",
            "<Gather input=\"speech\" timeout=\"6\" action=\"https://sp.example.test/twilio/voice/agent?tenant_id=acme&amp;turn=1\"",
        ),
        (
            "ai-voice",
            "active",
            "pro",
            "<Gather input=\"dtmf\" numDigits=\"1\"",
        ),
        ("ivr", "suspended", "elite", PAUSED),
        ("simple", "cancelled", "elite", "no longer taking calls"),
    ];
    for (i, (mode, status, tier, expect)) in cases.iter().enumerate() {
        app.sql(&format!(
            "UPDATE tenant_phone_config SET ivr_mode = '{mode}' WHERE tenant_id = 'acme'; \
             UPDATE tenants SET status = '{status}', plan_tier = '{tier}' WHERE id = 'acme'"
        ))
        .await;
        let doc = incoming(&app, &format!("CA{i}")).await;
        assert!(doc.contains(expect), "{mode}/{status}/{tier}: {doc}");
        let ends_in_sound = doc.contains("<Hangup/>")
            || doc.contains("<Dial")
            || doc.contains("<Gather")
            || doc.contains("<Connect>");
        assert!(ends_in_sound, "{doc}");
    }
    // The call records carry the route.
    assert_eq!(app.count("calls WHERE route = 'ivr-fallback'").await, 1);
    assert_eq!(
        app.count("calls WHERE route = 'ai-voice-turns'").await,
        1,
        "no OpenAI key: the speech receptionist"
    );
    assert_eq!(app.count("calls").await, cases.len() as i64);
}

#[actix_web::test]
async fn twiml_documents_match_snapshots() {
    let app = TestApp::builder()
        .var("OPENAI_API_KEY", "sk-test-not-used")
        .spawn()
        .await;
    app.create_tenant(TenantSpec {
        name: "Tom & Jerry's <Detail>",
        ..TenantSpec::default()
    })
    .await;
    insta::assert_snapshot!("ivr_menu", incoming(&app, "CA_menu").await);
    app.sql("UPDATE tenant_phone_config SET ivr_mode = 'simple' WHERE tenant_id = 'acme'")
        .await;
    insta::assert_snapshot!("simple_forward", incoming(&app, "CA_fwd").await);
    app.sql("UPDATE tenant_phone_config SET ivr_mode = 'ai-voice' WHERE tenant_id = 'acme'")
        .await;
    insta::assert_snapshot!("ai_voice_stream", incoming(&app, "CA_ai").await);
    insta::assert_snapshot!("ivr_voicemail", ivr(&app, 1, Some("3")).await);
    let after_stream = ivr(&app, 0, None).await;
    assert!(
        after_stream.contains("Thanks for calling") && after_stream.contains("attempt=1"),
        "{after_stream}"
    );
}

#[actix_web::test]
async fn suspended_tenant_can_forward_to_the_owner() {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec {
        status: "suspended",
        ..TenantSpec::default()
    })
    .await;
    assert!(incoming(&app, "CA1").await.contains(PAUSED));
    app.sql(
        "UPDATE tenant_config SET suspended_call_behavior = 'forward' WHERE tenant_id = 'acme'",
    )
    .await;
    let doc = incoming(&app, "CA2").await;
    assert!(doc.contains("<Dial") && doc.contains("<Sip>"), "{doc}");
}

#[actix_web::test]
async fn unknown_number_gets_a_polite_goodbye() {
    let app = TestApp::spawn().await;
    let mut params = call("CA_unknown");
    params[3].1 = "+19185559999".to_owned();
    let res = app
        .twilio_post("/twilio/voice/incoming", &refs(&params))
        .await;
    assert_eq!(res.status(), 200);
    let doc = res.text().await.unwrap();
    assert!(
        doc.contains("not in service") && doc.ends_with("<Hangup/></Response>"),
        "{doc}"
    );
    assert_eq!(app.count("calls").await, 0);
}

#[actix_web::test]
async fn every_ivr_key() {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec::default()).await;

    let one = ivr(&app, 1, Some("1")).await;
    assert!(
        one.contains("<Say")
            && one.contains("<Dial")
            && one.contains("/twilio/voice/dial-complete?tenant_id=acme"),
        "{one}"
    );

    let three = ivr(&app, 1, Some("3")).await;
    assert!(three.contains("<Record") && three.contains("recordingStatusCallback=\"https://sp.example.test/twilio/voice/recording?tenant_id=acme&amp;from=%2B14158675309\""), "{three}");

    let seven = ivr(&app, 1, Some("7")).await;
    assert!(
        seven.contains("<Gather") && seven.matches("<Say").count() == 2,
        "a joke, then the menu again: {seven}"
    );

    let wrong = ivr(&app, 1, Some("9")).await;
    assert!(wrong.contains("attempt=2"), "one repeat: {wrong}");
    let timeout = ivr(&app, 1, None).await;
    assert!(
        timeout.contains("attempt=2"),
        "a timeout repeats too: {timeout}"
    );
    let second_wrong = ivr(&app, 2, Some("9")).await;
    assert!(
        second_wrong.contains("<Record"),
        "then voicemail: {second_wrong}"
    );

    let two = ivr(&app, 1, Some("2")).await;
    assert!(two.contains("<Hangup/>"), "{two}");
    let sent = app
        .twilio
        .wait_for_messages(1, std::time::Duration::from_secs(10))
        .await;
    assert_eq!(sent.len(), 1, "press 2 texts the booking link");
    let text = &sent[0];
    assert_eq!(
        text.path,
        format!("/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json")
    );
    assert_eq!(
        (text.user.as_str(), text.password.as_str()),
        (ACCOUNT_SID, AUTH_TOKEN)
    );
    assert_eq!(text.field("To"), Some(CALLER));
    assert_eq!(text.field("From"), Some(NUMBER));
    assert!(
        text.field("Body").unwrap().contains(BOOKING_URL),
        "{:?}",
        text.field("Body")
    );
    assert!(text
        .field("StatusCallback")
        .unwrap()
        .starts_with("https://sp.example.test/twilio/sms/status?tenant_id=acme&message_id="));
    // Stored, with Twilio's SID once sent.
    wait_until(
        &app,
        "messages WHERE purpose = 'booking_link' AND twilio_sid IS NOT NULL AND status = 'queued'",
    )
    .await;
}

async fn wait_until(app: &TestApp, filter: &str) {
    for _ in 0..200 {
        if app.count(filter).await > 0 {
            return;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("never true: {filter}");
}

#[actix_web::test]
async fn dial_fallthrough_and_voicemail_end() {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec::default()).await;
    let mut params = call("CA1");
    params.push(("DialCallStatus", "no-answer".to_owned()));
    let doc = app
        .twilio_post("/twilio/voice/dial-complete?tenant_id=acme", &refs(&params))
        .await
        .text()
        .await
        .unwrap();
    assert!(doc.contains("<Record"), "no answer → voicemail: {doc}");
    params.last_mut().unwrap().1 = "completed".to_owned();
    let doc = app
        .twilio_post("/twilio/voice/dial-complete?tenant_id=acme", &refs(&params))
        .await
        .text()
        .await
        .unwrap();
    assert!(doc.ends_with("<Response><Hangup/></Response>"), "{doc}");
    let doc = app
        .twilio_post(
            "/twilio/voice/voicemail-done?tenant_id=acme",
            &refs(&call("CA1")),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(
        doc.contains("Thanks for your message") && doc.contains("<Hangup/>"),
        "{doc}"
    );
}

#[actix_web::test]
async fn voicemail_is_stored_once_and_the_owner_is_told() {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec::default()).await;
    let params = [
        ("AccountSid", ACCOUNT_SID),
        ("CallSid", "CA_vm"),
        ("RecordingSid", "RE0001"),
        (
            "RecordingUrl",
            "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE0001",
        ),
        ("RecordingStatus", "completed"),
        ("RecordingDuration", "17"),
    ];
    let path = "/twilio/voice/recording?tenant_id=acme&from=%2B14158675309";
    for _ in 0..3 {
        let res = app.twilio_post(path, &params).await;
        assert_eq!(res.status(), 200);
    }
    assert_eq!(
        app.count("voicemails").await,
        1,
        "a repeated callback stores nothing twice"
    );
    assert_eq!(app.count("voicemails v JOIN customers c ON c.tenant_id = v.tenant_id AND c.id = v.customer_id WHERE c.phone = '+14158675309' AND v.duration_seconds = 17").await, 1);
    let sent = app
        .twilio
        .wait_for_messages(1, std::time::Duration::from_secs(10))
        .await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].field("To"), Some(OWNER_CELL));
    assert!(
        sent[0].field("Body").unwrap().contains("RE0001"),
        "{:?}",
        sent[0].field("Body")
    );
    actix_web::rt::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(app.twilio.messages().len(), 1, "the owner is told once");
    assert_eq!(
        app.count("voicemails WHERE owner_notified_at IS NOT NULL")
            .await,
        1
    );
}

#[actix_web::test]
async fn call_status_callbacks_out_of_order_and_twice() {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec::default()).await;
    incoming(&app, "CA_st").await;
    let status = |s: &'static str, extra: Vec<(&'static str, &'static str)>| {
        let mut p = vec![
            ("AccountSid", ACCOUNT_SID),
            ("CallSid", "CA_st"),
            ("From", CALLER),
            ("To", NUMBER),
            ("Direction", "inbound"),
            ("CallStatus", s),
        ];
        p.extend(extra);
        p
    };
    let completed = status(
        "completed",
        vec![
            ("CallDuration", "125"),
            ("Timestamp", "Mon, 30 Nov 2026 15:04:05 +0000"),
        ],
    );
    let in_progress = status(
        "in-progress",
        vec![("Timestamp", "Mon, 30 Nov 2026 15:02:00 +0000")],
    );
    for params in [&completed, &in_progress, &completed] {
        let res = app.twilio_post("/twilio/voice/status", params).await;
        assert_eq!(res.status(), 200);
    }
    assert_eq!(app.count("calls WHERE call_sid = 'CA_st' AND status = 'completed' AND duration_seconds = 125 AND ended_at = '2026-11-30T15:04:05Z' AND answered_at = '2026-11-30T15:02:00Z' AND route = 'ivr'").await, 1);
    assert_eq!(
        app.count("calls WHERE call_sid = 'CA_st' AND jsonb_array_length(status_timeline) = 3")
            .await,
        1,
        "ringing, completed, in-progress once each"
    );
    assert_eq!(
        app.count(
            "usage_events WHERE kind = 'call_minutes' AND quantity = 3 AND source_key = 'CA_st'"
        )
        .await,
        1,
        "125 s → 3 minutes, metered once"
    );
}

#[actix_web::test]
async fn bad_or_missing_signature_is_403_on_every_route_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec::default()).await;
    let routes = [
        "/twilio/voice/incoming",
        "/twilio/voice/ivr?tenant_id=acme&attempt=1",
        "/twilio/voice/dial-complete?tenant_id=acme",
        "/twilio/voice/voicemail-done?tenant_id=acme",
        "/twilio/voice/recording?tenant_id=acme&from=%2B14158675309",
        "/twilio/voice/status",
        "/twilio/sms/status?tenant_id=acme&message_id=1",
    ];
    let params = [
        ("AccountSid", ACCOUNT_SID),
        ("CallSid", "CA_bad"),
        ("From", CALLER),
        ("To", NUMBER),
        ("CallStatus", "completed"),
        ("CallDuration", "60"),
        ("Digits", "2"),
        ("RecordingSid", "RE_bad"),
        ("RecordingUrl", "https://x.test/r"),
        ("RecordingStatus", "completed"),
        ("MessageSid", "SM_bad"),
        ("MessageStatus", "delivered"),
    ];
    for route in routes {
        let wrong = app.twilio_post_with("not-the-token", route, &params).await;
        assert_eq!(wrong.status(), 403, "{route}");
        let body: serde_json::Value = wrong.json().await.unwrap();
        assert_eq!(body["error"]["code"], "invalid_signature");
        let missing = app
            .client
            .post(app.url(route))
            .form(&params)
            .send()
            .await
            .unwrap();
        assert_eq!(missing.status(), 403, "{route}");
    }
    // A signature for another URL (a replay against a different route) fails too.
    let sig = servicepro_actors::twilio::expected_signature(
        AUTH_TOKEN,
        "https://sp.example.test/twilio/voice/status",
        &[],
    );
    let replay = app
        .client
        .post(app.url("/twilio/voice/incoming"))
        .header("X-Twilio-Signature", sig)
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), 403);
    for table in ["calls", "voicemails", "messages", "usage_events"] {
        assert_eq!(app.count(table).await, 0, "{table}");
    }
    actix_web::rt::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(app.twilio.requests().is_empty(), "nothing was sent");
}

#[actix_web::test]
async fn byo_twilio_tenant_is_verified_with_its_own_token() {
    let app = TestApp::spawn().await;
    let res = app
        .admin(reqwest::Method::POST, "/api/admin/tenants")
        .json(&serde_json::json!({
            "id": "byo", "name": "BYO Lawn", "industry": "lawn-care", "plan_tier": "pro", "status": "active",
            "phone_number": "+19185550111", "ivr_mode": "ivr", "forward_to": "+19185550112",
            "twilio_account_sid": "AC0123456789abcdef0123456789abcdef", "twilio_auth_token": "byo-token-123",
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let params = [
        ("CallSid", "CA_byo"),
        ("From", CALLER),
        ("To", "+19185550111"),
    ];
    let platform_signed = app.twilio_post("/twilio/voice/incoming", &params).await;
    assert_eq!(
        platform_signed.status(),
        403,
        "the platform token does not sign a BYO account's webhooks"
    );
    let own = app
        .twilio_post_with("byo-token-123", "/twilio/voice/incoming", &params)
        .await;
    assert_eq!(own.status(), 200);
    assert!(own.text().await.unwrap().contains("<Gather"));
}

#[actix_web::test]
async fn a_webhook_missing_its_call_sid_is_400() {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec::default()).await;
    let res = app
        .twilio_post(
            "/twilio/voice/incoming",
            &[("From", CALLER), ("To", NUMBER)],
        )
        .await;
    assert_eq!(res.status(), 400);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"]["message"], "missing CallSid");
}

#[actix_web::test]
async fn ai_voice_streams_to_the_receptionist_when_a_provider_is_configured() {
    let app = TestApp::builder()
        .var("OPENAI_API_KEY", "sk-test-not-used")
        .spawn()
        .await;
    app.create_tenant(TenantSpec {
        ivr_mode: "ai-voice",
        ..TenantSpec::default()
    })
    .await;
    let doc = incoming(&app, "CA_stream").await;
    assert!(
        doc.contains("<Connect><Stream url=\"wss://sp.example.test/twilio/media-stream/acme\">"),
        "{doc}"
    );
    assert!(
        doc.contains("<Parameter name=\"tenant_id\" value=\"acme\"/>"),
        "{doc}"
    );
}

#[actix_web::test]
async fn the_speech_receptionist_books_turn_by_turn_without_a_provider() {
    let now = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 12, 1, 15, 0, 0).unwrap();
    let app = TestApp::builder().now(now).spawn().await;
    app.create_tenant(TenantSpec {
        ivr_mode: "ai-voice",
        ..TenantSpec::default()
    })
    .await;
    let greeting = incoming(&app, "CA_talk").await;
    assert!(greeting.contains("<Gather input=\"speech\""), "{greeting}");
    let say = |text: &'static str| {
        let mut p = call("CA_talk");
        p.push(("SpeechResult", text.to_owned()));
        p.push(("Confidence", "0.92".to_owned()));
        p
    };
    let path = "/twilio/voice/agent?tenant_id=acme&turn=1";
    let first = app
        .twilio_post(path, &refs(&say("I'd like to book a full detail for Saturday morning for my 2019 Ford F-150 at 123 Main Street Tulsa")))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        first.contains("<Gather input=\"speech\"") && first.contains("Saturday"),
        "{first}"
    );
    assert!(
        !first.contains("Reply") && !first.contains("YES") && first.contains("Say "),
        "a caller is asked to say, not to reply: {first}"
    );
    let second = app
        .twilio_post(path, &refs(&say("the first one")))
        .await
        .text()
        .await
        .unwrap();
    assert!(second.contains("texted you the details"), "{second}");
    assert!(
        second.contains("You&apos;re booked for") && !second.contains("Reply"),
        "the booking is spoken, not read out as a text: {second}"
    );
    assert_eq!(
        app.count("appointments WHERE status = 'booked' AND channel = 'voice'")
            .await,
        1,
        "booked by voice"
    );
    let sent = app
        .twilio
        .wait_for_messages(1, std::time::Duration::from_secs(10))
        .await;
    assert_eq!(sent.len(), 1, "the same SMS confirmation as an SMS booking");
    assert_eq!(sent[0].field("To"), Some(CALLER));
    let written = sent[0].field("Body").unwrap_or_default();
    assert!(
        written.contains("booked") && !written.starts_with("You're booked for"),
        "the text is the written confirmation, not the spoken line: {written}"
    );
    assert_eq!(
        app.count("calls WHERE call_sid = 'CA_talk' AND jsonb_array_length(transcript) = 4")
            .await,
        1,
        "transcript kept on the call"
    );

    let mut silent = call("CA_talk");
    silent.push(("SpeechResult", String::new()));
    let reprompt = app
        .twilio_post(path, &refs(&silent))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        reprompt.contains("didn&apos;t catch that") && reprompt.contains("turn=2"),
        "{reprompt}"
    );
    let voicemail = app
        .twilio_post("/twilio/voice/agent?tenant_id=acme&turn=2", &refs(&silent))
        .await
        .text()
        .await
        .unwrap();
    assert!(voicemail.contains("<Record"), "{voicemail}");
}

#[actix_web::test]
async fn an_oversized_webhook_body_is_refused_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec::default()).await;
    let padding = "x".repeat(servicepro::twilio_webhook::MAX_WEBHOOK_BODY);
    let res = app
        .twilio_post(
            "/twilio/voice/incoming",
            &[
                ("CallSid", "CA_big"),
                ("From", CALLER),
                ("To", NUMBER),
                ("Padding", &padding),
            ],
        )
        .await;
    assert_eq!(res.status(), 413);
    assert_eq!(app.count("calls").await, 0);
    let fits = app
        .twilio_post(
            "/twilio/voice/incoming",
            &[("CallSid", "CA_fits"), ("From", CALLER), ("To", NUMBER)],
        )
        .await;
    assert_eq!(fits.status(), 200);
}
