//! Falling back to the offline brain on provider failures, without
//! repeating side effects.

use crate::brain::agent::Channel;
use std::cell::Cell;
use std::time::Duration;

use serde_json::json;

use super::double::{now, MemTools, PHONE};
use super::{brain, client, offline_answer};
use crate::brain::agent::NextAction;
use crate::brain::llm::fake::{FakeChatServer, FakeReply};
use crate::brain::llm::{llm_turn_or_fallback, LlmBrain, LlmState, Role};

/// Runs one turn with a counting offline brain; returns the reply and
/// whether the offline brain ran.
async fn turn(
    llm: &LlmBrain,
    state: &mut LlmState,
    tools: &MemTools,
    text: &str,
) -> (String, Vec<NextAction>, bool) {
    let used = Cell::new(false);
    let response = llm_turn_or_fallback(llm, state, text, Some(PHONE), tools, now(), || async {
        used.set(true);
        offline_answer()
    })
    .await;
    // The offline brain answers a carrier keyword itself, else only when the
    // model failed; only the latter is the provider's error.
    let keyword = matches!(text, "STOP" | "START" | "HELP");
    assert_eq!(response.model_failed, used.get() && !keyword, "{text}");
    let response = response.response;
    (response.reply, response.next_actions, used.get())
}

async fn falls_back_on(reply: FakeReply) {
    let server = FakeChatServer::start(vec![reply]).await.expect("fake");
    let tools = MemTools::new();
    let mut state = LlmState::default();
    let llm = LlmBrain::new(client(&server).with_timeout(Duration::from_millis(300)));
    let (reply, actions, used) = turn(&llm, &mut state, &tools, "hi").await;
    assert!(used, "offline brain used");
    assert_eq!((reply.as_str(), actions.len()), ("offline answer", 0));
    let kept: Vec<(Role, Option<&str>)> = state
        .messages
        .iter()
        .map(|m| (m.role, m.content.as_deref()))
        .collect();
    assert_eq!(
        kept,
        [
            (Role::User, Some("hi")),
            (Role::Assistant, Some("offline answer"))
        ]
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn server_error_uses_the_offline_brain() {
    falls_back_on(FakeReply::raw(500, r#"{"error": {"message": "boom"}}"#)).await;
}

#[tokio::test]
async fn timeout_uses_the_offline_brain() {
    falls_back_on(FakeReply::text("too late").delayed(Duration::from_secs(3))).await;
}

#[tokio::test]
async fn rate_limit_uses_the_offline_brain() {
    falls_back_on(FakeReply::raw(429, "{}").with_header("retry-after", "20")).await;
}

#[tokio::test]
async fn malformed_json_uses_the_offline_brain() {
    falls_back_on(FakeReply::raw(200, r#"{"choices": [{"message": "#)).await;
}

#[tokio::test]
async fn empty_answer_uses_the_offline_brain() {
    falls_back_on(FakeReply::message(
        json!({"role": "assistant", "content": "  "}),
    ))
    .await;
}

#[tokio::test]
async fn a_booking_before_a_failure_is_confirmed_not_repeated() {
    let script = vec![
        FakeReply::tool_calls(&[
            (
                "c1",
                "check_availability",
                json!({"service": "Full Detail"}),
            ),
            (
                "c2",
                "book_appointment",
                json!({"service_id": 1, "slot_start": super::tool_tests::start_text(0)}),
            ),
        ]),
        FakeReply::raw(502, "bad gateway"),
        FakeReply::raw(500, "still down"),
    ];
    let server = FakeChatServer::start(script).await.expect("fake");
    let tools = MemTools::new();
    let llm = brain(&server);
    let mut state = LlmState::default();
    let (reply, actions, used) = turn(&llm, &mut state, &tools, "book the first one").await;
    assert!(!used, "the offline brain must not run after a booking");
    assert_eq!(reply, "You're booked: Full Detail tomorrow at 9:00 AM.");
    assert_eq!(
        actions,
        [NextAction::Book {
            appointment_id: 500
        }]
    );
    assert_eq!(
        state.messages.last().and_then(|m| m.content.as_deref()),
        Some(reply.as_str())
    );
    let offered_before = state.offered.clone();
    let (reply, _, used) = turn(&llm, &mut state, &tools, "thanks").await;
    assert!(used && reply == "offline answer");
    assert_eq!(tools.log().bookings.len(), 1);
    assert_eq!(state.offered, offered_before);
}

#[tokio::test]
async fn a_handoff_before_a_timeout_is_confirmed() {
    let script = vec![
        FakeReply::tool_calls(&[(
            "h",
            "handoff_to_human",
            json!({"summary": "angry about price"}),
        )]),
        FakeReply::text("late").delayed(Duration::from_secs(3)),
    ];
    let server = FakeChatServer::start(script).await.expect("fake");
    let tools = MemTools::new();
    let mut state = LlmState::default();
    let (reply, actions, used) = turn(
        &brain(&server),
        &mut state,
        &tools,
        "let me talk to someone",
    )
    .await;
    assert!(!used);
    assert!(reply.contains("team"), "{reply}");
    assert_eq!(
        actions,
        [NextAction::Handoff {
            summary: "angry about price".to_owned()
        }]
    );
}

#[tokio::test]
async fn carrier_keywords_never_reach_the_model() {
    let server = FakeChatServer::start(vec![FakeReply::text("Sorry to see you go!")])
        .await
        .expect("fake");
    let tools = MemTools::new();
    let mut state = LlmState::default();
    let (reply, _, used) = turn(&brain(&server), &mut state, &tools, "STOP").await;
    assert!(used && reply == "offline answer");
    assert!(server.requests().is_empty());
    assert!(state.messages.is_empty());
}

#[tokio::test]
async fn falls_back_to_the_real_offline_engine() {
    use crate::brain::engine::{handle_turn, ConversationState};
    let server = FakeChatServer::start(vec![FakeReply::raw(500, "down")])
        .await
        .expect("fake");
    let tools = MemTools::new();
    let stored =
        json!({"version": 1, "llm": LlmState::new(Some(7)).to_json().expect("serialises")});
    let mut state: ConversationState = serde_json::from_value(stored.clone()).unwrap_or_default();
    let mut llm_state = LlmState::from_json(&stored["llm"]);
    let (text, phone, now) = ("how much is a full detail?", Some(PHONE), now());
    let response = llm_turn_or_fallback(
        &brain(&server),
        &mut llm_state,
        text,
        phone,
        &tools,
        now,
        || handle_turn(&mut state, text, phone, Channel::Sms, &tools, now),
    )
    .await;
    assert!(
        response.model_failed,
        "the model failed: counted for the caller"
    );
    let response = response.response;
    assert!(!response.reply.is_empty() && response.reply != "offline answer");
    assert_eq!(llm_state.conversation_id, Some(7));
    assert_eq!(llm_state.messages.len(), 2);
    let mut saved = serde_json::to_value(&state).unwrap_or_default();
    if let Some(map) = saved.as_object_mut() {
        map.insert("llm".to_owned(), llm_state.to_json().expect("serialises"));
    }
    assert_eq!(LlmState::from_json(&saved["llm"]), llm_state);
}
