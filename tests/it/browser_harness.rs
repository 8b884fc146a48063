//! The browser harness itself: Chromium loads a page the server renders,
//! clicks, types, and saves a screenshot (skipped only where no Chromium exists).

use crate::support::browser::Browser;
use crate::support::TestApp;

#[actix_web::test]
async fn chromium_loads_the_stylesheet_and_a_page_and_saves_a_screenshot() {
    let Some(browser) = Browser::launch().await else {
        return;
    };
    let app = TestApp::spawn().await;
    let mut page = browser.page(390, 844).await;
    page.goto(&app.url("/healthz")).await;
    assert!(page.text().await.contains("ok"), "{}", page.text().await);
    // The stylesheet the layout links is served, cacheable, and parses as CSS.
    let css = app
        .client
        .get(app.url(servicepro::web::assets::app_css_href()))
        .send()
        .await
        .unwrap();
    assert_eq!(css.status(), 200);
    assert!(css.headers()["cache-control"]
        .to_str()
        .unwrap()
        .contains("immutable"));
    let etag = css.headers()["etag"].to_str().unwrap().to_owned();
    let again = app
        .client
        .get(app.url("/static/app.css"))
        .header("If-None-Match", etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    // A page built in the browser: typing and a real click reach the DOM.
    page.eval(
        "document.body.innerHTML = '<input id=n><button id=b onclick=\"document.title=document.getElementById(`n`).value\">go</button>'",
    )
    .await;
    page.fill("#n", "typed by keys").await;
    page.click("#b").await;
    assert_eq!(page.eval("document.title").await, "typed by keys");
    assert!(!page.scrolls_horizontally().await);
    let shot = page.screenshot("harness/healthz-390").await;
    let png = std::fs::read(shot).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
}
