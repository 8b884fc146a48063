//! Self-serve signup: a trial with a provisioned number, an empty number search and
//! a Twilio failure (then the retry job succeeding with one number bought), a
//! purchase whose answer was lost (found again, not bought twice), validation field
//! by field, one account per e-mail address (also under concurrency), and the
//! per-address rate limit.

use crate::support::twilio_client::PUBLIC_URL;
use crate::support::TestApp;
use serde_json::{json, Value};
use servicepro_schema::TenantId;
use std::time::Duration;

/// A valid signup body for `email` and `business`.
pub fn body(email: &str, business: &str) -> Value {
    json!({
        "owner_name": "Jody Smith", "email": email, "business_name": business,
        "industry": "lawn-care", "city": "Tulsa", "area_code": "918",
    })
}

/// An app whose retry job polls quickly and retries after `retry_ms`.
pub async fn app_retrying_after(retry_ms: u64) -> TestApp {
    TestApp::builder()
        .var("SERVICEPRO_PROVISION_POLL_MS", "20")
        .var("SERVICEPRO_PROVISION_RETRY_MS", &retry_ms.to_string())
        .var(
            "SERVICEPRO_PROVISION_RETRY_MAX_MS",
            &(retry_ms * 4).to_string(),
        )
        .var("SERVICEPRO_SIGNUPS_PER_IP_PER_HOUR", "100")
        .spawn()
        .await
}

