//! Creating test tenants through the real admin API, plus settings that
//! have no API yet, written as the superuser.

use super::app::TestApp;
use diesel_async::SimpleAsyncConnection;
use reqwest::Method;
use serde_json::json;

/// A tenant to create.
pub struct TenantSpec<'a> {
    /// Id.
    pub id: &'a str,
    /// Business name.
    pub name: &'a str,
    /// Industry pack.
    pub industry: &'a str,
    /// Tier.
    pub plan_tier: &'a str,
    /// Status.
    pub status: &'a str,
    /// Its number.
    pub phone: &'a str,
    /// Call mode.
    pub ivr_mode: &'a str,
    /// Whether AI receptionist calls are recorded.
    pub record_calls: bool,
}

impl Default for TenantSpec<'_> {
    fn default() -> Self {
        TenantSpec {
            id: "acme",
            name: "Acme Detailing",
            industry: "mobile-detailing",
            plan_tier: "elite",
            status: "active",
            phone: "+19185550100",
            ivr_mode: "ivr",
            record_calls: false,
        }
    }
}

/// The owner's SIP address every test tenant forwards to.
pub const OWNER_SIP: &str = "jody@cleanmachinetulsa.sip.twilio.com";
/// The owner's cell, for notices.
pub const OWNER_CELL: &str = "+19185550199";
/// The booking page texted on "press 2".
pub const BOOKING_URL: &str = "https://book.example.test/acme";

impl TestApp {
    /// Creates a tenant forwarding to [`OWNER_SIP`], with owner phone and booking URL set.
    pub async fn create_tenant(&self, spec: TenantSpec<'_>) {
        let res = self
            .admin(Method::POST, "/api/admin/tenants")
            .json(&json!({
                "id": spec.id, "name": spec.name, "industry": spec.industry,
                "plan_tier": spec.plan_tier, "status": spec.status,
                "phone_number": spec.phone, "ivr_mode": spec.ivr_mode, "sip_uri": OWNER_SIP,
                "record_calls": spec.record_calls,
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
        self.sql(&format!(
            "UPDATE tenant_config SET owner_phone = '{OWNER_CELL}', booking_url = '{BOOKING_URL}' WHERE tenant_id = '{}'",
            spec.id
        ))
        .await;
    }

    /// Runs SQL as the superuser.
    pub async fn sql(&self, sql: &str) {
        self.db.superuser().await.batch_execute(sql).await.unwrap();
    }

    /// Counts rows as the superuser.
    pub async fn count(&self, table_and_filter: &str) -> i64 {
        #[derive(diesel::QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        use diesel_async::RunQueryDsl;
        let mut conn = self.db.superuser().await;
        let row: N = diesel::sql_query(format!(
            "SELECT count(*)::bigint AS n FROM {table_and_filter}"
        ))
        .get_result(&mut conn)
        .await
        .unwrap();
        row.n
    }
}
