//! Every scripted conversation in `fixtures/conversations/` played through
//! the real SMS webhook (signed requests, PostgreSQL, the offline brain,
//! the booking actors) at the fixture's fixed "now", then the facts it
//! promises checked in the database rows.
//!
//! Fixtures that simulate a lost race (`take_next_slot`) or failing tools
//! (`failing`), and those carried on by the simulated customer
//! (`[customer]`, which reads the engine's state), need the engine's own
//! test double; they are played by
//! the engine's own runner (`brain::engine` tests) and skipped here —
//! real races are covered by `booking_race`.

use crate::support::tenants::TenantSpec;
use crate::support::twilio_client::ACCOUNT_SID;
use crate::support::TestApp;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

const NUMBER: &str = "+19185550100";
const DEFAULT_PHONE: &str = "+19185550123";

#[derive(Debug, Deserialize)]
struct Fixture {
    industry: String,
    now: DateTime<Utc>,
    description: String,
    #[serde(default)]
    phone: Option<String>,
    #[serde(default)]
    setup: Setup,
    #[serde(rename = "turn")]
    turns: Vec<Turn>,
    #[serde(default)]
    expect: Expect,
    /// A simulated customer (engine runner only: it reads the engine's state).
    #[serde(default)]
    customer: Option<toml::Value>,
}

#[derive(Debug, Default, Deserialize)]
struct Setup {
    #[serde(default)]
    service_area: Vec<String>,
    #[serde(default)]
    area: Option<serde_json::Value>,
    #[serde(default)]
    busy: Vec<Busy>,
    #[serde(default)]
    take_next_slot: bool,
    #[serde(default)]
    appointments: Vec<Existing>,
    #[serde(default)]
    failing: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Busy {
    crew: u8,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
}

#[derive(Debug, Deserialize)]
struct Existing {
    service: String,
    start: DateTime<Utc>,
    #[serde(default)]
    phone: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Turn {
    say: String,
    #[serde(default)]
    reply_contains: Vec<String>,
    #[serde(default)]
    reply_lacks: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
struct Expect {
    #[serde(default)]
    appointment: Option<AppointmentExpect>,
    #[serde(default)]
    no_appointment: bool,
    #[serde(default)]
    handoff: bool,
    #[serde(default)]
    no_handoff: bool,
    #[serde(default)]
    cancelled: bool,
    #[serde(default)]
    rescheduled_to: Option<LocalTime>,
    #[serde(default)]
    message_taken: bool,
}

#[derive(Debug, Deserialize)]
struct AppointmentExpect {
    service: String,
    #[serde(default)]
    date: Option<NaiveDate>,
    #[serde(default)]
    time: Option<NaiveTime>,
    #[serde(default)]
    price_cents: Option<i32>,
    #[serde(default)]
    addons: Option<Vec<String>>,
    #[serde(default)]
    address_contains: Option<String>,
    #[serde(default)]
    customer_name: Option<String>,
    #[serde(default)]
    details: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
struct LocalTime {
    date: NaiveDate,
    time: NaiveTime,
}

fn fixtures() -> Vec<(PathBuf, Fixture)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/conversations");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let fx: Fixture = toml::from_str(&std::fs::read_to_string(&p).unwrap())
                .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
            (p, fx)
        })
        .collect()
}

fn quote(s: &str) -> String {
    s.replace('\'', "''")
}

async fn setup(app: &TestApp, fx: &Fixture) {
    let (zips, cities): (Vec<&String>, Vec<&String>) = fx
        .setup
        .service_area
        .iter()
        .partition(|a| a.len() == 5 && a.chars().all(|c| c.is_ascii_digit()));
    let area = fx
        .setup
        .area
        .clone()
        .unwrap_or_else(|| serde_json::json!({ "cities": cities, "zips": zips }));
    app.sql(&format!(
        "UPDATE tenant_config SET service_area = '{}' WHERE tenant_id = 'acme'",
        quote(&area.to_string())
    ))
    .await;
    let buffer = servicepro_actors::packs::pack(&fx.industry)
        .unwrap()
        .defaults
        .travel_buffer_minutes;
    app.sql("INSERT INTO customers (tenant_id, phone, name) VALUES ('acme', '+10000000000', 'Calendar')").await;
    for b in &fx.setup.busy {
        app.sql(&format!(
            "INSERT INTO appointments (tenant_id, customer_id, service_id, crew, starts_at, ends_at, busy_until, price_cents, details) \
             SELECT 'acme', c.id, (SELECT min(id) FROM services WHERE tenant_id = 'acme'), {}, '{}', '{}', '{}'::timestamptz + interval '{buffer} minutes', 0, '{{\"setup\": true}}' \
             FROM customers c WHERE c.tenant_id = 'acme' AND c.phone = '+10000000000'",
            b.crew, b.start.to_rfc3339(), b.end.to_rfc3339(), b.end.to_rfc3339()
        ))
        .await;
    }
    for a in &fx.setup.appointments {
        let phone = a.phone.clone().unwrap_or_else(|| DEFAULT_PHONE.to_owned());
        app.sql(&format!(
            "INSERT INTO customers (tenant_id, phone) VALUES ('acme', '{phone}') ON CONFLICT DO NOTHING; \
             INSERT INTO appointments (tenant_id, customer_id, service_id, starts_at, ends_at, busy_until, price_cents, details) \
             SELECT 'acme', c.id, s.id, '{start}', '{start}'::timestamptz + make_interval(mins => s.duration_minutes), \
                    '{start}'::timestamptz + make_interval(mins => s.duration_minutes + {buffer}), s.price_cents, '{{\"setup\": true, \"existing\": true}}' \
             FROM customers c, services s WHERE c.tenant_id = 'acme' AND c.phone = '{phone}' AND s.tenant_id = 'acme' AND s.name = '{service}'",
            start = a.start.to_rfc3339(),
            service = quote(&a.service),
        ))
        .await;
    }
}

async fn local(app: &TestApp, sql_time: &str, filter: &str) -> Vec<(String, String)> {
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        d: String,
        #[diesel(sql_type = diesel::sql_types::Text)]
        t: String,
    }
    use diesel_async::RunQueryDsl;
    let rows: Vec<Row> = diesel::sql_query(format!(
        "SELECT to_char({sql_time} AT TIME ZONE 'America/Chicago', 'YYYY-MM-DD') AS d, to_char({sql_time} AT TIME ZONE 'America/Chicago', 'HH24:MI') AS t FROM {filter}"
    ))
    .load(&mut app.db.superuser().await)
    .await
    .unwrap();
    rows.into_iter().map(|r| (r.d, r.t)).collect()
}

