//! The conversation registry: one actor per (tenant, customer, channel),
//! found without scanning the others, and an idle actor leaves the registry
//! so the next message gets a fresh one.

use crate::support::TestApp;
use servicepro_actors::brain::agent::Channel;
use servicepro_actors::conversation::actor::ConversationDeps;
use servicepro_actors::conversation::Conversations;
use servicepro_schema::TenantId;
use std::time::Duration;

#[actix_web::test]
async fn each_customer_has_one_actor_and_an_idle_one_is_replaced() {
    let app = TestApp::spawn().await;
    let s = &app.state;
    let deps = ConversationDeps {
        pool: s.pool.clone(),
        desk: s.desk.clone(),
        outbox: s.outbox.clone(),
        clock: s.clock.clone(),
        tenants: s.tenants.clone(),
        llm: None,
        writer: s.text_writer.clone(),
        metrics: s.metrics.tenants.clone(),
    };
    let conversations = Conversations::with_idle_stop(deps, Duration::from_millis(200));
    let tenant = TenantId::parse("acme").unwrap();
    let alice = conversations.actor(&tenant, "+14155550001", Channel::Sms);
    let bob = conversations.actor(&tenant, "+14155550002", Channel::Sms);
    assert!(alice != bob, "two customers, two actors");
    assert!(
        conversations.actor(&tenant, "+14155550001", Channel::Sms) == alice,
        "the same customer, the same actor"
    );
    assert!(
        conversations.actor(&tenant, "+14155550001", Channel::Web) != alice,
        "another channel is another conversation"
    );
    assert_eq!(conversations.live(), 3);

    let mut live = conversations.live();
    for _ in 0..100 {
        if live == 0 {
            break;
        }
        actix_web::rt::time::sleep(Duration::from_millis(20)).await;
        live = conversations.live();
    }
    assert_eq!(live, 0, "idle actors left the registry");
    let again = conversations.actor(&tenant, "+14155550001", Channel::Sms);
    assert!(again != alice, "a stopped actor is replaced by a new one");
    assert_eq!(conversations.live(), 1);
}
