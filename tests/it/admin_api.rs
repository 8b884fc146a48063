//! The root admin API: authorisation, creation, validation naming fields,
//! conflicts, listing, and the audit trail it leaves.

use crate::support::TestApp;
use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::RunQueryDsl;
use reqwest::Method;
use serde_json::{json, Value};
use servicepro_schema::schema::{audit_log, tenant_phone_config};
use servicepro_schema::SecretBox;

fn acme() -> Value {
    json!({
        "id": "acme-lawn",
        "name": "Acme Lawn & Garden",
        "industry": "lawn-care",
        "plan_tier": "pro",
        "status": "trialing",
        "phone_number": "(918) 555-0142",
        "ivr_mode": "ivr",
        "forward_to": "918-555-0199",
        "twilio_account_sid": "AC0123456789abcdef0123456789abcdef",
        "twilio_auth_token": "byo-auth-token-xyz",
        "time_zone": "America/Denver"
    })
}

#[actix_web::test]
async fn requires_the_root_token() {
    let app = TestApp::spawn().await;
    let none = app
        .client
        .get(app.url("/api/admin/tenants"))
        .send()
        .await
        .unwrap();
    assert_eq!(none.status(), 401);
    let body: Value = none.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unauthorized");
    let wrong = app
        .client
        .post(app.url("/api/admin/tenants"))
        .bearer_auth("test-root-token-0123456788")
        .json(&acme())
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let mut conn = app.db.superuser().await;
    let numbers: i64 = tenant_phone_config::table
        .count()
        .get_result(&mut conn)
        .await
        .unwrap();
    assert_eq!(numbers, 0, "a refused request writes nothing");
}

#[actix_web::test]
async fn admin_api_is_off_without_a_token() {
    let app = TestApp::builder()
        .var("SERVICEPRO_ROOT_TOKEN", "")
        .spawn()
        .await;
    let res = app
        .admin(Method::GET, "/api/admin/tenants")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"]["code"], "admin_disabled");
}

#[actix_web::test]
async fn creates_lists_and_gets_tenants() {
    let app = TestApp::spawn().await;
    let res = app
        .admin(Method::POST, "/api/admin/tenants")
        .json(&acme())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let created: Value = res.json().await.unwrap();
    assert_eq!(created["id"], "acme-lawn");
    assert_eq!(
        created["phone_number"], "+19185550142",
        "normalised to E.164"
    );
    assert_eq!(created["forward_to"], "+19185550199");
    assert_eq!(created["ivr_mode"], "ivr");
    assert_eq!(created["time_zone"], "America/Denver");
    assert_eq!(created["byo_twilio"], true);
    assert_eq!(
        created["record_calls"], false,
        "calls are not recorded by default"
    );
    assert!(
        created["trial_ends_at"].is_string(),
        "trialing gets a trial end"
    );
    assert_eq!(
        created["features"],
        json!([
            "aiSmsAgent",
            "dedicatedNumber",
            "campaigns",
            "dataExport",
            "websiteGenerator"
        ])
    );
    assert!(
        created.get("twilio_auth_token").is_none(),
        "secrets are never echoed"
    );

    let list: Value = app
        .admin(Method::GET, "/api/admin/tenants")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ids: Vec<&str> = list["tenants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec!["acme-lawn", "root"]);
    let root = &list["tenants"][1];
    assert_eq!(root["name"], "Clean Machine");
    assert_eq!(root["plan_tier"], "elite");

    let one = app
        .admin(Method::GET, "/api/admin/tenants/acme-lawn")
        .send()
        .await
        .unwrap();
    assert_eq!(one.status(), 200);
    assert_eq!(
        one.json::<Value>().await.unwrap()["name"],
        "Acme Lawn & Garden"
    );
    let missing = app
        .admin(Method::GET, "/api/admin/tenants/nobody")
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);

    // The BYO auth token is stored sealed, and opens with the server's key.
    let mut conn = app.db.superuser().await;
    let sealed: Option<Vec<u8>> = tenant_phone_config::table
        .filter(tenant_phone_config::tenant_id.eq("acme-lawn"))
        .select(tenant_phone_config::twilio_auth_token_encrypted)
        .first(&mut conn)
        .await
        .unwrap();
    let sealed = sealed.unwrap();
    assert!(!String::from_utf8_lossy(&sealed).contains("byo-auth-token"));
    let opened = SecretBox::new(&app.state.config.secret_key)
        .open(&sealed)
        .unwrap();
    assert_eq!(opened.expose_secret(), "byo-auth-token-xyz");

    // Every root action left an audit row.
    let actions: Vec<(String, Option<String>)> = audit_log::table
        .order(audit_log::id)
        .select((audit_log::action, audit_log::target_tenant_id))
        .load(&mut conn)
        .await
        .unwrap();
    assert_eq!(
        actions,
        vec![
            ("tenant.create".to_owned(), Some("acme-lawn".to_owned())),
            ("tenant.get".to_owned(), Some("acme-lawn".to_owned())),
            ("tenant.list".to_owned(), None),
            ("tenant.get".to_owned(), Some("acme-lawn".to_owned())),
            ("tenant.get".to_owned(), Some("nobody".to_owned())),
        ]
    );
}

