use serde_json::{json, Value};

use super::*;

fn booking_tool() -> Tool {
    Tool::function(
        "book_appointment",
        "Book the slot the caller accepted.",
        json!({
            "type": "object",
            "properties": {"slot_id": {"type": "string"}},
            "required": ["slot_id"]
        }),
    )
}

fn to_value(event: &ClientEvent, shape: ApiShape) -> Value {
    serde_json::from_str(&encode_client_event(event, shape).unwrap()).unwrap()
}

#[test]
fn session_update_serializes_to_the_ga_shape() {
    let session = SessionConfig::phone_call("You are Clean Machine's receptionist.", "marin")
        .with_tools(vec![booking_tool()]);
    let event = ClientEvent::SessionUpdate { session };
    assert_eq!(
        to_value(&event, ApiShape::Ga),
        json!({
            "type": "session.update",
            "session": {
                "type": "realtime",
                "output_modalities": ["audio"],
                "instructions": "You are Clean Machine's receptionist.",
                "audio": {
                    "input": {
                        "format": {"type": "audio/pcmu"},
                        "turn_detection": {"type": "server_vad"},
                        "transcription": {"model": "gpt-4o-mini-transcribe"}
                    },
                    "output": {"format": {"type": "audio/pcmu"}, "voice": "marin"}
                },
                "tools": [{
                    "type": "function",
                    "name": "book_appointment",
                    "description": "Book the slot the caller accepted.",
                    "parameters": {
                        "type": "object",
                        "properties": {"slot_id": {"type": "string"}},
                        "required": ["slot_id"]
                    }
                }],
                "tool_choice": "auto"
            }
        })
    );
}

#[test]
fn pcm_format_and_vad_options_serialize_as_documented() {
    let mut session = SessionConfig::phone_call("Hi", "alloy").with_format(AudioFormat::PCM_24K);
    session.audio.input.turn_detection = Some(TurnDetection::ServerVad {
        threshold: Some(0.5),
        prefix_padding_ms: Some(300),
        silence_duration_ms: Some(500),
        create_response: Some(true),
        interrupt_response: Some(true),
    });
    let value = to_value(
        &ClientEvent::SessionUpdate {
            session: session.clone(),
        },
        ApiShape::Ga,
    );
    assert_eq!(
        value["session"]["audio"]["input"]["format"],
        json!({"type": "audio/pcm", "rate": 24000})
    );
    assert_eq!(
        value["session"]["audio"]["output"]["format"],
        json!({"type": "audio/pcm", "rate": 24000})
    );
    assert_eq!(
        value["session"]["audio"]["input"]["turn_detection"],
        json!({"type": "server_vad", "threshold": 0.5, "prefix_padding_ms": 300,
               "silence_duration_ms": 500, "create_response": true, "interrupt_response": true})
    );
    assert!(value["session"].get("tools").is_none());
    let back: ClientEvent = serde_json::from_value(value).unwrap();
    assert_eq!(back, ClientEvent::SessionUpdate { session });
    assert_eq!(AudioFormat::PCM_24K.bytes_per_ms(), 48);
    assert_eq!(AudioFormat::Pcmu.bytes_per_ms(), 8);
}

#[test]
fn beta_session_update_uses_the_beta_field_names() {
    let session = SessionConfig::phone_call("Hi", "alloy").with_tools(vec![booking_tool()]);
    let value = to_value(&ClientEvent::SessionUpdate { session }, ApiShape::Beta);
    let s = &value["session"];
    assert_eq!(value["type"], "session.update");
    assert_eq!(s["modalities"], json!(["audio", "text"]));
    assert_eq!(s["voice"], "alloy");
    assert_eq!(s["input_audio_format"], "g711_ulaw");
    assert_eq!(s["output_audio_format"], "g711_ulaw");
    assert_eq!(
        s["input_audio_transcription"],
        json!({"model": "gpt-4o-mini-transcribe"})
    );
    assert_eq!(s["turn_detection"], json!({"type": "server_vad"}));
    assert_eq!(s["tools"][0]["name"], "book_appointment");
    assert!(s.get("type").is_none() && s.get("audio").is_none());
}

