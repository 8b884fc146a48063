use crate::realtime::fake_server::{
    FakeResponse, FakeScript, Pacing, ScriptedToolCall, SpeechTrigger,
};
use crate::realtime::openai_events::{AudioFormat, ClientEvent, OutputItem, ServerEvent};
use crate::realtime::provider::OpenAiRealtime;
use crate::realtime::test_support::*;

#[tokio::test]
async fn truncating_beyond_the_audio_sent_is_an_error_event() {
    let server = fake(FakeScript::default()).await;
    let mut session = configured(&server).await;
    session.send(ClientEvent::response_create()).await.unwrap();
    let events = read_until(&mut session, is_done).await;
    let item = events
        .iter()
        .find_map(|e| match e {
            ServerEvent::AudioDelta(d) => Some(d.item_id.clone()),
            _ => None,
        })
        .unwrap();

    session
        .send(ClientEvent::truncate(&item, 501))
        .await
        .unwrap();
    let error = next(&mut session).await;
    assert_eq!(error_code(&error), Some("invalid_value"), "{error:?}");
    let ServerEvent::Error(error) = error else {
        unreachable!()
    };
    assert_eq!(error.param.as_deref(), Some("audio_end_ms"));

    session
        .send(ClientEvent::truncate(&item, 500))
        .await
        .unwrap();
    assert_eq!(
        next(&mut session).await,
        ServerEvent::Other("conversation.item.truncated".into())
    );
    session
        .send(ClientEvent::truncate("item_nope", 0))
        .await
        .unwrap();
    assert_eq!(error_code(&next(&mut session).await), Some("invalid_value"));
    assert_eq!(server.session(0).unwrap().errors_sent.len(), 2);
}

#[tokio::test]
async fn cancel_with_no_active_response_is_an_error_event() {
    let server = fake(FakeScript::default()).await;
    let mut session = configured(&server).await;
    session.send(ClientEvent::ResponseCancel).await.unwrap();
    let event = next(&mut session).await;
    assert_eq!(error_code(&event), Some("response_cancel_not_active"));
    let ServerEvent::Error(error) = event else {
        unreachable!()
    };
    assert_eq!(
        error.message,
        "Cancellation failed: no active response found"
    );
}

#[tokio::test]
async fn barge_in_cancels_a_real_time_response_and_truncates_to_what_was_sent() {
    let script = FakeScript {
        response: FakeResponse {
            chunk_ms: 100,
            chunks: 50,
            pacing: Pacing::RealTime,
            ..FakeResponse::default()
        },
        ..FakeScript::default()
    };
    let server = fake(script).await;
    let mut session = configured(&server).await;
    session.send(ClientEvent::response_create()).await.unwrap();
    let events = read_until(&mut session, |e| matches!(e, ServerEvent::AudioDelta(_))).await;
    let Some(ServerEvent::AudioDelta(first)) = events.last() else {
        unreachable!()
    };
    let item = first.item_id.clone();

    session.send(ClientEvent::response_create()).await.unwrap();
    let busy = read_until(&mut session, |e| matches!(e, ServerEvent::Error(_))).await;
    assert_eq!(
        error_code(&busy[busy.len() - 1]),
        Some("conversation_already_has_active_response")
    );

    session.send(ClientEvent::ResponseCancel).await.unwrap();
    let events = read_until(&mut session, is_done).await;
    let deltas = events
        .iter()
        .filter(|e| matches!(e, ServerEvent::AudioDelta(_)))
        .count();
    assert!(
        deltas < 49,
        "the response stopped early ({deltas} more deltas)"
    );
    let Some(ServerEvent::ResponseDone(done)) = events.last() else {
        unreachable!()
    };
    assert_eq!(done.status, "cancelled");

    session
        .send(ClientEvent::truncate(&item, 100))
        .await
        .unwrap();
    assert_eq!(
        next(&mut session).await,
        ServerEvent::Other("conversation.item.truncated".into())
    );
    session
        .send(ClientEvent::truncate(&item, 5_000))
        .await
        .unwrap();
    assert_eq!(error_code(&next(&mut session).await), Some("invalid_value"));
}

#[tokio::test]
async fn caller_speech_starts_and_stops_by_energy_then_the_fake_answers() {
    let script = FakeScript {
        caller_transcripts: vec!["I need a detail tomorrow".into()],
        ..FakeScript::default()
    };
    let server = fake(script).await;
    let mut session = configured(&server).await;
    let (tone, silence) = (ulaw_tone_frame(), ulaw_silence_frame());
    for _ in 0..9 {
        session
            .send(ClientEvent::InputAudioAppend {
                audio: silence.clone(),
            })
            .await
            .unwrap();
    }
    for _ in 0..10 {
        session
            .send(ClientEvent::InputAudioAppend {
                audio: tone.clone(),
            })
            .await
            .unwrap();
    }
    let ServerEvent::SpeechStarted(started) = next(&mut session).await else {
        panic!("expected speech_started");
    };
    assert_eq!(
        started.audio_start_ms, 180,
        "speech began after 9 silent frames"
    );
    for _ in 0..20 {
        session
            .send(ClientEvent::InputAudioAppend {
                audio: silence.clone(),
            })
            .await
            .unwrap();
    }
    let events = read_until(&mut session, is_done).await;
    let ServerEvent::SpeechStopped(stopped) = &events[0] else {
        panic!("expected speech_stopped, got {:?}", events[0]);
    };
    assert_eq!(
        (stopped.audio_end_ms, stopped.item_id.as_str()),
        (380, started.item_id.as_str())
    );
    assert!(
        events.iter().any(|e| matches!(e,
        ServerEvent::InputTranscriptionCompleted(t) if t.transcript == "I need a detail tomorrow"))
    );
    assert!(events
        .iter()
        .any(|e| matches!(e, ServerEvent::AudioDelta(_))));
    let log = server.session(0).unwrap();
    assert_eq!((log.appends, log.audio_bytes), (39, 39 * 160));
}

