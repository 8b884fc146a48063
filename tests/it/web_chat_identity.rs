//! Web chat cannot impersonate and has limits (issue 14, item 4): a visitor who
//! types a customer's number learns nothing of that number's bookings until they
//! type the one-time code texted to it; codes are burned after five wrong tries
//! and expire; the chat is rate limited per IP and per visitor, new visitors are
//! capped per tenant and hour, visitor ids are checked; anonymous visitors who
//! never booked are swept after the retention time.

use crate::support::tenants::TenantSpec;
use crate::support::twilio_client::ACCOUNT_SID;
use crate::support::TestApp;
use serde_json::{json, Value};
use servicepro_actors::conversation::web_chat::cleanup::{sweep_anonymous_visitors, Swept};
use std::time::Duration;

const VICTIM: &str = "+15556667777";
const NUMBER: &str = "+19185550100";
const BOOKING_TEXT: &str =
    "hi can i get an interior detail saturday morning for my 2020 civic at 9 elm st tulsa";

fn fixed_now() -> chrono::DateTime<chrono::Utc> {
    chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 12, 1, 15, 0, 0).unwrap()
}

async fn app_with(vars: &[(&str, &str)]) -> TestApp {
    let mut builder = TestApp::builder().now(fixed_now());
    for (k, v) in vars {
        builder = builder.var(k, v);
    }
    let app = builder.spawn().await;
    app.create_tenant(TenantSpec::default()).await;
    app
}

