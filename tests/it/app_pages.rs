//! The owner's pages: Today, Appointments, Conversations, Calls, Settings —
//! status codes and size, what they show (escaped), another tenant's ids (404),
//! settings saved through the settings path with errors by field, CSRF
//! refusal, the read-only rule while suspended, and recordings over signed links.

use crate::app_sign_in::{app_with_owner, signed_in, PASSWORD};
use crate::signup::body;
use crate::support::web_client::WebClient;
use crate::support::TestApp;
use serde_json::json;

/// The CSRF token on `path`'s page (signed in).
pub async fn csrf_on(web: &WebClient, path: &str) -> String {
    let page = web.get(path).await;
    assert_eq!(page.status, 200, "{path}: {}", page.body);
    page.csrf()
}

/// One value from SQL (as text).
pub async fn scalar(app: &TestApp, sql: &str) -> String {
    #[derive(diesel::QueryableByName)]
    struct V {
        #[diesel(sql_type = diesel::sql_types::Text)]
        v: String,
    }
    use diesel_async::RunQueryDsl;
    let mut conn = app.db.superuser().await;
    let row: V = diesel::sql_query(format!("SELECT ({sql})::text AS v"))
        .get_result(&mut conn)
        .await
        .unwrap();
    row.v
}

/// Ids of what [`seed`] made.
pub struct Seeded {
    pub appointment: String,
    pub conversation: String,
    pub call: String,
}

/// A customer (with markup in the name), a text conversation, an appointment
/// tomorrow booked by voice, and an AI-answered, recorded call.
pub async fn seed(app: &TestApp, tenant: &str) -> Seeded {
    app.sql(&format!(
        "INSERT INTO customers (tenant_id, phone, name) VALUES ('{tenant}', '+19185550177', '<b>Pat</b> Lee');
         INSERT INTO conversations (tenant_id, customer_id, channel)
           SELECT '{tenant}', id, 'sms' FROM customers WHERE tenant_id = '{tenant}' AND phone = '+19185550177';
         INSERT INTO messages (tenant_id, conversation_id, customer_id, direction, from_number, to_number, body, status, purpose)
           SELECT '{tenant}', v.id, v.customer_id, 'inbound', '+19185550177', '+19185550100', 'Can you do Friday?', 'received', 'inbound'
           FROM conversations v WHERE v.tenant_id = '{tenant}';
         INSERT INTO messages (tenant_id, conversation_id, customer_id, direction, from_number, to_number, body, status, purpose)
           SELECT '{tenant}', v.id, v.customer_id, 'outbound', '+19185550100', '+19185550177', 'Friday 9am works <script>x</script>', 'delivered', 'reply'
           FROM conversations v WHERE v.tenant_id = '{tenant}';
         INSERT INTO appointments (tenant_id, customer_id, service_id, starts_at, ends_at, busy_until, price_cents, address, details, conversation_id, channel)
           SELECT '{tenant}', c.id, (SELECT min(id) FROM services WHERE tenant_id = '{tenant}' AND NOT is_addon),
                  now() + interval '1 day', now() + interval '1 day 1 hour', now() + interval '1 day 1 hour',
                  12500, '12 Elm St, Tulsa', '{{\"gate_code\": \"4411\"}}', v.id, 'voice'
           FROM customers c JOIN conversations v ON v.tenant_id = c.tenant_id AND v.customer_id = c.id
           WHERE c.tenant_id = '{tenant}';
         INSERT INTO calls (tenant_id, call_sid, from_number, to_number, customer_id, status, route, started_at, duration_seconds, summary, transcript, recording_path)
           SELECT '{tenant}', 'CA{tenant_hex}', '+19185550177', '+19185550100', id, 'completed', 'ai-voice', now() - interval '1 hour', 95,
                  'Booked a full detail for tomorrow.', '[{{\"speaker\": \"caller\", \"text\": \"I need a detail\"}}, {{\"speaker\": \"agent\", \"text\": \"Tomorrow at 9?\"}}]',
                  'recorded'
           FROM customers WHERE tenant_id = '{tenant}';",
        tenant_hex = call_sid_suffix(tenant),
    ))
    .await;
    Seeded {
        appointment: scalar(
            app,
            &format!("SELECT max(id) FROM appointments WHERE tenant_id = '{tenant}'"),
        )
        .await,
        conversation: scalar(
            app,
            &format!("SELECT max(id) FROM conversations WHERE tenant_id = '{tenant}'"),
        )
        .await,
        call: scalar(
            app,
            &format!("SELECT max(id) FROM calls WHERE tenant_id = '{tenant}'"),
        )
        .await,
    }
}

