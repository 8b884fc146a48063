use std::time::Duration;

use futures_util::SinkExt;
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;
use url::Url;

use super::io_task::{forward, Step};
use super::session::SessionCounters;
use super::*;
use crate::realtime::fake_server::{Disconnect, FakeResponse, FakeScript, FakeSessionEnd, Refusal};
use crate::realtime::openai_events::{ApiShape, AudioDelta, ClientEvent, ServerEvent};
use crate::realtime::test_support::*;

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
    assert!(server.wait_for_connections(1, WAIT).await);
    assert_eq!(
        server.session_count(),
        0,
        "no websocket session was ever opened"
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

#[tokio::test]
async fn events_ready_together_are_written_with_one_flush_in_order_and_all_counted() {
    let server = fake(FakeScript {
        record_audio: true,
        ..FakeScript::default()
    })
    .await;
    let session = OpenAiRealtime::new(server.url(), "k")
        .open(config())
        .await
        .unwrap();
    // More than one batch, handed over before the task runs again.
    let sent: Vec<String> = (0..(io_task::WRITE_BATCH * 2 + 5))
        .map(|i| {
            let mut audio = String::new();
            servicepro_media::b64::encode_append(&[i as u8; 160], &mut audio);
            audio
        })
        .collect();
    for audio in &sent {
        session
            .try_send(ClientEvent::InputAudioAppend {
                audio: audio.clone(),
            })
            .unwrap();
    }
    let log = server
        .wait_for_session(0, WAIT, |l| l.appends == sent.len() as u64)
        .await
        .expect("every append arrives");
    let received: Vec<&str> = log
        .events
        .iter()
        .filter_map(|e| match e {
            ClientEvent::InputAudioAppend { audio } => Some(audio.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(received, sent, "nothing lost or reordered");
    let written = sent.len() as u64 + 1;
    let deadline = tokio::time::Instant::now() + WAIT;
    while session.stats().frames_out < written && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(
        session.stats().frames_out,
        written,
        "session.update + appends"
    );
}
