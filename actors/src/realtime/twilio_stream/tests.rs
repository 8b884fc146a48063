use std::borrow::Cow;

use super::*;

const SID: &str = "MZ18ad3ab5a668481ce02b83e7395059f0";

// Frames shaped as in Twilio's "Media Streams – WebSocket Messages" reference.
const CONNECTED: &str = r#"{"event":"connected","protocol":"Call","version":"1.0.0"}"#;

const START: &str = r#"{
  "event": "start",
  "sequenceNumber": "1",
  "start": {
    "accountSid": "AC2f1e9ab1ed8c2f93bd7aa1c0b6da51f3",
    "streamSid": "MZ18ad3ab5a668481ce02b83e7395059f0",
    "callSid": "CA3a3a0c08cd2bd4a7a0f0ea4b5a7a2b1c",
    "tracks": ["inbound"],
    "mediaFormat": { "encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1 },
    "customParameters": { "tenant_id": "root", "call_id": "call_42" }
  },
  "streamSid": "MZ18ad3ab5a668481ce02b83e7395059f0"
}"#;

const MEDIA: &str = r#"{"event":"media","sequenceNumber":"3","media":{"track":"inbound","chunk":"1","timestamp":"5","payload":"/////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////////w=="},"streamSid":"MZ18ad3ab5a668481ce02b83e7395059f0"}"#;

const MARK: &str = r#"{"event":"mark","sequenceNumber":"4","streamSid":"MZ18ad3ab5a668481ce02b83e7395059f0","mark":{"name":"item_1:0"}}"#;

const DTMF: &str = r#"{"event":"dtmf","streamSid":"MZ18ad3ab5a668481ce02b83e7395059f0","sequenceNumber":"5","dtmf":{"track":"inbound_track","digit":"1"}}"#;

const STOP: &str = r#"{"event":"stop","sequenceNumber":"6","streamSid":"MZ18ad3ab5a668481ce02b83e7395059f0","stop":{"accountSid":"AC2f1e9ab1ed8c2f93bd7aa1c0b6da51f3","callSid":"CA3a3a0c08cd2bd4a7a0f0ea4b5a7a2b1c"}}"#;

#[test]
fn connected_and_start_parse_with_custom_parameters() {
    assert_eq!(
        parse_twilio_frame(CONNECTED).unwrap(),
        TwilioEvent::Connected(Connected {
            protocol: Some("Call".into()),
            version: Some("1.0.0".into()),
        })
    );
    let TwilioEvent::Start(start) = parse_twilio_frame(START).unwrap() else {
        panic!("not a start frame");
    };
    assert_eq!(start.sequence_number, 1);
    assert_eq!(start.stream_sid, SID);
    assert_eq!(start.call_sid, "CA3a3a0c08cd2bd4a7a0f0ea4b5a7a2b1c");
    assert_eq!(start.account_sid, "AC2f1e9ab1ed8c2f93bd7aa1c0b6da51f3");
    assert_eq!(start.tracks, vec![Track::Inbound]);
    assert_eq!(start.custom_parameters["tenant_id"], "root");
    assert_eq!(start.custom_parameters["call_id"], "call_42");
    assert!(start.media_format.is_mulaw_8k_mono());
}

#[test]
fn media_parses_and_borrows_its_payload_from_the_frame() {
    let TwilioEvent::Media(media) = parse_twilio_frame(MEDIA).unwrap() else {
        panic!("not a media frame");
    };
    assert_eq!(media.sequence_number, 3);
    assert_eq!(media.stream_sid, SID);
    assert_eq!(media.track, Track::Inbound);
    assert_eq!((media.chunk, media.timestamp_ms), (1, 5));
    assert!(matches!(media.payload, Cow::Borrowed(_)));
    assert!(matches!(media.stream_sid, Cow::Borrowed(_)));
    let mut ulaw = Vec::new();
    servicepro_media::b64::decode_append(media.payload.as_bytes(), &mut ulaw).unwrap();
    assert_eq!(ulaw, vec![0xff; 160]);
}

