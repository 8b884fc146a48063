//! The pages the other browser tests do not visit — the root tenants table and
//! drill-down, Plan and billing, Usage, and Settings with its service and
//! template forms — in headless Chromium at 390 and 1280 px: no sideways
//! scroll, one `main` and one `h1`, every visible field labelled. Saved as
//! `target/screenshots/dashboards/<page>-<width>.png`.

use crate::app_pages::seed;
use crate::app_sign_in::app_with_owner;
use crate::browser_journey::{owner_signs_in, root_signs_in};
use crate::support::browser::{Browser, Page};

/// Fields (not hidden) with neither a `<label>` nor an `aria-label`.
const UNLABELLED: &str =
    "[...document.querySelectorAll('input:not([type=hidden]), select, textarea')] \
    .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')) \
    .map(e => e.name || e.id)";

async fn check(page: &mut Page, name: &str, width: u32) {
    assert!(
        !page.scrolls_horizontally().await,
        "{name} scrolls sideways at {width} px"
    );
    let shape = page
        .eval("[document.querySelectorAll('main').length, document.querySelectorAll('h1').length]")
        .await;
    assert_eq!(shape, serde_json::json!([1, 1]), "{name}: main and h1");
    let unlabelled = page.eval(UNLABELLED).await;
    assert_eq!(unlabelled, serde_json::json!([]), "{name} at {width} px");
    page.screenshot(&format!("dashboards/{name}-{width}")).await;
}

#[actix_web::test]
async fn root_billing_usage_and_settings_pages_fit_390_and_1280() {
    let Some(browser) = Browser::launch().await else {
        return;
    };
    let (app, tenant) = app_with_owner().await;
    seed(&app, &tenant).await;
    app.sql(&format!(
        "INSERT INTO usage_events (tenant_id, kind, quantity, source_key, occurred_at) VALUES \
         ('{tenant}', 'sms_in', 12, 'd1', now() - interval '2 days'), \
         ('{tenant}', 'sms_out', 9, 'd2', now() - interval '1 day'), \
         ('{tenant}', 'call_minutes', 14, 'd3', now())"
    ))
    .await;

    let mut owner = browser.page(390, 844).await;
    owner_signs_in(&mut owner, &app, "/app/settings").await;
    let mut root = browser.private_page(390, 844).await;
    root_signs_in(&mut root, &app).await;

    let owner_pages = [
        ("billing", "/app/billing".to_owned()),
        ("usage", "/app/usage".to_owned()),
        ("settings", "/app/settings".to_owned()),
    ];
    let root_pages = [
        ("root-tenants", "/root".to_owned()),
        ("root-tenant", format!("/root/tenants/{tenant}")),
    ];
    for width in [390, 1280] {
        let height = if width == 390 { 844 } else { 900 };
        owner.set_viewport(width, height).await;
        root.set_viewport(width, height).await;
        for (name, path) in &owner_pages {
            owner.goto(&app.url(path)).await;
            assert!(owner.url().await.ends_with(path.as_str()), "{name}");
            check(&mut owner, name, width).await;
        }
        for (name, path) in &root_pages {
            root.goto(&app.url(path)).await;
            assert!(root.url().await.ends_with(path.as_str()), "{name}");
            check(&mut root, name, width).await;
        }
    }
    // Settings with a refused price: the error beside its field still fits.
    owner.set_viewport(390, 844).await;
    owner.goto(&app.url("/app/settings")).await;
    owner.fill("#service-new-name", "Gutter clean").await;
    owner.fill("#service-new-price", "a lot").await;
    owner.fill("#service-new-duration_minutes", "45").await;
    owner
        .click_and_wait("form[action='/app/settings/services'] button[type=submit]")
        .await;
    assert!(owner
        .text()
        .await
        .contains("price: an amount in dollars, e.g. 45 or 45.50"));
    check(&mut owner, "settings-refused-price", 390).await;
}
