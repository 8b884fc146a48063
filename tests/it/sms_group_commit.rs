//! The SMS pipeline's writes and their group-commit writer: a batch stores and records exactly what
//! the same writes one after another would, keeps tenants apart, fails a bad write
//! alone, and writes that arrive while the lanes are busy share a commit.

use crate::support::tenants::TenantSpec;
use crate::support::TestApp;
use servicepro_actors::conversation::batch_store::{
    write_batch, ReceiveText, SaveTurn, TextWrite, Written,
};
use servicepro_actors::conversation::store::{Received, Thread};
use servicepro_actors::conversation::text_writer::TextWriterHandle;
use servicepro_actors::metrics::Metrics;
use servicepro_schema::TenantId;
use std::sync::Arc;

const ACME_NUMBER: &str = "+19185550100";
const BRAVO_NUMBER: &str = "+19185550200";

fn inbound(tenant: &str, to: &str, from: &str, sid: &str, body: &str) -> ReceiveText {
    ReceiveText {
        tenant: TenantId::parse(tenant).unwrap(),
        channel: "sms".to_owned(),
        from: from.to_owned(),
        to: to.to_owned(),
        body: body.to_owned(),
        sid: sid.to_owned(),
        media: Vec::new(),
    }
}

fn text(tenant: &str, to: &str, from: &str, sid: &str, body: &str) -> TextWrite {
    TextWrite::Receive(inbound(tenant, to, from, sid, body))
}

fn save(tenant: &str, thread: Thread, stage: &str, body: &str) -> TextWrite {
    TextWrite::Save(SaveTurn {
        tenant: TenantId::parse(tenant).unwrap(),
        thread,
        state: serde_json::json!({ "stage": stage }),
        handed_off: false,
        from: ACME_NUMBER.to_owned(),
        to: "+14155550001".to_owned(),
        body: body.to_owned(),
        answers: None,
        reply_status: servicepro_schema::MessageStatus::Sent,
    })
}

fn received(result: &Result<Written, servicepro_schema::DbError>) -> Received {
    match result {
        Ok(Written::Received(r)) => r.clone(),
        other => panic!("expected a stored text, got {other:?}"),
    }
}

async fn two_tenants() -> TestApp {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec::default()).await;
    app.create_tenant(TenantSpec {
        id: "bravo",
        name: "Bravo Lawn",
        industry: "lawn-care",
        phone: BRAVO_NUMBER,
        ..TenantSpec::default()
    })
    .await;
    app
}

#[actix_web::test]
async fn a_batch_stores_what_the_same_texts_one_by_one_would_and_keeps_tenants_apart() {
    let app = two_tenants().await;
    let batch = [
        text("acme", ACME_NUMBER, "+14155550001", "SM_b1", "hi"),
        text(
            "bravo",
            BRAVO_NUMBER,
            "+14155550001",
            "SM_b1",
            "mow my lawn",
        ),
        text(
            "acme",
            ACME_NUMBER,
            "+14155550001",
            "SM_b2",
            "full detail sat?",
        ),
        text("acme", ACME_NUMBER, "+14155550001", "SM_b1", "hi"),
        text("acme", ACME_NUMBER, "+14155550002", "SM_b3", "price?"),
    ];
    let results = write_batch(&app.state.pool, &batch).await;
    assert_eq!(results.len(), batch.len(), "one result per write, in order");
    let [first, bravo, second, repeat, other] = [0, 1, 2, 3, 4].map(|i| received(&results[i]));
    assert!(first.message_id.is_some() && second.message_id.is_some());
    assert_eq!(
        repeat.message_id, None,
        "a MessageSid repeated within the batch is stored once"
    );
    assert_eq!(
        (first.customer_id, first.conversation_id),
        (second.customer_id, second.conversation_id),
        "one customer's two texts land on one thread"
    );
    assert_eq!(repeat.conversation_id, first.conversation_id);
    assert_ne!(other.customer_id, first.customer_id);
    assert!(
        bravo.message_id.is_some(),
        "the same sid at another tenant is its own text"
    );
    assert_ne!(bravo.customer_id, first.customer_id);
    assert_eq!(
        app.count("messages WHERE tenant_id = 'acme' AND direction = 'inbound'")
            .await,
        3
    );
    assert_eq!(
        app.count(
            "messages WHERE tenant_id = 'bravo' AND direction = 'inbound' AND body = 'mow my lawn'"
        )
        .await,
        1
    );
    assert_eq!(
        app.count("usage_events WHERE tenant_id = 'acme' AND kind = 'sms_in'")
            .await,
        3
    );
    assert_eq!(
        app.count("usage_events WHERE tenant_id = 'bravo' AND kind = 'sms_in'")
            .await,
        1
    );
    assert_eq!(
        app.count("customers WHERE tenant_id = 'bravo' AND phone = '+14155550001'")
            .await,
        1
    );

    let thread = first.thread();
    let turn = [
        text("acme", ACME_NUMBER, "+14155550001", "SM_b4", "sat at 10"),
        save("acme", thread, "offered", "Saturday 10:00 works. Book it?"),
    ];
    let results = write_batch(&app.state.pool, &turn).await;
    let next = received(&results[0]);
    assert!(
        matches!(results[1], Ok(Written::Saved(id)) if id > 0),
        "{:?}",
        results[1]
    );
    assert_eq!(
        next.state["stage"], "offered",
        "a text read in the same batch as its thread's save sees the saved state"
    );
    assert_eq!(app.count("messages WHERE tenant_id = 'acme' AND direction = 'outbound' AND status = 'sent' AND body = 'Saturday 10:00 works. Book it?'").await, 1);
    assert_eq!(
        app.count("conversations WHERE tenant_id = 'acme' AND state->>'stage' = 'offered'")
            .await,
        1
    );
}

