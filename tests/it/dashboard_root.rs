//! The root dashboard: signed-in only, the tenants table sorted and filtered
//! by GET parameters (unknown values named, 422), the drill-down (404 for an
//! unknown id), and the actions — CSRF-checked, through the admin API's plan
//! path, audited.

use crate::support::tenants::TenantSpec;
use crate::support::web_client::WebClient;
use crate::support::TestApp;
use servicepro_actors::web_session::store;

/// A browser signed in as the root operator.
pub async fn root_browser(app: &TestApp) -> WebClient {
    let (token, _) = store::create_root(&app.state.pool, None).await.unwrap();
    let web = WebClient::new(&app.address);
    web.set_cookie("sp_session", token.expose_secret());
    web
}

async fn two_tenants() -> TestApp {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec {
        plan_tier: "pro",
        phone: "+15005550006",
        ..TenantSpec::default()
    })
    .await;
    app.create_tenant(TenantSpec {
        id: "bright",
        name: "Bright Pools",
        plan_tier: "starter",
        status: "trialing",
        phone: "+15005550077",
        ..TenantSpec::default()
    })
    .await;
    app.sql(
        "INSERT INTO usage_events (tenant_id, kind, quantity, source_key, occurred_at) VALUES \
         ('bright', 'sms_in', 40, 'b1', now()), ('acme', 'sms_out', 3, 'a1', now())",
    )
    .await;
    app
}

fn position(body: &str, needle: &str) -> usize {
    body.find(needle)
        .unwrap_or_else(|| panic!("{needle} not in page"))
}

