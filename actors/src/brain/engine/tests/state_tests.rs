//! The stored state: round trips, and anything unreadable is a fresh start.

use crate::brain::engine::state::{
    Awaiting, ConversationState, Task, HISTORY_TURNS, STATE_VERSION,
};

#[test]
fn round_trips_through_json() {
    let mut state = ConversationState {
        task: Task::Booking,
        awaiting: Awaiting::Detail(String::from("vehicle")),
        service_id: Some(3),
        ..ConversationState::default()
    };
    state
        .details
        .insert(String::from("vehicle"), String::from("2019 Ford F-150"));
    let back = ConversationState::from_json(&state.to_json().expect("serialises"));
    assert_eq!(back, state);
}

#[test]
fn garbage_old_and_future_json_give_a_fresh_state() {
    let fresh = ConversationState::default();
    for json in [
        "",
        "not json",
        "null",
        "[]",
        "{}",
        r#"{"version": 0, "task": "booking"}"#,
        r#"{"version": 99, "task": "booking"}"#,
        r#"{"version": 1, "task": "flying"}"#,
        r#"{"version": "1"}"#,
    ] {
        assert_eq!(ConversationState::from_json(json), fresh, "{json}");
    }
}

#[test]
fn missing_fields_take_defaults() {
    let json = format!(r#"{{"version": {STATE_VERSION}, "service_id": 4}}"#);
    let state = ConversationState::from_json(&json);
    assert_eq!(state.service_id, Some(4));
    assert_eq!(state.task, Task::Idle);
}

#[test]
fn history_keeps_the_latest_turns_only() {
    let mut state = ConversationState::default();
    for i in 0..10 {
        state.remember(&format!("hi {i}"), &"x".repeat(1000));
    }
    assert_eq!(state.history.len(), HISTORY_TURNS);
    assert_eq!(
        state.history.first().map(|t| t.customer.as_str()),
        Some("hi 4")
    );
    assert!(state.history.iter().all(|t| t.reply.len() <= 200));
}