/// A call SID suffix unique to `tenant` (letters and digits only).
pub fn call_sid_suffix(tenant: &str) -> String {
    tenant
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect()
}

const PAGES: [&str; 6] = [
    "/app",
    "/app/appointments",
    "/app/appointments?week=2026-12-07",
    "/app/conversations",
    "/app/calls",
    "/app/settings",
];

#[actix_web::test]
async fn every_page_answers_signed_in_small_and_private_and_sends_strangers_to_sign_in() {
    let (app, tenant) = app_with_owner().await;
    let ids = seed(&app, &tenant).await;
    let web = signed_in(&app).await;
    let stranger = WebClient::new(&app.address);
    let details = [
        format!("/app/appointments/{}", ids.appointment),
        format!("/app/conversations/{}", ids.conversation),
        format!("/app/calls/{}", ids.call),
    ];
    for path in PAGES.iter().map(|p| p.to_string()).chain(details) {
        let page = web.get(&path).await;
        assert_eq!(page.status, 200, "{path}: {}", page.body);
        assert!(
            page.body.len() < 50_000,
            "{path} is {} bytes",
            page.body.len()
        );
        assert!(
            page.body.contains(r#"<main id="main""#)
                && page.body.contains(r#"action="/app/sign-out""#),
            "{path}"
        );
        assert!(
            !page.body.contains("<b>Pat</b>") && !page.body.contains("<script>x"),
            "{path} must escape"
        );
        let away = stranger.get(&path).await;
        assert_eq!(away.status, 303, "{path}");
        assert!(
            away.location
                .unwrap()
                .starts_with("/app/sign-in?next=%2Fapp"),
            "{path}"
        );
    }
    let bad_week = web.get("/app/appointments?week=next-tuesday").await;
    assert_eq!(bad_week.status, 400);
    assert!(bad_week
        .body
        .contains("week: expected a date like 2026-12-07"));
}

#[actix_web::test]
async fn the_pages_show_the_day_the_booking_and_the_call_with_one_tap_links() {
    let (app, tenant) = app_with_owner().await;
    let ids = seed(&app, &tenant).await;
    let web = signed_in(&app).await;

    let today = web.get("/app").await.body;
    assert!(
        today.contains("Jody&#39;s Lawn Care") || today.contains("Jody&#x27;s Lawn Care"),
        "{today}"
    );
    assert!(today.contains("&#60;b&#62;Pat&#60;/b&#62; Lee"));
    assert!(
        today.contains(r#"href="tel:+19185550177""#)
            && today.contains(r#"href="sms:+19185550177""#)
    );
    assert!(today.contains(&format!("/app/appointments/{}", ids.appointment)));
    assert!(today.contains("Booked a full detail for tomorrow."));
    assert!(today.contains("Can you do Friday?") || today.contains("Friday 9am works"));

    let week = web.get("/app/appointments").await.body;
    assert!(
        week.contains(&format!("/app/appointments/{}", ids.appointment))
            || week.contains("All coming up")
    );
    let one = web
        .get(&format!("/app/appointments/{}", ids.appointment))
        .await
        .body;
    assert!(one.contains("12 Elm St, Tulsa") && one.contains("$125.00") && one.contains("4411"));
    assert!(one.contains("On a phone call, with the AI receptionist"));
    assert!(
        one.contains(&format!("/app/calls/{}", ids.call)),
        "voice booking links its call: {one}"
    );
    assert!(one.contains(&format!("/app/conversations/{}", ids.conversation)));

    let thread = web
        .get(&format!("/app/conversations/{}", ids.conversation))
        .await
        .body;
    assert!(
        thread.contains("Can you do Friday?")
            && thread.contains("Friday 9am works &#60;script&#62;")
    );
    let call = web.get(&format!("/app/calls/{}", ids.call)).await.body;
    assert!(
        call.contains("I need a detail")
            && call.contains("Tomorrow at 9?")
            && call.contains("1 min 35 s")
    );
    assert!(call.contains(r#"<audio controls preload="none" src="/app/recordings/CA"#));
}

#[actix_web::test]
async fn another_tenants_ids_and_unknown_ids_are_404() {
    let (app, tenant) = app_with_owner().await;
    let ids = seed(&app, &tenant).await;
    let mut other = body("sam@example.com", "Sam's Pools");
    other["password"] = json!(PASSWORD);
    let other_tenant = app.signed_up(&other).await["tenant_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let sam = WebClient::new(&app.address);
    let csrf = sam.get("/app/sign-in").await.csrf();
    let res = sam
        .post(
            "/app/sign-in",
            &[
                ("csrf", &csrf),
                ("email", "sam@example.com"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status, 303);
    assert!(sam
        .cookie("sp_session")
        .unwrap()
        .starts_with(&format!("o_{other_tenant}_")));
    for path in [
        format!("/app/appointments/{}", ids.appointment),
        format!("/app/conversations/{}", ids.conversation),
        format!("/app/calls/{}", ids.call),
        "/app/calls/999999".to_owned(),
        "/app/calls/not-a-number".to_owned(),
    ] {
        let page = sam.get(&path).await;
        assert_eq!(page.status, 404, "{path}");
        assert!(page.body.contains("There is no such"), "{path}");
        assert!(!page.body.contains("Pat"), "{path}");
    }
    // Sam's own pages show none of Jody's.
    for path in ["/app", "/app/conversations", "/app/calls"] {
        assert!(!sam.get(path).await.body.contains("Pat"), "{path}");
    }
}

/// The hours form as the page posts it, with `overrides`.
fn hours_form<'a>(csrf: &'a str, overrides: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![("csrf", csrf)];
    for day in ["mon", "tue", "wed", "thu", "fri"] {
        form.push((leak(format!("{day}_open")), "08:00"));
        form.push((leak(format!("{day}_close")), "17:00"));
    }
    form.push(("sat_closed", "on"));
    form.push(("sun_closed", "on"));
    for (k, v) in overrides {
        form.retain(|(key, _)| key != k);
        form.push((k, v));
    }
    form
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

#[actix_web::test]
async fn settings_are_saved_through_the_settings_path_and_a_refusal_names_the_field() {
    let (app, tenant) = app_with_owner().await;
    let web = signed_in(&app).await;
    let csrf = csrf_on(&web, "/app/settings").await;

    let saved = web
        .post(
            "/app/settings/hours",
            &hours_form(&csrf, &[("mon_open", "07:30"), ("mon_close", "19:15")]),
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(saved.location.as_deref(), Some("/app/settings?saved=hours"));
    let stored = scalar(
        &app,
        &format!("SELECT business_hours FROM tenant_config WHERE tenant_id = '{tenant}'"),
    )
    .await;
    let stored: serde_json::Value = serde_json::from_str(&stored).unwrap();
    assert_eq!(stored["mon"]["open"], "07:30:00");
    assert_eq!(stored["mon"]["close"], "19:15:00");
    assert!(stored.get("sat").is_none());
    let page = web.get("/app/settings?saved=hours").await.body;
    assert!(
        page.contains("Business hours saved.") && page.contains(r#"name="mon_open" value="07:30""#)
    );

    // The engine's rule, named next to its field, the typed values kept.
    let refused = web
        .post(
            "/app/settings/hours",
            &hours_form(&csrf, &[("tue_open", "18:00"), ("tue_close", "09:00")]),
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .body
            .contains("opening time must be before closing time"),
        "{}",
        refused.body
    );
    assert!(refused.body.contains(r#"name="tue_open" value="18:00""#));
    let half = web
        .post(
            "/app/settings/hours",
            &hours_form(&csrf, &[("wed_close", "")]),
        )
        .await;
    assert_eq!(half.status, 422);
    assert!(half
        .body
        .contains("Wednesday: give both an opening and a closing time"));

    let bad_phone = web
        .post(
            "/app/settings/contact",
            &[("csrf", &csrf), ("owner_phone", "call me maybe")],
        )
        .await;
    assert_eq!(bad_phone.status, 422);
    assert!(bad_phone.body.contains(r#"id="owner_phone-error""#));
    assert!(bad_phone.body.contains(r#"value="call me maybe""#));
    let bad_zone = web
        .post(
            "/app/settings/contact",
            &[("csrf", &csrf), ("time_zone", "Mars/Olympus")],
        )
        .await;
    assert_eq!(bad_zone.status, 422);
    assert!(bad_zone.body.contains("not an IANA time zone"));

    let contact = web
        .post(
            "/app/settings/contact",
            &[
                ("csrf", &csrf),
                ("owner_phone", "(918) 555-0142"),
                ("booking_url", "https://jody.example/book"),
            ],
        )
        .await;
    assert_eq!(contact.status, 303);
    assert_eq!(
        scalar(
            &app,
            &format!("SELECT owner_phone FROM tenant_config WHERE tenant_id = '{tenant}'")
        )
        .await,
        "+19185550142"
    );

    let area = web
        .post(
            "/app/settings/area",
            &[
                ("csrf", &csrf),
                ("cities", "Tulsa, Broken Arrow"),
                ("zips", "74101"),
                ("radius_miles", "25"),
                ("base", "74101"),
            ],
        )
        .await;
    assert_eq!(area.status, 303, "{}", area.body);
    let bad_area = web
        .post(
            "/app/settings/area",
            &[("csrf", &csrf), ("radius_miles", "far")],
        )
        .await;
    assert_eq!(bad_area.status, 422);
    assert!(bad_area.body.contains("a whole number"));

    let calls = web
        .post(
            "/app/settings/calls",
            &[
                ("csrf", &csrf),
                ("ivr_mode", "ivr"),
                ("voice_audio", "pcm16"),
                ("forward", "+19185550142"),
            ],
        )
        .await;
    assert_eq!(calls.status, 303, "{}", calls.body);
    assert_eq!(
        scalar(&app, &format!("SELECT ivr_mode || ' ' || voice_audio || ' ' || record_calls || ' ' || forward_to FROM tenant_phone_config WHERE tenant_id = '{tenant}'")).await,
        "ivr pcm16 false +19185550142"
    );

    // Without the session's token: refused, nothing changed.
    let before = scalar(
        &app,
        &format!("SELECT business_hours FROM tenant_config WHERE tenant_id = '{tenant}'"),
    )
    .await;
    let forged = web
        .post(
            "/app/settings/hours",
            &hours_form("forged", &[("mon_open", "05:00")]),
        )
        .await;
    assert_eq!(forged.status, 403);
    assert_eq!(
        scalar(
            &app,
            &format!("SELECT business_hours FROM tenant_config WHERE tenant_id = '{tenant}'")
        )
        .await,
        before
    );
    assert_eq!(
        web.post("/app/settings/nope", &[("csrf", &csrf)])
            .await
            .status,
        404
    );
}

#[actix_web::test]
async fn a_suspended_tenant_reads_everything_but_cannot_write() {
    let (app, tenant) = app_with_owner().await;
    seed(&app, &tenant).await;
    let web = signed_in(&app).await;
    let csrf = csrf_on(&web, "/app/settings").await;
    app.sql(&format!(
        "UPDATE tenants SET status = 'suspended' WHERE id = '{tenant}'"
    ))
    .await;

    for path in PAGES {
        let page = web.get(path).await;
        assert_eq!(page.status, 200, "{path}");
        assert!(
            page.body.contains(r#"class="banner bad""#)
                && page.body.contains("Your account is paused"),
            "{path}"
        );
    }
    let settings = web.get("/app/settings").await.body;
    assert_eq!(
        settings.matches("<fieldset disabled").count(),
        settings.matches("<fieldset").count(),
        "{settings}"
    );
    let before = scalar(
        &app,
        &format!("SELECT business_hours FROM tenant_config WHERE tenant_id = '{tenant}'"),
    )
    .await;
    let refused = web
        .post("/app/settings/hours", &hours_form(&csrf, &[]))
        .await;
    assert_eq!(refused.status, 403);
    assert!(refused.body.contains("suspended"), "{}", refused.body);
    assert_eq!(
        scalar(
            &app,
            &format!("SELECT business_hours FROM tenant_config WHERE tenant_id = '{tenant}'")
        )
        .await,
        before
    );
    // Signing out still works.
    assert_eq!(
        web.post("/app/sign-out", &[("csrf", &csrf)]).await.status,
        303
    );
}

#[actix_web::test]
async fn a_recording_plays_only_over_a_valid_signed_link_with_its_own_tenants_session() {
    let (app, tenant) = app_with_owner().await;
    let ids = seed(&app, &tenant).await;
    let sid = format!("CA{}", call_sid_suffix(&tenant));
    let dir = app.state.config.recordings_dir.join(&tenant);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{sid}.opus")), b"OggS fake opus").unwrap();

    let web = signed_in(&app).await;
    let call = web.get(&format!("/app/calls/{}", ids.call)).await.body;
    let at = call.find("src=\"/app/recordings/").unwrap() + 5;
    let src = call[at..at + call[at..].find('"').unwrap()]
        .replace("&amp;", "&")
        .replace("&#38;", "&");
    let ok = web.get(&src).await;
    assert_eq!(ok.status, 200);
    assert_eq!(ok.body, "OggS fake opus");

    // A changed byte of the signature, a later expiry, or an expired link: 403.
    let tampered = src.replacen("sig=", "sig=A", 1);
    assert_eq!(web.get(&tampered).await.status, 403);
    let expires: i64 = src
        .split("expires=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let later = src.replace(
        &format!("expires={expires}"),
        &format!("expires={}", expires + 3600),
    );
    assert_eq!(web.get(&later).await.status, 403);
    let tenant_id = servicepro_schema::TenantId::parse(&tenant).unwrap();
    let old =
        app.state
            .recording_links
            .url(&tenant_id, &sid, chrono::Utc::now().timestamp() - 3600);
    let expired = web.get(&old).await;
    assert_eq!(expired.status, 403);
    assert!(expired.body.contains("expired"));

    // Nobody signed in: sign in first; another tenant's owner: refused.
    assert_eq!(WebClient::new(&app.address).get(&src).await.status, 303);
    let mut other = body("sam@example.com", "Sam's Pools");
    other["password"] = json!(PASSWORD);
    app.signed_up(&other).await;
    let sam = WebClient::new(&app.address);
    let csrf = sam.get("/app/sign-in").await.csrf();
    sam.post(
        "/app/sign-in",
        &[
            ("csrf", &csrf),
            ("email", "sam@example.com"),
            ("password", PASSWORD),
        ],
    )
    .await;
    assert_eq!(sam.get(&src).await.status, 403);
}
