//! The owner's Plan and billing, Usage and nudges pages: status codes, what
//! they show (from this tenant's rows only), the plan change through the
//! billing actor, CSRF refusal, billing open while suspended, and a nudge
//! dismissed for its period.

use crate::support::stripe::Billing;
use crate::support::tenants::TenantSpec;
use crate::support::web_client::WebClient;
use crate::support::TestApp;
use servicepro_actors::web_session::store;
use servicepro_schema::TenantId;

/// A browser signed in as `tenant`'s owner.
pub async fn owner_browser(app: &TestApp, tenant: &str) -> WebClient {
    let id = TenantId::parse(tenant).unwrap();
    let (token, _) = store::create_owner(&app.state.pool, &id, None)
        .await
        .unwrap();
    let web = WebClient::new(&app.address);
    web.set_cookie("sp_session", token.expose_secret());
    web
}

#[actix_web::test]
async fn the_billing_page_shows_the_plan_and_changes_it_through_the_billing_actor() {
    let b = Billing::start("pro", "trialing").await;
    let web = owner_browser(&b.app, "acme").await;
    let page = web.get("/app/billing").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains(r#"<p class="stat">Pro</p>"#));
    assert!(page.body.contains("Free trial"));
    assert!(page.body.contains("days left"));
    assert!(page.body.contains("Upgrade to Elite") && page.body.contains("Downgrade to Starter"));
    assert!(page
        .body
        .contains("<strong>AI receptionist answers calls</strong>"));
    assert!(page.body.len() < 50_000);

    // No token: refused, nothing changed.
    let forged = web
        .post(
            "/app/billing/upgrade",
            &[("csrf", "forged"), ("plan_tier", "elite")],
        )
        .await;
    assert_eq!(forged.status, 403);
    assert_eq!(b.tenant().await, ("trialing".into(), "pro".into()));

    let csrf = page.csrf();
    let bad = web
        .post(
            "/app/billing/upgrade",
            &[("csrf", &csrf), ("plan_tier", "gold")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains(r#"id="plan_tier-error""#), "{}", bad.body);
    let same = web
        .post(
            "/app/billing/upgrade",
            &[("csrf", &csrf), ("plan_tier", "pro")],
        )
        .await;
    assert_eq!(same.status, 422);
    assert!(same.body.contains("already"), "{}", same.body);

    let up = web
        .post(
            "/app/billing/upgrade",
            &[("csrf", &csrf), ("plan_tier", "elite")],
        )
        .await;
    assert_eq!(up.status, 303, "{}", up.body);
    assert_eq!(
        up.location.as_deref(),
        Some("/app/billing?changed=elite&checkout=1")
    );
    assert_eq!(b.tenant().await, ("trialing".into(), "elite".into()));
    let after = web.get("/app/billing?changed=elite&checkout=1").await;
    assert!(after.body.contains("Your plan is now Elite. Add a card"));
    assert!(after.body.contains(r#"<p class="stat">Elite</p>"#));
}

#[actix_web::test]
async fn billing_stays_open_while_suspended_with_the_banner() {
    let b = Billing::start("pro", "suspended").await;
    let web = owner_browser(&b.app, "acme").await;
    let page = web.get("/app/billing").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(r#"class="banner bad""#), "{}", page.body);
    assert!(page.body.contains("Suspended"));
    // The plan forms are not disabled: paying is how a suspended owner comes back.
    assert!(!page.body.contains("disabled>Upgrade"));
    assert!(page.body.contains("Upgrade to Elite"));
}

#[actix_web::test]
async fn usage_shows_this_tenants_month_and_thirty_day_charts() {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec::default()).await;
    app.create_tenant(TenantSpec {
        id: "other",
        name: "Other Co",
        phone: "+15005550077",
        ..TenantSpec::default()
    })
    .await;
    app.sql(
        "INSERT INTO usage_events (tenant_id, kind, quantity, source_key, occurred_at) VALUES \
         ('acme', 'sms_in', 7, 'a1', now()), ('acme', 'sms_out', 4, 'a2', now()), \
         ('acme', 'call_minutes', 13, 'a3', now()), ('acme', 'ai_minutes', 6, 'a4', now()), \
         ('acme', 'sms_out', 100, 'old', now() - interval '40 days'), \
         ('other', 'sms_in', 999, 'o1', now())",
    )
    .await;
    let web = owner_browser(&app, "acme").await;
    let page = web.get("/app/usage").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(page.body.matches(r#"role="img""#).count(), 5);
    assert!(page
        .body
        .contains("<title>Texts received, last 30 days: 7 in total, at most 7 on one day."));
    assert!(page
        .body
        .contains("<title>Call minutes, last 30 days: 13 in total"));
    assert!(page.body.contains(r#"<p class="stat">13</p>"#));
    assert!(!page.body.contains("999"), "another tenant's usage leaked");
    assert!(page.body.contains("0 made by the AI"));
    assert!(page
        .body
        .contains(r#"<a href="/app/usage" aria-current="page">Usage</a>"#));
    assert!(page.body.len() < 50_000, "{} bytes", page.body.len());
    // Signed out: to sign-in.
    let anon = WebClient::new(&app.address);
    assert_eq!(
        anon.get("/app/usage").await.location.as_deref(),
        Some("/app/sign-in?next=%2Fapp%2Fusage")
    );
}

#[actix_web::test]
async fn a_nudge_shows_from_real_usage_and_stays_dismissed_for_its_period() {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec {
        plan_tier: "starter",
        ..TenantSpec::default()
    })
    .await;
    app.sql(
        "INSERT INTO usage_events (tenant_id, kind, quantity, source_key, occurred_at) \
         SELECT 'acme', 'sms_out', 1, 'm' || g, now() FROM generate_series(1, 60) g",
    )
    .await;
    let web = owner_browser(&app, "acme").await;
    let page = web.get("/app/usage").await;
    let nudge = "You sent 60 texts by hand this month; Pro answers them for you.";
    assert!(page.body.contains(nudge), "{}", page.body);
    let csrf = page.csrf();

    let forged = web
        .post(
            "/app/nudges/dismiss",
            &[
                ("csrf", "x"),
                ("kind", "hand_texts"),
                ("back", "/app/usage"),
            ],
        )
        .await;
    assert_eq!(forged.status, 403);
    let unknown = web
        .post(
            "/app/nudges/dismiss",
            &[("csrf", &csrf), ("kind", "pony"), ("back", "/app/usage")],
        )
        .await;
    assert_eq!(unknown.status, 422);
    assert!(unknown.body.contains("kind"), "{}", unknown.body);
    assert_eq!(app.count("nudge_dismissals").await, 0);

    let ok = web
        .post(
            "/app/nudges/dismiss",
            &[
                ("csrf", &csrf),
                ("kind", "hand_texts"),
                ("back", "https://evil.example/"),
            ],
        )
        .await;
    assert_eq!(ok.status, 303);
    assert_eq!(
        ok.location.as_deref(),
        Some("/app"),
        "back stays on the app"
    );
    assert_eq!(
        app.count("nudge_dismissals WHERE tenant_id = 'acme' AND kind = 'hand_texts'")
            .await,
        1
    );
    assert!(!web.get("/app/usage").await.body.contains(nudge));
    // Next period it is back if still true.
    app.sql("UPDATE nudge_dismissals SET period = '2000-01'")
        .await;
    assert!(web.get("/app/billing").await.body.contains(nudge));
}

#[actix_web::test]
async fn export_my_data_from_the_billing_page_works_while_suspended_and_downloads_the_zip() {
    let b = Billing::start("pro", "suspended").await;
    let web = owner_browser(&b.app, "acme").await;
    let page = web.get("/app/billing").await;
    assert!(
        page.body.contains(r#"action="/app/export""#),
        "{}",
        page.body
    );
    let forged = web.post("/app/export", &[("csrf", "forged")]).await;
    assert_eq!(forged.status, 403);
    let started = web.post("/app/export", &[("csrf", &page.csrf())]).await;
    assert_eq!(started.status, 303, "{}", started.body);
    let at = started.location.clone().unwrap();
    assert!(at.starts_with("/app/export/"), "{at}");
    // The page refreshes itself while the export runs, then links the zip.
    let mut link = None;
    for _ in 0..200 {
        let status = web.get(&at).await;
        assert_eq!(status.status, 200, "{}", status.body);
        if let Some(i) = status.body.find(r#"href="/exports/"#) {
            let rest = &status.body[i + 6..];
            link = Some(
                rest[..rest.find('"').unwrap()]
                    .replace("&amp;", "&")
                    .replace("&#38;", "&"),
            );
            break;
        }
        assert!(
            status.body.contains(r#"http-equiv="refresh""#),
            "{}",
            status.body
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let link = link.expect("the export finished with a download link");
    let zip = web.get(&link).await;
    assert_eq!(zip.status, 200, "{link}: {}", zip.body);
    assert!(zip.body.as_bytes().starts_with(b"PK"));
    // Another tenant's session cannot see this export.
    b.app
        .create_tenant(TenantSpec {
            id: "bravo",
            phone: "+19185550777",
            ..TenantSpec::default()
        })
        .await;
    let other = owner_browser(&b.app, "bravo").await;
    assert_eq!(other.get(&at).await.status, 404);
}