#[actix_web::test]
async fn the_tenants_table_sorts_and_filters_with_plain_links() {
    let app = two_tenants().await;
    assert_eq!(
        WebClient::new(&app.address)
            .get("/root")
            .await
            .location
            .as_deref(),
        Some("/root/sign-in?next=%2Froot")
    );
    let web = root_browser(&app).await;
    let page = web.get("/root").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Live calls") && page.body.contains("Provider errors, last hour"));
    assert!(page.body.contains(r#"href="/root/tenants/acme""#));
    assert!(page.body.contains(r#"href="/root/tenants/bright""#));
    assert!(page.body.len() < 50_000);

    // By texts: Bright (40) before Acme (3); by name the other way round.
    let by_texts = web.get("/root?sort=texts").await;
    assert!(position(&by_texts.body, "Bright Pools") < position(&by_texts.body, ">Acme"));
    assert!(by_texts.body.contains(r#"href="/root?sort=name""#));
    let by_name = web.get("/root?sort=name").await;
    assert!(position(&by_name.body, ">Acme") < position(&by_name.body, "Bright Pools"));

    let trialing = web.get("/root?status=trialing").await;
    assert!(
        trialing.body.contains("Bright Pools") && !trialing.body.contains("/root/tenants/acme")
    );
    let pro = web.get("/root?tier=pro&sort=calls").await;
    assert!(
        pro.body.contains("/root/tenants/acme") && !pro.body.contains("Bright Pools"),
        "{}",
        pro.body
    );
    assert!(
        pro.body.contains(r#"href="/root?sort=texts&#38;tier=pro""#),
        "{}",
        pro.body
    );
    let q = web.get("/root?q=bright").await;
    assert!(q.body.contains("Bright Pools") && !q.body.contains("/root/tenants/acme"));

    let bad = web.get("/root?sort=price&tier=gold").await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.body.contains(r#"id="tier-error""#) && bad.body.contains("not a column to sort by")
    );
    // Reads are audited.
    assert!(
        app.count("audit_log WHERE actor = 'root-dashboard' AND action = 'dashboard.tenants'")
            .await
            >= 1
    );
}

#[actix_web::test]
async fn the_drill_down_shows_one_tenant_and_unknown_ids_are_404() {
    let app = two_tenants().await;
    app.sql(
        "INSERT INTO messages (tenant_id, direction, from_number, to_number, body, status, error_code, error_message) \
         VALUES ('acme', 'outbound', '+15005550006', '+19185550142', 'See you <b>Tuesday</b>', 'failed', '30007', 'Carrier filtered')",
    )
    .await;
    let web = root_browser(&app).await;
    let page = web.get("/root/tenants/acme").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Carrier filtered") && page.body.contains("30007"));
    assert!(
        page.body.contains("See you &#60;b&#62;Tuesday&#60;/b&#62;"),
        "escaped"
    );
    assert!(page.body.contains("+15005550006"));
    assert!(page.body.contains(">Suspend</button>"));
    assert_eq!(web.get("/root/tenants/nobody").await.status, 404);
    assert_eq!(web.get("/root/tenants/NOT%20AN%20ID").await.status, 404);
    assert_eq!(
        app.count("audit_log WHERE action = 'dashboard.tenant' AND target_tenant_id = 'acme'")
            .await,
        1
    );
}

#[actix_web::test]
async fn actions_are_csrf_checked_and_audited_through_the_admin_plan_path() {
    let app = two_tenants().await;
    let web = root_browser(&app).await;
    let csrf = web.get("/root/tenants/acme").await.csrf();

    let forged = web
        .post(
            "/root/tenants/acme/status",
            &[("csrf", "forged"), ("status", "suspended")],
        )
        .await;
    assert_eq!(forged.status, 403);
    assert_eq!(
        app.count("tenants WHERE id = 'acme' AND status = 'active'")
            .await,
        1
    );

    let ok = web
        .post(
            "/root/tenants/acme/status",
            &[("csrf", &csrf), ("status", "suspended")],
        )
        .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    assert_eq!(
        ok.location.as_deref(),
        Some("/root/tenants/acme?done=suspended")
    );
    assert_eq!(
        app.count("tenants WHERE id = 'acme' AND status = 'suspended'")
            .await,
        1
    );
    assert_eq!(
        app.count("audit_log WHERE actor = 'root-dashboard' AND action = 'tenant.status' AND target_tenant_id = 'acme'")
            .await,
        1
    );
    let shown = web.get("/root/tenants/acme?done=suspended").await;
    assert!(
        shown.body.contains("Tenant suspended.") && shown.body.contains(">Reactivate</button>")
    );

    // Already so: the admin API's 409, shown on the page as 422.
    let again = web
        .post(
            "/root/tenants/acme/status",
            &[("csrf", &csrf), ("status", "suspended")],
        )
        .await;
    assert_eq!(again.status, 422);
    assert!(again.body.contains("already"), "{}", again.body);
    let bad = web
        .post(
            "/root/tenants/acme/tier",
            &[("csrf", &csrf), ("plan_tier", "gold")],
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("plan_tier"));

    let tier = web
        .post(
            "/root/tenants/acme/tier",
            &[("csrf", &csrf), ("plan_tier", "elite")],
        )
        .await;
    assert_eq!(tier.status, 303);
    assert_eq!(
        app.count("tenants WHERE id = 'acme' AND plan_tier = 'elite'")
            .await,
        1
    );
    assert_eq!(
        app.count("audit_log WHERE actor = 'root-dashboard' AND action = 'tenant.tier'")
            .await,
        1
    );
    let nobody = web
        .post(
            "/root/tenants/nobody/status",
            &[("csrf", &csrf), ("status", "active")],
        )
        .await;
    assert_eq!(nobody.status, 404);
    // An owner's session is not root's.
    let owner = crate::dashboard_app::owner_browser(&app, "acme").await;
    let as_owner = owner
        .post(
            "/root/tenants/acme/status",
            &[("csrf", &csrf), ("status", "active")],
        )
        .await;
    assert_eq!(as_owner.status, 303);
    assert!(as_owner.location.unwrap().starts_with("/root/sign-in"));
}
