use std::time::Duration;

use futures_util::SinkExt;
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;
use url::Url;

use super::io_task::{forward, Step};
use super::session::SessionCounters;
use super::*;
use crate::realtime::fake_server::{
    Disconnect, FakeRealtimeServer, FakeResponse, FakeScript, FakeServerHandle, FakeSessionEnd,
    Pacing, Refusal, ScriptedToolCall, SpeechTrigger,
};
use crate::realtime::openai_events::{
    ApiShape, AudioDelta, AudioFormat, ClientEvent, OutputItem, ServerEvent, SessionConfig,
};

const WAIT: Duration = Duration::from_secs(5);

fn config() -> SessionConfig {
    SessionConfig::phone_call("You are the receptionist.", "marin")
}

async fn fake(script: FakeScript) -> FakeServerHandle {
    FakeRealtimeServer::start(script).await.unwrap().1
}

async fn open(server: &FakeServerHandle) -> RealtimeSession {
    OpenAiRealtime::new(server.url(), "sk-test")
        .open(config())
        .await
        .unwrap()
}

async fn next(session: &mut RealtimeSession) -> ServerEvent {
    tokio::time::timeout(WAIT, session.recv())
        .await
        .expect("timed out waiting for a provider event")
        .expect("session ended")
}

/// Reads events until one matches, returning everything read.
async fn read_until(
    session: &mut RealtimeSession,
    done: impl Fn(&ServerEvent) -> bool,
) -> Vec<ServerEvent> {
    let mut seen = Vec::new();
    loop {
        let event = next(session).await;
        let stop = done(&event);
        seen.push(event);
        if stop {
            return seen;
        }
    }
}

async fn configured(server: &FakeServerHandle) -> RealtimeSession {
    let mut session = open(server).await;
    assert!(matches!(
        next(&mut session).await,
        ServerEvent::SessionCreated(_)
    ));
    assert!(matches!(
        next(&mut session).await,
        ServerEvent::SessionUpdated(_)
    ));
    session
}

fn is_done(event: &ServerEvent) -> bool {
    matches!(event, ServerEvent::ResponseDone(_))
}

fn error_code(event: &ServerEvent) -> Option<&str> {
    match event {
        ServerEvent::Error(error) => error.code.as_deref(),
        _ => None,
    }
}

fn ulaw_tone_frame() -> String {
    let pcm = servicepro_media::signal::tone(400.0, 8000.0, 8000.0, 160);
    let ulaw: Vec<u8> = pcm
        .iter()
        .map(|&s| servicepro_media::g711::linear_to_ulaw(s))
        .collect();
    let mut text = String::new();
    servicepro_media::b64::encode_append(&ulaw, &mut text);
    text
}

fn ulaw_silence_frame() -> String {
    let mut text = String::new();
    servicepro_media::b64::encode_append(&[0xff; 160], &mut text);
    text
}

