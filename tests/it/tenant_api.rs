//! The tenant API: every route refuses another tenant's (forged) key, a revoked
//! key, a malformed key and no key; the profile shows features, number, this
//! month's usage and billing; settings are validated field by field and reach the
//! next call at once; key rotation revokes the old key; BYO Twilio is checked
//! before it is stored, then used, and switched back keeping the number.

use crate::signup::{app_retrying_after, body};
use crate::support::twilio_client::ACCOUNT_SID;
use crate::support::TestApp;
use reqwest::Method;
use serde_json::{json, Value};

const CALLER: &str = "+14158675309";
const OWN_SID: &str = "AC0000000000000000000000000000beef";
const OWN_TOKEN: &str = "own-auth-token-beef";
const OWN_NUMBER: &str = "+19185557777";

impl TestApp {
    /// A tenant-API request with `key`.
    fn tenant_api(&self, method: Method, path: &str, key: &str) -> reqwest::RequestBuilder {
        self.client.request(method, self.url(path)).bearer_auth(key)
    }

    async fn patch_settings(&self, key: &str, settings: Value) -> reqwest::Response {
        self.tenant_api(Method::PATCH, "/api/tenant/settings", key)
            .json(&settings)
            .send()
            .await
            .unwrap()
    }

    /// An incoming call to `to`, signed with `token`; the TwiML.
    async fn call_in(&self, token: &str, to: &str, sid: &str) -> String {
        let res = self
            .twilio_post_with(
                token,
                "/twilio/voice/incoming",
                &[
                    ("AccountSid", ACCOUNT_SID),
                    ("CallSid", sid),
                    ("From", CALLER),
                    ("To", to),
                    ("CallStatus", "ringing"),
                    ("Direction", "inbound"),
                ],
            )
            .await;
        assert_eq!(res.status(), 200);
        res.text().await.unwrap()
    }
}

fn key(created: &Value) -> String {
    created["api_key"].as_str().unwrap().to_owned()
}

/// Every tenant-API route with a body that would succeed.
fn routes() -> Vec<(Method, &'static str, Option<Value>)> {
    vec![
        (Method::GET, "/api/tenant", None),
        (
            Method::PATCH,
            "/api/tenant/settings",
            Some(json!({"booking_url": "https://book.example/x"})),
        ),
        (Method::POST, "/api/tenant/keys", None),
        (
            Method::PUT,
            "/api/tenant/twilio",
            Some(json!({"account_sid": OWN_SID, "auth_token": OWN_TOKEN})),
        ),
        (Method::DELETE, "/api/tenant/twilio", None),
        (
            Method::POST,
            "/api/tenant/services",
            Some(json!({"name": "Extra", "price_cents": 100, "duration_minutes": 30})),
        ),
        (
            Method::PUT,
            "/api/tenant/services/1",
            Some(json!({"name": "Extra", "price_cents": 100, "duration_minutes": 30})),
        ),
        (Method::DELETE, "/api/tenant/services/1", None),
        (
            Method::PUT,
            "/api/tenant/templates/booking_link",
            Some(json!({"body": "Book: {booking_url}"})),
        ),
    ]
}

