//! The Chat Completions client against the fake.

use std::time::Duration;

use serde_json::json;

use super::client;
use crate::brain::llm::fake::{FakeChatServer, FakeReply};
use crate::brain::llm::{
    tool_definitions, ChatClient, ChatError, ChatMessage, Role, ToolChoice, DEFAULT_MODEL,
};

fn hello() -> Vec<ChatMessage> {
    vec![
        ChatMessage::text(Role::System, "be brief"),
        ChatMessage::text(Role::User, "hi"),
    ]
}

#[tokio::test]
async fn sends_model_messages_tools_and_key() {
    let server = FakeChatServer::start(vec![FakeReply::text("Hello!")])
        .await
        .expect("fake");
    let reply = client(&server)
        .complete(&hello(), &tool_definitions(), ToolChoice::Auto)
        .await
        .expect("reply");
    assert_eq!(reply.message.content.as_deref(), Some("Hello!"));
    assert_eq!(reply.message.role, Role::Assistant);
    assert_eq!(reply.usage.total_tokens, 120);
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("POST", "/v1/chat/completions")
    );
    assert_eq!(request.header("authorization"), Some("Bearer sk-test"));
    assert_eq!(request.body["model"], DEFAULT_MODEL);
    assert_eq!(request.body["tool_choice"], "auto");
    assert_eq!(request.body["tools"].as_array().map(Vec::len), Some(11));
    assert_eq!(
        request.body["messages"][0],
        json!({"role": "system", "content": "be brief"})
    );
}

#[tokio::test]
async fn without_tools_sends_no_tool_choice() {
    let server = FakeChatServer::start(vec![FakeReply::text("ok")])
        .await
        .expect("fake");
    client(&server)
        .with_model("gpt-test")
        .complete(&hello(), &[], ToolChoice::Auto)
        .await
        .expect("reply");
    let body = &server.requests()[0].body;
    assert_eq!(body["model"], "gpt-test");
    assert!(body.get("tools").is_none() && body.get("tool_choice").is_none());
}

#[tokio::test]
async fn parses_tool_calls() {
    let script = vec![FakeReply::tool_calls(&[(
        "call_1",
        "search_kb",
        json!({"question": "pay?"}),
    )])];
    let server = FakeChatServer::start(script).await.expect("fake");
    let reply = client(&server)
        .complete(&hello(), &tool_definitions(), ToolChoice::Auto)
        .await
        .expect("reply");
    let call = &reply.message.tool_calls[0];
    assert_eq!(
        (call.id.as_str(), call.function.name.as_str()),
        ("call_1", "search_kb")
    );
    assert_eq!(call.function.arguments, r#"{"question":"pay?"}"#);
    assert_eq!(reply.message.content, None);
}

#[tokio::test]
async fn maps_provider_failures() {
    let script = vec![
        FakeReply::raw(429, "{}").with_header("retry-after", "7"),
        FakeReply::raw(503, "x".repeat(1_000)),
        FakeReply::raw(200, "{not json"),
        FakeReply::raw(200, r#"{"choices": []}"#),
        FakeReply::text("late").delayed(Duration::from_secs(2)),
    ];
    let server = FakeChatServer::start(script).await.expect("fake");
    let client = client(&server).with_timeout(Duration::from_millis(200));
    let mut errors = Vec::new();
    for _ in 0..5 {
        errors.push(
            client
                .complete(&hello(), &[], ToolChoice::Auto)
                .await
                .expect_err("fails"),
        );
    }
    assert!(
        matches!(errors[0], ChatError::RateLimited(Some(7))),
        "{errors:?}"
    );
    assert!(
        matches!(&errors[1], ChatError::Http(503, body) if *body == "x".repeat(300)),
        "{errors:?}"
    );
    assert!(matches!(errors[2], ChatError::Decode(_)), "{errors:?}");
    assert!(
        matches!(&errors[3], ChatError::Decode(e) if e.to_string() == "no choices"),
        "{errors:?}"
    );
    assert!(
        std::error::Error::source(&errors[3]).is_some(),
        "the cause is kept"
    );
    assert!(matches!(errors[4], ChatError::Timeout), "{errors:?}");
}

#[test]
fn base_url_forms() {
    let with_v1 = ChatClient::new("https://api.example.com/v1/", "k").expect("client");
    assert_eq!(
        with_v1.endpoint(),
        "https://api.example.com/v1/chat/completions"
    );
    let bare = ChatClient::new("http://127.0.0.1:9", "sk-secret").expect("client");
    assert_eq!(bare.endpoint(), "http://127.0.0.1:9/v1/chat/completions");
    assert!(matches!(
        ChatClient::new("api.example.com", "k"),
        Err(ChatError::Config(_))
    ));
    assert!(!format!("{bare:?}").contains("sk-secret"));
}
