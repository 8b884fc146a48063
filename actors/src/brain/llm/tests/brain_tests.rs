//! Whole turns of the LLM brain against the fake.

use serde_json::json;

use super::double::{now, slot, MemTools, PHONE};
use super::tool_tests::start_text;
use super::{brain, messages_with_role};
use crate::brain::agent::NextAction;
use crate::brain::llm::fake::{FakeChatServer, FakeReply};
use crate::brain::llm::{LlmError, LlmState, Role, TurnOutcome, MAX_REPLY_CHARS};

fn answered(outcome: TurnOutcome) -> crate::brain::agent::AgentResponse {
    match outcome {
        TurnOutcome::Answered { response, .. } => response,
        TurnOutcome::Failed(error) => panic!("turn failed: {error}"),
    }
}

#[tokio::test]
async fn a_plain_answer() {
    let server = FakeChatServer::start(vec![FakeReply::text("A **Full Detail** is $199.")])
        .await
        .expect("fake");
    let tools = MemTools::new();
    let mut state = LlmState::new(Some(42));
    let outcome = brain(&server)
        .turn(
            &mut state,
            "how much is a full detail",
            Some(PHONE),
            &tools,
            now(),
        )
        .await;
    let response = answered(outcome);
    assert_eq!(response.reply, "A Full Detail is $199.");
    assert_eq!(
        (response.next_actions.len(), response.conversation_id),
        (0, Some(42))
    );
    let body = &server.requests()[0].body;
    let system = body["messages"][0]["content"].as_str().unwrap_or_default();
    assert!(
        system.contains("Clean Machine") && system.contains("1: Full Detail, $199, 180 min"),
        "{system}"
    );
    assert!(
        system.contains("Thursday March 12 2026, 10:00 AM"),
        "{system}"
    );
    assert_eq!(
        body["messages"][1],
        json!({"role": "user", "content": "how much is a full detail"})
    );
    let roles: Vec<Role> = state.messages.iter().map(|m| m.role).collect();
    assert_eq!(roles, [Role::User, Role::Assistant]);
}

#[tokio::test]
async fn a_tool_call_then_the_answer() {
    let script = vec![
        FakeReply::tool_calls(&[(
            "call_av",
            "check_availability",
            json!({"service": "Full Detail", "day": "saturday"}),
        )]),
        FakeReply::text("I have Sat Mar 14 at 10:00 AM. Want it?"),
    ];
    let server = FakeChatServer::start(script).await.expect("fake");
    let tools = MemTools::new();
    let mut state = LlmState::default();
    let outcome = brain(&server)
        .turn(&mut state, "saturday?", Some(PHONE), &tools, now())
        .await;
    let TurnOutcome::Answered { response, usage } = outcome else {
        panic!("failed");
    };
    assert_eq!(response.reply, "I have Sat Mar 14 at 10:00 AM. Want it?");
    assert_eq!(usage.total_tokens, 240);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let second = &requests[1].body;
    assert_eq!(second["tool_choice"], "auto");
    let assistant = messages_with_role(second, "assistant");
    assert_eq!(assistant[0]["tool_calls"][0]["id"], "call_av");
    assert_eq!(
        assistant[0]["tool_calls"][0]["function"]["name"],
        "check_availability"
    );
    let results = messages_with_role(second, "tool");
    assert_eq!(results.len(), 1);
    assert_eq!(results[0]["tool_call_id"], "call_av");
    let content: serde_json::Value =
        serde_json::from_str(results[0]["content"].as_str().unwrap_or_default()).expect("json");
    assert_eq!(content["slots"][1]["start"], start_text(1));
    assert_eq!(state.offered.len(), 3);
    assert_eq!(state.messages.len(), 4);
}

