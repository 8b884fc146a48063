//! The knowledge base: a tenant's spreadsheet import lands in `kb_entries`
//! (upserted by question, skipped rows reported) and its answers win over
//! the industry pack's when the agent searches.

use crate::support::tenants::TenantSpec;
use crate::support::TestApp;
use servicepro_actors::brain::db_tools::DbTools;
use servicepro_actors::brain::tools::AgentTools;
use servicepro_actors::clock::system_clock;
use servicepro_actors::kb_admin::{parse_spreadsheet, store_entries};
use servicepro_schema::TenantId;

#[actix_web::test]
async fn imported_entries_override_the_pack() {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec::default()).await;
    let tenant = TenantId::parse("acme").unwrap();
    let csv = b"question,answer,category,keywords\r\nWhat if it rains?,\"We detail in your garage, or move you to the next dry day at no charge.\",weather,\"rain, weather\"\r\n,no question,general,\r\n";
    let report = parse_spreadsheet("kb.csv", csv).unwrap();
    assert_eq!(report.entries.len(), 1);
    assert_eq!(report.skipped.len(), 1, "{:?}", report.skipped);
    assert_eq!(
        store_entries(&app.state.root_db, "test", &tenant, &report)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        store_entries(&app.state.root_db, "test", &tenant, &report)
            .await
            .unwrap(),
        1,
        "re-import replaces"
    );
    assert_eq!(app.count("kb_entries WHERE tenant_id = 'acme'").await, 1);

    let xlsx = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/kb/knowledge.xlsx"
    ))
    .unwrap();
    let report = parse_spreadsheet("KB.XLSX", &xlsx).unwrap();
    assert!(!report.entries.is_empty());
    assert!(parse_spreadsheet("kb.pdf", b"%PDF").is_err());

    let tools = DbTools::load(
        app.state.tenant_db(tenant),
        app.state.desk.clone(),
        app.state.outbox.clone(),
        system_clock(),
        "sms",
        &app.state.urls.public_base(),
    )
    .await
    .unwrap();
    let answer = tools
        .search_kb("what happens if it rains on my appointment")
        .await
        .unwrap()
        .unwrap();
    assert!(
        answer.answer.contains("garage"),
        "the tenant's answer wins: {answer:?}"
    );
    assert!(tools
        .search_kb("what is the capital of france")
        .await
        .unwrap()
        .is_none());
}
