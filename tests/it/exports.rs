//! Data export: a tenant's zip holds exactly its own rows, file by file (two
//! tenants in one database); one export at a time (409); allowed while
//! suspended; the download link refuses a changed byte and an expired link (403).

use crate::support::tenants::TenantSpec;
use crate::support::TestApp;
use reqwest::Method;
use serde_json::Value;
use servicepro_actors::export::ExportId;
use std::io::Read;

impl TestApp {
    async fn start_export(&self, key: &str) -> (u16, Value) {
        let res = self
            .client
            .post(self.url("/api/exports"))
            .bearer_auth(key)
            .json(&serde_json::json!({"include_recordings": false}))
            .send()
            .await
            .unwrap();
        (res.status().as_u16(), res.json().await.unwrap())
    }

    /// Polls the export until it is no longer running; its last status.
    async fn finished_export(&self, key: &str, id: &str) -> Value {
        for _ in 0..200 {
            let res = self
                .client
                .get(self.url(&format!("/api/exports/{id}")))
                .bearer_auth(key)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 200);
            let body: Value = res.json().await.unwrap();
            if body["state"] != "running" {
                return body;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("export {id} still running");
    }
}

async fn two_tenant_app() -> TestApp {
    let dir = std::env::temp_dir().join(format!("servicepro-exports-{}", rand_suffix()));
    let app = TestApp::builder()
        .var("SERVICEPRO_EXPORTS_DIR", dir.to_str().unwrap())
        .spawn()
        .await;
    app.create_tenant(TenantSpec::default()).await;
    app.create_tenant(TenantSpec {
        id: "beta",
        name: "Beta Plumbing",
        phone: "+19185550111",
        ..TenantSpec::default()
    })
    .await;
    app.sql(
        "INSERT INTO customers (tenant_id, phone, name) VALUES \
         ('acme', '+19185551001', 'Ann Acme'), ('acme', '+19185551002', 'Al \"Quote\", Acme'), \
         ('beta', '+19185552001', 'Bob Beta-Only')",
    )
    .await;
    app
}

fn rand_suffix() -> String {
    ExportId::random().as_str().to_owned()
}

#[actix_web::test]
async fn a_tenants_zip_holds_exactly_its_own_rows_file_by_file() {
    let app = two_tenant_app().await;
    let key = app.key_of("acme").await;
    let (status, started) = app.start_export(&key).await;
    assert_eq!(status, 202, "{started}");
    let id = started["id"].as_str().unwrap();
    let done = app.finished_export(&key, id).await;
    assert_eq!(done["state"], "done", "{done}");
    assert_eq!(done["progress"], 1.0);
    let url = done["download_url"].as_str().unwrap();
    let res = app.client.get(app.url(url)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let bytes = res.bytes().await.unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut names = Vec::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let mut text = String::new();
        entry.read_to_string(&mut text).unwrap();
        let name = entry.name().unwrap().to_string();
        names.push(name.clone());
        assert!(
            !text.contains("beta"),
            "{} holds another tenant's data",
            name
        );
        assert!(!text.contains("Bob Beta-Only"), "{}", name);
        if name.ends_with(".json") {
            let rows: Vec<Value> = serde_json::from_str(&text).unwrap();
            assert!(rows.iter().all(|r| r["tenant_id"] == "acme"), "{}", name);
        }
        if name == "customers.csv" {
            let mut csv = csv_rows(&text);
            let header = csv.remove(0);
            assert_eq!(&header[..3], ["tenant_id", "id", "phone"]);
            let mut people: Vec<_> = csv.iter().map(|r| r[3].clone()).collect();
            people.sort();
            assert_eq!(people, ["Al \"Quote\", Acme", "Ann Acme"]);
        }
        if name == "customers.json" {
            let rows: Vec<Value> = serde_json::from_str(&text).unwrap();
            assert_eq!(rows.len(), 2);
        }
    }
    for table in [
        "customers",
        "services",
        "appointments",
        "conversations",
        "messages",
        "calls",
        "voicemails",
        "usage",
        "billing",
        "settings",
    ] {
        assert!(
            names.contains(&format!("{table}.csv")),
            "{table}.csv missing: {names:?}"
        );
        assert!(
            names.contains(&format!("{table}.json")),
            "{table}.json missing: {names:?}"
        );
    }

    // Another tenant's key cannot see the export.
    let beta = app.key_of("beta").await;
    let res = app
        .client
        .get(app.url(&format!("/api/exports/{id}")))
        .bearer_auth(&beta)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
}

fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    for record in reader.records() {
        out.push(record.unwrap().iter().map(str::to_owned).collect());
    }
    out
}

#[actix_web::test]
async fn a_changed_byte_or_an_expired_link_is_refused_with_403() {
    let app = two_tenant_app().await;
    let key = app.key_of("acme").await;
    let (_, started) = app.start_export(&key).await;
    let id = started["id"].as_str().unwrap();
    let done = app.finished_export(&key, id).await;
    let url = done["download_url"].as_str().unwrap().to_owned();
    // One changed hex digit of the signature.
    let mut tampered = url.clone().into_bytes();
    let last = tampered.len() - 1;
    tampered[last] = if tampered[last] == b'0' { b'1' } else { b'0' };
    let res = app
        .client
        .get(app.url(&String::from_utf8(tampered).unwrap()))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert!(res.text().await.unwrap().contains("signature"));
    // A later expiry with the old signature.
    let (head, tail) = url.split_once("expires=").unwrap();
    let (expires, sig) = tail.split_once('&').unwrap();
    let later: i64 = expires.parse::<i64>().unwrap() + 1;
    let res = app
        .client
        .get(app.url(&format!("{head}expires={later}&{sig}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    // A correctly signed link whose time has passed.
    let export = ExportId::parse(id).unwrap();
    let link = app.state.exports.link_until(&export, 1_000);
    let res = app
        .client
        .get(app.url(&format!(
            "/exports/{id}/download?expires={}&sig={}",
            link.expires, link.sig
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert!(res.text().await.unwrap().contains("expired"));
    // No signature at all.
    let res = app
        .client
        .get(app.url(&format!("/exports/{id}/download")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
}

#[actix_web::test]
async fn one_export_at_a_time_and_allowed_while_suspended() {
    let app = two_tenant_app().await;
    let key = app.key_of("acme").await;
    app.sql(
        "INSERT INTO data_exports (tenant_id, id, include_recordings) \
         VALUES ('acme', '00000000000000000000000000000001', false)",
    )
    .await;
    let (status, body) = app.start_export(&key).await;
    assert_eq!(status, 409, "{body}");
    // Beta is not blocked by acme's running export.
    let beta = app.key_of("beta").await;
    let (status, _) = app.start_export(&beta).await;
    assert_eq!(status, 202);

    app.sql("UPDATE data_exports SET state = 'failed' WHERE tenant_id = 'acme'")
        .await;
    let res = app
        .admin(Method::POST, "/api/admin/tenants/acme/status")
        .json(&serde_json::json!({"status": "suspended"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let (status, started) = app.start_export(&key).await;
    assert_eq!(status, 202, "{started}");
    let done = app
        .finished_export(&key, started["id"].as_str().unwrap())
        .await;
    assert_eq!(done["state"], "done", "{done}");
}