async fn check(app: &TestApp, fx: &Fixture) -> Vec<String> {
    let mut failures = Vec::new();
    let new_booked = "appointments a WHERE a.status = 'booked' AND NOT (a.details ? 'setup')";
    if let Some(want) = &fx.expect.appointment {
        let mut filter = format!(
            "appointments a JOIN services s ON s.tenant_id = a.tenant_id AND s.id = a.service_id \
             JOIN customers c ON c.tenant_id = a.tenant_id AND c.id = a.customer_id \
             WHERE a.status = 'booked' AND NOT (a.details ? 'setup') AND s.name = '{}'",
            quote(&want.service)
        );
        if let Some(p) = want.price_cents {
            filter.push_str(&format!(" AND a.price_cents = {p}"));
        }
        if let Some(addr) = &want.address_contains {
            filter.push_str(&format!(" AND a.address ILIKE '%{}%'", quote(addr)));
        }
        if let Some(name) = &want.customer_name {
            filter.push_str(&format!(" AND c.name ILIKE '%{}%'", quote(name)));
        }
        if let Some(addons) = &want.addons {
            filter.push_str(&format!(
                " AND (SELECT coalesce(array_agg(name ORDER BY name), '{{}}') FROM services x WHERE x.tenant_id = a.tenant_id AND x.id = ANY(a.addon_ids)) = ARRAY[{}]::text[]",
                {
                    let mut sorted = addons.clone();
                    sorted.sort();
                    sorted.iter().map(|a| format!("'{}'", quote(a))).collect::<Vec<_>>().join(",")
                }
            ));
        }
        for (key, value) in &want.details {
            filter.push_str(&format!(
                " AND a.details::text ILIKE '%{}%' AND a.details ? '{}'",
                quote(value),
                quote(key)
            ));
        }
        let found = local(app, "a.starts_at", &filter).await;
        match found.as_slice() {
            [(d, t)] => {
                if let Some(date) = want.date {
                    if *d != date.to_string() {
                        failures.push(format!("appointment date {d}, expected {date}"));
                    }
                }
                if let Some(time) = want.time {
                    if *t != time.format("%H:%M").to_string() {
                        failures.push(format!(
                            "appointment time {t}, expected {}",
                            time.format("%H:%M")
                        ));
                    }
                }
            }
            other => failures.push(format!(
                "expected one matching appointment ({filter}), found {other:?}"
            )),
        }
    }
    if fx.expect.no_appointment && app.count(new_booked).await != 0 {
        failures.push("an appointment was booked".to_owned());
    }
    let handed_off = app
        .count("conversations WHERE handed_off_at IS NOT NULL")
        .await
        > 0;
    if fx.expect.handoff && !handed_off {
        failures.push("no handoff recorded".to_owned());
    }
    if fx.expect.no_handoff && handed_off {
        failures.push("an unexpected handoff".to_owned());
    }
    if fx.expect.cancelled
        && app
            .count("appointments WHERE details ? 'existing' AND status = 'cancelled'")
            .await
            != 1
    {
        failures.push("the existing appointment was not cancelled".to_owned());
    }
    if let Some(want) = &fx.expect.rescheduled_to {
        let found = local(
            app,
            "starts_at",
            "appointments WHERE details ? 'existing' AND status = 'booked'",
        )
        .await;
        let expected = (want.date.to_string(), want.time.format("%H:%M").to_string());
        // "A setup appointment now starts then" (a customer with two may move one).
        if !found.contains(&expected) {
            failures.push(format!("rescheduled to {found:?}, expected {expected:?}"));
        }
    }
    if fx.expect.message_taken
        && app
            .count("messages WHERE purpose = 'owner_notice' AND body ILIKE '%message%'")
            .await
            == 0
    {
        failures.push("no message was taken for the owner".to_owned());
    }
    failures
}

