//! Every site template in headless Chromium at 390 px and 1280 px: no horizontal
//! scroll, no layout shift after load, the chat widget running under the page's
//! CSP, the content readable with JavaScript off; screenshots saved as
//! `target/screenshots/sites/<template>-<width>.png` (whole page) and
//! `…-<width>-fold.png` (the first screen).

use crate::support::browser::{screenshot_dir, Browser};
use crate::support::tenants::TenantSpec;
use crate::support::TestApp;
use base64::Engine as _;
use reqwest::Method;
use serde_json::json;
use servicepro_actors::website::template::TemplateId;
use std::time::Duration;

#[actix_web::test]
async fn every_template_fits_390_and_1280_without_shifting() {
    let Some(browser) = Browser::launch().await else {
        return;
    };
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec {
        id: "clean-machine",
        name: "Clean Machine Auto Detailing",
        ..TenantSpec::default()
    })
    .await;
    let key = app.key_of("clean-machine").await;
    for template in TemplateId::ALL {
        let res = app
            .owner(Method::PUT, "/api/tenant/website", &key)
            .json(&json!({"template": template.slug()}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        for (width, height) in [(390, 844), (1280, 800)] {
            let mut page = browser.page(width, height).await;
            page.goto(&app.url("/clean-machine/")).await;
            let what = format!("{template} at {width}px");
            assert!(
                !page.scrolls_horizontally().await,
                "{what}: scrolls sideways"
            );
            let shift = page.layout_shift(Duration::from_millis(400)).await;
            assert!(shift < 0.01, "{what}: layout shift {shift}");
            assert!(
                page.exists(".chat:not([hidden])").await,
                "{what}: the chat widget did not start (CSP hash?)"
            );
            assert!(page.exists("a[href='/clean-machine/book']").await, "{what}");
            assert!(page.exists("a[href^='tel:+1']").await, "{what}");
            page.screenshot(&format!("sites/{}-{width}", template.slug()))
                .await;
            // What a visitor sees first (the viewport only), for review.
            let fold = page
                .call("Page.captureScreenshot", json!({"format": "png"}))
                .await;
            let png = base64::engine::general_purpose::STANDARD
                .decode(fold["data"].as_str().unwrap())
                .unwrap();
            let path = screenshot_dir().join(format!("sites/{}-{width}-fold.png", template.slug()));
            std::fs::write(path, png).unwrap();
        }
    }
    // Without JavaScript the content is all there, and the widget stays out of the way.
    let mut page = browser.page(390, 844).await;
    page.call(
        "Emulation.setScriptExecutionDisabled",
        json!({"value": true}),
    )
    .await;
    page.goto(&app.url("/clean-machine/")).await;
    let text = page.text().await;
    assert!(
        text.contains("Full Detail") && text.contains("Monday"),
        "{text}"
    );
    assert!(page.exists(".chat[hidden]").await);
}