#[tokio::test]
async fn a_booking_over_two_turns() {
    let script = vec![
        FakeReply::tool_calls(&[("c1", "check_availability", json!({"service": "1"}))]),
        FakeReply::text("1) Fri 9 AM 2) Sat 10 AM 3) Mon 1 PM"),
        FakeReply::tool_calls(&[(
            "c2",
            "book_appointment",
            json!({"service_id": 1, "slot_start": start_text(1), "address": "1 Main St, Tulsa", "customer_name": "Ann"}),
        )]),
        FakeReply::text("You're booked for Sat Mar 14 at 10:00 AM!"),
    ];
    let server = FakeChatServer::start(script).await.expect("fake");
    let tools = MemTools::new();
    let llm = brain(&server);
    let mut state = LlmState::default();
    let first = answered(
        llm.turn(&mut state, "full detail please", Some(PHONE), &tools, now())
            .await,
    );
    assert!(first.next_actions.is_empty());
    let stored = serde_json::to_value(&state).expect("json");
    let mut state = LlmState::from_json(&stored);
    let second = answered(
        llm.turn(
            &mut state,
            "2, I'm Ann at 1 Main St, Tulsa",
            Some(PHONE),
            &tools,
            now(),
        )
        .await,
    );
    assert_eq!(
        second.next_actions,
        [NextAction::Book {
            appointment_id: 500
        }]
    );
    assert_eq!(tools.log().bookings[0].slot, slot(1));
    let third_request = &server.requests()[2].body;
    let history: Vec<&str> = third_request["messages"]
        .as_array()
        .map(|all| all.iter().filter_map(|m| m["role"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        history,
        ["system", "user", "assistant", "tool", "assistant", "user"]
    );
    let fourth = &server.requests()[3].body;
    assert_eq!(messages_with_role(fourth, "tool")[1]["tool_call_id"], "c2");
}

#[tokio::test]
async fn invalid_tool_arguments_go_back_to_the_model() {
    let bad_call = FakeReply::message(json!({"role": "assistant", "tool_calls": [
        {"id": "c_bad", "type": "function", "function": {"name": "book_appointment", "arguments": "{oops"}}
    ]}));
    let script = vec![bad_call, FakeReply::text("Which time would you like?")];
    let server = FakeChatServer::start(script).await.expect("fake");
    let tools = MemTools::new();
    let mut state = LlmState::default();
    let response = answered(
        brain(&server)
            .turn(&mut state, "book it", Some(PHONE), &tools, now())
            .await,
    );
    assert_eq!(response.reply, "Which time would you like?");
    let result = messages_with_role(&server.requests()[1].body, "tool")[0].clone();
    assert_eq!(result["tool_call_id"], "c_bad");
    assert!(
        result["content"]
            .as_str()
            .is_some_and(|c| c.contains("error")),
        "{result}"
    );
    assert!(tools.log().bookings.is_empty());
}

#[tokio::test]
async fn endless_tool_calls_fail_after_the_last_round() {
    let call = FakeReply::tool_calls(&[("c", "get_services", json!({}))]);
    let server = FakeChatServer::start(vec![call; 6]).await.expect("fake");
    let tools = MemTools::new();
    let mut state = LlmState::default();
    let outcome = brain(&server)
        .turn(&mut state, "hi", Some(PHONE), &tools, now())
        .await;
    assert!(
        matches!(outcome, TurnOutcome::Failed(LlmError::TooManyRounds(5))),
        "{outcome:?}"
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 6);
    assert_eq!(requests[4].body["tool_choice"], "auto");
    assert_eq!(requests[5].body["tool_choice"], "none");
    assert_eq!(state, LlmState::default());
}

#[tokio::test]
async fn long_replies_are_cut_for_sms() {
    let long = "We can do that. ".repeat(40);
    let server = FakeChatServer::start(vec![FakeReply::text(&long)])
        .await
        .expect("fake");
    let tools = MemTools::new();
    let mut state = LlmState::default();
    let response = answered(
        brain(&server)
            .turn(&mut state, "hi", None, &tools, now())
            .await,
    );
    assert!(response.reply.chars().count() <= MAX_REPLY_CHARS);
    assert!(response.reply.ends_with("that."), "{}", response.reply);
    let system = server.requests()[0].body["messages"][0]["content"].clone();
    assert!(system
        .as_str()
        .is_some_and(|s| s.contains("phone number is unknown")));
}