#[actix_web::test]
async fn validation_errors_name_the_field() {
    let app = TestApp::spawn().await;
    let cases: Vec<(&str, Value, u16)> = vec![
        ("id", json!("Bad_Id"), 422),
        ("id", Value::Null, 422),
        ("name", json!(42), 422),
        ("industry", json!("plumbing"), 422),
        ("plan_tier", json!("gold"), 422),
        ("status", json!("frozen"), 422),
        ("phone_number", json!("call me maybe"), 422),
        ("ivr_mode", json!("robot"), 422),
        ("forward_to", json!("12"), 422),
        ("time_zone", json!("Mars/Olympus"), 422),
        ("twilio_account_sid", json!("XX123"), 422),
        ("voice_audio", json!("mp3"), 422),
        ("record_calls", json!("yes"), 422),
        ("record_calls", json!(1), 422),
    ];
    for (field, value, status) in cases {
        let mut body = acme();
        body[field] = value;
        let res = app
            .admin(Method::POST, "/api/admin/tenants")
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), status, "{field}");
        let err: Value = res.json().await.unwrap();
        assert_eq!(err["error"]["field"], field, "{err}");
        assert!(err["error"]["message"].as_str().unwrap().len() > 5);
    }
    let mut neither = acme();
    neither.as_object_mut().unwrap().remove("forward_to");
    let res = app
        .admin(Method::POST, "/api/admin/tenants")
        .json(&neither)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!(
        res.json::<Value>().await.unwrap()["error"]["field"],
        "sip_uri"
    );

    let res = app
        .admin(Method::POST, "/api/admin/tenants")
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert_eq!(
        res.json::<Value>().await.unwrap()["error"]["code"],
        "bad_request"
    );
    let list: Value = app
        .admin(Method::GET, "/api/admin/tenants")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        list["tenants"].as_array().unwrap().len(),
        1,
        "only root: nothing was created"
    );
}

#[actix_web::test]
async fn duplicate_id_or_number_is_409() {
    let app = TestApp::spawn().await;
    let res = app
        .admin(Method::POST, "/api/admin/tenants")
        .json(&acme())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);

    let res = app
        .admin(Method::POST, "/api/admin/tenants")
        .json(&acme())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    assert_eq!(res.json::<Value>().await.unwrap()["error"]["field"], "id");

    let mut same_number = acme();
    same_number["id"] = json!("other-lawn");
    same_number["phone_number"] = json!("+1 918 555 0142");
    let res = app
        .admin(Method::POST, "/api/admin/tenants")
        .json(&same_number)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    assert_eq!(
        res.json::<Value>().await.unwrap()["error"]["field"],
        "phone_number"
    );
    let gone = app
        .admin(Method::GET, "/api/admin/tenants/other-lawn")
        .send()
        .await
        .unwrap();
    assert_eq!(
        gone.status(),
        404,
        "the failed create left no half-made tenant"
    );
}

#[actix_web::test]
async fn sip_forwarding_tenant() {
    let app = TestApp::spawn().await;
    let mut body = acme();
    let obj = body.as_object_mut().unwrap();
    obj.remove("forward_to");
    obj.remove("twilio_account_sid");
    obj.remove("twilio_auth_token");
    body["sip_uri"] = json!("sip:jody@cleanmachinetulsa.sip.twilio.com");
    body["ivr_mode"] = json!("simple");
    body["status"] = json!("active");
    let res = app
        .admin(Method::POST, "/api/admin/tenants")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let created: Value = res.json().await.unwrap();
    assert_eq!(created["sip_uri"], "jody@cleanmachinetulsa.sip.twilio.com");
    assert_eq!(created["byo_twilio"], false);
    assert!(created["trial_ends_at"].is_null());
}

#[actix_web::test]
async fn a_new_tenant_is_set_up_from_its_industry_pack() {
    let app = TestApp::spawn().await;
    let res = app
        .admin(Method::POST, "/api/admin/tenants")
        .json(&acme())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let pack = servicepro_actors::packs::pack("lawn-care").unwrap();
    let expected = (pack.services.len() + pack.addons.len()) as i64;
    assert_eq!(
        app.count("services WHERE tenant_id = 'acme-lawn'").await,
        expected
    );
    assert_eq!(
        app.count(
            "services WHERE tenant_id = 'acme-lawn' AND name = 'Lawn Mowing' AND NOT is_addon"
        )
        .await,
        1
    );
    assert_eq!(
        app.count("sms_templates WHERE tenant_id = 'acme-lawn'")
            .await,
        10
    );
    assert_eq!(app.count("tenant_config WHERE tenant_id = 'acme-lawn' AND booking_rules ? 'crews' AND business_hours <> '{}'").await, 1);
}