#[actix_web::test]
async fn a_bad_write_fails_alone_and_the_rest_of_its_batch_is_stored() {
    let app = two_tenants().await;
    let missing = Thread {
        customer_id: 999_999,
        conversation_id: 999_999,
    };
    let batch = [
        text("acme", ACME_NUMBER, "+14155550001", "SM_c1", "hi"),
        save(
            "acme",
            missing,
            "idle",
            "a reply to a thread that does not exist",
        ),
        text("acme", ACME_NUMBER, "+14155550002", "SM_c2", "hello"),
    ];
    let results = write_batch(&app.state.pool, &batch).await;
    assert!(results[1].is_err(), "{:?}", results[1]);
    assert!(received(&results[0]).message_id.is_some());
    assert!(received(&results[2]).message_id.is_some());
    assert_eq!(app.count("messages WHERE direction = 'inbound'").await, 2);
    assert_eq!(app.count("messages WHERE direction = 'outbound'").await, 0);
}

#[actix_web::test]
async fn writes_that_arrive_while_the_lane_is_busy_share_one_commit() {
    let app = two_tenants().await;
    let metrics = Arc::new(Metrics::default());
    let writer = TextWriterHandle::start(app.state.pool.clone(), 1, metrics.clone());
    let texts: Vec<_> = (0..10)
        .map(|i| {
            let writer = writer.clone();
            let from = format!("+1415555{:04}", 100 + i);
            let write = inbound("acme", ACME_NUMBER, &from, &format!("SM_g{i}"), "hi");
            async move { writer.receive(write).await }
        })
        .collect();
    let stored = futures_util::future::join_all(texts).await;
    assert!(
        stored.iter().all(|r| matches!(
            r,
            Ok(Received {
                message_id: Some(_),
                ..
            })
        )),
        "{stored:?}"
    );
    assert_eq!(app.count("messages WHERE direction = 'inbound'").await, 10);
    assert_eq!(metrics.sms_writes.get(), 10);
    let batches = metrics.sms_write_batches.get();
    assert!(
        (2..10).contains(&batches),
        "ten writes queued together on one lane take fewer than ten commits: {batches}"
    );
}

/// A customer's next text arrives while the previous turn is being saved: the save
/// holds the thread and, recording the reply, needs a key-share lock on the customer;
/// the text must not hold the customer in a mode that blocks that while it waits for
/// the thread (the two used to deadlock, and PostgreSQL killed the text).
#[actix_web::test]
async fn a_text_arriving_while_its_threads_turn_is_saved_waits_instead_of_deadlocking() {
    use diesel_async::{RunQueryDsl, SimpleAsyncConnection};
    let app = two_tenants().await;
    let first = write_batch(
        &app.state.pool,
        &[text("acme", ACME_NUMBER, "+14155550001", "SM_d1", "hi")],
    )
    .await;
    let thread = received(&first[0]).thread();
    let scope =
        "SET deadlock_timeout = '200ms'; BEGIN; SELECT set_config('app.tenant_id', 'acme', true);";
    let mut save = app.db.superuser().await;
    save.batch_execute(&format!(
        "{scope} UPDATE conversations SET state = '{{\"stage\":\"offered\"}}' WHERE id = {}",
        thread.conversation_id
    ))
    .await
    .unwrap();
    let mut next = app.db.superuser().await;
    let next_text = actix_web::rt::spawn(async move {
        next.batch_execute(&format!(
            "{scope} SELECT * FROM servicepro_receive_text('+14155550001', 'sms', '{ACME_NUMBER}', 'and sat?', 'SM_d2', '{{}}'); COMMIT"
        ))
        .await
    });
    #[derive(diesel::QueryableByName)]
    struct Waiting {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let mut watcher = app.db.superuser().await;
    let mut waiting = 0;
    for _ in 0..100 {
        let row: Waiting = diesel::sql_query(
            "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
        )
        .get_result(&mut watcher)
        .await
        .unwrap();
        waiting = row.n;
        if waiting == 1 {
            break;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(
        waiting, 1,
        "the next text waits for the thread the save holds"
    );
    save.batch_execute(&format!(
        "INSERT INTO messages (tenant_id, conversation_id, customer_id, direction, from_number, to_number, body, status, purpose) \
         VALUES ('acme', {}, {}, 'outbound', '{ACME_NUMBER}', '+14155550001', 'Saturday 10:00?', 'sent', 'reply'); COMMIT",
        thread.conversation_id, thread.customer_id
    ))
    .await
    .expect("the reply is recorded: the waiting text does not block its key share on the customer");
    next_text
        .await
        .unwrap()
        .expect("the next text is stored once the save commits");
    assert_eq!(app.count("messages WHERE twilio_sid = 'SM_d2'").await, 1);
}
