//! The main job: `servicepro demo` runs its whole tour against a fresh
//! database and leaves the rows a newcomer should see.

use crate::support::TestDatabase;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use servicepro::config::Config;
use std::collections::HashMap;

#[derive(diesel::QueryableByName)]
struct N {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

async fn count(conn: &mut AsyncPgConnection, filter: &str) -> i64 {
    diesel::sql_query(format!("SELECT count(*)::bigint AS n FROM {filter}"))
        .get_result::<N>(conn)
        .await
        .unwrap()
        .n
}

#[actix_web::test]
async fn the_demo_tour_runs_end_to_end() {
    crate::support::init_logging();
    let db = TestDatabase::new().await;
    let vars: HashMap<String, String> = [("SERVICEPRO_BIND", "127.0.0.1:0")]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    servicepro::demo::run(Config::from_map(vars).unwrap(), db.url(), true)
        .await
        .unwrap();
    let mut conn = db.superuser().await;
    assert_eq!(
        count(&mut conn, "tenants").await,
        5,
        "root, three demo tenants and the trial that signed up"
    );
    assert_eq!(
        count(
            &mut conn,
            "tenants t JOIN tenant_phone_config p ON p.tenant_id = t.id \
             WHERE t.id = 'greenway-lawn' AND t.status = 'active' AND t.plan_tier = 'elite' \
             AND p.phone_number = '+19185550400'"
        )
        .await,
        1,
        "the trial got its number, was upgraded by Stripe, fell past due and paid again"
    );
    assert_eq!(
        count(&mut conn, "stripe_events").await,
        3,
        "three signed Stripe events applied"
    );
    assert_eq!(
        count(
            &mut conn,
            "messages WHERE tenant_id = 'greenway-lawn' AND direction = 'outbound' AND purpose = 'reply'"
        )
        .await,
        1,
        "the trial's first customer text was answered"
    );
    assert_eq!(
        count(&mut conn, "services WHERE tenant_id = 'root'").await,
        10,
        "root seeded from its pack"
    );
    assert_eq!(
        count(&mut conn, "calls").await,
        4,
        "four calls to tenants' numbers"
    );
    assert_eq!(
        count(
            &mut conn,
            "calls WHERE route IN ('forward', 'ivr', 'ai-voice-turns', 'paused')"
        )
        .await,
        4
    );
    assert_eq!(
        count(
            &mut conn,
            "messages WHERE purpose = 'booking_link' AND twilio_sid IS NOT NULL"
        )
        .await,
        1,
        "press 2 texted the booking link through the (sink) Twilio API"
    );
    // The two sign-ins the demo prints were each tried as printed (the run
    // fails otherwise) and left their browser sessions.
    assert_eq!(
        count(
            &mut conn,
            "web_sessions WHERE kind = 'owner' AND tenant_id = 'greenway-lawn'"
        )
        .await,
        1,
        "the printed owner e-mail and password signed in"
    );
    assert_eq!(
        count(&mut conn, "web_sessions WHERE kind = 'root'").await,
        1,
        "the printed root token signed in"
    );
}
