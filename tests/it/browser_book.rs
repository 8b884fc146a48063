//! A booking made through the hosted page end to end in Chromium at 390 px
//! (phone width), with real clicks and typing and no JavaScript of ours:
//! a screenshot of every step under `target/screenshots/book/`, no horizontal
//! scroll and no layout shift on any of them; the first step at 1280 px too.

use crate::support::browser::{Browser, Page};
use crate::support::tenants::TenantSpec;
use crate::support::TestApp;
use chrono::{TimeZone, Utc};
use std::time::Duration;

async fn check(page: &mut Page, step: &str) {
    assert!(
        !page.scrolls_horizontally().await,
        "{step} scrolls sideways"
    );
    let shift = page.layout_shift(Duration::from_millis(300)).await;
    assert!(shift < 0.01, "{step} shifts by {shift}");
    page.screenshot(&format!("book/{step}-{}", page.width()))
        .await;
}

#[actix_web::test]
async fn a_customer_books_through_the_page_in_chromium_at_phone_width() {
    let Some(browser) = Browser::launch().await else {
        return;
    };
    // Plain http in the test, so the form cookie is not `Secure`.
    let app = TestApp::builder()
        .var("SERVICEPRO_PUBLIC_URL", "http://127.0.0.1:8080")
        .now(Utc.with_ymd_and_hms(2026, 12, 1, 15, 0, 0).unwrap())
        .spawn()
        .await;
    app.create_tenant(TenantSpec::default()).await;
    app.sql(
        "UPDATE tenant_config SET service_area = '{\"radius_miles\": 20, \"base\": \"Tulsa, OK\"}' \
         WHERE tenant_id = 'acme'",
    )
    .await;

    let mut wide = browser.page(1280, 800).await;
    wide.goto(&app.url("/acme/book")).await;
    check(&mut wide, "service").await;

    let mut page = browser.page(390, 844).await;
    page.goto(&app.url("/acme/book")).await;
    assert!(page.text().await.contains("Acme Detailing"));
    check(&mut page, "service").await;
    page.click(".choice").await;
    page.click_and_wait("form.book-form > button[type=submit]")
        .await;

    assert!(
        page.text().await.contains("About the job"),
        "{}",
        page.text().await
    );
    check(&mut page, "details").await;
    page.fill("#f-d_vehicle", "2021 Toyota RAV4").await;
    page.select("#f-d_vehicle_type", "suv").await;
    page.select("#f-d_condition", "normal").await;
    page.click_and_wait("form.book-form > button[type=submit]")
        .await;

    assert!(
        page.text().await.contains("Pick a day"),
        "{}",
        page.text().await
    );
    check(&mut page, "day").await;
    page.click_and_wait("button.pick-day").await;

    assert!(
        page.text().await.contains("Pick a time"),
        "{}",
        page.text().await
    );
    check(&mut page, "time").await;
    page.click("label.time").await;
    page.click_and_wait("form.book-form > button[type=submit]")
        .await;

    assert!(
        page.text().await.contains("Where and who"),
        "{}",
        page.text().await
    );
    check(&mut page, "contact").await;
    page.fill("#f-address", "77 Elm Ave, Tulsa OK 74103").await;
    page.fill("#f-name", "Robin Rivera").await;
    page.fill("#f-phone", "918 555 0188").await;
    page.click_and_wait("form.book-form > button[type=submit]")
        .await;

    let review = page.text().await;
    assert!(
        review.contains("Check and book") && review.contains("2021 Toyota RAV4"),
        "{review}"
    );
    check(&mut page, "confirm").await;
    page.click_and_wait("form.book-form > button[type=submit]")
        .await;

    let done = page.text().await;
    assert!(done.contains("You're booked"), "{done}");
    check(&mut page, "done").await;
    assert_eq!(
        app.count(
            "appointments a JOIN customers c ON c.id = a.customer_id \
             WHERE a.tenant_id = 'acme' AND c.phone = '+19185550188'"
        )
        .await,
        1
    );
    let texts = app
        .twilio
        .wait_for_messages(1, Duration::from_secs(10))
        .await;
    assert!(texts[0]
        .form
        .iter()
        .any(|(k, v)| k == "To" && v == "+19185550188"));
}
