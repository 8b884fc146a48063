//! A loopback fake of the Chat Completions endpoint for tests: a tiny
//! HTTP/1.1 server on `127.0.0.1:0` that answers each request with the
//! next scripted reply (optionally after a delay) and records what it got.

use std::collections::VecDeque;
use std::io;
use std::time::Duration;

use crate::loopback::{Answer, LoopbackServer, RawRequest};
use serde_json::{json, Value};

/// One scripted HTTP answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeReply {
    /// HTTP status.
    pub status: u16,
    /// Body text.
    pub body: String,
    /// Extra headers.
    pub headers: Vec<(String, String)>,
    /// Wait this long before answering.
    pub delay: Duration,
}

impl FakeReply {
    /// Any status and body.
    pub fn raw(status: u16, body: impl Into<String>) -> Self {
        FakeReply {
            status,
            body: body.into(),
            headers: Vec::new(),
            delay: Duration::ZERO,
        }
    }

    /// A completion whose assistant message is `message`.
    pub fn message(message: Value) -> Self {
        let body = json!({
            "id": "chatcmpl-fake",
            "object": "chat.completion",
            "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 100, "completion_tokens": 20, "total_tokens": 120},
        });
        FakeReply::raw(200, body.to_string())
    }

    /// A completion answering `text`.
    pub fn text(text: &str) -> Self {
        FakeReply::message(json!({"role": "assistant", "content": text}))
    }

    /// A completion calling tools: `(call id, tool name, arguments)`.
    pub fn tool_calls(calls: &[(&str, &str, Value)]) -> Self {
        let calls: Vec<Value> = calls
            .iter()
            .map(|(id, name, args)| {
                json!({"id": id, "type": "function",
                       "function": {"name": name, "arguments": args.to_string()}})
            })
            .collect();
        FakeReply::message(json!({"role": "assistant", "content": null, "tool_calls": calls}))
    }

    /// Adds a header.
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Answers after `delay`.
    pub fn delayed(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

/// A request the fake received.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedRequest {
    /// e.g. `POST`.
    pub method: String,
    /// e.g. `/v1/chat/completions`.
    pub path: String,
    /// Headers, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// The body as JSON (`Null` when it was not JSON).
    pub body: Value,
}

impl RecordedRequest {
    /// The first header named `name` (lower-case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Default)]
struct Shared {
    script: VecDeque<FakeReply>,
    requests: Vec<RecordedRequest>,
}

/// Records `raw` and answers the next scripted reply (500 once the script is out).
fn answer(state: &mut Shared, raw: RawRequest) -> Answer {
    state.requests.push(RecordedRequest {
        body: serde_json::from_slice(&raw.body).unwrap_or_default(),
        method: raw.method,
        path: raw.path,
        headers: raw.headers,
    });
    let reply = state
        .script
        .pop_front()
        .unwrap_or_else(|| FakeReply::raw(500, r#"{"error":{"message":"script exhausted"}}"#));
    Answer {
        status: reply.status,
        body: reply.body,
        headers: reply.headers,
        delay: reply.delay,
    }
}

/// The running fake; stops when dropped.
#[derive(Debug)]
pub struct FakeChatServer {
    server: LoopbackServer<Shared>,
}

impl FakeChatServer {
    /// Starts serving `script`, one reply per request in order; after the
    /// script, requests get HTTP 500.
    pub async fn start(script: Vec<FakeReply>) -> io::Result<Self> {
        let state = Shared {
            script: script.into(),
            requests: Vec::new(),
        };
        Ok(FakeChatServer {
            server: LoopbackServer::start(state, answer).await?,
        })
    }

    /// The base URL to configure a client with.
    pub fn base_url(&self) -> String {
        self.server.base_url()
    }

    /// The requests received so far, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.server.state().requests.clone()
    }
}