#[test]
fn mark_dtmf_and_stop_parse() {
    assert_eq!(
        parse_twilio_frame(MARK).unwrap(),
        TwilioEvent::Mark(Mark {
            sequence_number: 4,
            stream_sid: SID.into(),
            name: "item_1:0".into(),
        })
    );
    assert_eq!(
        parse_twilio_frame(DTMF).unwrap(),
        TwilioEvent::Dtmf(Dtmf {
            sequence_number: 5,
            stream_sid: SID.into(),
            track: Track::Inbound,
            digit: '1',
        })
    );
    let TwilioEvent::Stop(stop) = parse_twilio_frame(STOP).unwrap() else {
        panic!("not a stop frame");
    };
    assert_eq!(stop.sequence_number, 6);
    for frame in [START, MEDIA, MARK, DTMF, STOP] {
        assert_eq!(parse_twilio_frame(frame).unwrap().stream_sid(), Some(SID));
    }
    assert_eq!(parse_twilio_frame(CONNECTED).unwrap().stream_sid(), None);
    assert_eq!(
        stop.call_sid.as_deref(),
        Some("CA3a3a0c08cd2bd4a7a0f0ea4b5a7a2b1c")
    );
}

#[test]
fn numbers_are_accepted_as_strings_or_numbers() {
    let numeric = r#"{"event":"media","sequenceNumber":3,"streamSid":"MZ1","media":{"track":"outbound","chunk":2,"timestamp":40,"payload":"AA=="}}"#;
    let TwilioEvent::Media(media) = parse_twilio_frame(numeric).unwrap() else {
        panic!("not a media frame");
    };
    assert_eq!(
        (media.sequence_number, media.chunk, media.timestamp_ms),
        (3, 2, 40)
    );
    assert_eq!(media.track, Track::Outbound);
    let start = START
        .replace("\"sampleRate\": 8000", "\"sampleRate\": \"8000\"")
        .replace("\"channels\": 1", "\"channels\": \"1\"")
        .replace("\"sequenceNumber\": \"1\"", "\"sequenceNumber\": 1");
    let TwilioEvent::Start(start) = parse_twilio_frame(&start).unwrap() else {
        panic!("not a start frame");
    };
    assert_eq!(start.sequence_number, 1);
    assert!(start.media_format.is_mulaw_8k_mono());
}

#[test]
fn escaped_payloads_parse_to_owned_text() {
    let escaped = r#"{"event":"media","sequenceNumber":"3","streamSid":"MZ1","media":{"chunk":"1","timestamp":"0","payload":"ab\/cd=="}}"#;
    let TwilioEvent::Media(media) = parse_twilio_frame(escaped).unwrap() else {
        panic!("not a media frame");
    };
    assert_eq!(media.payload, "ab/cd==");
    assert_eq!(
        media.track,
        Track::Inbound,
        "an absent track is the caller's"
    );
    let owned: TwilioEvent<'static> = TwilioEvent::Media(media).into_owned();
    assert!(matches!(
        owned,
        TwilioEvent::Media(Media {
            payload: Cow::Owned(_),
            ..
        })
    ));
}

#[test]
fn unknown_events_are_typed_not_errors() {
    for frame in [
        r#"{"event":"heartbeat","sequenceNumber":"9","streamSid":"MZ1"}"#,
        r#"{"event":"future","media":"a string where an object was expected"}"#,
    ] {
        let TwilioEvent::Unknown { event } = parse_twilio_frame(frame).unwrap() else {
            panic!("{frame} should be unknown");
        };
        assert!(event == "heartbeat" || event == "future");
    }
}