/// A text from `from` to the tenant's number (answered inline).
async fn sms(app: &TestApp, from: &str, sid: &str, body: &str) {
    let res = app
        .twilio_post(
            "/twilio/sms/incoming",
            &[
                ("AccountSid", ACCOUNT_SID),
                ("MessageSid", sid),
                ("From", from),
                ("To", NUMBER),
                ("Body", body),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
}

/// Posts a chat message; the status and the JSON body.
async fn chat(app: &TestApp, body: Value) -> (u16, reqwest::header::HeaderMap, Value) {
    let res = app
        .client
        .post(app.url("/api/agent/messages"))
        .json(&body)
        .send()
        .await
        .unwrap();
    let (status, headers) = (res.status().as_u16(), res.headers().clone());
    (status, headers, res.json().await.unwrap_or(Value::Null))
}

/// The reply to `message` from `visitor` (who says their number is `phone`).
async fn say(app: &TestApp, visitor: &str, phone: Option<&str>, message: &str) -> Value {
    let mut body = json!({ "tenant_id": "acme", "visitor_id": visitor, "message": message });
    if let Some(phone) = phone {
        body["phone"] = json!(phone);
    }
    let (status, _, body) = chat(app, body).await;
    assert_eq!(status, 200, "{message}: {body}");
    body
}

fn reply(body: &Value) -> String {
    body["reply"].as_str().unwrap_or_default().to_owned()
}

/// The code in the `n`th code text to `to` (1-based), waiting for it.
async fn texted_code(app: &TestApp, to: &str, n: usize) -> String {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let codes: Vec<String> = app
            .twilio
            .messages()
            .iter()
            .filter(|m| m.field("To") == Some(to))
            .filter_map(|m| m.field("Body").map(str::to_owned))
            .filter(|b| b.contains("chat code"))
            .collect();
        if let Some(body) = codes.get(n - 1) {
            let digits: String = body
                .split_whitespace()
                .find(|w| {
                    w.trim_end_matches('.').len() == 6
                        && w.trim_end_matches('.').chars().all(|c| c.is_ascii_digit())
                })
                .map(|w| w.trim_end_matches('.').to_owned())
                .unwrap_or_else(|| panic!("no code in {body}"));
            return digits;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no code text {n} to {to}"
        );
        actix_web::rt::time::sleep(Duration::from_millis(20)).await;
    }
}

fn reveals_the_booking(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.contains("interior")
        || lower.contains("saturday")
        || lower.contains("sat,")
        || lower.contains("elm")
}

#[actix_web::test]
async fn a_visitor_typing_a_customers_number_learns_nothing_until_the_texted_code() {
    let app = app_with(&[]).await;
    sms(&app, VICTIM, "SM_id_1", BOOKING_TEXT).await;
    sms(&app, VICTIM, "SM_id_2", "1").await;
    let booked =
        "appointments a JOIN customers c ON c.tenant_id = a.tenant_id AND c.id = a.customer_id \
                  WHERE c.phone = '+15556667777' AND a.status = 'booked'";
    assert_eq!(app.count(booked).await, 1, "the customer booked by text");

    // The attack: the anonymous visitor posts the customer's number.
    let asked = say(
        &app,
        "attacker-0001",
        Some(VICTIM),
        "what's my appointment?",
    )
    .await;
    assert!(!reveals_the_booking(&reply(&asked)), "{asked}");
    assert!(reply(&asked).contains("ending in 7777"), "{asked}");
    assert_eq!(asked["next_actions"][0]["type"], "verify_phone", "{asked}");
    let code = texted_code(&app, VICTIM, 1).await;
    assert_eq!(
        app.count("web_verification_codes WHERE code_hash <> convert_to(phone, 'UTF8')")
            .await,
        1
    );
    assert_eq!(
        app.count(&format!("web_verification_codes WHERE position('{code}'::bytea IN code_hash) > 0 OR pending_text LIKE '%{code}%'")).await,
        0,
        "the code is never stored as digits"
    );
    // "cancel my appointment" is refused the same way, and cancels nothing.
    let cancel = say(&app, "attacker-0001", None, "cancel my appointment").await;
    assert!(!reveals_the_booking(&reply(&cancel)), "{cancel}");
    let code = texted_code(&app, VICTIM, 2).await;
    assert_eq!(app.count(booked).await, 1);

    // Wrong codes are refused; the fifth burns the code.
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for left in (1..=4).rev() {
        let answer = say(&app, "attacker-0001", None, wrong).await;
        assert!(reply(&answer).contains("doesn't match"), "{answer}");
        assert!(reply(&answer).contains(&format!("{left} tr")), "{answer}");
        assert!(!reveals_the_booking(&reply(&answer)), "{answer}");
    }
    let burned = say(&app, "attacker-0001", None, wrong).await;
    assert!(reply(&burned).contains("can't be used"), "{burned}");
    assert_eq!(app.count("web_verification_codes").await, 0, "burned");
    assert_eq!(
        app.count("web_visitors WHERE verified_at IS NOT NULL")
            .await,
        0
    );

    // The owner of the phone asks again and types the right code: details shown.
    say(&app, "attacker-0001", None, "what's my appointment?").await;
    let code = texted_code(&app, VICTIM, 3).await;
    let shown = say(&app, "attacker-0001", None, &code).await;
    assert!(reply(&shown).contains("confirmed"), "{shown}");
    assert!(reply(&shown).contains("Interior Detail"), "{shown}");
    let confirm = say(&app, "attacker-0001", None, "cancel my appointment").await;
    assert!(!reply(&confirm).is_empty(), "{confirm}");
    let done = say(&app, "attacker-0001", None, "yes").await;
    assert_eq!(app.count(booked).await, 0, "cancelled: {done}");
    assert_eq!(
        app.count("web_visitors WHERE verified_phone = '+15556667777' AND customer_id IS NOT NULL")
            .await,
        1
    );
}

#[actix_web::test]
async fn an_expired_code_is_refused() {
    let app = app_with(&[]).await;
    sms(&app, VICTIM, "SM_ex_1", BOOKING_TEXT).await;
    sms(&app, VICTIM, "SM_ex_2", "1").await;
    say(
        &app,
        "visitor-expiry",
        Some(VICTIM),
        "what's my appointment?",
    )
    .await;
    let code = texted_code(&app, VICTIM, 1).await;
    app.sql("UPDATE web_verification_codes SET expires_at = now() - interval '1 second'")
        .await;
    let late = say(&app, "visitor-expiry", None, &code).await;
    assert!(reply(&late).contains("expired"), "{late}");
    assert!(!reveals_the_booking(&reply(&late)), "{late}");
    assert_eq!(app.count("web_verification_codes").await, 0);
    assert_eq!(
        app.count("web_visitors WHERE verified_at IS NOT NULL")
            .await,
        0
    );
}

#[actix_web::test]
async fn a_new_visitor_can_still_book_and_is_kept() {
    let app = app_with(&[]).await;
    let offered = say(&app, "new-visitor-1", Some("+15550001111"), BOOKING_TEXT).await;
    assert!(!reply(&offered).is_empty(), "{offered}");
    let booked = say(&app, "new-visitor-1", None, "1").await;
    assert!(
        booked["next_actions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["type"] == "book"),
        "{offered} → {booked}"
    );
    assert_eq!(app.count("appointments a JOIN customers c ON c.tenant_id = a.tenant_id AND c.id = a.customer_id WHERE c.phone = '+15550001111'").await, 1);
    assert_eq!(
        app.count("web_visitors WHERE visitor_key = 'new-visitor-1' AND customer_id IS NOT NULL")
            .await,
        1
    );
    assert_eq!(
        app.count("customers WHERE phone LIKE 'web:%'").await,
        0,
        "a visitor is not a customer"
    );
    assert_eq!(
        app.count("web_verification_codes").await,
        0,
        "booking needs no code"
    );
}

#[actix_web::test]
async fn bad_visitor_ids_are_422_naming_the_field_and_never_stored() {
    let app = app_with(&[]).await;
    // 200 KB: refused by the body limit before it is parsed.
    let huge = "v".repeat(200 * 1024);
    let (status, _, body) = chat(
        &app,
        json!({ "tenant_id": "acme", "visitor_id": huge, "message": "hi" }),
    )
    .await;
    assert_eq!(status, 413, "{body}");
    // Under the body limit, too long or badly formed: 422 naming the field.
    let long = "v".repeat(60 * 1024);
    for visitor in [long.as_str(), "short", "web:visitor-1", "has space 123"] {
        let (status, _, body) = chat(
            &app,
            json!({ "tenant_id": "acme", "visitor_id": visitor, "message": "hi" }),
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["error"]["field"], "visitor_id", "{body}");
    }
    let (status, _, body) = chat(
        &app,
        json!({ "tenant_id": "acme", "visitor_id": "v".repeat(65), "message": "hi" }),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["field"], "visitor_id");
    let (status, _, body) = chat(&app, json!({ "tenant_id": "acme", "message": "hi" })).await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["field"], "visitor_id");
    assert_eq!(app.count("web_visitors").await, 0);
    assert_eq!(app.count("customers").await, 0);
}

#[actix_web::test]
async fn requests_beyond_the_ip_and_visitor_limits_are_429_with_retry_after() {
    let app = app_with(&[
        ("SERVICEPRO_CHAT_PER_VISITOR_PER_MINUTE", "2"),
        ("SERVICEPRO_CHAT_PER_IP_PER_MINUTE", "5"),
    ])
    .await;
    say(&app, "visitor-limit", None, "hi").await;
    say(&app, "visitor-limit", None, "hi").await;
    let (status, headers, body) = chat(
        &app,
        json!({ "tenant_id": "acme", "visitor_id": "visitor-limit", "message": "hi" }),
    )
    .await;
    assert_eq!(status, 429, "{body}");
    assert_eq!(body["error"]["code"], "rate_limited");
    let retry: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(retry >= 1, "{retry}");
    // Another visitor from the same address still gets through, until the address's quota.
    say(&app, "visitor-other", None, "hi").await;
    say(&app, "visitor-other", None, "hi").await;
    let (status, headers, body) = chat(
        &app,
        json!({ "tenant_id": "acme", "visitor_id": "visitor-third", "message": "hi" }),
    )
    .await;
    assert_eq!(status, 429, "the address's sixth request: {body}");
    assert!(headers.contains_key("retry-after"));
}

#[actix_web::test]
async fn new_visitors_beyond_the_hourly_cap_are_refused() {
    let app = app_with(&[("SERVICEPRO_CHAT_NEW_VISITORS_PER_HOUR", "3")]).await;
    for n in 0..3 {
        say(&app, &format!("visitor-cap-{n}"), None, "hi").await;
    }
    let (status, headers, body) = chat(
        &app,
        json!({ "tenant_id": "acme", "visitor_id": "visitor-cap-9", "message": "hi" }),
    )
    .await;
    assert_eq!(status, 429, "{body}");
    assert!(headers.contains_key("retry-after"));
    assert_eq!(app.count("web_visitors").await, 3);
    // A known visitor is still answered.
    say(
        &app,
        "visitor-cap-0",
        None,
        "how much is an interior detail?",
    )
    .await;
}

#[actix_web::test]
async fn the_sweep_removes_only_anonymous_visitors_who_never_booked() {
    let app = app_with(&[]).await;
    // An anonymous visitor, idle for long, and a recent one.
    say(
        &app,
        "idle-anonymous",
        None,
        "how much is an interior detail?",
    )
    .await;
    say(
        &app,
        "recent-anonymous",
        None,
        "how much is an interior detail?",
    )
    .await;
    // A visitor who booked, idle as long.
    say(&app, "idle-booker-1", Some("+15550002222"), BOOKING_TEXT).await;
    say(&app, "idle-booker-1", None, "1").await;
    // A visitor who proved a number, idle as long.
    sms(&app, VICTIM, "SM_sw_1", BOOKING_TEXT).await;
    sms(&app, VICTIM, "SM_sw_2", "1").await;
    say(
        &app,
        "idle-verified",
        Some(VICTIM),
        "what's my appointment?",
    )
    .await;
    let code = texted_code(&app, VICTIM, 1).await;
    say(&app, "idle-verified", None, &code).await;
    app.sql(
        "UPDATE web_visitors SET last_seen_at = now() - interval '40 days' \
         WHERE visitor_key <> 'recent-anonymous'",
    )
    .await;
    assert_eq!(app.count("web_visitors").await, 4);
    let swept = sweep_anonymous_visitors(&app.state.root_db, Duration::from_secs(30 * 86_400))
        .await
        .unwrap();
    assert_eq!(swept, Swept::Deleted(1));
    assert_eq!(
        app.count("web_visitors WHERE visitor_key = 'idle-anonymous'")
            .await,
        0
    );
    assert_eq!(app.count("web_visitors").await, 3);
    assert_eq!(
        app.count("conversations WHERE channel = 'web'").await,
        3,
        "the swept visitor's conversation went with them"
    );
}

#[actix_web::test]
async fn the_llm_brain_is_guarded_the_same_way() {
    use servicepro_actors::brain::llm::fake::{FakeChatServer, FakeReply};
    // The model looks the appointments up and would read them out; the
    // guard refuses the lookup, so its answer is never shown.
    let lookup = || FakeReply::tool_calls(&[("c1", "upcoming_appointments", json!({}))]);
    let leak = || FakeReply::text("Your Interior Detail is on Saturday at 9 Elm St.");
    let fake = FakeChatServer::start(vec![lookup(), leak(), lookup(), leak()])
        .await
        .unwrap();
    let base = fake.base_url();
    let app = app_with(&[("OPENAI_API_KEY", "sk-test"), ("OPENAI_BASE_URL", &base)]).await;
    app.sql(&format!(
        "INSERT INTO customers (tenant_id, phone) VALUES ('acme', '{VICTIM}'); \
         INSERT INTO appointments (tenant_id, customer_id, service_id, starts_at, ends_at, busy_until, price_cents, address) \
         SELECT 'acme', c.id, s.id, '2026-12-05 15:00Z', '2026-12-05 17:00Z', '2026-12-05 17:30Z', 15000, '9 Elm St' \
         FROM customers c, services s WHERE c.phone = '{VICTIM}' AND s.tenant_id = 'acme' AND NOT s.is_addon \
         ORDER BY s.id LIMIT 1"
    ))
    .await;
    let asked = say(
        &app,
        "llm-visitor-1",
        Some(VICTIM),
        "what's my appointment?",
    )
    .await;
    assert!(!reveals_the_booking(&reply(&asked)), "{asked}");
    assert_eq!(asked["next_actions"][0]["type"], "verify_phone", "{asked}");
    let code = texted_code(&app, VICTIM, 1).await;
    let shown = say(&app, "llm-visitor-1", None, &code).await;
    assert!(reply(&shown).contains("confirmed"), "{shown}");
    assert!(reply(&shown).contains("Interior Detail"), "{shown}");
    assert_eq!(
        fake.requests().len(),
        4,
        "both turns were the model's (lookup, answer)"
    );
}