impl TestApp {
    /// `POST /api/signup` with `body`.
    pub async fn signup(&self, body: &Value) -> reqwest::Response {
        self.client
            .post(self.url("/api/signup"))
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// Signs up and answers the 201 body.
    pub async fn signed_up(&self, body: &Value) -> Value {
        let res = self.signup(body).await;
        assert_eq!(res.status(), 201);
        res.json().await.unwrap()
    }

    /// `GET /api/tenant` with `key`.
    pub async fn profile(&self, key: &str) -> Value {
        let res = self
            .client
            .get(self.url("/api/tenant"))
            .bearer_auth(key)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        res.json().await.unwrap()
    }

    /// The profile once its number is attached (the retry job's work), or panics.
    pub async fn profile_with_number(&self, key: &str) -> Value {
        for _ in 0..500 {
            let p = self.profile(key).await;
            if !p["phone_number"].is_null() {
                return p;
            }
            actix_web::rt::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("no number was provisioned");
    }
}

fn key(created: &Value) -> &str {
    created["api_key"].as_str().unwrap()
}

#[actix_web::test]
async fn a_signup_starts_a_trial_with_its_pack_and_a_provisioned_number() {
    let app = app_retrying_after(60_000).await;
    let before = chrono::Utc::now();
    let mut req = body("jody@example.com", "Jody's Lawn Care");
    req["password"] = json!("correct horse battery");
    let created = app.signed_up(&req).await;
    assert_eq!(created["tenant_id"], "jody-s-lawn-care");
    assert_eq!(created["status"], "trialing");
    assert_eq!(created["plan_tier"], "pro");
    assert_eq!(created["provisioning"], "done");
    assert!(created["message"].is_null());
    assert!(key(&created).starts_with("spk_jody-s-lawn-care_"));
    let trial_end: chrono::DateTime<chrono::Utc> =
        created["trial_ends_at"].as_str().unwrap().parse().unwrap();
    assert!(trial_end >= before + chrono::Duration::days(14));
    assert!(trial_end <= chrono::Utc::now() + chrono::Duration::days(14));

    // Searched by area code for voice and SMS, bought once with our webhooks.
    let search = app
        .twilio
        .requests()
        .into_iter()
        .find(|r| r.path.ends_with("/AvailablePhoneNumbers/US/Local.json"))
        .unwrap();
    assert_eq!(
        search.query,
        "AreaCode=918&SmsEnabled=true&VoiceEnabled=true"
    );
    let purchases = app.twilio.purchases();
    assert_eq!(purchases.len(), 1);
    let buy = &purchases[0];
    assert_eq!(buy.field("PhoneNumber"), created["phone_number"].as_str());
    assert_eq!(buy.field("FriendlyName"), Some("sp:jody-s-lawn-care"));
    assert_eq!(
        buy.field("VoiceUrl"),
        Some(format!("{PUBLIC_URL}/twilio/voice/incoming").as_str())
    );
    assert_eq!(
        buy.field("SmsUrl"),
        Some(format!("{PUBLIC_URL}/twilio/sms/incoming").as_str())
    );
    assert_eq!(
        buy.field("StatusCallback"),
        Some(format!("{PUBLIC_URL}/twilio/voice/status").as_str())
    );

    // The key works, the number is the tenant's, the pack was applied, the password
    // is an argon2id hash and the key is stored hashed.
    let profile = app.profile(key(&created)).await;
    assert_eq!(profile["id"], "jody-s-lawn-care");
    assert_eq!(profile["phone_number"], created["phone_number"]);
    assert_eq!(profile["status"], "trialing");
    assert!(
        app.count("services WHERE tenant_id = 'jody-s-lawn-care'")
            .await
            > 0
    );
    assert!(
        app.count("sms_templates WHERE tenant_id = 'jody-s-lawn-care'")
            .await
            > 0
    );
    assert_eq!(
        app.count("tenant_owners WHERE tenant_id = 'jody-s-lawn-care' AND password_hash LIKE '$argon2id$%'").await,
        1
    );
    assert_eq!(
        app.count(&format!(
            "api_keys WHERE key_hash = encode(sha256('{}'::bytea), 'hex') AND revoked_at IS NULL",
            key(&created)
        ))
        .await,
        1
    );
    assert_eq!(
        app.count("tenant_phone_config WHERE tenant_id = 'jody-s-lawn-care' AND ivr_mode = 'ivr'")
            .await,
        1
    );
}

#[actix_web::test]
async fn a_starter_signup_buys_no_number() {
    let app = app_retrying_after(60_000).await;
    let mut req = body("sam@example.com", "Sam Pest");
    req["plan_tier"] = json!("starter");
    let created = app.signed_up(&req).await;
    assert_eq!(created["plan_tier"], "starter");
    assert_eq!(created["provisioning"], "done");
    assert!(created["phone_number"].is_null());
    assert!(created["message"].as_str().unwrap().contains("own Twilio"));
    assert!(app.twilio.requests().is_empty());
    assert_eq!(app.count("number_provisioning").await, 0);
}

#[actix_web::test]
async fn an_empty_search_leaves_the_number_pending_until_the_retry_finds_one() {
    let app = app_retrying_after(50).await;
    app.twilio.set_empty_search(true);
    let created = app.signed_up(&body("jody@example.com", "Jody Lawn")).await;
    assert_eq!(created["provisioning"], "pending");
    assert!(created["phone_number"].is_null());
    assert!(created["message"]
        .as_str()
        .unwrap()
        .contains("No phone number is available in your area code"));
    assert!(app.twilio.purchases().is_empty());
    assert_eq!(app.profile(key(&created)).await["provisioning"], "pending");

    app.twilio.set_empty_search(false);
    let profile = app.profile_with_number(key(&created)).await;
    assert_eq!(profile["provisioning"], "done");
    assert_eq!(app.twilio.purchases().len(), 1);
    assert!(
        app.count("number_provisioning WHERE attempts >= 1 AND state = 'done'")
            .await
            == 1
    );
}

#[actix_web::test]
async fn a_twilio_failure_is_retried_and_exactly_one_number_is_bought() {
    let app = app_retrying_after(50).await;
    app.twilio.fail_next(&[500]);
    let created = app.signed_up(&body("jody@example.com", "Jody Lawn")).await;
    assert_eq!(created["provisioning"], "pending");
    assert!(created["message"]
        .as_str()
        .unwrap()
        .contains("could not set up your phone number"));

    let profile = app.profile_with_number(key(&created)).await;
    assert_eq!(app.twilio.purchases().len(), 1);
    assert_eq!(app.twilio.owned().len(), 1);
    assert_eq!(
        profile["phone_number"].as_str(),
        Some(app.twilio.owned()[0].phone_number.as_str())
    );
    // Later tries find the number attached and buy nothing.
    let tenant = TenantId::parse("jody-lawn").unwrap();
    let again = app.state.provisioner.ensure_number(&tenant).await.unwrap();
    assert_eq!(Some(again.as_str()), profile["phone_number"].as_str());
    assert_eq!(app.twilio.purchases().len(), 1);
}

/// A process that dies after Twilio bought the number but before the SID was stored
/// leaves the row at `buying`; whoever resumes (a restarted process runs exactly
/// this) finds the number by its tag and attaches it without buying another.
#[actix_web::test]
async fn a_purchase_whose_answer_was_lost_is_found_again_not_bought_twice() {
    // The retry job waits an hour: only the explicit resume below acts.
    let app = app_retrying_after(3_600_000).await;
    app.twilio.lose_next_purchase_answer();
    let created = app.signed_up(&body("jody@example.com", "Jody Lawn")).await;
    assert_eq!(created["provisioning"], "pending");
    assert_eq!(app.twilio.purchases().len(), 1);
    assert_eq!(
        app.count("number_provisioning WHERE state = 'buying' AND phone_sid IS NULL")
            .await,
        1
    );

    let tenant = TenantId::parse("jody-lawn").unwrap();
    let number = app.state.provisioner.ensure_number(&tenant).await.unwrap();
    assert_eq!(number.as_str(), app.twilio.owned()[0].phone_number);
    assert_eq!(app.twilio.purchases().len(), 1, "nothing bought twice");
    assert_eq!(
        app.profile(key(&created)).await["phone_number"].as_str(),
        Some(number.as_str())
    );
    assert_eq!(
        app.count("number_provisioning WHERE state = 'done' AND phone_sid IS NOT NULL")
            .await,
        1
    );
}

#[actix_web::test]
async fn every_field_is_validated_by_name() {
    let app = app_retrying_after(60_000).await;
    let cases: &[(&str, Value)] = &[
        ("email", json!("jody@")),
        ("email", json!("jody example.com")),
        ("email", json!(null)),
        ("area_code", json!("018")),
        ("area_code", json!("91")),
        ("area_code", json!("9a8")),
        ("industry", json!("bakery")),
        ("owner_name", json!("")),
        ("business_name", json!("x".repeat(201))),
        ("city", json!(42)),
        ("plan_tier", json!("gold")),
        ("password", json!("short")),
    ];
    for (field, value) in cases {
        let mut req = body("jody@example.com", "Jody Lawn");
        req[*field] = value.clone();
        let res = app.signup(&req).await;
        assert_eq!(res.status(), 422, "{field} = {value}");
        let err: Value = res.json().await.unwrap();
        assert_eq!(err["error"]["field"], *field, "{err}");
        assert_eq!(err["error"]["code"], "invalid_field");
    }
    let mut unknown = body("jody@example.com", "Jody Lawn");
    unknown["colour"] = json!("green");
    let res = app.signup(&unknown).await;
    assert_eq!(res.status(), 422);
    assert_eq!(
        res.json::<Value>().await.unwrap()["error"]["field"],
        "colour"
    );
    let malformed = app
        .client
        .post(app.url("/api/signup"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), 400);
    assert_eq!(app.count("tenant_owners").await, 0);
    assert!(app.twilio.requests().is_empty());
}

#[actix_web::test]
async fn one_account_per_email_and_a_suffix_for_a_taken_name() {
    let app = app_retrying_after(60_000).await;
    app.signed_up(&body("jody@example.com", "Green Acres"))
        .await;
    let again = app.signup(&body("JODY@Example.COM", "Other Name")).await;
    assert_eq!(again.status(), 409);
    let err: Value = again.json().await.unwrap();
    assert_eq!(err["error"]["field"], "email");
    assert_eq!(app.count("tenants WHERE id <> 'root'").await, 1);

    let second = app.signed_up(&body("sam@example.com", "Green Acres")).await;
    let id = second["tenant_id"].as_str().unwrap();
    assert!(
        id.starts_with("green-acres-") && id.len() == "green-acres-".len() + 4,
        "{id}"
    );
    assert_eq!(app.twilio.purchases().len(), 2);
}

#[actix_web::test]
async fn two_concurrent_signups_with_one_email_make_one_tenant() {
    let app = app_retrying_after(60_000).await;
    let (first, second) = (
        body("jody@example.com", "Jody Lawn"),
        body("Jody@example.com", "Jody Lawn"),
    );
    let (a, b) = tokio::join!(app.signup(&first), app.signup(&second));
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [201, 409]);
    assert_eq!(app.count("tenants WHERE id <> 'root'").await, 1);
    assert_eq!(app.count("tenant_owners").await, 1);
    assert_eq!(app.twilio.purchases().len(), 1);
}

#[actix_web::test]
async fn signups_are_rate_limited_per_address() {
    let app = TestApp::builder()
        .var("SERVICEPRO_SIGNUPS_PER_IP_PER_HOUR", "2")
        .spawn()
        .await;
    for n in 0..2 {
        let res = app
            .signup(&body(
                &format!("owner{n}@example.com"),
                &format!("Lawn {n}"),
            ))
            .await;
        assert_eq!(res.status(), 201);
    }
    let refused = app.signup(&body("owner2@example.com", "Lawn 2")).await;
    assert_eq!(refused.status(), 429);
    let wait: u64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(wait >= 1);
    let err: Value = refused.json().await.unwrap();
    assert_eq!(err["error"]["code"], "rate_limited");
    assert_eq!(app.count("tenant_owners").await, 2);
}

#[actix_web::test]
async fn trial_limits_stop_texts_and_calls_for_the_day_only_while_trialing() {
    let app = TestApp::builder()
        .var("SERVICEPRO_TRIAL_TEXTS_PER_DAY", "1")
        .var("SERVICEPRO_TRIAL_CALL_MINUTES_PER_DAY", "5")
        .spawn()
        .await;
    let created = app.signed_up(&body("jody@example.com", "Jody Lawn")).await;
    let number = created["phone_number"].as_str().unwrap().to_owned();
    app.sql(
        "UPDATE tenant_config SET booking_url = 'https://book.example/jody' WHERE tenant_id = 'jody-lawn'; \
         INSERT INTO usage_events (tenant_id, kind, quantity, source_key, occurred_at) VALUES \
         ('jody-lawn', 'sms_out', 1, 'today', now() - interval '1 hour'), \
         ('jody-lawn', 'sms_out', 9, 'yesterday', now() - interval '25 hours'), \
         ('jody-lawn', 'call_minutes', 5, 'calls', now() - interval '2 hours')",
    )
    .await;
    let press_two = |sid: &'static str| {
        let number = number.clone();
        let app = &app;
        async move {
            let res = app
                .twilio_post(
                    "/twilio/voice/ivr?tenant_id=jody-lawn&attempt=1",
                    &[
                        ("CallSid", sid),
                        ("From", "+14158675309"),
                        ("To", &number),
                        ("Digits", "2"),
                    ],
                )
                .await;
            assert_eq!(res.status(), 200);
        }
    };
    let call = |sid: &'static str| {
        let number = number.clone();
        let app = &app;
        async move {
            let res = app
                .twilio_post(
                    "/twilio/voice/incoming",
                    &[
                        ("CallSid", sid),
                        ("From", "+14158675309"),
                        ("To", &number),
                        ("CallStatus", "ringing"),
                    ],
                )
                .await;
            assert_eq!(res.status(), 200);
            res.text().await.unwrap()
        }
    };
    // Today's text and today's minutes are used up: the text is refused, stored with
    // the reason, and the call goes to voicemail.
    press_two("CA_limit_text").await;
    assert_eq!(
        app.count("messages WHERE tenant_id = 'jody-lawn' AND status = 'refused' AND error_message LIKE 'trial limit%'").await,
        1
    );
    let twiml = call("CA_limit_call").await;
    assert!(twiml.contains("<Record"), "{twiml}");
    assert_eq!(
        app.count("calls WHERE call_sid = 'CA_limit_call' AND route = 'trial-limit'")
            .await,
        1
    );
    assert!(app.twilio.messages().is_empty());

    // A paying tenant has no trial limits.
    app.sql("UPDATE tenants SET status = 'active' WHERE id = 'jody-lawn'")
        .await;
    press_two("CA_paid_text").await;
    assert_eq!(
        app.twilio
            .wait_for_messages(1, Duration::from_secs(10))
            .await
            .len(),
        1
    );
    let twiml = call("CA_paid_call").await;
    assert!(twiml.contains("<Gather"), "{twiml}");
}

