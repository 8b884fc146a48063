//! Twenty customers race for the last free slot of a day through two
//! engine instances (separate pools and booking actors, as two server
//! processes have) on one database: exactly one wins, every other gets
//! fresh offers, and the database never holds two overlapping bookings.

use crate::support::tenants::TenantSpec;
use crate::support::TestApp;
use chrono::{DateTime, Duration, TimeZone, Utc};
use futures_util::future::join_all;
use servicepro::state::AppState;
use servicepro_actors::booking::availability::Slot;
use servicepro_actors::brain::db_tools::DbTools;
use servicepro_actors::brain::tools::{AgentTools, BookOutcome, BookingRequest};
use servicepro_actors::clock::fixed_clock;
use servicepro_schema::{DbPool, PoolSettings, TenantId};

async fn tools(state: &AppState, now: DateTime<Utc>) -> DbTools {
    DbTools::load(
        state.tenant_db(TenantId::parse("acme").unwrap()),
        state.desk.clone(),
        state.outbox.clone(),
        fixed_clock(now),
        "sms",
        &state.urls.public_base(),
    )
    .await
    .unwrap()
}

#[actix_web::test]
async fn twenty_customers_race_for_the_last_slot_across_two_instances() {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec::default()).await;
    // One crew, no travel buffer; Saturday 2026-12-05 is booked solid but for 4 PM–6 PM.
    app.sql("UPDATE tenant_config SET booking_rules = '{\"crews\": 1, \"travel_buffer_minutes\": 0}' WHERE tenant_id = 'acme'").await;
    app.sql(
        "INSERT INTO customers (tenant_id, phone) VALUES ('acme', '+14155550000'); \
         INSERT INTO appointments (tenant_id, customer_id, service_id, starts_at, ends_at, busy_until, price_cents) \
         SELECT 'acme', c.id, s.id, '2026-12-05 14:00Z', '2026-12-05 22:00Z', '2026-12-05 22:00Z', 1 \
         FROM customers c, services s WHERE c.tenant_id = 'acme' AND s.tenant_id = 'acme' AND s.name = 'Maintenance Wash'",
    )
    .await;
    let wash: i64 = {
        use diesel::{ExpressionMethods, QueryDsl};
        use diesel_async::RunQueryDsl;
        use servicepro_schema::schema::services;
        services::table
            .filter(services::tenant_id.eq("acme"))
            .filter(services::name.eq("Maintenance Wash"))
            .select(services::id)
            .first(&mut app.db.superuser().await)
            .await
            .unwrap()
    };
    let now = Utc.with_ymd_and_hms(2026, 12, 1, 15, 0, 0).unwrap();
    let second = AppState::start(
        app.state.config.as_ref().clone(),
        DbPool::new(&PoolSettings::new(app.db.url())).unwrap(),
    )
    .unwrap();
    let (a, b) = (tools(&app.state, now).await, tools(&second, now).await);

    let start = Utc.with_ymd_and_hms(2026, 12, 5, 22, 0, 0).unwrap(); // 4:00 PM in Tulsa
    let slot = Slot {
        start,
        end: start + Duration::minutes(60),
        crew: 0,
    };
    let attempts = (0..20).map(|i| {
        let tools = if i % 2 == 0 { &a } else { &b };
        let request = BookingRequest {
            customer_phone: Some(format!("+1415555{i:04}")),
            customer_name: Some(format!("Racer {i}")),
            service_id: wash,
            addon_ids: vec![],
            slot,
            address: Some("123 Main St, Tulsa OK".into()),
            details: serde_json::json!({}),
            conversation_id: None,
        };
        tools.book_appointment(request)
    });
    let outcomes: Vec<BookOutcome> = join_all(attempts)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    let winners = outcomes
        .iter()
        .filter(|o| matches!(o, BookOutcome::Booked(_)))
        .count();
    assert_eq!(
        winners, 1,
        "exactly one customer gets the slot: {outcomes:?}"
    );
    for outcome in &outcomes {
        match outcome {
            BookOutcome::Booked(appointment) => assert_eq!(appointment.starts_at, start),
            BookOutcome::SlotTaken { alternatives }
            | BookOutcome::Rejected { alternatives, .. } => {
                assert!(
                    !alternatives.is_empty(),
                    "a lost race gets fresh offers: {outcome:?}"
                );
                assert!(alternatives.iter().all(|s| s.start != start));
            }
        }
    }
    assert_eq!(
        app.count("appointments WHERE status = 'booked' AND starts_at = '2026-12-05 22:00Z'")
            .await,
        1
    );
    assert_eq!(
        app.count("appointments a JOIN appointments b ON a.tenant_id = b.tenant_id AND a.crew = b.crew AND a.id < b.id AND a.status = 'booked' AND b.status = 'booked' AND tstzrange(a.starts_at, a.busy_until) && tstzrange(b.starts_at, b.busy_until)").await,
        0,
        "no double booking"
    );
}

#[actix_web::test]
async fn the_database_refuses_an_overlap_even_without_the_engine() {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec::default()).await;
    app.sql(
        "INSERT INTO customers (tenant_id, phone) VALUES ('acme', '+14155550001'); \
         INSERT INTO appointments (tenant_id, customer_id, service_id, starts_at, ends_at, busy_until, price_cents) \
         SELECT 'acme', c.id, s.id, '2026-12-05 15:00Z', '2026-12-05 16:00Z', '2026-12-05 16:30Z', 1 \
         FROM customers c, services s WHERE c.tenant_id = 'acme' AND s.tenant_id = 'acme' LIMIT 1",
    )
    .await;
    let overlap = {
        use diesel_async::SimpleAsyncConnection;
        app.db
            .superuser()
            .await
            .batch_execute(
                "INSERT INTO appointments (tenant_id, customer_id, service_id, starts_at, ends_at, busy_until, price_cents) \
                 SELECT tenant_id, customer_id, service_id, '2026-12-05 16:15Z', '2026-12-05 17:00Z', '2026-12-05 17:00Z', 1 FROM appointments",
            )
            .await
    };
    assert!(
        overlap.is_err_and(|e| e.to_string().contains("appointments_no_overlap")),
        "inside the travel buffer"
    );
    app.sql("INSERT INTO appointments (tenant_id, customer_id, service_id, crew, starts_at, ends_at, busy_until, price_cents) SELECT tenant_id, customer_id, service_id, 1, '2026-12-05 15:00Z', '2026-12-05 16:00Z', '2026-12-05 16:30Z', 1 FROM appointments").await;
    assert_eq!(
        app.count("appointments").await,
        2,
        "another crew may work at the same time"
    );
}
