//! THE crash test (issue 14): a real `servicepro serve` process gets a burst of
//! signed texts from many customers, with a slow brain so turns are in flight, and is
//! killed with SIGKILL mid-burst. Two fresh processes then start on the same database
//! (their sweeps run at once). Every text that got a 200 is stored, none is left
//! unanswered or `pending`, and no text is answered twice: one reply recorded per
//! text, and no customer receives more replies than they sent texts.

use crate::support::db::TestDatabase;
use crate::support::twilio_client::{ACCOUNT_SID, AUTH_TOKEN, PUBLIC_URL};
use crate::support::FakeTwilio;
use actix_web::{web, App, HttpResponse, HttpServer};
use servicepro_actors::twilio::expected_signature;
use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const NUMBER: &str = "+19185550100";
const ROOT: &str = "crash-test-root-token-0123";
const CUSTOMERS: usize = 50;
/// When each customer sends each text (ms after the burst starts): four at once, two
/// more just before the kill.
const SEND_AT_MS: [u64; 6] = [0, 50, 100, 150, 9_500, 10_500];
/// When the server is killed.
const KILL_AT: Duration = Duration::from_millis(11_000);

/// How long the chat provider takes to fail (the offline brain then answers).
const BRAIN_DELAY: Duration = Duration::from_millis(2500);

/// A chat provider that takes [`BRAIN_DELAY`] to fail: every turn is slow, so a
/// burst has turns in flight, and a customer's fourth text waits past the webhook's
/// 8 s deadline (its reply goes through the outbox, paced, so some are `pending`).
fn slow_brain() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = HttpServer::new(|| {
        App::new().default_service(web::to(|| async {
            actix_web::rt::time::sleep(BRAIN_DELAY).await;
            HttpResponse::InternalServerError().body("slow and broken")
        }))
    })
    .workers(1)
    .listen(listener)
    .unwrap()
    .run();
    actix_web::rt::spawn(server);
    format!("http://127.0.0.1:{port}")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A running server process, killed (SIGKILL) and reaped when dropped, so a failing
/// test leaves none behind; its log is removed then, unless the test failed.
struct Server(Child, std::path::PathBuf);

impl Server {
    fn kill(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
        if !std::thread::panicking() {
            let _ = std::fs::remove_file(&self.1);
        }
    }
}

/// Where the servers would write call recordings (none in this test).
fn recordings_dir() -> std::path::PathBuf {
    std::env::temp_dir().join(format!("servicepro-crash-rec-{}", std::process::id()))
}