#[test]
fn malformed_frames_are_errors_not_panics() {
    let cases = [
        "",
        "not json",
        "[1,2,3]",
        "{\"event\":",
        "{}",
        r#"{"event":42}"#,
        r#"{"event":"media","sequenceNumber":"3","streamSid":"MZ1"}"#,
        r#"{"event":"media","sequenceNumber":"3","streamSid":"MZ1","media":{"chunk":"1","timestamp":"5"}}"#,
        r#"{"event":"media","sequenceNumber":"x","streamSid":"MZ1","media":{"chunk":"1","timestamp":"5","payload":""}}"#,
        r#"{"event":"media","sequenceNumber":"3","streamSid":7,"media":{"chunk":"1","timestamp":"5","payload":""}}"#,
        r#"{"event":"media","sequenceNumber":"3","streamSid":"MZ1","media":{"chunk":"1","timestamp":"-5","payload":""}}"#,
        r#"{"event":"media","streamSid":"MZ1","media":{"chunk":"1","timestamp":"5","payload":""}}"#,
        r#"{"event":"mark","sequenceNumber":"4","streamSid":"MZ1","mark":{}}"#,
        r#"{"event":"dtmf","sequenceNumber":"5","streamSid":"MZ1","dtmf":{"digit":"12"}}"#,
        r#"{"event":"dtmf","sequenceNumber":"5","streamSid":"MZ1","dtmf":{"digit":""}}"#,
        r#"{"event":"start","sequenceNumber":"1","streamSid":"MZ1","start":{"accountSid":"AC1","callSid":"CA1"}}"#,
        r#"{"event":"start","sequenceNumber":"1","start":{"accountSid":"AC1","callSid":"CA1","mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1}}}"#,
        r#"{"event":"start","sequenceNumber":"1","streamSid":"MZ1","start":{"accountSid":"AC1","callSid":"CA1","customParameters":{"a":1},"mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1}}}"#,
        r#"{"event":"stop","sequenceNumber":"6"}"#,
    ];
    for frame in cases {
        assert!(parse_twilio_frame(frame).is_err(), "accepted: {frame}");
    }
    let missing =
        parse_twilio_frame(r#"{"event":"mark","sequenceNumber":"4","streamSid":"MZ1","mark":{}}"#);
    assert!(matches!(
        missing,
        Err(FrameError::MissingField {
            event: "mark",
            field: "mark.name"
        })
    ));
}

#[test]
fn a_one_megabyte_frame_is_refused_before_parsing() {
    let payload = "A".repeat(1 << 20);
    let frame = format!(
        r#"{{"event":"media","sequenceNumber":"3","streamSid":"MZ1","media":{{"chunk":"1","timestamp":"5","payload":"{payload}"}}}}"#
    );
    assert!(matches!(
        parse_twilio_frame(&frame),
        Err(FrameError::TooLarge {
            max: MAX_FRAME_BYTES,
            ..
        })
    ));
    let deep = "[".repeat(MAX_FRAME_BYTES - 1);
    assert!(matches!(
        parse_twilio_frame(&deep),
        Err(FrameError::Json(_))
    ));
}

#[test]
fn outbound_frames_have_twilios_shape() {
    let mut writer = TwilioFrameWriter::new(SID);
    let media: serde_json::Value = serde_json::from_str(writer.media("f39/fw==")).unwrap();
    assert_eq!(
        media,
        serde_json::json!({"event": "media", "streamSid": SID, "media": {"payload": "f39/fw=="}})
    );
    let mark: serde_json::Value = serde_json::from_str(writer.mark("item_\"1\":0")).unwrap();
    assert_eq!(
        mark,
        serde_json::json!({"event": "mark", "streamSid": SID, "mark": {"name": "item_\"1\":0"}})
    );
    let clear: serde_json::Value = serde_json::from_str(writer.clear()).unwrap();
    assert_eq!(
        clear,
        serde_json::json!({"event": "clear", "streamSid": SID})
    );
    assert_eq!(writer.stream_sid(), SID);
}

#[test]
fn outbound_writers_reuse_their_buffer() {
    let payload = "f".repeat(216);
    let mut out = String::new();
    write_media(&mut out, SID, &payload);
    let capacity = out.capacity();
    let ptr = out.as_ptr();
    for _ in 0..100 {
        write_media(&mut out, SID, &payload);
        write_mark(&mut out, SID, "item_1:99");
        write_clear(&mut out, SID);
    }
    assert_eq!((out.capacity(), out.as_ptr()), (capacity, ptr));
}
