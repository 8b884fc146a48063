//! A tenant's own `sms_templates` rows are what its customers receive: an
//! owner's edit of a seeded template replaces the pack's wording, in the
//! inline replies of the SMS webhook.

use crate::sms_inbound::text;
use crate::support::tenants::{TenantSpec, OWNER_CELL};
use crate::support::TestApp;

/// Replaces the tenant's seeded template for `key` (the edit is made before
/// the tenant's first text, so no snapshot of it is cached yet).
async fn edit_template(app: &TestApp, key: &str, body: &str) {
    app.sql(&format!(
        "UPDATE sms_templates SET body = '{body}', updated_at = now() \
         WHERE tenant_id = 'acme' AND template_key = '{key}'"
    ))
    .await;
    assert_eq!(
        app.count(&format!(
            "sms_templates WHERE tenant_id = 'acme' AND template_key = '{key}' AND body = '{body}'"
        ))
        .await,
        1,
        "the seeded row was edited"
    );
}

#[actix_web::test]
async fn an_edited_help_reply_is_what_the_customer_receives() {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec::default()).await;
    edit_template(
        &app,
        "help_reply",
        "{business_name} here! Questions? Call {owner_phone}. Text STOP to opt out.",
    )
    .await;
    let doc = text(&app, "SM_tpl_help", "help").await;
    let expected = format!(
        "<Message>Acme Detailing here! Questions? Call {OWNER_CELL}. Text STOP to opt out.</Message>"
    );
    assert!(doc.contains(&expected), "{doc}");
    assert_eq!(
        app.count("messages WHERE direction = 'outbound' AND body LIKE 'Acme Detailing here!%'")
            .await,
        1,
        "the reply sent is the one recorded"
    );
}

#[actix_web::test]
async fn an_edited_booking_confirmation_is_what_the_customer_receives() {
    let now = "2026-12-01T15:00:00Z".parse().unwrap();
    let app = TestApp::builder().now(now).spawn().await;
    app.create_tenant(TenantSpec {
        industry: "house-cleaning",
        name: "Acme Services",
        ..TenantSpec::default()
    })
    .await;
    edit_template(
        &app,
        "booking_confirmation",
        "Booked: {service} {date} {time}. See you, {customer_name}! - {business_name}",
    )
    .await;
    let offers = text(
        &app,
        "SM_tpl_1",
        "Hi! Looking for a deep clean this friday afternoon, 3 bed 2 bath, 742 Evergreen Ave Tulsa OK 74105",
    )
    .await;
    assert!(offers.contains("Friday"), "{offers}");
    text(&app, "SM_tpl_2", "no").await;
    let confirmation = text(&app, "SM_tpl_3", "1").await;
    assert!(
        confirmation.contains("<Message>Booked: Deep Cleaning Friday Dec 4 ")
            && confirmation.contains(". See you, there! - Acme Services</Message>"),
        "{confirmation}"
    );
    assert_eq!(
        app.count("appointments WHERE tenant_id = 'acme' AND status = 'booked'")
            .await,
        1
    );
}