/// Starts `servicepro serve` on `port` and waits until it answers `/healthz`.
async fn serve(db: &TestDatabase, twilio: &FakeTwilio, brain: &str, port: u16) -> Server {
    let log_path = std::env::temp_dir().join(format!("servicepro-crash-{port}.log"));
    let log = std::fs::File::create(&log_path).unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_servicepro"))
        .arg("serve")
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("RUST_LOG", "warn")
        .env("DATABASE_URL", db.url())
        .env("SERVICEPRO_BIND", format!("127.0.0.1:{port}"))
        .env("SERVICEPRO_PUBLIC_URL", PUBLIC_URL)
        .env("SERVICEPRO_ROOT_TOKEN", ROOT)
        .env("TWILIO_API_BASE", &twilio.base)
        .env("TWILIO_ACCOUNT_SID", ACCOUNT_SID)
        .env("TWILIO_AUTH_TOKEN", AUTH_TOKEN)
        .env("OPENAI_API_KEY", "sk-crash-test")
        .env("OPENAI_BASE_URL", brain)
        .env("OPENAI_CHAT_TIMEOUT_MS", "20000")
        .env("SERVICEPRO_SMS_PER_NUMBER_PER_SECOND", "5")
        .env("SERVICEPRO_RECOVERY_SWEEP_SECS", "1")
        .env("SERVICEPRO_RECOVERY_GRACE_SECS", "10")
        .env("SERVICEPRO_RECORDINGS_DIR", recordings_dir())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .map(|child| Server(child, log_path))
        .unwrap();
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let up = client
            .get(format!("http://127.0.0.1:{port}/healthz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success());
        if up {
            return child;
        }
        assert!(Instant::now() < deadline, "server on {port} did not start");
        actix_web::rt::time::sleep(Duration::from_millis(100)).await;
    }
}

/// One signed text; `Some(inline reply or "")` when it got a 200.
async fn text(
    client: &reqwest::Client,
    port: u16,
    from: &str,
    sid: &str,
    body: &str,
) -> Option<String> {
    let path = "/twilio/sms/incoming";
    let pairs: Vec<(String, String)> = [
        ("AccountSid", ACCOUNT_SID),
        ("MessageSid", sid),
        ("From", from),
        ("To", NUMBER),
        ("Body", body),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let signature = expected_signature(AUTH_TOKEN, &format!("{PUBLIC_URL}{path}"), &pairs);
    let res = client
        .post(format!("http://127.0.0.1:{port}{path}"))
        .header("X-Twilio-Signature", signature)
        .form(&pairs)
        .send()
        .await
        .ok()?;
    if res.status() != 200 {
        return None;
    }
    let doc = res.text().await.ok()?;
    Some(if doc.contains("<Message>") {
        "reply".to_owned()
    } else {
        String::new()
    })
}

async fn count(db: &TestDatabase, filter: &str) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    use diesel_async::RunQueryDsl;
    let mut conn = db.superuser().await;
    let row: N = diesel::sql_query(format!("SELECT count(*)::bigint AS n FROM {filter}"))
        .get_result(&mut conn)
        .await
        .unwrap();
    row.n
}

#[actix_web::test]
async fn a_server_killed_mid_burst_leaves_no_text_unanswered_and_none_answered_twice() {
    crate::support::init_logging();
    servicepro_actors::tls::install_crypto_provider();
    let db = TestDatabase::new().await;
    let twilio = FakeTwilio::start();
    let brain = slow_brain();
    let port = free_port();
    let mut first = serve(&db, &twilio, &brain, port).await;
    let client = reqwest::Client::new();
    let created = client
        .post(format!("http://127.0.0.1:{port}/api/admin/tenants"))
        .bearer_auth(ROOT)
        .json(&serde_json::json!({
            "id": "acme", "name": "Acme Detailing", "industry": "mobile-detailing",
            "plan_tier": "elite", "status": "active", "phone_number": NUMBER,
            "ivr_mode": "ivr", "sip_uri": "jody@example.sip.twilio.com",
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);

    // The burst: every customer sends six texts (`SEND_AT_MS`), all customers at once
    // (Twilio posts each as it arrives); each customer's turns queue in their actor.
    let bodies = [
        "hi, what do you charge for a full detail?",
        "do you do interiors?",
        "can i book for tomorrow morning?",
        "what about saturday?",
        "or sunday afternoon?",
        "thanks",
    ];
    let start = Instant::now();
    let mut burst = Vec::new();
    for (t, at) in SEND_AT_MS.into_iter().enumerate() {
        for c in 0..CUSTOMERS {
            let client = client.clone();
            let (from, sid) = (format!("+1415556{c:04}"), format!("SMcrash{c:03}{t}"));
            burst.push(actix_web::rt::spawn(async move {
                actix_web::rt::time::sleep_until((start + Duration::from_millis(at)).into()).await;
                let got = text(&client, port, &from, &sid, bodies[t]).await;
                (from, sid, got)
            }));
        }
    }
    actix_web::rt::time::sleep_until((start + KILL_AT).into()).await;
    first.kill(); // SIGKILL
    let mut outcomes = Vec::new();
    for task in burst {
        outcomes.push(task.await.unwrap());
    }
    let ok: Vec<_> = outcomes
        .iter()
        .filter(|(_, _, got)| got.is_some())
        .collect();
    let in_flight_stored = count(
        &db,
        "messages WHERE direction = 'inbound' AND answered_at IS NULL",
    )
    .await;
    assert!(
        !ok.is_empty() && ok.len() < outcomes.len(),
        "killed mid-burst: {} of {} got a 200",
        ok.len(),
        outcomes.len()
    );
    assert!(
        in_flight_stored > 0,
        "the kill left texts unanswered (else this test proves nothing)"
    );
    let pending_at_kill = count(&db, "messages WHERE status = 'pending'").await;
    eprintln!(
        "crash test: {} of {} texts got a 200; at the kill {in_flight_stored} stored texts \
         were unanswered and {pending_at_kill} replies pending",
        ok.len(),
        outcomes.len()
    );

    // Two processes on the same database: both sweep.
    let mut second = serve(&db, &twilio, &brain, free_port()).await;
    let mut third = serve(&db, &twilio, &brain, free_port()).await;
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let unanswered = count(
            &db,
            "messages WHERE direction = 'inbound' AND answered_at IS NULL",
        )
        .await;
        let pending = count(&db, "messages WHERE status = 'pending'").await;
        if unanswered == 0 && pending == 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "after restart: {unanswered} texts unanswered, {pending} pending"
        );
        actix_web::rt::time::sleep(Duration::from_millis(250)).await;
    }
    actix_web::rt::time::sleep(Duration::from_secs(2)).await; // room for a duplicate to show
    second.kill();
    third.kill();
    let _ = std::fs::remove_dir_all(recordings_dir());

    for (_, sid, _) in &ok {
        assert_eq!(
            count(
                &db,
                &format!("messages WHERE twilio_sid = '{sid}' AND direction = 'inbound'")
            )
            .await,
            1,
            "{sid} got a 200, so it is stored"
        );
    }
    let stored = count(&db, "messages WHERE direction = 'inbound'").await;
    assert_eq!(
        count(
            &db,
            "messages WHERE direction = 'outbound' AND purpose = 'reply' AND status <> 'failed'"
        )
        .await,
        stored,
        "one reply per stored text"
    );
    let mut replies: HashMap<String, i64> = HashMap::new();
    for (from, _, got) in &ok {
        if got.as_deref() == Some("reply") {
            *replies.entry(from.clone()).or_insert(0) += 1;
        }
    }
    for m in twilio.messages() {
        *replies
            .entry(m.field("To").unwrap().to_owned())
            .or_insert(0) += 1;
    }
    for (customer, got) in &replies {
        let sent = count(
            &db,
            &format!("messages WHERE direction = 'inbound' AND from_number = '{customer}'"),
        )
        .await;
        assert!(
            *got <= sent,
            "{customer} sent {sent} texts and got {got} replies"
        );
    }
    let delivered: i64 = replies.values().sum();
    let lost_responses = outcomes.iter().filter(|(_, _, got)| got.is_none()).count() as i64;
    assert!(
        delivered >= stored - lost_responses,
        "{delivered} replies reached customers for {stored} texts"
    );
}