#[actix_web::test]
async fn every_route_refuses_foreign_revoked_malformed_and_missing_keys() {
    let app = app_retrying_after(60_000).await;
    let a = app.signed_up(&body("a@example.com", "Alpha Lawn")).await;
    let b = app.signed_up(&body("b@example.com", "Bravo Lawn")).await;
    let a_key = key(&a);
    let b_key = key(&b);
    // A's secret presented as B's key, and B's secret as A's: neither tenant's row matches.
    let a_secret = a_key.rsplit_once('_').unwrap().1;
    let b_secret = b_key.rsplit_once('_').unwrap().1;
    let forged = [
        format!("spk_bravo-lawn_{a_secret}"),
        format!("spk_alpha-lawn_{b_secret}"),
    ];
    // A revoked key: B rotates, so its first key is dead.
    let rotated = app
        .tenant_api(Method::POST, "/api/tenant/keys", &b_key)
        .send()
        .await
        .unwrap();
    assert_eq!(rotated.status(), 201);
    let b_new: Value = rotated.json().await.unwrap();
    let malformed = [
        "spk_",
        "spk_alpha-lawn_short",
        "not-a-key",
        "spk_NOPE_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    ];
    let before = app
        .count("tenant_config WHERE booking_url IS NOT NULL")
        .await;
    for (method, path, payload) in routes() {
        let bad_keys = forged
            .iter()
            .cloned()
            .chain([b_key.clone()])
            .chain(malformed.iter().map(|k| k.to_string()));
        for bad in bad_keys {
            let mut req = app.tenant_api(method.clone(), path, &bad);
            if let Some(p) = &payload {
                req = req.json(p);
            }
            let res = req.send().await.unwrap();
            assert_eq!(res.status(), 401, "{method} {path} with {bad}");
            let err: Value = res.json().await.unwrap();
            assert_eq!(err["error"]["code"], "unauthorized");
        }
        let mut no_key = app.client.request(method.clone(), app.url(path));
        if let Some(p) = &payload {
            no_key = no_key.json(p);
        }
        assert_eq!(
            no_key.send().await.unwrap().status(),
            401,
            "{method} {path} without a key"
        );
    }
    // Nothing was changed or issued by any refused request.
    assert_eq!(
        app.count("tenant_config WHERE booking_url IS NOT NULL")
            .await,
        before
    );
    assert_eq!(
        app.count("api_keys WHERE tenant_id = 'alpha-lawn'").await,
        1
    );
    assert_eq!(
        app.count("api_keys WHERE tenant_id = 'bravo-lawn'").await,
        2
    );
    assert_eq!(
        app.count("tenant_phone_config WHERE twilio_account_sid IS NOT NULL")
            .await,
        0
    );
    // Each live key reaches its own tenant only.
    assert_eq!(app.profile(&a_key).await["id"], "alpha-lawn");
    assert_eq!(
        app.profile(b_new["api_key"].as_str().unwrap()).await["id"],
        "bravo-lawn"
    );
}

#[actix_web::test]
async fn the_profile_shows_features_number_usage_and_billing() {
    let app = app_retrying_after(60_000).await;
    let created = app.signed_up(&body("jody@example.com", "Jody Lawn")).await;
    let key = key(&created);
    app.sql(
        "INSERT INTO usage_events (tenant_id, kind, quantity, source_key, occurred_at) VALUES \
         ('jody-lawn', 'sms_in', 1, 'a', now()), ('jody-lawn', 'sms_in', 1, 'b', now()), \
         ('jody-lawn', 'sms_out', 3, 'c', now()), ('jody-lawn', 'call_minutes', 7, 'd', now()), \
         ('jody-lawn', 'ai_minutes', 4, 'e', now()), ('jody-lawn', 'bookings', 1, 'f', now()), \
         ('jody-lawn', 'sms_in', 50, 'old', now() - interval '40 days'), \
         ('root', 'sms_in', 9, 'other-tenant', now())",
    )
    .await;
    let p = app.profile(&key).await;
    assert_eq!(p["name"], "Jody Lawn");
    assert_eq!(p["industry"], "lawn-care");
    assert_eq!(p["plan_tier"], "pro");
    assert_eq!(p["phone_number"], created["phone_number"]);
    assert_eq!(
        p["usage"],
        json!({"sms_in": 2, "sms_out": 3, "call_minutes": 7, "ai_minutes": 4, "bookings": 1})
    );
    let features: Vec<&str> = p["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert!(features.contains(&"aiSmsAgent") && features.contains(&"dedicatedNumber"));
    assert!(!features.contains(&"aiVoiceAgent"));
    assert_eq!(p["billing"]["status"], "trialing");
    assert_eq!(p["billing"]["next_billing_date"], p["trial_ends_at"]);
    assert!(p["billing"]["banner"].is_null());

    app.sql("UPDATE tenants SET status = 'past_due' WHERE id = 'jody-lawn'")
        .await;
    let past_due = app.profile(&key).await;
    assert!(past_due["billing"]["banner"]
        .as_str()
        .unwrap()
        .contains("payment"));
    assert!(!past_due["features"]
        .as_array()
        .unwrap()
        .contains(&json!("campaigns")));
}

#[actix_web::test]
async fn settings_are_validated_field_by_field() {
    let app = app_retrying_after(60_000).await;
    let created = app.signed_up(&body("jody@example.com", "Jody Lawn")).await;
    let key = key(&created);
    let cases: &[(&str, Value)] = &[
        (
            "business_hours",
            json!({"business_hours": {"mon": {"open": "18:00", "close": "08:00"}}}),
        ),
        ("business_hours", json!({"business_hours": "always"})),
        ("service_area", json!({"service_area": {"zips": ["7410"]}})),
        (
            "service_area",
            json!({"service_area": {"radius_miles": 25}}),
        ),
        (
            "service_area",
            json!({"service_area": {"radius_miles": 9000, "base_address": "1 Main St, Tulsa"}}),
        ),
        ("booking_url", json!({"booking_url": "ftp://book.example"})),
        ("ivr_mode", json!({"ivr_mode": "robot"})),
        ("forward_to", json!({"forward_to": "12"})),
        ("sip_uri", json!({"sip_uri": "nobody"})),
        (
            "forward_to",
            json!({"sip_uri": "jody@x.sip.twilio.com", "forward_to": "+19185550199"}),
        ),
        ("voice_audio", json!({"voice_audio": "mp3"})),
        ("record_calls", json!({"record_calls": "yes"})),
        ("time_zone", json!({"time_zone": "Mars/Base"})),
        ("colour", json!({"colour": "green"})),
        ("settings", json!({})),
    ];
    for (field, settings) in cases {
        let res = app.patch_settings(&key, settings.clone()).await;
        assert_eq!(res.status(), 422, "{settings}");
        let err: Value = res.json().await.unwrap();
        assert_eq!(err["error"]["field"], *field, "{settings}: {err}");
    }
    let ok = app
        .patch_settings(
            &key,
            json!({
                "business_hours": {"mon": {"open": "07:00", "close": "19:00"}},
                "service_area": {"radius_miles": 25, "base_address": "1 Main St, Tulsa OK"},
                "booking_url": "https://book.example/jody",
                "voice_audio": "pcm16", "record_calls": true, "time_zone": "America/Denver",
            }),
        )
        .await;
    assert_eq!(ok.status(), 204);
    assert_eq!(
        app.count(
            "tenant_config WHERE tenant_id = 'jody-lawn' AND booking_url = 'https://book.example/jody' \
             AND service_area ->> 'radius_miles' = '25' \
             AND service_area ->> 'base' = '1 Main St, Tulsa OK' \
             AND business_hours -> 'mon' ->> 'open' = '07:00:00'"
        )
        .await,
        1
    );
    assert_eq!(
        app.count("tenant_phone_config WHERE tenant_id = 'jody-lawn' AND voice_audio = 'pcm16' AND record_calls").await,
        1
    );
    assert_eq!(
        app.count("tenants WHERE id = 'jody-lawn' AND time_zone = 'America/Denver'")
            .await,
        1
    );
}

#[actix_web::test]
async fn an_ivr_mode_change_answers_the_next_call() {
    let app = app_retrying_after(60_000).await;
    let created = app.signed_up(&body("jody@example.com", "Jody Lawn")).await;
    let key = key(&created);
    let number = created["phone_number"].as_str().unwrap();
    let token = crate::support::twilio_client::AUTH_TOKEN;
    let menu = app.call_in(token, number, "CA_first").await;
    assert!(menu.contains("<Gather"), "{menu}");
    let res = app
        .patch_settings(
            &key,
            json!({"ivr_mode": "simple", "forward_to": "+19185550199"}),
        )
        .await;
    assert_eq!(res.status(), 204);
    let forwarded = app.call_in(token, number, "CA_second").await;
    assert!(forwarded.contains("<Dial"), "{forwarded}");
    assert!(forwarded.contains("+19185550199"), "{forwarded}");
}

#[actix_web::test]
async fn call_settings_wait_for_a_number() {
    let app = app_retrying_after(60_000).await;
    let mut req = body("sam@example.com", "Sam Pest");
    req["plan_tier"] = json!("starter");
    let created = app.signed_up(&req).await;
    let res = app
        .patch_settings(&key(&created), json!({"ivr_mode": "simple"}))
        .await;
    assert_eq!(res.status(), 422);
    let err: Value = res.json().await.unwrap();
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("no phone number"),
        "{err}"
    );
}

#[actix_web::test]
async fn rotating_the_key_revokes_the_old_one() {
    let app = app_retrying_after(60_000).await;
    let created = app.signed_up(&body("jody@example.com", "Jody Lawn")).await;
    let old = key(&created);
    let res = app
        .tenant_api(Method::POST, "/api/tenant/keys", &old)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let new: Value = res.json().await.unwrap();
    let new = new["api_key"].as_str().unwrap().to_owned();
    assert_ne!(new, old);
    assert!(new.starts_with("spk_jody-lawn_"));
    let refused = app
        .tenant_api(Method::GET, "/api/tenant", &old)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 401);
    assert_eq!(app.profile(&new).await["id"], "jody-lawn");
    assert_eq!(
        app.count("api_keys WHERE tenant_id = 'jody-lawn' AND revoked_at IS NULL")
            .await,
        1
    );
}

