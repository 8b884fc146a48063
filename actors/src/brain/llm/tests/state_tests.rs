//! The stored state and SMS text rules.

use serde_json::json;

use super::double::slot;
use crate::brain::llm::{
    sms_text, ChatMessage, LlmState, OfferedSlot, Role, HISTORY_MESSAGES, MAX_REPLY_CHARS,
};

#[test]
fn state_round_trips_and_unknown_shapes_start_fresh() {
    let mut state = LlmState::new(Some(9));
    state.record_exchange("hi", "hello");
    state.set_offered(vec![OfferedSlot {
        slot: slot(0),
        service_id: 1,
        addon_ids: vec![],
        appointment_id: None,
    }]);
    assert_eq!(
        LlmState::from_json(&state.to_json().expect("serialises")),
        state
    );
    let mut other = state.to_json().expect("serialises");
    other["version"] = json!(99);
    assert_eq!(LlmState::from_json(&other), LlmState::default());
    assert_eq!(LlmState::from_json(&json!("garbage")), LlmState::default());
    assert_eq!(LlmState::from_json(&json!({})), LlmState::default());
}

#[test]
fn history_is_trimmed_to_start_with_a_customer_message() {
    let mut state = LlmState::default();
    for n in 0..10 {
        let call = ChatMessage {
            tool_calls: vec![],
            ..ChatMessage::text(Role::Assistant, "calling")
        };
        state.commit(vec![
            ChatMessage::text(Role::User, format!("text {n}")),
            call,
            ChatMessage::tool_result(format!("c{n}"), "{}"),
        ]);
    }
    assert!(state.messages.len() <= HISTORY_MESSAGES);
    assert_eq!(state.messages[0].content.as_deref(), Some("text 6"));
    let long = "x".repeat(5_000);
    state.commit(vec![ChatMessage::text(Role::User, long)]);
    assert_eq!(
        state
            .messages
            .last()
            .and_then(|m| m.content.as_ref())
            .map(String::len),
        Some(1_500)
    );
}

#[test]
fn sms_text_is_plain_and_short() {
    assert_eq!(
        sms_text("## Hi!\n\n**Sure** \u{2014} it\u{2019}s `$199`\u{2026}"),
        "Hi!\nSure - it's $199..."
    );
    let words = "word ".repeat(100);
    let cut = sms_text(&words);
    assert!(
        cut.chars().count() <= MAX_REPLY_CHARS && cut.ends_with("word..."),
        "{cut}"
    );
}