/// Releasing (for a cancelled tenant after its retention window; nothing calls it
/// automatically yet) gives the number back to Twilio, stops it routing to the
/// tenant, and is never undone by a later `ensure_number`.
#[actix_web::test]
async fn a_released_number_is_gone_and_not_bought_again() {
    let app = app_retrying_after(60_000).await;
    let created = app.signed_up(&body("jody@example.com", "Jody Lawn")).await;
    let tenant = TenantId::parse("jody-lawn").unwrap();
    app.state.provisioner.release_number(&tenant).await.unwrap();
    assert!(app.twilio.owned().is_empty());
    let release = app
        .twilio
        .requests()
        .into_iter()
        .find(|r| r.method == "DELETE")
        .unwrap();
    assert!(release.path.ends_with(".json") && release.path.contains("/IncomingPhoneNumbers/PN"));
    assert_eq!(
        app.count("tenant_phone_config WHERE tenant_id = 'jody-lawn'")
            .await,
        0
    );
    assert_eq!(
        app.count("number_provisioning WHERE state = 'released'")
            .await,
        1
    );
    let profile = app.profile(created["api_key"].as_str().unwrap()).await;
    assert!(profile["phone_number"].is_null());
    assert!(app.state.provisioner.ensure_number(&tenant).await.is_err());
    assert_eq!(app.twilio.purchases().len(), 1);
}

