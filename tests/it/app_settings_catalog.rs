//! Settings › services and prices, and text templates: each change saved
//! through `tenant::catalog::change_catalog` (303), a refused field named
//! beside it (422, what was typed kept), another tenant's service id (404),
//! a forged form token (403), and read-only while suspended (403).

use crate::app_pages::{csrf_on, scalar};
use crate::app_sign_in::{app_with_owner, signed_in};
use crate::support::tenants::TenantSpec;
use crate::support::TestApp;

/// The tenant's active service called `name`: (id, price_cents, duration).
async fn service(app: &TestApp, tenant: &str, name: &str) -> Option<(String, String, String)> {
    let n = scalar(
        app,
        &format!(
            "SELECT count(*) FROM services WHERE tenant_id = '{tenant}' AND name = '{name}' AND active"
        ),
    )
    .await;
    if n == "0" {
        return None;
    }
    let get = |col: &str| {
        format!(
            "SELECT {col} FROM services WHERE tenant_id = '{tenant}' AND name = '{name}' AND active"
        )
    };
    Some((
        scalar(app, &get("id")).await,
        scalar(app, &get("price_cents")).await,
        scalar(app, &get("duration_minutes")).await,
    ))
}

#[actix_web::test]
async fn services_are_added_edited_and_removed_and_a_bad_price_is_named() {
    let (app, tenant) = app_with_owner().await;
    let web = signed_in(&app).await;
    let csrf = csrf_on(&web, "/app/settings").await;

    let added = web
        .post(
            "/app/settings/services",
            &[
                ("csrf", &csrf),
                ("name", "Hedge trimming"),
                ("price", "$1,045.50"),
                ("duration_minutes", "90"),
            ],
        )
        .await;
    assert_eq!(added.status, 303, "{}", added.body);
    assert_eq!(
        added.location.as_deref(),
        Some("/app/settings?saved=services")
    );
    let (id, price, minutes) = service(&app, &tenant, "Hedge trimming").await.unwrap();
    assert_eq!((price.as_str(), minutes.as_str()), ("104550", "90"));
    let page = web.get("/app/settings?saved=services").await.body;
    assert!(page.contains("Services saved."), "{page}");
    assert!(
        page.contains(&format!(
            r#"id="service-{id}-price" name="price" value="1045.50""#
        )),
        "{page}"
    );

    // A price that is not money: 422, the field named beside this service's
    // price, what was typed kept, nothing changed.
    let refused = web
        .post(
            &format!("/app/settings/services/{id}"),
            &[
                ("csrf", &csrf),
                ("name", "Hedge trimming"),
                ("price", "twelve"),
                ("duration_minutes", "90"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(
        refused
            .body
            .contains(&format!(r##"<a href="#service-{id}-price">price</a>"##)),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains(&format!(
            r#"<span class="error" id="service-{id}-price-error">price: an amount in dollars"#
        )),
        "{}",
        refused.body
    );
    assert!(refused.body.contains(r#"value="twelve""#));
    assert_eq!(
        service(&app, &tenant, "Hedge trimming").await.unwrap().1,
        "104550"
    );
    // Minutes out of range, a name another service has: each named.
    let short = web
        .post(
            "/app/settings/services",
            &[
                ("csrf", &csrf),
                ("name", "Quick look"),
                ("price", "10"),
                ("duration_minutes", "2"),
            ],
        )
        .await;
    assert_eq!(short.status, 422);
    assert!(short
        .body
        .contains("duration_minutes: a whole number of minutes from 5 to 1440"));
    let clash = web
        .post(
            "/app/settings/services",
            &[
                ("csrf", &csrf),
                ("name", "Hedge trimming"),
                ("price", "10"),
                ("duration_minutes", "30"),
            ],
        )
        .await;
    assert_eq!(clash.status, 422);
    assert!(clash
        .body
        .contains("name: another service is already called &#34;Hedge trimming&#34;"));

    let edited = web
        .post(
            &format!("/app/settings/services/{id}"),
            &[
                ("csrf", &csrf),
                ("name", "Hedge and shrub trimming"),
                ("price", "120"),
                ("duration_minutes", "120"),
            ],
        )
        .await;
    assert_eq!(edited.status, 303, "{}", edited.body);
    let (same_id, price, minutes) = service(&app, &tenant, "Hedge and shrub trimming")
        .await
        .unwrap();
    assert_eq!(
        (same_id.as_str(), price.as_str(), minutes.as_str()),
        (id.as_str(), "12000", "120")
    );

    let removed = web
        .post(
            &format!("/app/settings/services/{id}/remove"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(removed.status, 303);
    assert!(service(&app, &tenant, "Hedge and shrub trimming")
        .await
        .is_none());
    assert!(!web
        .get("/app/settings")
        .await
        .body
        .contains("Hedge and shrub trimming"));
    // Removing it again: there is no such active service.
    assert_eq!(
        web.post(
            &format!("/app/settings/services/{id}/remove"),
            &[("csrf", &csrf)]
        )
        .await
        .status,
        404
    );
    // Adding the name again brings the same row back.
    let back = web
        .post(
            "/app/settings/services",
            &[
                ("csrf", &csrf),
                ("name", "Hedge and shrub trimming"),
                ("price", "99"),
                ("duration_minutes", "60"),
            ],
        )
        .await;
    assert_eq!(back.status, 303);
    assert_eq!(
        service(&app, &tenant, "Hedge and shrub trimming")
            .await
            .unwrap()
            .0,
        id
    );
}

#[actix_web::test]
async fn another_tenants_service_is_404_and_a_forged_token_403() {
    let (app, tenant) = app_with_owner().await;
    app.create_tenant(TenantSpec {
        phone: "+19185550777",
        ..TenantSpec::default()
    })
    .await;
    let web = signed_in(&app).await;
    let csrf = csrf_on(&web, "/app/settings").await;
    let theirs = scalar(
        &app,
        "SELECT min(id) FROM services WHERE tenant_id = 'acme' AND active",
    )
    .await;
    let before = scalar(
        &app,
        &format!("SELECT price_cents FROM services WHERE tenant_id = 'acme' AND id = {theirs}"),
    )
    .await;
    let form = [
        ("csrf", csrf.as_str()),
        ("name", "Mine now"),
        ("price", "1"),
        ("duration_minutes", "30"),
    ];
    let edit = web
        .post(&format!("/app/settings/services/{theirs}"), &form)
        .await;
    assert_eq!(edit.status, 404, "{}", edit.body);
    let remove = web
        .post(
            &format!("/app/settings/services/{theirs}/remove"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(remove.status, 404);
    assert_eq!(
        scalar(
            &app,
            &format!(
                "SELECT price_cents::text || active::text FROM services WHERE tenant_id = 'acme' AND id = {theirs}"
            )
        )
        .await,
        format!("{before}true")
    );
    assert_eq!(
        web.post("/app/settings/services/not-a-number", &form)
            .await
            .status,
        404
    );

    let forged = web
        .post(
            "/app/settings/services",
            &[
                ("csrf", "forged"),
                ("name", "Sneaky"),
                ("price", "1"),
                ("duration_minutes", "30"),
            ],
        )
        .await;
    assert_eq!(forged.status, 403);
    assert!(service(&app, &tenant, "Sneaky").await.is_none());
    let forged = web
        .post(
            "/app/settings/templates/reminder",
            &[("csrf", "forged"), ("body", "x")],
        )
        .await;
    assert_eq!(forged.status, 403);
}

async fn reminder(app: &TestApp, tenant: &str) -> String {
    scalar(
        app,
        &format!(
            "SELECT body FROM sms_templates WHERE tenant_id = '{tenant}' AND template_key = 'reminder'"
        ),
    )
    .await
}

#[actix_web::test]
async fn templates_are_saved_and_a_placeholder_the_text_cannot_fill_is_named() {
    let (app, tenant) = app_with_owner().await;
    let web = signed_in(&app).await;
    let csrf = csrf_on(&web, "/app/settings").await;
    let body = "Hi {customer_name}! See you {date} at {time} for your {service}. - {business_name}";
    let saved = web
        .post(
            "/app/settings/templates/reminder",
            &[("csrf", &csrf), ("body", &format!("{body}\r\n"))],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(
        saved.location.as_deref(),
        Some("/app/settings?saved=templates")
    );
    assert_eq!(reminder(&app, &tenant).await, body);
    let page = web.get("/app/settings?saved=templates").await.body;
    assert!(page.contains("Text template saved."));

    // {booking_url} is not filled for a reminder; {date} is required.
    let refused = web
        .post(
            "/app/settings/templates/reminder",
            &[
                ("csrf", &csrf),
                (
                    "body",
                    "Book again at {booking_url} for your {service} at {time}",
                ),
            ],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(
        refused
            .body
            .contains(r##"<a href="#template-reminder">reminder</a>"##),
        "{}",
        refused.body
    );
    assert!(refused
        .body
        .contains("sms_templates.reminder: placeholder {booking_url} is not available here"));
    assert!(refused
        .body
        .contains("sms_templates.reminder: must use placeholder {date}"));
    assert!(refused.body.contains(r#"id="template-reminder-error""#));
    assert!(refused.body.contains("Book again at {booking_url}"));
    assert_eq!(reminder(&app, &tenant).await, body);

    assert_eq!(
        web.post(
            "/app/settings/templates/no_such_text",
            &[("csrf", &csrf), ("body", "x")]
        )
        .await
        .status,
        404
    );
}

#[actix_web::test]
async fn a_suspended_tenant_sees_every_catalog_form_disabled_and_cannot_post() {
    let (app, tenant) = app_with_owner().await;
    let web = signed_in(&app).await;
    let csrf = csrf_on(&web, "/app/settings").await;
    let id = scalar(
        &app,
        &format!("SELECT min(id) FROM services WHERE tenant_id = '{tenant}' AND active"),
    )
    .await;
    app.sql(&format!(
        "UPDATE tenants SET status = 'suspended' WHERE id = '{tenant}'"
    ))
    .await;
    let page = web.get("/app/settings").await.body;
    assert!(page.matches("<fieldset").count() > 14, "{page}");
    assert_eq!(
        page.matches("<fieldset").count(),
        page.matches("<fieldset disabled").count(),
        "{page}"
    );
    let services_before = scalar(
        &app,
        &format!("SELECT count(*) FROM services WHERE tenant_id = '{tenant}' AND active"),
    )
    .await;
    for (path, form) in [
        (
            "/app/settings/services".to_owned(),
            vec![
                ("csrf", csrf.as_str()),
                ("name", "New"),
                ("price", "5"),
                ("duration_minutes", "30"),
            ],
        ),
        (
            format!("/app/settings/services/{id}/remove"),
            vec![("csrf", csrf.as_str())],
        ),
        (
            "/app/settings/templates/reminder".to_owned(),
            vec![
                ("csrf", csrf.as_str()),
                ("body", "{service} on {date} at {time}"),
            ],
        ),
    ] {
        let res = web.post(&path, &form).await;
        assert_eq!(res.status, 403, "{path}");
        assert!(res.body.contains("suspended"), "{path}: {}", res.body);
    }
    assert_eq!(
        scalar(
            &app,
            &format!("SELECT count(*) FROM services WHERE tenant_id = '{tenant}' AND active"),
        )
        .await,
        services_before
    );
    assert_eq!(
        scalar(
            &app,
            &format!(
                "SELECT count(*) FROM sms_templates WHERE tenant_id = '{tenant}' AND body = '{{service}} on {{date}} at {{time}}'"
            ),
        )
        .await,
        "0"
    );
}

#[actix_web::test]
async fn the_api_changes_services_and_templates_through_the_same_rules() {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec::default()).await;
    app.create_tenant(TenantSpec {
        id: "bravo",
        phone: "+19185550777",
        ..TenantSpec::default()
    })
    .await;
    let key = app.key_of("acme").await;
    let call = |method: reqwest::Method, path: &str, body: Option<serde_json::Value>| {
        let mut req = app.client.request(method, app.url(path)).bearer_auth(&key);
        if let Some(body) = body {
            req = req.json(&body);
        }
        req.send()
    };
    use reqwest::Method;
    use serde_json::{json, Value};

    let created = call(
        Method::POST,
        "/api/tenant/services",
        Some(json!({"name": "Ceramic coat", "price_cents": 45000, "duration_minutes": 240})),
    )
    .await
    .unwrap();
    assert_eq!(created.status(), 201);
    let id = created.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        service(&app, "acme", "Ceramic coat").await.unwrap(),
        (id.to_string(), "45000".to_owned(), "240".to_owned())
    );

    let refused = call(
        Method::PUT,
        &format!("/api/tenant/services/{id}"),
        Some(json!({"name": "Ceramic coat", "price_cents": -1, "duration_minutes": 240})),
    )
    .await
    .unwrap();
    assert_eq!(refused.status(), 422);
    let err = refused.json::<Value>().await.unwrap();
    assert_eq!(err["error"]["field"], "price", "{err}");
    let unknown = call(
        Method::PUT,
        &format!("/api/tenant/services/{id}"),
        Some(json!({"name": "x", "price": 1, "duration_minutes": 30})),
    )
    .await
    .unwrap();
    assert_eq!(unknown.status(), 422);
    assert_eq!(
        unknown.json::<Value>().await.unwrap()["error"]["field"],
        "price"
    );

    let theirs = scalar(
        &app,
        "SELECT min(id) FROM services WHERE tenant_id = 'bravo' AND active",
    )
    .await;
    let other = call(
        Method::DELETE,
        &format!("/api/tenant/services/{theirs}"),
        None,
    )
    .await
    .unwrap();
    assert_eq!(other.status(), 404);
    assert_eq!(
        call(Method::DELETE, &format!("/api/tenant/services/{id}"), None)
            .await
            .unwrap()
            .status(),
        204
    );
    assert!(service(&app, "acme", "Ceramic coat").await.is_none());

    let tpl = call(
        Method::PUT,
        "/api/tenant/templates/booking_link",
        Some(json!({"body": "Book {business_name} online: {booking_url}"})),
    )
    .await
    .unwrap();
    assert_eq!(tpl.status(), 204);
    let bad = call(
        Method::PUT,
        "/api/tenant/templates/booking_link",
        Some(json!({"body": "Book us online!"})),
    )
    .await
    .unwrap();
    assert_eq!(bad.status(), 422);
    let err = bad.json::<Value>().await.unwrap();
    assert_eq!(err["error"]["field"], "booking_link", "{err}");
    assert!(err["error"]["message"]
        .as_str()
        .unwrap()
        .contains("must use placeholder {booking_url}"));

    // Suspended: the engine refuses, whichever surface asks.
    app.sql("UPDATE tenants SET status = 'suspended' WHERE id = 'acme'")
        .await;
    let paused = call(
        Method::POST,
        "/api/tenant/services",
        Some(json!({"name": "Later", "price_cents": 100, "duration_minutes": 30})),
    )
    .await
    .unwrap();
    assert_eq!(paused.status(), 403);
    assert!(service(&app, "acme", "Later").await.is_none());
}