#[test]
fn other_client_events_serialize_as_documented() {
    assert_eq!(
        to_value(
            &ClientEvent::function_output("call_1", r#"{"ok":true}"#),
            ApiShape::Ga
        ),
        json!({"type": "conversation.item.create",
               "item": {"type": "function_call_output", "call_id": "call_1", "output": "{\"ok\":true}"}})
    );
    assert_eq!(
        to_value(&ClientEvent::response_create(), ApiShape::Ga),
        json!({"type": "response.create"})
    );
    assert_eq!(
        to_value(&ClientEvent::ResponseCancel, ApiShape::Beta),
        json!({"type": "response.cancel"})
    );
    assert_eq!(
        to_value(&ClientEvent::truncate("item_7", 1480), ApiShape::Ga),
        json!({"type": "conversation.item.truncate", "item_id": "item_7", "content_index": 0, "audio_end_ms": 1480})
    );
    let greeting = ClientEvent::ResponseCreate {
        response: Some(ResponseOptions {
            instructions: Some("Greet the caller.".into()),
        }),
    };
    assert_eq!(
        to_value(&greeting, ApiShape::Ga),
        json!({"type": "response.create", "response": {"instructions": "Greet the caller."}})
    );
    for event in [
        ClientEvent::ResponseCancel,
        ClientEvent::truncate("i", 1),
        greeting,
    ] {
        let text = encode_client_event(&event, ApiShape::Ga).unwrap();
        assert_eq!(
            serde_json::from_str::<ClientEvent>(&text).unwrap().kind(),
            event.kind()
        );
    }
}

#[test]
fn append_fast_path_equals_serde_and_round_trips() {
    let audio = "/".repeat(212) + "/w==";
    let mut fast = String::new();
    write_append(&mut fast, &audio);
    let event = ClientEvent::InputAudioAppend {
        audio: audio.clone(),
    };
    assert_eq!(fast, serde_json::to_string(&event).unwrap());
    assert_eq!(encode_client_event(&event, ApiShape::Ga).unwrap(), fast);
    assert_eq!(serde_json::from_str::<ClientEvent>(&fast).unwrap(), event);

    let odd = "quote\" and \\ and \n".to_owned();
    write_append(&mut fast, &odd);
    assert_eq!(
        serde_json::from_str::<ClientEvent>(&fast).unwrap(),
        ClientEvent::InputAudioAppend { audio: odd }
    );
    let capacity = fast.capacity();
    write_append(&mut fast, "AAAA");
    assert_eq!(fast.capacity(), capacity, "the buffer is reused");
}

#[test]
fn an_owned_append_becomes_its_frame_in_its_own_buffer() {
    let mut audio = String::with_capacity(216 + APPEND_OVERHEAD);
    audio.push_str(&("/".repeat(212) + "/w=="));
    let event = ClientEvent::InputAudioAppend {
        audio: audio.clone(),
    };
    let expected = encode_client_event(&event, ApiShape::Ga).unwrap();
    let buffer = audio.as_ptr();
    let frame =
        encode_client_event_owned(ClientEvent::InputAudioAppend { audio }, ApiShape::Ga).unwrap();
    assert_eq!(frame, expected);
    assert_eq!(frame.as_ptr(), buffer, "built in the audio's buffer");

    let odd = ClientEvent::InputAudioAppend {
        audio: "quote\" and \\".to_owned(),
    };
    let expected = encode_client_event(&odd, ApiShape::Ga).unwrap();
    assert_eq!(
        encode_client_event_owned(odd, ApiShape::Ga).unwrap(),
        expected
    );
    let other = ClientEvent::response_create();
    let expected = encode_client_event(&other, ApiShape::Ga).unwrap();
    assert_eq!(
        encode_client_event_owned(other, ApiShape::Ga).unwrap(),
        expected
    );
}

fn parse(text: &str) -> ServerEvent {
    parse_server_event(text).unwrap()
}

#[test]
fn audio_and_transcript_events_parse_the_same_in_ga_and_beta_names() {
    let pairs = [
        (
            "response.output_audio.delta",
            "response.audio.delta",
            r#""response_id":"resp_1","item_id":"item_1","output_index":0,"content_index":0,"delta":"f39/""#,
        ),
        (
            "response.output_audio.done",
            "response.audio.done",
            r#""response_id":"resp_1","item_id":"item_1","output_index":0,"content_index":0"#,
        ),
        (
            "response.output_audio_transcript.delta",
            "response.audio_transcript.delta",
            r#""response_id":"resp_1","item_id":"item_1","output_index":0,"content_index":0,"delta":"Hel""#,
        ),
        (
            "response.output_audio_transcript.done",
            "response.audio_transcript.done",
            r#""response_id":"resp_1","item_id":"item_1","output_index":0,"content_index":0,"transcript":"Hello!""#,
        ),
    ];
    for (ga, beta, fields) in pairs {
        let ga_event = parse(&format!(
            r#"{{"type":"{ga}","event_id":"event_1",{fields}}}"#
        ));
        let beta_event = parse(&format!(
            r#"{{"event_id":"event_2",{fields},"type":"{beta}"}}"#
        ));
        assert_eq!(ga_event, beta_event, "{ga} vs {beta}");
        assert!(!matches!(ga_event, ServerEvent::Other(_)));
    }
    assert_eq!(
        parse(
            r#"{"type":"response.output_audio.delta","event_id":"e","response_id":"r","item_id":"i","output_index":0,"content_index":0,"delta":"AAA="}"#
        ),
        ServerEvent::AudioDelta(AudioDelta {
            response_id: "r".into(),
            item_id: "i".into(),
            output_index: 0,
            content_index: 0,
            delta: "AAA=".into(),
        })
    );
}

#[test]
fn session_response_and_speech_events_parse() {
    assert_eq!(
        parse(
            r#"{"type":"session.created","event_id":"e","session":{"type":"realtime","object":"realtime.session","id":"sess_1","model":"gpt-realtime","audio":{}}}"#
        ),
        ServerEvent::SessionCreated(SessionInfo {
            id: Some("sess_1".into()),
            model: Some("gpt-realtime".into())
        })
    );
    assert!(matches!(
        parse(r#"{"type":"session.updated","session":{}}"#),
        ServerEvent::SessionUpdated(_)
    ));
    assert_eq!(
        parse(
            r#"{"type":"response.created","event_id":"e","response":{"object":"realtime.response","id":"resp_1","status":"in_progress","output":[]}}"#
        ),
        ServerEvent::ResponseCreated(ResponseInfo {
            id: "resp_1".into(),
            status: Some("in_progress".into())
        })
    );
    assert_eq!(
        parse(
            r#"{"type":"input_audio_buffer.speech_started","event_id":"e","audio_start_ms":1000,"item_id":"item_c1"}"#
        ),
        ServerEvent::SpeechStarted(SpeechStarted {
            audio_start_ms: 1000,
            item_id: "item_c1".into()
        })
    );
    assert_eq!(
        parse(
            r#"{"type":"input_audio_buffer.speech_stopped","event_id":"e","audio_end_ms":2000,"item_id":"item_c1"}"#
        ),
        ServerEvent::SpeechStopped(SpeechStopped {
            audio_end_ms: 2000,
            item_id: "item_c1".into()
        })
    );
    assert_eq!(
        parse(
            r#"{"type":"conversation.item.input_audio_transcription.completed","event_id":"e","item_id":"item_c1","content_index":0,"transcript":"I need a detail tomorrow.","usage":{"type":"duration","seconds":2}}"#
        ),
        ServerEvent::InputTranscriptionCompleted(InputTranscription {
            item_id: "item_c1".into(),
            transcript: "I need a detail tomorrow.".into(),
        })
    );
}

#[test]
fn function_calls_parse_from_both_events() {
    let call = FunctionCall {
        call_id: "call_9".into(),
        name: Some("book_appointment".into()),
        arguments: r#"{"slot_id":"s1"}"#.into(),
        item_id: Some("item_f".into()),
        response_id: Some("resp_2".into()),
    };
    assert_eq!(
        parse(
            r#"{"type":"response.function_call_arguments.done","event_id":"e","response_id":"resp_2","item_id":"item_f","output_index":0,"call_id":"call_9","name":"book_appointment","arguments":"{\"slot_id\":\"s1\"}"}"#
        ),
        ServerEvent::FunctionCallArgumentsDone(call.clone())
    );
    assert_eq!(
        parse(
            r#"{"type":"response.output_item.done","event_id":"e","response_id":"resp_2","output_index":0,"item":{"id":"item_f","object":"realtime.item","type":"function_call","status":"completed","name":"book_appointment","call_id":"call_9","arguments":"{\"slot_id\":\"s1\"}"}}"#
        ),
        ServerEvent::OutputItemDone(OutputItem::FunctionCall(call))
    );
    assert_eq!(
        parse(
            r#"{"type":"response.output_item.done","response_id":"r","item":{"id":"item_m","type":"message","role":"assistant","content":[]}}"#
        ),
        ServerEvent::OutputItemDone(OutputItem::Other {
            id: Some("item_m".into()),
            kind: "message".into()
        })
    );
}

#[test]
fn response_done_carries_usage_for_metering() {
    let event = parse(
        r#"{"type":"response.done","event_id":"e","response":{"object":"realtime.response","id":"resp_1","status":"completed","status_details":null,"output":[],"usage":{"total_tokens":253,"input_tokens":132,"output_tokens":121,"input_token_details":{"text_tokens":119,"audio_tokens":13,"cached_tokens":64,"cached_tokens_details":{"text_tokens":64,"audio_tokens":0}},"output_token_details":{"text_tokens":30,"audio_tokens":91}}}}"#,
    );
    let ServerEvent::ResponseDone(done) = event else {
        panic!("not response.done");
    };
    assert_eq!(
        (done.id.as_str(), done.status.as_str()),
        ("resp_1", "completed")
    );
    let usage = done.usage.unwrap();
    assert_eq!(
        (usage.total_tokens, usage.input_tokens, usage.output_tokens),
        (253, 132, 121)
    );
    let input = usage.input_token_details.unwrap();
    assert_eq!(
        (input.text_tokens, input.audio_tokens, input.cached_tokens),
        (119, 13, 64)
    );
    assert_eq!(usage.output_token_details.unwrap().audio_tokens, 91);
}

#[test]
fn errors_rate_limits_and_unknown_events_parse() {
    assert_eq!(
        parse(
            r#"{"type":"error","event_id":"e","error":{"type":"invalid_request_error","code":"response_cancel_not_active","message":"Cancellation failed: no active response found","param":null,"event_id":"evt_client_1"}}"#
        ),
        ServerEvent::Error(ApiError {
            kind: "invalid_request_error".into(),
            code: Some("response_cancel_not_active".into()),
            message: "Cancellation failed: no active response found".into(),
            param: None,
            event_id: Some("evt_client_1".into()),
        })
    );
    let ServerEvent::RateLimitsUpdated(limits) = parse(
        r#"{"type":"rate_limits.updated","event_id":"e","rate_limits":[{"name":"requests","limit":1000,"remaining":999,"reset_seconds":60},{"name":"tokens","limit":50000,"remaining":49950,"reset_seconds":60.5}]}"#,
    ) else {
        panic!("not rate_limits.updated");
    };
    assert_eq!(limits.len(), 2);
    assert_eq!(limits[1].reset_seconds, 60.5);
    assert_eq!(
        parse(r#"{"type":"conversation.item.added","item":{"id":"x"}}"#),
        ServerEvent::Other("conversation.item.added".into())
    );
}

#[test]
fn malformed_provider_frames_are_errors_not_panics() {
    for text in [
        "",
        "nope",
        "[]",
        "{}",
        r#"{"type":7}"#,
        "{\"type\":\"error\"",
        "\u{0}",
    ] {
        assert!(
            matches!(parse_server_event(text), Err(EventError::NotAnEvent(_))),
            "{text:?}"
        );
    }
    for text in [
        r#"{"type":"response.output_audio.delta","delta":5}"#,
        r#"{"type":"response.output_audio.delta","response_id":"r","item_id":"i"}"#,
        r#"{"type":"response.done","response":{"status":"completed"}}"#,
        r#"{"type":"input_audio_buffer.speech_started","audio_start_ms":"soon","item_id":"i"}"#,
    ] {
        let Err(EventError::Malformed { kind, .. }) = parse_server_event(text) else {
            panic!("accepted {text}");
        };
        assert!(text.contains(&kind));
    }
    let huge = format!(
        r#"{{"type":"response.output_audio.delta","delta":"{}"}}"#,
        "A".repeat(1 << 20)
    );
    assert!(parse_server_event(&huge).is_err());
}

#[test]
fn audio_deltas_parse_the_same_whatever_the_key_order_and_broken_ones_are_refused() {
    let type_first = r#"{"type":"response.output_audio.delta","event_id":"event_1","response_id":"resp_1","item_id":"item_1","output_index":0,"content_index":0,"delta":"//8="}"#;
    let id_first = r#"{"event_id":"event_1","response_id":"resp_1","item_id":"item_1","output_index":0,"content_index":0,"delta":"//8=","type":"response.output_audio.delta"}"#;
    let beta = r#"{"type":"response.audio.delta","event_id":"event_1","response_id":"resp_1","item_id":"item_1","output_index":0,"content_index":0,"delta":"//8="}"#;
    let a = parse_server_event(type_first).unwrap();
    assert_eq!(a, parse_server_event(id_first).unwrap());
    assert_eq!(a, parse_server_event(beta).unwrap());
    let ServerEvent::AudioDelta(delta) = a else {
        panic!("not a delta")
    };
    assert_eq!(delta.delta, "//8=");
    for broken in [
        r#"{"type":"response.output_audio.delta","response_id":"resp_1","item_id":"item_1","delta":"//8="#,
        r#"{"type":"response.output_audio.delta","response_id":"resp_1","delta":"//8="}"#,
        r#"{"type":"response.output_audio.deltas","response_id":"r","item_id":"i","delta":""}"#,
    ] {
        assert!(
            !matches!(parse_server_event(broken), Ok(ServerEvent::AudioDelta(_))),
            "{broken}"
        );
    }
}
