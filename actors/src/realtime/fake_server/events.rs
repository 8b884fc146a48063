//! Server events as the fake provider writes them, in the GA shape.

use serde::Serialize;
use serde_json::{json, Value};

use crate::realtime::openai_events::SessionConfig;

/// Numbers the fake's ids and `event_id`s deterministically, per session.
#[derive(Debug, Default)]
pub(crate) struct Ids {
    events: u64,
    responses: u64,
    items: u64,
    calls: u64,
}

impl Ids {
    fn event(&mut self) -> String {
        self.events += 1;
        format!("event_{}", self.events)
    }

    pub(crate) fn response(&mut self) -> String {
        self.responses += 1;
        format!("resp_{}", self.responses)
    }

    pub(crate) fn item(&mut self) -> String {
        self.items += 1;
        format!("item_{}", self.items)
    }

    pub(crate) fn call(&mut self) -> String {
        self.calls += 1;
        format!("call_{}", self.calls)
    }
}

/// Builds the text of server events, stamping each with an `event_id`.
#[derive(Debug, Default)]
pub(crate) struct Events {
    pub(crate) ids: Ids,
}

#[derive(Serialize)]
struct AudioDeltaOut<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    event_id: &'a str,
    response_id: &'a str,
    item_id: &'a str,
    output_index: u32,
    content_index: u32,
    delta: &'a str,
}

impl Events {
    fn typed(&mut self, kind: &str, mut body: Value) -> String {
        if let Value::Object(map) = &mut body {
            map.insert("type".into(), Value::from(kind));
            map.insert("event_id".into(), Value::from(self.ids.event()));
        }
        body.to_string()
    }

    pub(crate) fn session(
        &mut self,
        kind: &str,
        id: &str,
        config: Option<&SessionConfig>,
    ) -> String {
        let mut session = config
            .and_then(|c| serde_json::to_value(c).ok())
            .unwrap_or_else(|| json!({"type": "realtime"}));
        if let Value::Object(map) = &mut session {
            map.insert("id".into(), Value::from(id));
            map.insert("object".into(), Value::from("realtime.session"));
            map.insert("model".into(), Value::from("gpt-realtime"));
        }
        self.typed(kind, json!({ "session": session }))
    }

    pub(crate) fn response_created(&mut self, response_id: &str) -> String {
        self.typed(
            "response.created",
            json!({"response": {"object": "realtime.response", "id": response_id,
                                "status": "in_progress", "output": []}}),
        )
    }

    pub(crate) fn message_item(
        &mut self,
        kind: &str,
        response_id: &str,
        item_id: &str,
        status: &str,
    ) -> String {
        self.typed(
            kind,
            json!({"response_id": response_id, "output_index": 0,
                   "item": {"id": item_id, "object": "realtime.item", "type": "message",
                            "role": "assistant", "status": status, "content": []}}),
        )
    }

