//! A database failure is an outage, never a business answer: a booking whose
//! service lookup fails is "unavailable" (the turn fails and is retried), not
//! "unknown service", and the database's error stays attached as the source.

use crate::support::tenants::TenantSpec;
use crate::support::TestApp;
use chrono::{Duration, TimeZone, Utc};
use servicepro_actors::booking::availability::Slot;
use servicepro_actors::brain::db_tools::DbTools;
use servicepro_actors::brain::tools::{AgentTools, BookingRequest, ToolError};
use servicepro_actors::clock::fixed_clock;
use servicepro_schema::TenantId;
use std::error::Error as _;

#[actix_web::test]
async fn a_database_error_while_booking_is_unavailable_not_unknown_service() {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec::default()).await;
    let now = Utc.with_ymd_and_hms(2026, 12, 1, 15, 0, 0).unwrap();
    let tools = DbTools::load(
        app.state.tenant_db(TenantId::parse("acme").unwrap()),
        app.state.desk.clone(),
        app.state.outbox.clone(),
        fixed_clock(now),
        "sms",
        &app.state.urls.public_base(),
    )
    .await
    .unwrap();
    let service_id = tools.get_services().await.unwrap()[0].id;
    // The snapshot is loaded; now the table the booking prices from goes away.
    app.sql("ALTER TABLE services RENAME TO services_gone")
        .await;
    let start = Utc.with_ymd_and_hms(2026, 12, 5, 16, 0, 0).unwrap();
    let outcome = tools
        .book_appointment(BookingRequest {
            customer_phone: Some("+14155550123".into()),
            customer_name: Some("Pat".into()),
            service_id,
            addon_ids: vec![],
            slot: Slot {
                start,
                end: start + Duration::minutes(60),
                crew: 0,
            },
            address: Some("123 Main St, Tulsa OK".into()),
            details: serde_json::json!({}),
            conversation_id: None,
        })
        .await;
    let err = outcome.expect_err("a failed lookup is an error");
    assert!(matches!(err, ToolError::Unavailable(_)), "{err:?}");
    let source = err.source().map(ToString::to_string).unwrap_or_default();
    assert!(
        source.contains("services"),
        "the database's error is kept: {source}"
    );
    assert_eq!(app.count("appointments").await, 0);
}