#[actix_web::test]
async fn byo_twilio_is_checked_then_used_and_switched_back() {
    let app = app_retrying_after(60_000).await;
    app.twilio.add_account(OWN_SID, OWN_TOKEN);
    app.twilio.add_owned_number(OWN_SID, OWN_NUMBER);
    let mut req = body("sam@example.com", "Sam Pest");
    req["plan_tier"] = json!("starter");
    let key = key(&app.signed_up(&req).await);
    let put = |payload: Value| {
        app.tenant_api(Method::PUT, "/api/tenant/twilio", &key)
            .json(&payload)
            .send()
    };
    let field_of = |res: reqwest::Response| async move {
        assert_eq!(res.status(), 422);
        res.json::<Value>().await.unwrap()["error"]["field"].clone()
    };
    // Refused by Twilio: nothing stored.
    let wrong =
        put(json!({"account_sid": OWN_SID, "auth_token": "wrong", "phone_number": OWN_NUMBER}))
            .await
            .unwrap();
    assert_eq!(field_of(wrong).await, "auth_token");
    let bad_sid = put(json!({"account_sid": "AC123", "auth_token": OWN_TOKEN}))
        .await
        .unwrap();
    assert_eq!(field_of(bad_sid).await, "account_sid");
    let no_number = put(json!({"account_sid": OWN_SID, "auth_token": OWN_TOKEN}))
        .await
        .unwrap();
    assert_eq!(field_of(no_number).await, "phone_number");
    let not_theirs = put(
        json!({"account_sid": OWN_SID, "auth_token": OWN_TOKEN, "phone_number": "+19185550000"}),
    )
    .await
    .unwrap();
    assert_eq!(field_of(not_theirs).await, "phone_number");
    assert_eq!(
        app.count("tenant_phone_config WHERE tenant_id = 'sam-pest'")
            .await,
        0
    );

    // Accepted: the number is pointed at us with their credentials, the token sealed.
    let ok =
        put(json!({"account_sid": OWN_SID, "auth_token": OWN_TOKEN, "phone_number": OWN_NUMBER}))
            .await
            .unwrap();
    assert_eq!(ok.status(), 200);
    let hooked = app
        .twilio
        .requests()
        .into_iter()
        .find(|r| r.method == "POST" && r.path.contains("/IncomingPhoneNumbers/PN"))
        .unwrap();
    assert_eq!(
        (hooked.user.as_str(), hooked.password.as_str()),
        (OWN_SID, OWN_TOKEN)
    );
    assert!(hooked
        .field("VoiceUrl")
        .unwrap()
        .ends_with("/twilio/voice/incoming"));
    assert_eq!(
        app.count(&format!(
            "tenant_phone_config WHERE tenant_id = 'sam-pest' AND phone_number = '{OWN_NUMBER}' \
             AND twilio_account_sid = '{OWN_SID}' AND position('{OWN_TOKEN}'::bytea IN twilio_auth_token_encrypted) = 0"
        ))
        .await,
        1
    );

    // Its webhooks verify with its own token (the platform's is refused), and its
    // texts go out with its own credentials.
    let platform = crate::support::twilio_client::AUTH_TOKEN;
    let refused = app
        .twilio_post_with(
            platform,
            "/twilio/voice/incoming",
            &[("CallSid", "CA_x"), ("From", CALLER), ("To", OWN_NUMBER)],
        )
        .await;
    assert_eq!(refused.status(), 403);
    let res = app
        .patch_settings(&key, json!({"booking_url": "https://book.example/sam"}))
        .await;
    assert_eq!(res.status(), 204);
    let menu_choice = app
        .twilio_post_with(
            OWN_TOKEN,
            "/twilio/voice/ivr?tenant_id=sam-pest&attempt=1",
            &[
                ("AccountSid", OWN_SID),
                ("CallSid", "CA_byo"),
                ("From", CALLER),
                ("To", OWN_NUMBER),
                ("Digits", "2"),
            ],
        )
        .await;
    assert_eq!(menu_choice.status(), 200);
    let texts = app
        .twilio
        .wait_for_messages(1, std::time::Duration::from_secs(10))
        .await;
    assert_eq!(texts.len(), 1);
    assert!(texts[0].path.contains(OWN_SID));
    assert_eq!(
        (texts[0].user.as_str(), texts[0].password.as_str()),
        (OWN_SID, OWN_TOKEN)
    );

    // Back to the platform: the number and the history stay.
    let back = app
        .tenant_api(Method::DELETE, "/api/tenant/twilio", &key)
        .send()
        .await
        .unwrap();
    assert_eq!(back.status(), 200);
    assert_eq!(
        app.count(&format!(
            "tenant_phone_config WHERE tenant_id = 'sam-pest' AND phone_number = '{OWN_NUMBER}' \
             AND twilio_account_sid IS NULL AND twilio_auth_token_encrypted IS NULL"
        ))
        .await,
        1
    );
    assert_eq!(app.count("messages WHERE tenant_id = 'sam-pest'").await, 1);

    // Another account that does not hold the tenant's number is refused.
    let other_sid = "AC0000000000000000000000000000cafe";
    app.twilio.add_account(other_sid, "other-token");
    let elsewhere = put(json!({"account_sid": other_sid, "auth_token": "other-token"}))
        .await
        .unwrap();
    assert_eq!(field_of(elsewhere).await, "phone_number");
    assert_eq!(
        app.count("tenant_phone_config WHERE twilio_account_sid IS NOT NULL")
            .await,
        0
    );
}

#[actix_web::test]
async fn only_a_starter_brings_its_own_twilio() {
    let app = app_retrying_after(60_000).await;
    app.twilio.add_account(OWN_SID, OWN_TOKEN);
    let key = key(&app.signed_up(&body("jody@example.com", "Jody Lawn")).await);
    let res = app
        .tenant_api(Method::PUT, "/api/tenant/twilio", &key)
        .json(&json!({"account_sid": OWN_SID, "auth_token": OWN_TOKEN}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    assert!(app.twilio.requests().iter().all(|r| r.user != OWN_SID));
}