#[tokio::test]
async fn a_scripted_tool_call_follows_the_callers_second_utterance() {
    let script = FakeScript {
        speech: SpeechTrigger::AfterAudio {
            after_ms: 40,
            duration_ms: 40,
        },
        respond_after_speech: false,
        tool_call: Some(ScriptedToolCall {
            name: "book_appointment".into(),
            arguments: r#"{"slot_id":"s1"}"#.into(),
            after_utterances: 2,
        }),
        record_audio: false,
        ..FakeScript::default()
    };
    let server = fake(script).await;
    let mut session = configured(&server).await;
    for _ in 0..8 {
        session
            .send(ClientEvent::InputAudioAppend {
                audio: ulaw_silence_frame(),
            })
            .await
            .unwrap();
    }
    let events = read_until(&mut session, is_done).await;
    let call = events
        .iter()
        .find_map(|e| match e {
            ServerEvent::FunctionCallArgumentsDone(call) => Some(call.clone()),
            _ => None,
        })
        .expect("no function call");
    assert_eq!(call.name.as_deref(), Some("book_appointment"));
    assert_eq!(call.arguments, r#"{"slot_id":"s1"}"#);
    assert!(
        events.contains(&ServerEvent::OutputItemDone(OutputItem::FunctionCall(
            call.clone()
        )))
    );
    let speech_starts = events
        .iter()
        .filter(|e| matches!(e, ServerEvent::SpeechStarted(_)))
        .count();
    assert_eq!(speech_starts, 2);

    session
        .send(ClientEvent::function_output(
            &call.call_id,
            r#"{"booked":true}"#,
        ))
        .await
        .unwrap();
    session.send(ClientEvent::response_create()).await.unwrap();
    let events = read_until(&mut session, is_done).await;
    assert!(events
        .iter()
        .any(|e| matches!(e, ServerEvent::AudioDelta(_))));
    let log = server.session(0).unwrap();
    assert_eq!(
        log.event_types(),
        vec![
            "session.update",
            "conversation.item.create",
            "response.create"
        ],
        "appends are counted, not kept, when the script does not record audio"
    );
    assert_eq!(log.appends, 8);
}

#[tokio::test]
async fn greeting_plays_on_connect_in_the_sessions_format() {
    let script = FakeScript {
        greet_on_connect: true,
        ..FakeScript::default()
    };
    let server = fake(script).await;
    let connector = OpenAiRealtime::new(server.url(), "sk-test");
    let mut session = connector
        .open(config().with_format(AudioFormat::PCM_24K))
        .await
        .unwrap();
    let events = read_until(&mut session, is_done).await;
    let delta = events
        .iter()
        .find_map(|e| match e {
            ServerEvent::AudioDelta(d) => Some(d.delta.clone()),
            _ => None,
        })
        .unwrap();
    let mut pcm = Vec::new();
    servicepro_media::b64::decode_append(delta.as_bytes(), &mut pcm).unwrap();
    assert_eq!(pcm.len(), 4800, "100 ms of PCM16 at 24 kHz");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_sessions_are_isolated() {
    let server = fake(FakeScript {
        record_audio: false,
        ..FakeScript::default()
    })
    .await;
    let connector = OpenAiRealtime::new(server.url(), "k");
    let calls = (0..20).map(|_| {
        let connector = connector.clone();
        tokio::spawn(async move {
            let mut session = connector.open(config()).await.unwrap();
            let frame = ulaw_silence_frame();
            for _ in 0..25 {
                session
                    .send(ClientEvent::InputAudioAppend {
                        audio: frame.clone(),
                    })
                    .await
                    .unwrap();
            }
            session.send(ClientEvent::response_create()).await.unwrap();
            let events = read_until(&mut session, is_done).await;
            let Some(ServerEvent::ResponseDone(done)) = events.last() else {
                unreachable!()
            };
            assert_eq!(done.id, "resp_1", "ids are per session");
            session.close().await.unwrap();
        })
    });
    for call in calls.collect::<Vec<_>>() {
        call.await.unwrap();
    }
    let sessions = server.sessions();
    assert_eq!(sessions.len(), 20);
    assert!(sessions
        .iter()
        .all(|s| s.appends == 25 && s.responses_started == 1));
    assert_eq!(server.stats().appends, 500);
}