    /// A `response.output_audio.delta`. `delta` is base64 (from the fake's audio cache),
    /// which JSON never escapes, so it is copied in whole rather than scanned by the
    /// serializer: the load test's generator writes ~64 kB of it per call-second.
    pub(crate) fn audio_delta(&mut self, response_id: &str, item_id: &str, delta: &str) -> String {
        let event_id = self.ids.event();
        debug_assert!(delta
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=')));
        let head = serde_json::to_string(&AudioDeltaOut {
            kind: "response.output_audio.delta",
            event_id: &event_id,
            response_id,
            item_id,
            output_index: 0,
            content_index: 0,
            delta: "",
        })
        .unwrap_or_default();
        // `head` ends in `"delta":""}`: put the audio between the last two quotes.
        let (open, close) = head.split_at(head.len().saturating_sub(2));
        let mut text = String::with_capacity(head.len() + delta.len());
        text.push_str(open);
        text.push_str(delta);
        text.push_str(close);
        text
    }

    pub(crate) fn part(
        &mut self,
        kind: &str,
        response_id: &str,
        item_id: &str,
        extra: Option<(&str, &str)>,
    ) -> String {
        let mut body = json!({"response_id": response_id, "item_id": item_id,
                              "output_index": 0, "content_index": 0});
        if let (Some((key, value)), Value::Object(map)) = (extra, &mut body) {
            map.insert(key.into(), Value::from(value));
        }
        self.typed(kind, body)
    }

    pub(crate) fn response_done(
        &mut self,
        response_id: &str,
        status: &str,
        reason: Option<&str>,
        tokens: (u64, u64),
    ) -> String {
        let (input, output) = tokens;
        let details = reason.map(|r| json!({"type": status, "reason": r}));
        self.typed(
            "response.done",
            json!({"response": {
                "object": "realtime.response", "id": response_id, "status": status,
                "status_details": details, "output": [],
                "usage": {
                    "total_tokens": input + output, "input_tokens": input, "output_tokens": output,
                    "input_token_details": {"text_tokens": 0, "audio_tokens": input, "cached_tokens": 0},
                    "output_token_details": {"text_tokens": 0, "audio_tokens": output}
                }
            }}),
        )
    }

    pub(crate) fn speech(&mut self, kind: &str, ms_key: &str, ms: u64, item_id: &str) -> String {
        let mut body = json!({"item_id": item_id});
        if let Value::Object(map) = &mut body {
            map.insert(ms_key.into(), Value::from(ms));
        }
        self.typed(kind, body)
    }

    pub(crate) fn committed(&mut self, item_id: &str) -> String {
        self.typed(
            "input_audio_buffer.committed",
            json!({"previous_item_id": null, "item_id": item_id}),
        )
    }

    pub(crate) fn input_transcript(&mut self, item_id: &str, transcript: &str) -> String {
        self.typed(
            "conversation.item.input_audio_transcription.completed",
            json!({"item_id": item_id, "content_index": 0, "transcript": transcript}),
        )
    }

    pub(crate) fn function_call_item(
        &mut self,
        kind: &str,
        response_id: &str,
        item_id: &str,
        call: (&str, &str, &str),
    ) -> String {
        let (call_id, name, arguments) = call;
        self.typed(
            kind,
            json!({"response_id": response_id, "output_index": 0,
                   "item": {"id": item_id, "object": "realtime.item", "type": "function_call",
                            "status": "completed", "call_id": call_id, "name": name,
                            "arguments": arguments}}),
        )
    }

    pub(crate) fn arguments_done(
        &mut self,
        response_id: &str,
        item_id: &str,
        call: (&str, &str, &str),
    ) -> String {
        let (call_id, name, arguments) = call;
        self.typed(
            "response.function_call_arguments.done",
            json!({"response_id": response_id, "item_id": item_id, "output_index": 0,
                   "call_id": call_id, "name": name, "arguments": arguments}),
        )
    }

    pub(crate) fn item_added(&mut self, item_id: &str, item: Value) -> String {
        let mut item = item;
        if let Value::Object(map) = &mut item {
            map.insert("id".into(), Value::from(item_id));
        }
        self.typed(
            "conversation.item.added",
            json!({"previous_item_id": null, "item": item}),
        )
    }

    pub(crate) fn truncated(
        &mut self,
        item_id: &str,
        content_index: u32,
        audio_end_ms: u64,
    ) -> String {
        self.typed(
            "conversation.item.truncated",
            json!({"item_id": item_id, "content_index": content_index, "audio_end_ms": audio_end_ms}),
        )
    }

    pub(crate) fn error(&mut self, code: &str, message: &str, param: Option<&str>) -> String {
        self.typed(
            "error",
            json!({"error": {"type": "invalid_request_error", "code": code,
                             "message": message, "param": param, "event_id": null}}),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::realtime::openai_events::{parse_server_event, ServerEvent};

    #[test]
    fn audio_deltas_are_valid_ga_events_carrying_the_audio_whole() {
        let mut events = Events::default();
        let text = events.audio_delta("resp_1", "item_1", "//8A+w==");
        let ServerEvent::AudioDelta(delta) = parse_server_event(&text).unwrap() else {
            panic!("not an audio delta: {text}");
        };
        assert_eq!(delta.delta, "//8A+w==");
        assert_eq!(
            (delta.response_id.as_str(), delta.item_id.as_str()),
            ("resp_1", "item_1")
        );
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["type"], "response.output_audio.delta");
        assert_eq!(value["event_id"], "event_1");
    }
}
