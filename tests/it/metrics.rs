//! `/metrics` per tenant, through the HTTP surface: a text in, its inline reply and a
//! booking's confirmation out, a booking, a call's start and end, and bad webhook
//! signatures show up on the `tenant`-labelled series; with a tiny
//! `SERVICEPRO_METRICS_TENANT_CAP` a second tenant folds into `_other`; every line of
//! the exposition parses as OpenMetrics text; the root dashboard counts webhook
//! rejections in the last hour.

use crate::book_page::{to_confirm, Visitor};
use crate::media_stream::{app_with_provider_and, start_frame, ws_request};
use crate::sms_inbound::text;
use crate::support::tenants::TenantSpec;
use crate::support::twilio_client::{ACCOUNT_SID, AUTH_TOKEN};
use crate::support::TestApp;
use futures_util::SinkExt;
use servicepro_actors::realtime::fake_server::{FakeRealtimeServer, FakeScript};
use servicepro_actors::twilio::expected_signature;
use std::collections::{BTreeMap, HashMap};
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;

/// One sample line: family-qualified name, labels, value.
#[derive(Debug)]
struct Sample {
    name: String,
    labels: BTreeMap<String, String>,
    value: f64,
}

fn is_metric_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == ':')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
}

/// `k="v",k2="v2"` (values without escapes, as ours are).
fn parse_labels(raw: &str) -> BTreeMap<String, String> {
    let mut labels = BTreeMap::new();
    let mut rest = raw;
    while !rest.is_empty() {
        let (key, after) = rest.split_once("=\"").expect("label key");
        assert!(is_metric_name(key), "label name {key:?}");
        let (value, after) = after.split_once('"').expect("closing quote");
        labels.insert(key.to_owned(), value.to_owned());
        rest = after.strip_prefix(',').unwrap_or(after);
    }
    labels
}

/// Checks the exposition line by line (HELP/TYPE before a family's samples, names,
/// labels and values well formed, a counter's samples named `_total`, `# EOF` last)
/// and returns its samples.
fn parse_exposition(text: &str) -> Vec<Sample> {
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.last(), Some(&"# EOF"), "ends with # EOF");
    let mut types: HashMap<String, String> = HashMap::new();
    let mut samples = Vec::new();
    for line in &lines[..lines.len() - 1] {
        if let Some(rest) = line.strip_prefix("# HELP ") {
            let name = rest.split(' ').next().unwrap_or_default();
            assert!(is_metric_name(name), "{line}");
        } else if let Some(rest) = line.strip_prefix("# TYPE ") {
            let (name, kind) = rest.split_once(' ').expect(line);
            assert!(is_metric_name(name), "{line}");
            assert!(
                ["counter", "gauge", "histogram", "info", "unknown"].contains(&kind),
                "{line}"
            );
            assert!(
                types.insert(name.to_owned(), kind.to_owned()).is_none(),
                "one TYPE per family: {line}"
            );
        } else {
            let (series, value) = line.rsplit_once(' ').expect(line);
            let value: f64 = value.parse().unwrap_or_else(|_| panic!("value of {line}"));
            let (name, labels) = match series.split_once('{') {
                Some((name, rest)) => (name, parse_labels(rest.strip_suffix('}').expect(line))),
                None => (series, BTreeMap::new()),
            };
            assert!(is_metric_name(name), "{line}");
            let family = match types.get(name) {
                Some(_) => name,
                None => name.strip_suffix("_total").expect(line),
            };
            let kind = types
                .get(family)
                .unwrap_or_else(|| panic!("no TYPE before {line}"));
            if kind == "counter" {
                assert!(name.ends_with("_total"), "counter sample {line}");
            }
            samples.push(Sample {
                name: name.to_owned(),
                labels,
                value,
            });
        }
    }
    samples
}

/// The value of `name` with exactly `labels`, if exported.
fn value(samples: &[Sample], name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    let want: BTreeMap<String, String> = labels
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    samples
        .iter()
        .find(|s| s.name == name && s.labels == want)
        .map(|s| s.value)
}