#[actix_web::test]
async fn scripted_conversations_through_the_sms_webhook() {
    let all = fixtures();
    assert!(
        all.len() >= 6,
        "fixtures/conversations holds the scripted conversations"
    );
    let mut failures: Vec<String> = Vec::new();
    let mut played = 0;
    for (path, fx) in &all {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if fx.setup.take_next_slot || !fx.setup.failing.is_empty() || fx.customer.is_some() {
            continue;
        }
        played += 1;
        let app = TestApp::builder().now(fx.now).spawn().await;
        app.create_tenant(TenantSpec {
            industry: &fx.industry,
            name: "Acme Services",
            ..TenantSpec::default()
        })
        .await;
        setup(&app, fx).await;
        let phone = fx.phone.clone().unwrap_or_else(|| DEFAULT_PHONE.to_owned());
        let mut transcript = String::new();
        for (i, turn) in fx.turns.iter().enumerate() {
            let sid = format!("SM{name}{i}");
            let res = app
                .twilio_post(
                    "/twilio/sms/incoming",
                    &[
                        ("AccountSid", ACCOUNT_SID),
                        ("MessageSid", &sid),
                        ("From", &phone),
                        ("To", NUMBER),
                        ("Body", &turn.say),
                    ],
                )
                .await;
            let status = res.status();
            let doc = res.text().await.unwrap();
            let reply = doc
                .split("<Message>")
                .nth(1)
                .and_then(|r| r.split("</Message>").next())
                .unwrap_or_default()
                .replace("&apos;", "'")
                .replace("&amp;", "&")
                .replace("&quot;", "\"")
                .replace("&lt;", "<")
                .replace("&gt;", ">");
            transcript.push_str(&format!("  > {}\n  < {reply}\n", turn.say));
            if status != 200 || reply.is_empty() {
                failures.push(format!("{name}: turn {i} got {status} and no reply: {doc}"));
            }
            for want in &turn.reply_contains {
                if !reply.to_lowercase().contains(&want.to_lowercase()) {
                    failures.push(format!("{name}: turn {i} reply lacks {want:?}"));
                }
            }
            for unwanted in &turn.reply_lacks {
                if reply.to_lowercase().contains(&unwanted.to_lowercase()) {
                    failures.push(format!("{name}: turn {i} reply has {unwanted:?}"));
                }
            }
        }
        for f in check(&app, fx).await {
            failures.push(format!("{name} ({}): {f}\n{transcript}", fx.description));
        }
        assert_eq!(
            app.count("messages WHERE direction = 'inbound'").await,
            fx.turns.len() as i64,
            "{name}: every text stored"
        );
    }
    eprintln!(
        "played {played} of {} scripted conversations through the SMS webhook",
        all.len()
    );
    assert!(
        played >= 40,
        "at least 40 conversations run through the real webhook, {played} did"
    );
    assert!(
        failures.is_empty(),
        "{} of {played} conversations failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
