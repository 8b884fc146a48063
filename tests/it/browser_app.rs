//! The owner's app in headless Chromium: sign in with the password, change the
//! business hours on Settings, see them on Today; every page at 390 px (no
//! horizontal scroll) and 1280 px, saved as `target/screenshots/app/<page>-<w>.png`.

use crate::app_pages::seed;
use crate::app_sign_in::{app_with_owner, PASSWORD};
use crate::support::browser::Browser;

#[actix_web::test]
async fn an_owner_signs_in_changes_the_hours_and_sees_them_on_today() {
    let Some(browser) = Browser::launch().await else {
        return;
    };
    let (app, tenant) = app_with_owner().await;
    let ids = seed(&app, &tenant).await;
    let mut page = browser.page(390, 844).await;

    page.goto(&app.url("/app/settings")).await;
    assert!(page
        .url()
        .await
        .contains("/app/sign-in?next=%2Fapp%2Fsettings"));
    page.screenshot("app/sign-in-390").await;
    page.fill("#email", "jody@example.com").await;
    page.fill("#password", PASSWORD).await;
    page.click_and_wait("form[action='/app/sign-in'] button[type=submit]")
        .await;
    assert!(
        page.url().await.ends_with("/app/settings"),
        "{}",
        page.url().await
    );

    // Every day 06:45–15:30, none closed, through the real form.
    page.eval(
        "document.querySelectorAll('input[name$=_open]').forEach(e => e.value = '06:45'); \
         document.querySelectorAll('input[name$=_close]').forEach(e => e.value = '15:30'); \
         document.querySelectorAll('input[name$=_closed]').forEach(e => e.checked = false); true",
    )
    .await;
    assert!(
        !page.scrolls_horizontally().await,
        "settings scrolls sideways at 390 px"
    );
    page.click_and_wait("form[action='/app/settings/hours'] button[type=submit]")
        .await;
    assert!(page.url().await.ends_with("/app/settings?saved=hours"));
    assert!(page.text().await.contains("Business hours saved."));

    page.goto(&app.url("/app")).await;
    let today = page.text().await;
    assert!(today.contains("Open today 06:45–15:30"), "{today}");
    assert!(today.contains("Booked a full detail for tomorrow."));

    let pages = [
        ("today", "/app".to_owned()),
        ("appointments", "/app/appointments".to_owned()),
        (
            "appointment",
            format!("/app/appointments/{}", ids.appointment),
        ),
        ("conversations", "/app/conversations".to_owned()),
        (
            "conversation",
            format!("/app/conversations/{}", ids.conversation),
        ),
        ("calls", "/app/calls".to_owned()),
        ("call", format!("/app/calls/{}", ids.call)),
        ("settings", "/app/settings".to_owned()),
    ];
    for (name, path) in &pages {
        page.goto(&app.url(path)).await;
        assert!(
            !page.scrolls_horizontally().await,
            "{name} scrolls sideways at 390 px"
        );
        page.screenshot(&format!("app/{name}-390")).await;
    }
    page.set_viewport(1280, 900).await;
    for (name, path) in &pages {
        page.goto(&app.url(path)).await;
        page.screenshot(&format!("app/{name}-1280")).await;
    }
    // Signing out from the header ends the session.
    page.click_and_wait("form[action='/app/sign-out'] button")
        .await;
    assert!(page.url().await.contains("/app/sign-in"));
    page.screenshot("app/sign-in-1280").await;
    page.goto(&app.url("/app")).await;
    assert!(page.url().await.contains("/app/sign-in?next=%2Fapp"));
}
