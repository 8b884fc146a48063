//! The journey in headless Chromium, one browser: the owner signs in,
//! changes the business hours on Settings, sees them on Today, exports their
//! data from Plan and billing and downloads the zip; the root operator (a
//! second browser context, so the owner stays signed in) signs in with the
//! root token and suspends the tenant from its drill-down; the owner then sees
//! the suspended banner and every Settings form disabled. Each step is saved as
//! `target/screenshots/journey/<nn>-<step>.png`.

use std::io::Read;

use crate::app_sign_in::{app_with_owner, PASSWORD};
use crate::support::app::ROOT_TOKEN;
use crate::support::browser::{Browser, Page};
use crate::support::TestApp;
use base64::Engine;

/// Signs the owner in through the password form, landing on `next`.
pub async fn owner_signs_in(page: &mut Page, app: &TestApp, next: &str) {
    page.goto(&app.url(next)).await;
    assert!(
        page.url().await.contains("/app/sign-in?next="),
        "{}",
        page.url().await
    );
    page.fill("#email", "jody@example.com").await;
    page.fill("#password", PASSWORD).await;
    page.click_and_wait("form[action='/app/sign-in'] button[type=submit]")
        .await;
    assert!(page.url().await.ends_with(next), "{}", page.url().await);
}

/// Signs the root operator in with the root token, landing on `/root`.
pub async fn root_signs_in(page: &mut Page, app: &TestApp) {
    page.goto(&app.url("/root")).await;
    assert!(page.url().await.contains("/root/sign-in"));
    page.fill("#token", ROOT_TOKEN).await;
    page.click_and_wait("form[action='/root/sign-in'] button[type=submit]")
        .await;
    assert!(page.url().await.ends_with("/root"), "{}", page.url().await);
}

/// The `href` of the first element matching `selector`.
async fn href(page: &mut Page, selector: &str) -> String {
    let js = format!(
        "(() => {{ const e = document.querySelector({}); return e ? e.getAttribute('href') : null; }})()",
        serde_json::json!(selector)
    );
    page.eval(&js)
        .await
        .as_str()
        .unwrap_or_else(|| panic!("no {selector}"))
        .to_owned()
}

#[actix_web::test]
async fn owner_changes_hours_exports_then_root_suspends_and_settings_turn_read_only() {
    let Some(browser) = Browser::launch().await else {
        return;
    };
    let (app, tenant) = app_with_owner().await;
    let mut owner = browser.page(1280, 900).await;

    // 1. The owner signs in.
    owner_signs_in(&mut owner, &app, "/app/settings").await;
    owner
        .screenshot("journey/01-owner-signed-in-settings")
        .await;

    // 2. Business hours: every day 06:45–15:30, through the real form.
    owner
        .eval(
            "document.querySelectorAll('input[name$=_open]').forEach(e => e.value = '06:45'); \
             document.querySelectorAll('input[name$=_close]').forEach(e => e.value = '15:30'); \
             document.querySelectorAll('input[name$=_closed]').forEach(e => e.checked = false); true",
        )
        .await;
    owner
        .click_and_wait("form[action='/app/settings/hours'] button[type=submit]")
        .await;
    assert!(owner.url().await.ends_with("/app/settings?saved=hours"));
    assert!(owner.text().await.contains("Business hours saved."));
    owner.screenshot("journey/02-hours-saved").await;

    // 3. Today shows them.
    owner.click_and_wait("nav a[href='/app']").await;
    let today = owner.text().await;
    assert!(today.contains("Open today 06:45–15:30"), "{today}");
    owner.screenshot("journey/03-today-shows-hours").await;

    // 4. Export my data from Plan and billing; the page refreshes itself
    //    until the zip's signed link is there.
    owner.click_and_wait("nav a[href='/app/billing']").await;
    owner
        .click_and_wait("form[action='/app/export'] button[type=submit]")
        .await;
    assert!(owner.url().await.contains("/app/export/"));
    let mut ready = false;
    for _ in 0..100 {
        if owner.exists("a[download]").await {
            ready = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        // The page's own refresh reloads it; read it afresh either way.
        let at = owner.url().await;
        owner.goto(&at).await;
    }
    assert!(ready, "the export finished: {}", owner.text().await);
    owner.screenshot("journey/04-export-ready").await;
    let link = href(&mut owner, "a[download]").await;
    assert!(link.starts_with("/exports/"), "{link}");
    // The browser downloads it (same origin, as a click would).
    let fetched = owner
        .eval(&format!(
            "fetch({}).then(async r => {{ const b = new Uint8Array(await r.arrayBuffer()); \
             let s = ''; for (let i = 0; i < b.length; i += 8192) \
               s += String.fromCharCode.apply(null, b.subarray(i, i + 8192)); \
             return {{status: r.status, type: r.headers.get('content-type'), data: btoa(s)}}; }})",
            serde_json::json!(link)
        ))
        .await;
    assert_eq!(fetched["status"], 200, "{fetched}");
    assert_eq!(fetched["type"], "application/zip", "{fetched}");
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(fetched["data"].as_str().unwrap())
        .unwrap();
    assert!(bytes.starts_with(b"PK"));
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let names: Vec<String> = zip.file_names().map(|n| n.unwrap().to_string()).collect();
    for file in [
        "services.json",
        "customers.csv",
        "settings.json",
        "appointments.csv",
    ] {
        assert!(names.iter().any(|n| n == file), "{file} in {names:?}");
    }
    let mut settings = String::new();
    zip.by_name("settings.json")
        .unwrap()
        .read_to_string(&mut settings)
        .unwrap();
    assert!(
        settings.contains("06:45"),
        "the new hours exported: {settings}"
    );
    assert!(settings.contains(&tenant));

    // 5. The root operator, in a browser of their own, suspends the tenant.
    let mut root = browser.private_page(1280, 900).await;
    root_signs_in(&mut root, &app).await;
    root.screenshot("journey/05-root-tenants").await;
    root.click_and_wait(&format!("a[href='/root/tenants/{tenant}']"))
        .await;
    root.screenshot("journey/06-root-drill-down").await;
    root.click_and_wait(&format!(
        "form[action='/root/tenants/{tenant}/status'] button.danger"
    ))
    .await;
    assert!(root.text().await.contains("Tenant suspended."));
    root.screenshot("journey/07-root-suspended-it").await;
    assert_eq!(
        app.count(&format!(
            "tenants WHERE id = '{tenant}' AND status = 'suspended'"
        ))
        .await,
        1
    );

    // 6. The owner, still signed in, sees the banner and read-only Settings.
    owner.goto(&app.url("/app/settings")).await;
    assert!(
        owner.url().await.ends_with("/app/settings"),
        "still signed in"
    );
    let text = owner.text().await;
    assert!(text.contains("Your account is paused"), "{text}");
    assert!(owner.exists(".banner.bad").await);
    let forms = owner
        .eval(
            "(() => { const f = [...document.querySelectorAll('main fieldset')]; \
             return [f.length, f.filter(e => e.disabled).length, \
               [...document.querySelectorAll('main fieldset button')].filter(b => !b.matches(':disabled')).length]; })()",
        )
        .await;
    let n = forms[0].as_u64().unwrap();
    assert!(n >= 14, "{forms}");
    assert_eq!(
        forms[1].as_u64().unwrap(),
        n,
        "every settings form disabled"
    );
    assert_eq!(forms[2], 0, "no settings button can be pressed");
    owner.screenshot("journey/08-owner-sees-read-only").await;
}