/// Scrapes `/metrics` until `ok` holds (the outbox counts after Twilio answers), at most 10 s.
async fn scrape_until(app: &TestApp, ok: impl Fn(&[Sample]) -> bool) -> Vec<Sample> {
    let mut samples = Vec::new();
    for _ in 0..200 {
        let res = app.client.get(app.url("/metrics")).send().await.unwrap();
        assert_eq!(
            res.headers()["content-type"],
            "application/openmetrics-text; version=1.0.0; charset=utf-8"
        );
        samples = parse_exposition(&res.text().await.unwrap());
        if ok(&samples) {
            return samples;
        }
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    samples
}

const ACME: [(&str, &str); 1] = [("tenant", "acme")];

#[actix_web::test]
async fn texts_a_booking_and_bad_signatures_are_counted_for_their_tenant() {
    let app = crate::book_page::app().await;
    let doc = text(
        &app,
        "SM_metrics_1",
        "hi, what do you charge for a full detail?",
    )
    .await;
    assert!(doc.contains("<Message>"), "answered inline: {doc}");

    let (mut visitor, html) = Visitor::open(&app, "acme").await;
    to_confirm(&mut visitor, &html).await;
    let (status, html) = visitor.post(&[("step", "confirm")]).await;
    assert_eq!(status, 200);
    assert!(html.contains("You're booked"), "{html}");

    let forged = app
        .twilio_post_with(
            "not-the-token",
            "/twilio/sms/incoming",
            &[
                ("AccountSid", ACCOUNT_SID),
                ("MessageSid", "SM_forged"),
                ("From", "+14155550777"),
                ("To", "+19185550100"),
                ("Body", "hi"),
            ],
        )
        .await;
    assert_eq!(forged.status(), 403);
    let nobody = app
        .twilio_post_with(
            "not-the-token",
            "/twilio/sms/incoming",
            &[
                ("AccountSid", ACCOUNT_SID),
                ("MessageSid", "SM_nobody"),
                ("From", "+14155550777"),
                ("To", "+19185550999"),
                ("Body", "hi"),
            ],
        )
        .await;
    assert_eq!(nobody.status(), 403);

    let out = "servicepro_tenant_texts_out_total";
    let samples = scrape_until(&app, |s| value(s, out, &ACME) == Some(2.0)).await;
    assert_eq!(
        value(&samples, out, &ACME),
        Some(2.0),
        "the inline reply and the booking's confirmation text"
    );
    assert_eq!(
        value(&samples, "servicepro_tenant_texts_in_total", &ACME),
        Some(1.0)
    );
    assert_eq!(
        value(&samples, "servicepro_tenant_bookings_total", &ACME),
        Some(1.0)
    );
    let rejections = "servicepro_tenant_webhook_rejections_total";
    assert_eq!(value(&samples, rejections, &ACME), Some(1.0));
    assert_eq!(
        value(&samples, rejections, &[("tenant", "_unknown")]),
        Some(1.0)
    );
    assert_eq!(
        value(&samples, "servicepro_auth_rejected_total", &[]),
        Some(2.0),
        "the process-wide count goes on"
    );
    assert_eq!(
        app.state.metrics.tenants.webhook_rejections_last_hour(),
        2,
        "the root dashboard's last hour"
    );
}

#[actix_web::test]
async fn a_call_is_live_for_its_tenant_until_it_ends() {
    let (_, provider) = FakeRealtimeServer::start(FakeScript::default())
        .await
        .unwrap();
    let app = app_with_provider_and(&provider, &[]).await;
    let twiml = app
        .twilio_post(
            "/twilio/voice/incoming",
            &[
                ("CallSid", "CA_m"),
                ("From", "+14158675309"),
                ("To", "+19185550100"),
            ],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(twiml.contains("<Connect><Stream"), "{twiml}");
    let signature = expected_signature(
        AUTH_TOKEN,
        "wss://sp.example.test/twilio/media-stream/acme",
        &[],
    );
    let (mut socket, _) = tokio_tungstenite::connect_async(ws_request(&app, &signature))
        .await
        .unwrap();
    socket.send(start_frame("MZ_m", "CA_m")).await.unwrap();
    let live = "servicepro_tenant_calls_live";
    let samples = scrape_until(&app, |s| value(s, live, &ACME) == Some(1.0)).await;
    assert_eq!(
        value(&samples, live, &ACME),
        Some(1.0),
        "live while the call runs"
    );
    assert_eq!(value(&samples, "servicepro_ai_calls_live", &[]), Some(1.0));

    let stop = serde_json::json!({ "event": "stop", "sequenceNumber": "2", "streamSid": "MZ_m", "stop": { "accountSid": ACCOUNT_SID, "callSid": "CA_m" } });
    socket.send(Message::text(stop.to_string())).await.unwrap();
    let samples = scrape_until(&app, |s| value(s, live, &ACME) == Some(0.0)).await;
    assert_eq!(
        value(&samples, live, &ACME),
        Some(0.0),
        "back to zero once ended"
    );
    assert_eq!(value(&samples, "servicepro_ai_calls_live", &[]), Some(0.0));
    drop(socket);
    actix_web::rt::time::sleep(Duration::from_millis(200)).await;
    let samples = scrape_until(&app, |_| true).await;
    assert_eq!(
        value(&samples, live, &ACME),
        Some(0.0),
        "the socket closing does not count the end again"
    );
}

#[actix_web::test]
async fn tenants_past_the_cap_fold_into_other() {
    let app = TestApp::builder()
        .var("SERVICEPRO_METRICS_TENANT_CAP", "1")
        .spawn()
        .await;
    app.create_tenant(TenantSpec::default()).await;
    app.create_tenant(TenantSpec {
        id: "bolt",
        name: "Bolt Detailing",
        phone: "+19185550101",
        ..TenantSpec::default()
    })
    .await;
    for (sid, to) in [
        ("SM_c1", "+19185550100"),
        ("SM_c2", "+19185550101"),
        ("SM_c3", "+19185550101"),
    ] {
        let res = app
            .twilio_post(
                "/twilio/sms/incoming",
                &[
                    ("AccountSid", ACCOUNT_SID),
                    ("MessageSid", sid),
                    ("From", "+14155550777"),
                    ("To", to),
                    ("Body", "hi"),
                ],
            )
            .await;
        assert_eq!(res.status(), 200);
    }
    let samples = scrape_until(&app, |_| true).await;
    let texts_in: Vec<(&str, f64)> = samples
        .iter()
        .filter(|s| s.name == "servicepro_tenant_texts_in_total")
        .map(|s| (s.labels["tenant"].as_str(), s.value))
        .collect();
    assert_eq!(
        texts_in.len(),
        2,
        "one tenant label and _other: {texts_in:?}"
    );
    assert!(texts_in.contains(&("acme", 1.0)), "{texts_in:?}");
    assert!(texts_in.contains(&("_other", 2.0)), "{texts_in:?}");
}

#[actix_web::test]
async fn a_bad_cap_is_refused_naming_the_variable() {
    let vars: HashMap<String, String> =
        [("SERVICEPRO_METRICS_TENANT_CAP".to_owned(), "0".to_owned())].into();
    let err = servicepro::config::Config::from_map(vars).unwrap_err();
    assert!(
        err.to_string().contains("SERVICEPRO_METRICS_TENANT_CAP"),
        "{err}"
    );
}

#[actix_web::test]
async fn the_root_dashboard_counts_webhook_rejections_of_the_last_hour() {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec::default()).await;
    let wrong_key = app
        .client
        .get(app.url("/api/admin/tenants"))
        .bearer_auth("not-the-root-token-0123")
        .send()
        .await
        .unwrap();
    assert_eq!(
        wrong_key.status(),
        401,
        "an auth rejection, not a webhook's"
    );
    for sid in ["SM_r1", "SM_r2"] {
        let res = app
            .twilio_post_with(
                "not-the-token",
                "/twilio/sms/incoming",
                &[
                    ("AccountSid", ACCOUNT_SID),
                    ("MessageSid", sid),
                    ("From", "+14155550777"),
                    ("To", "+19185550100"),
                    ("Body", "hi"),
                ],
            )
            .await;
        assert_eq!(res.status(), 403);
    }
    let web = crate::dashboard_root::root_browser(&app).await;
    let page = web.get("/root").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains(
            r#"<p class="muted">Webhook rejections, last hour</p><p class="stat bad-ink">2</p>"#
        ),
        "{}",
        page.body
    );
}