/// A worker that crashed mid-purchase leaves its lease: the retry job keeps off
/// until the lease runs out, then resumes from the row and Twilio's tag, buying
/// nothing more.
#[actix_web::test]
async fn the_retry_job_resumes_a_crashed_purchase_after_its_lease() {
    let app = app_retrying_after(20).await;
    app.twilio.lose_next_purchase_answer();
    // The failed try schedules the next one at once; hold it as a crashed worker would.
    app.sql("CREATE FUNCTION hold_lease() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.lease_until := now() + interval '1 hour'; RETURN NEW; END $$; \
             CREATE TRIGGER hold BEFORE UPDATE ON number_provisioning FOR EACH ROW WHEN (NEW.state = 'buying') EXECUTE FUNCTION hold_lease()")
        .await;
    let created = app.signed_up(&body("jody@example.com", "Jody Lawn")).await;
    assert_eq!(created["provisioning"], "pending");
    app.sql("UPDATE number_provisioning SET next_attempt_at = now()")
        .await;
    actix_web::rt::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        app.count("number_provisioning WHERE state = 'buying'")
            .await,
        1,
        "the lease holds"
    );

    app.sql("DROP TRIGGER hold ON number_provisioning; UPDATE number_provisioning SET lease_until = now() - interval '1 second'")
        .await;
    let profile = app
        .profile_with_number(created["api_key"].as_str().unwrap())
        .await;
    assert_eq!(
        profile["phone_number"].as_str(),
        Some(app.twilio.owned()[0].phone_number.as_str())
    );
    assert_eq!(app.twilio.purchases().len(), 1);
}