#[tokio::test]
async fn a_session_is_configured_then_answers_with_audio_and_usage() {
    let server = fake(FakeScript::default()).await;
    let mut session = open(&server).await;
    let ServerEvent::SessionCreated(created) = next(&mut session).await else {
        panic!("expected session.created first");
    };
    assert_eq!(created.id.as_deref(), Some("sess_fake_1"));
    assert!(matches!(
        next(&mut session).await,
        ServerEvent::SessionUpdated(_)
    ));

    session.send(ClientEvent::response_create()).await.unwrap();
    let events = read_until(&mut session, is_done).await;
    let deltas: Vec<&AudioDelta> = events
        .iter()
        .filter_map(|e| match e {
            ServerEvent::AudioDelta(d) => Some(d),
            _ => None,
        })
        .collect();
    assert_eq!(deltas.len(), 5);
    let mut ulaw = Vec::new();
    servicepro_media::b64::decode_append(deltas[0].delta.as_bytes(), &mut ulaw).unwrap();
    assert_eq!(
        ulaw.len(),
        800,
        "100 ms of μ-law: the session asked for audio/pcmu"
    );
    assert!(matches!(events[0], ServerEvent::ResponseCreated(_)));
    assert!(events
        .iter()
        .any(|e| matches!(e, ServerEvent::AudioDone(_))));
    let transcript: String = events
        .iter()
        .filter_map(|e| match e {
            ServerEvent::TranscriptDelta(t) => Some(t.delta.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(transcript, FakeResponse::default().transcript);
    let Some(ServerEvent::ResponseDone(done)) = events.last() else {
        panic!("no response.done");
    };
    assert_eq!(done.status, "completed");
    let usage = done.usage.clone().unwrap();
    assert_eq!(
        (usage.input_tokens, usage.output_tokens, usage.total_tokens),
        (120, 60, 180)
    );

    let log = server.session(0).unwrap();
    assert_eq!(log.event_types(), vec!["session.update", "response.create"]);
    assert_eq!(
        log.events[0],
        ClientEvent::SessionUpdate { session: config() }
    );
    assert_eq!(log.authorization.as_deref(), Some("Bearer sk-test"));
    assert_eq!(log.openai_beta, None, "GA sessions send no beta header");
    session.close().await.unwrap();
}

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

#[tokio::test]
async fn dropping_the_session_closes_the_socket_and_ends_the_task() {
    let server = fake(FakeScript::default()).await;
    let session = configured(&server).await;
    let alive = session.liveness();
    assert!(alive.upgrade().is_some());
    drop(session);
    let log = server
        .wait_for_session(0, WAIT, |log| log.end.is_some())
        .await
        .expect("the fake never saw the session end");
    assert_eq!(
        log.end,
        Some(FakeSessionEnd::ClientClosed { code: Some(1000) })
    );
    tokio::time::timeout(WAIT, async {
        while alive.upgrade().is_some() {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await
    .expect("the session task outlived its session");
    assert_eq!(server.stats().open_sessions, 0);
}

#[tokio::test]
async fn dropping_the_guard_of_a_split_session_ends_it() {
    let server = fake(FakeScript::default()).await;
    let session = configured(&server).await;
    let alive = session.liveness();
    let (sender, mut events, guard) = session.into_parts();
    drop(guard);
    assert!(tokio::time::timeout(WAIT, events.recv())
        .await
        .unwrap()
        .is_none());
    assert!(sender.send(ClientEvent::response_create()).await.is_err());
    assert!(alive.upgrade().is_none());
    assert!(server
        .wait_for_session(0, WAIT, |l| l.end.is_some())
        .await
        .is_some());
}

#[tokio::test]
async fn close_reports_ok_and_the_fake_sees_a_normal_close() {
    let server = fake(FakeScript::default()).await;
    let session = configured(&server).await;
    session.close().await.unwrap();
    let log = server
        .wait_for_session(0, WAIT, |l| l.end.is_some())
        .await
        .unwrap();
    assert_eq!(
        log.end,
        Some(FakeSessionEnd::ClientClosed { code: Some(1000) })
    );
}

#[tokio::test]
async fn handshake_refusals_map_to_auth_and_rejected() {
    let script = FakeScript {
        require_api_key: Some("sk-right".into()),
        ..FakeScript::default()
    };
    let server = fake(script).await;
    let wrong = OpenAiRealtime::new(server.url(), "sk-wrong")
        .open(config())
        .await;
    assert!(
        matches!(wrong, Err(ProviderError::Auth { status: 401 })),
        "{wrong:?}"
    );
    let right = OpenAiRealtime::new(server.url(), "sk-right")
        .open(config())
        .await;
    assert!(right.is_ok());

    let server = fake(FakeScript {
        refuse: Some(Refusal::Http(503)),
        ..FakeScript::default()
    })
    .await;
    let refused = OpenAiRealtime::new(server.url(), "k").open(config()).await;
    assert!(
        matches!(refused, Err(ProviderError::Rejected { status: 503 })),
        "{refused:?}"
    );

    let server = fake(FakeScript {
        refuse: Some(Refusal::Hangup),
        ..FakeScript::default()
    })
    .await;
    let hung_up = OpenAiRealtime::new(server.url(), "k").open(config()).await;
    assert!(
        matches!(hung_up, Err(ProviderError::Connect(_))),
        "{hung_up:?}"
    );
}

#[tokio::test]
async fn a_server_close_ends_the_session_with_its_code() {
    let refuse = Refusal::Close {
        code: 1011,
        reason: "overloaded".into(),
    };
    let server = fake(FakeScript {
        refuse: Some(refuse),
        ..FakeScript::default()
    })
    .await;
    let mut session = open(&server).await;
    assert!(tokio::time::timeout(WAIT, session.recv())
        .await
        .unwrap()
        .is_none());
    let end = session.close().await;
    assert!(
        matches!(&end, Err(ProviderError::Closed { code: 1011, reason }) if reason == "overloaded"),
        "{end:?}"
    );
}

#[tokio::test]
async fn a_mid_call_drop_ends_the_session_as_lost() {
    let script = FakeScript {
        drop_after: Some((Duration::from_millis(50), Disconnect::Abrupt)),
        ..FakeScript::default()
    };
    let server = fake(script).await;
    let mut session = configured(&server).await;
    assert!(tokio::time::timeout(WAIT, session.recv())
        .await
        .unwrap()
        .is_none());
    let end = session.close().await;
    assert!(
        matches!(end, Err(ProviderError::Closed { code: 1006, .. })),
        "{end:?}"
    );
    let log = server
        .wait_for_session(0, WAIT, |l| l.end.is_some())
        .await
        .unwrap();
    assert_eq!(log.end, Some(FakeSessionEnd::ServerDropped));
}

#[tokio::test]
async fn connect_failures_and_timeouts_are_typed() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let url = Url::parse(&format!("ws://{addr}/v1/realtime")).unwrap();
    let refused = OpenAiRealtime::new(url, "k").open(config()).await;
    assert!(
        matches!(refused, Err(ProviderError::Connect(_))),
        "{refused:?}"
    );

    // A peer that accepts TCP but never answers the upgrade.
    let silent = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = Url::parse(&format!(
        "ws://{}/v1/realtime",
        silent.local_addr().unwrap()
    ))
    .unwrap();
    let hold = tokio::spawn(async move {
        let (_stream, _) = silent.accept().await.unwrap();
        tokio::time::sleep(WAIT).await;
    });
    let slow = OpenAiRealtime::new(url, "k")
        .with_connect_timeout(Duration::from_millis(100))
        .open(config())
        .await;
    assert!(matches!(slow, Err(ProviderError::Timeout(_))), "{slow:?}");
    hold.abort();
}

#[tokio::test]
async fn beta_sessions_send_the_beta_header_and_shape() {
    let server = fake(FakeScript::default()).await;
    let connector = OpenAiRealtime::new(server.url(), "sk-test").with_shape(ApiShape::Beta);
    let mut session = connector.open(config()).await.unwrap();
    assert!(matches!(
        next(&mut session).await,
        ServerEvent::SessionCreated(_)
    ));
    // The fake speaks GA only, so it refuses the beta `session.update`: proof of the shape.
    assert_eq!(error_code(&next(&mut session).await), Some("invalid_event"));
    let log = server.session(0).unwrap();
    assert_eq!(log.openai_beta.as_deref(), Some("realtime=v1"));
    assert!(log.rejected[0].contains("\"input_audio_format\":\"g711_ulaw\""));
}

/// A one-connection websocket peer that sends `frames`, then stays silent without
/// reading (so it never answers pings).
async fn scripted_peer(frames: Vec<Message>) -> (Url, tokio::task::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = Url::parse(&format!("ws://{}/", listener.local_addr().unwrap())).unwrap();
    let task = tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        let mut ws = tokio_tungstenite::accept_async(stream).await.unwrap();
        for frame in frames {
            ws.send(frame).await.unwrap();
        }
        tokio::time::sleep(WAIT).await;
    });
    (url, task)
}

#[tokio::test]
async fn malformed_provider_frames_are_counted_and_skipped() {
    let frames = vec![
        Message::text("not json"),
        Message::binary(vec![1, 2, 3]),
        Message::text(r#"{"type":"response.output_audio.delta","delta":42}"#),
        Message::text(r#"{"type":"session.created","session":{"id":"sess_x"}}"#),
    ];
    let (url, peer) = scripted_peer(frames).await;
    let mut session = OpenAiRealtime::new(url, "k").open(config()).await.unwrap();
    assert!(matches!(
        next(&mut session).await,
        ServerEvent::SessionCreated(_)
    ));
    let stats = session.stats();
    assert_eq!(
        (stats.malformed_frames, stats.frames_in, stats.frames_out),
        (3, 3, 1)
    );
    peer.abort();
}

#[tokio::test]
async fn a_provider_that_stops_answering_pings_times_out() {
    let (url, peer) = scripted_peer(Vec::new()).await;
    let options = SessionOptions {
        keepalive_interval: Duration::from_millis(20),
        idle_timeout: Duration::from_millis(100),
        ..SessionOptions::default()
    };
    let mut session = OpenAiRealtime::new(url, "k")
        .with_session_options(options)
        .open(config())
        .await
        .unwrap();
    assert!(tokio::time::timeout(WAIT, session.recv())
        .await
        .unwrap()
        .is_none());
    let end = session.close().await;
    assert!(matches!(end, Err(ProviderError::Timeout(_))), "{end:?}");
    peer.abort();
}

#[tokio::test]
async fn a_full_queue_drops_audio_not_control_events() {
    let counters = SessionCounters::default();
    let (tx, mut rx) = mpsc::channel(1);
    let delta = ServerEvent::AudioDelta(AudioDelta {
        response_id: "r".into(),
        item_id: "i".into(),
        output_index: 0,
        content_index: 0,
        delta: "AAAA".into(),
    });
    assert!(matches!(
        forward(delta.clone(), &tx, &counters).await,
        Step::Continue
    ));
    assert!(matches!(
        forward(delta.clone(), &tx, &counters).await,
        Step::Continue
    ));
    assert_eq!(
        counters
            .dropped_server_events
            .load(std::sync::atomic::Ordering::Relaxed),
        1
    );

    let control = ServerEvent::Other("x".into());
    assert!(
        matches!(forward(control, &tx, &counters).await, Step::Continue),
        "ignorable: dropped"
    );
    let done = ServerEvent::ResponseDone(crate::realtime::openai_events::ResponseDone {
        id: "r".into(),
        status: "completed".into(),
        status_details: None,
        usage: None,
    });
    let mut pending = Box::pin(forward(done.clone(), &tx, &counters));
    assert!(
        tokio::time::timeout(Duration::from_millis(20), &mut pending)
            .await
            .is_err(),
        "waits for room"
    );
    assert_eq!(rx.recv().await, Some(delta));
    assert!(matches!(pending.await, Step::Continue));
    assert_eq!(rx.recv().await, Some(done));
    drop(rx);
    assert!(matches!(
        forward(ServerEvent::Other("y".into()), &tx, &counters).await,
        Step::Close
    ));
}

#[tokio::test]
async fn try_send_drops_and_counts_when_the_queue_is_full() {
    let server = fake(FakeScript {
        record_audio: false,
        ..FakeScript::default()
    })
    .await;
    let options = SessionOptions {
        channel_capacity: 2,
        ..SessionOptions::default()
    };
    let session = OpenAiRealtime::new(server.url(), "k")
        .with_session_options(options)
        .open(config())
        .await
        .unwrap();
    let frame = ulaw_silence_frame();
    let results: Vec<_> = (0..10)
        .map(|_| {
            session.try_send(ClientEvent::InputAudioAppend {
                audio: frame.clone(),
            })
        })
        .collect();
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 2);
    assert!(results[2..].iter().all(|r| *r == Err(TrySendError::Full)));
    assert_eq!(session.stats().dropped_client_events, 8);
    assert!(server
        .wait_for_session(0, WAIT, |l| l.appends == 2)
        .await
        .is_some());
}

#[tokio::test]
async fn the_connector_is_object_safe_and_its_futures_are_send() {
    fn assert_send<T: Send>(_: &T) {}
    let server = fake(FakeScript::default()).await;
    let connector: std::sync::Arc<dyn RealtimeConnector> =
        std::sync::Arc::new(OpenAiRealtime::new(server.url(), "sk-secret"));
    let future = connector.connect(config());
    assert_send(&future);
    let mut session = tokio::spawn(future).await.unwrap().unwrap();
    assert!(matches!(
        next(&mut session).await,
        ServerEvent::SessionCreated(_)
    ));
    let debug = format!("{:?}", OpenAiRealtime::new(server.url(), "sk-secret"));
    assert!(!debug.contains("sk-secret"));
}
