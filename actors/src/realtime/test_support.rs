//! Helpers shared by the provider and fake-server tests: a fake to talk to, a session
//! opened on it, and readers that wait for events with a deadline.

use std::time::Duration;

use crate::realtime::fake_server::{FakeRealtimeServer, FakeScript, FakeServerHandle};
use crate::realtime::openai_events::{ServerEvent, SessionConfig};
use crate::realtime::provider::{OpenAiRealtime, RealtimeSession};

pub(crate) const WAIT: Duration = Duration::from_secs(5);

pub(crate) fn config() -> SessionConfig {
    SessionConfig::phone_call("You are the receptionist.", "marin")
}

pub(crate) async fn fake(script: FakeScript) -> FakeServerHandle {
    FakeRealtimeServer::start(script).await.unwrap().1
}

pub(crate) async fn open(server: &FakeServerHandle) -> RealtimeSession {
    OpenAiRealtime::new(server.url(), "sk-test")
        .open(config())
        .await
        .unwrap()
}

pub(crate) async fn next(session: &mut RealtimeSession) -> ServerEvent {
    tokio::time::timeout(WAIT, session.recv())
        .await
        .expect("timed out waiting for a provider event")
        .expect("session ended")
}

/// Reads events until one matches, returning everything read.
pub(crate) async fn read_until(
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

pub(crate) async fn configured(server: &FakeServerHandle) -> RealtimeSession {
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

pub(crate) fn is_done(event: &ServerEvent) -> bool {
    matches!(event, ServerEvent::ResponseDone(_))
}

pub(crate) fn error_code(event: &ServerEvent) -> Option<&str> {
    match event {
        ServerEvent::Error(error) => error.code.as_deref(),
        _ => None,
    }
}

pub(crate) fn ulaw_tone_frame() -> String {
    let pcm = servicepro_media::signal::tone(400.0, 8000.0, 8000.0, 160);
    let ulaw: Vec<u8> = pcm
        .iter()
        .map(|&s| servicepro_media::g711::linear_to_ulaw(s))
        .collect();
    let mut text = String::new();
    servicepro_media::b64::encode_append(&ulaw, &mut text);
    text
}

pub(crate) fn ulaw_silence_frame() -> String {
    let mut text = String::new();
    servicepro_media::b64::encode_append(&[0xff; 160], &mut text);
    text
}
