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
        4,
        "root and three demo tenants"
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
}
