//! The test rig: fakes of the platform ports, connectors that delay, switch or stall,
//! a simulated Twilio side that feeds frames and echoes marks, and waiting helpers.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix::Addr;
use futures_util::future::BoxFuture;
use serde_json::{json, Value};
use servicepro_media::{b64, g711, signal};
use servicepro_schema::TenantId;
use tokio::sync::mpsc;

use crate::call::{
    AudioMode, CallActor, CallControl, CallControlError, CallDeps, CallFinalizer, CallInbox,
    CallMetrics, CallProfile, CallStats, CallSummary, CallTuning, GetCallStats, SavedRecording,
    StartFrame, ToolExecutor, TwilioFrame,
};
use crate::realtime::fake_server::{
    FakeRealtimeServer, FakeScript, FakeServerHandle, FakeSessionLog,
};
use crate::realtime::openai_events::{SessionConfig, Tool};
use crate::realtime::provider::{
    OpenAiRealtime, ProviderError, RealtimeConnector, RealtimeSession,
};
use crate::realtime::twilio_stream::{parse_twilio_frame, TwilioEvent};

/// Longest any test waits for something.
pub(super) const WAIT: Duration = Duration::from_secs(5);

/// Polls `check` until it holds or [`WAIT`] passes.
pub(super) async fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + WAIT;
    while !check() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting: {what}"
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// Tools that answer from a table; `explode` panics inside its future.
#[derive(Default)]
pub(super) struct FakeTools {
    pub(super) calls: Mutex<Vec<(String, String)>>,
}

impl ToolExecutor for FakeTools {
    fn tools(&self) -> Vec<Tool> {
        vec![Tool::function(
            "get_services",
            "List the services and prices",
            json!({"type": "object", "properties": {}}),
        )]
    }

    fn execute(&self, name: &str, arguments: &str) -> BoxFuture<'static, Value> {
        self.calls
            .lock()
            .unwrap()
            .push((name.to_owned(), arguments.to_owned()));
        let name = name.to_owned();
        Box::pin(async move {
            match name.as_str() {
                "explode" => panic!("tool exploded"),
                "handoff_to_human" => json!({"handoff": true}),
                _ => json!({"services": [{"name": "Full detail", "price": "$199"}]}),
            }
        })
    }
}

/// Records redirects; can be told to fail transfers.
#[derive(Default)]
pub(super) struct FakeControl {
    pub(super) redirects: Mutex<Vec<(&'static str, String)>>,
}

impl FakeControl {
    pub(super) fn redirects(&self) -> Vec<(&'static str, String)> {
        self.redirects.lock().unwrap().clone()
    }
}

impl CallControl for FakeControl {
    fn redirect_to_person(
        &self,
        call_sid: &str,
    ) -> BoxFuture<'static, Result<(), CallControlError>> {
        self.redirects
            .lock()
            .unwrap()
            .push(("person", call_sid.to_owned()));
        Box::pin(async { Ok(()) })
    }

    fn fallback_to_ivr(&self, call_sid: &str) -> BoxFuture<'static, Result<(), CallControlError>> {
        self.redirects
            .lock()
            .unwrap()
            .push(("ivr", call_sid.to_owned()));
        Box::pin(async { Ok(()) })
    }
}

/// Keeps every summary and saved recording it is given.
#[derive(Default)]
pub(super) struct Records(
    pub(super) Mutex<Vec<CallSummary>>,
    pub(super) Mutex<Vec<SavedRecording>>,
);

impl Records {
    pub(super) fn recordings(&self) -> Vec<SavedRecording> {
        self.1.lock().unwrap().clone()
    }

    pub(super) fn all(&self) -> Vec<CallSummary> {
        self.0.lock().unwrap().clone()
    }

    pub(super) fn of(&self, call_sid: &str) -> Vec<CallSummary> {
        self.all()
            .into_iter()
            .filter(|s| s.call_sid.as_deref() == Some(call_sid))
            .collect()
    }
}

impl CallFinalizer for Records {
    fn finalize(&self, summary: CallSummary) {
        self.0.lock().unwrap().push(summary);
    }

    fn recording_saved(&self, recording: SavedRecording) {
        self.1.lock().unwrap().push(recording);
    }
}

/// Connects to `targets[n]` on the n-th attempt (the last one repeats), after `delay`.
pub(super) struct Switching {
    pub(super) targets: Vec<Arc<dyn RealtimeConnector>>,
    pub(super) delay: Duration,
    pub(super) attempts: AtomicUsize,
}

impl Switching {
    pub(super) fn new(targets: Vec<Arc<dyn RealtimeConnector>>, delay: Duration) -> Self {
        Self {
            targets,
            delay,
            attempts: AtomicUsize::new(0),
        }
    }
}

impl RealtimeConnector for Switching {
    fn connect(
        &self,
        config: SessionConfig,
    ) -> BoxFuture<'static, Result<RealtimeSession, ProviderError>> {
        let n = self.attempts.fetch_add(1, Ordering::SeqCst);
        let target = Arc::clone(&self.targets[n.min(self.targets.len() - 1)]);
        let delay = self.delay;
        Box::pin(async move {
            tokio::time::sleep(delay).await;
            target.connect(config).await
        })
    }
}

/// A provider that accepts the session and then never reads a single event.
pub(super) struct Stalled;

impl RealtimeConnector for Stalled {
    fn connect(
        &self,
        _config: SessionConfig,
    ) -> BoxFuture<'static, Result<RealtimeSession, ProviderError>> {
        Box::pin(async {
            Ok(RealtimeSession::start(256, |ends| {
                let (commands, events, shutdown) = (ends.commands, ends.events, ends.shutdown);
                tokio::spawn(async move {
                    let _ = shutdown.await;
                    drop((commands, events));
                    Ok(())
                })
            }))
        })
    }
}

/// A connector to `server`.
pub(super) fn to(server: &FakeServerHandle) -> Arc<dyn RealtimeConnector> {
    Arc::new(OpenAiRealtime::new(server.url(), "sk-test"))
}

/// A fake provider running `script`.
pub(super) async fn fake(script: FakeScript) -> FakeServerHandle {
    FakeRealtimeServer::start(script).await.unwrap().1
}

/// A script without caller speech detection.
pub(super) fn quiet() -> FakeScript {
    FakeScript {
        speech: crate::realtime::fake_server::SpeechTrigger::Never,
        ..FakeScript::default()
    }
}

/// The ports shared by the calls of one test.
pub(super) struct Rig {
    pub(super) connector: Arc<dyn RealtimeConnector>,
    pub(super) tools: Arc<FakeTools>,
    pub(super) control: Arc<FakeControl>,
    pub(super) records: Arc<Records>,
    pub(super) metrics: Arc<CallMetrics>,
    pub(super) mode: AudioMode,
    pub(super) tuning: CallTuning,
    pub(super) outbound_capacity: usize,
    pub(super) recordings_dir: Option<std::path::PathBuf>,
}

impl Rig {
    pub(super) fn new(connector: Arc<dyn RealtimeConnector>) -> Self {
        Self {
            connector,
            tools: Arc::default(),
            control: Arc::default(),
            records: Arc::default(),
            metrics: Arc::default(),
            mode: AudioMode::Passthrough,
            // The tests feed caller audio as fast as they can (pacing has its own test),
            // and read the AI's audio frame by frame (batched messages have their own).
            // They also push whole bursts before yielding to the actor: the inbox holds
            // them (the edge drops what does not fit; `media_stream` counts those).
            tuning: CallTuning {
                caller_burst: Duration::from_secs(3_600),
                frames_per_message: 1,
                append_frames: 1,
                inbox_frames: RIG_INBOX_FRAMES,
                ..CallTuning::default()
            },
            outbound_capacity: 1024,
            recordings_dir: None,
        }
    }

    /// Starts call number `n` and sends it `connected` and `start`.
    pub(super) fn call(&self, n: u32) -> Call {
        let (outbound, rx) = mpsc::channel(self.outbound_capacity);
        let deps = CallDeps {
            connector: Arc::clone(&self.connector),
            profile: CallProfile {
                tenant_id: TenantId::root(),
                instructions: "You are the receptionist of Clean Machine.".to_owned(),
                voice: "marin".to_owned(),
                audio_mode: self.mode,
                recordings_dir: self.recordings_dir.clone(),
            },
            tools: self.tools.clone(),
            control: self.control.clone(),
            finalizer: self.records.clone(),
            outbound,
            metrics: Arc::clone(&self.metrics),
            tuning: self.tuning.clone(),
        };
        let call_sid = format!("CA{n:032}");
        let stream_sid = format!("MZ{n:032}");
        let start = start_frame(&stream_sid, &call_sid);
        let start = match parse_twilio_frame(&start).unwrap() {
            TwilioEvent::Start(start) => StartFrame::check(start, &TenantId::root()).unwrap(),
            other => panic!("not a start frame: {other:?}"),
        };
        let inbox = CallActor::start(deps, start).unwrap();
        let call = Call {
            addr: inbox.addr().clone(),
            inbox: Some(inbox),
            rx,
            frames: Vec::new(),
            echoed: 0,
            call_sid,
            stream_sid,
            seq: 0,
        };
        call.send(r#"{"event":"connected","protocol":"Call","version":"1.0.0"}"#.to_owned());
        call
    }
}

/// The `start` frame Twilio sends for stream `stream_sid` of call `call_sid`.
fn start_frame(stream_sid: &str, call_sid: &str) -> String {
    json!({
        "event": "start",
        "sequenceNumber": "1",
        "start": {
            "accountSid": "AC00000000000000000000000000000000",
            "streamSid": stream_sid,
            "callSid": call_sid,
            "tracks": ["inbound"],
            "mediaFormat": {"encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1},
            "customParameters": {"tenant_id": "root"}
        },
        "streamSid": stream_sid
    })
    .to_string()
}

/// A frame we sent to Twilio, decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Out {
    Media(Vec<u8>),
    Mark(String),
    Clear,
}

/// Frames a test call's inbox holds: tests push whole bursts before yielding.
pub(super) const RIG_INBOX_FRAMES: usize = 4_096;

/// One call as Twilio sees it.
pub(super) struct Call {
    pub(super) addr: Addr<CallActor>,
    /// The edge's handle (dropped by [`Call::hang_up`], as the edge does when the
    /// socket closes).
    pub(super) inbox: Option<CallInbox>,
    pub(super) rx: mpsc::Receiver<String>,
    pub(super) frames: Vec<Out>,
    pub(super) echoed: usize,
    pub(super) call_sid: String,
    pub(super) stream_sid: String,
    pub(super) seq: u64,
}

impl Call {
    pub(super) fn send(&self, frame: String) {
        let inbox = self.inbox.as_ref().expect("the socket is still open");
        inbox
            .push(TwilioFrame::from(frame))
            .expect("the call's frame queue has room and the call reads it");
    }

    /// The socket closes without a `stop`: the edge drops the inbox.
    pub(super) fn hang_up(&mut self) {
        self.inbox = None;
    }

    /// Sends caller audio (base64 μ-law payload).
    pub(super) fn media(&mut self, payload: &str) {
        self.seq += 1;
        let frame = json!({
            "event": "media",
            "sequenceNumber": (self.seq + 1).to_string(),
            "media": {
                "track": "inbound",
                "chunk": self.seq.to_string(),
                "timestamp": (self.seq * 20).to_string(),
                "payload": payload
            },
            "streamSid": self.stream_sid
        });
        self.send(frame.to_string());
    }

    pub(super) fn dtmf(&self, digit: char) {
        let frame = json!({
            "event": "dtmf",
            "sequenceNumber": "9",
            "streamSid": self.stream_sid,
            "dtmf": {"track": "inbound_track", "digit": digit.to_string()}
        });
        self.send(frame.to_string());
    }

    pub(super) fn stop(&self) {
        let frame = json!({
            "event": "stop",
            "sequenceNumber": "99",
            "streamSid": self.stream_sid,
            "stop": {"accountSid": "AC00000000000000000000000000000000", "callSid": self.call_sid}
        });
        self.send(frame.to_string());
    }

    /// Reads what the actor queued for Twilio so far.
    pub(super) fn drain(&mut self) -> bool {
        loop {
            match self.rx.try_recv() {
                Ok(text) => self.frames.push(decode(&text)),
                Err(mpsc::error::TryRecvError::Empty) => return true,
                Err(mpsc::error::TryRecvError::Disconnected) => return false,
            }
        }
    }

    /// Reads outbound frames until `done` holds for them.
    pub(super) async fn read_until(&mut self, what: &str, done: impl Fn(&[Out]) -> bool) {
        let deadline = tokio::time::Instant::now() + WAIT;
        while !done(&self.frames) {
            match tokio::time::timeout_at(deadline, self.rx.recv()).await {
                Ok(Some(text)) => self.frames.push(decode(&text)),
                Ok(None) => panic!("outbound queue ended while waiting: {what}"),
                Err(_) => panic!("timed out waiting: {what}"),
            }
        }
    }

    /// Waits until the outbound queue ends (the call is over).
    pub(super) async fn read_to_end(&mut self) {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            match tokio::time::timeout_at(deadline, self.rx.recv()).await {
                Ok(Some(text)) => self.frames.push(decode(&text)),
                Ok(None) => return,
                Err(_) => panic!("outbound queue did not end"),
            }
        }
    }

    /// Echoes the next `n` marks, as Twilio does once their audio played.
    pub(super) fn echo_marks(&mut self, n: usize) {
        let names: Vec<String> = self
            .frames
            .iter()
            .filter_map(|f| match f {
                Out::Mark(name) => Some(name.clone()),
                _ => None,
            })
            .skip(self.echoed)
            .take(n)
            .collect();
        for name in names {
            self.echoed += 1;
            let frame = json!({
                "event": "mark",
                "sequenceNumber": "7",
                "streamSid": self.stream_sid,
                "mark": {"name": name}
            });
            self.send(frame.to_string());
        }
    }

    /// Reads the 500 ms greeting and echoes all its marks, as if it played out.
    pub(super) async fn hear_greeting(&mut self) {
        self.read_until("the greeting", |f| {
            media_count(f) == 25 && matches!(f.last(), Some(Out::Mark(_)))
        })
        .await;
        self.echo_marks(25);
    }

    /// The actor's stats once it has handled every frame sent so far (frames and
    /// messages travel separately, so a message can overtake queued frames).
    pub(super) async fn stats(&self) -> CallStats {
        if let Some(inbox) = &self.inbox {
            let deadline = std::time::Instant::now() + WAIT;
            while inbox.queued() > 0 && std::time::Instant::now() < deadline {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        }
        self.addr.send(GetCallStats).await.unwrap()
    }

    /// Polls the actor's stats until `check` holds.
    pub(super) async fn wait_stats(
        &self,
        what: &str,
        check: impl Fn(&CallStats) -> bool,
    ) -> CallStats {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let stats = self.stats().await;
            if check(&stats) {
                return stats;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "timed out waiting: {what} ({stats:?})"
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
}

/// Counts media frames.
pub(super) fn media_count(frames: &[Out]) -> usize {
    frames.iter().filter(|f| matches!(f, Out::Media(_))).count()
}

fn decode(text: &str) -> Out {
    let value: Value = serde_json::from_str(text).unwrap();
    match value["event"].as_str().unwrap() {
        "media" => {
            let mut bytes = Vec::new();
            b64::decode_append(
                value["media"]["payload"].as_str().unwrap().as_bytes(),
                &mut bytes,
            )
            .unwrap();
            Out::Media(bytes)
        }
        "mark" => Out::Mark(value["mark"]["name"].as_str().unwrap().to_owned()),
        "clear" => Out::Clear,
        other => panic!("unexpected outbound event {other}"),
    }
}

/// `count` consecutive 20 ms frames of a loud 437 Hz μ-law tone, base64, each distinct.
pub(super) fn tone_frames(count: usize) -> Vec<String> {
    let pcm = signal::tone(437.0, 8000.0, 8000.0, 160 * count);
    pcm.chunks(160)
        .map(|chunk| {
            let ulaw: Vec<u8> = chunk.iter().map(|&s| g711::linear_to_ulaw(s)).collect();
            let mut text = String::new();
            b64::encode_append(&ulaw, &mut text);
            text
        })
        .collect()
}

/// The audio payloads a fake session received, in order.
pub(super) fn appended(log: &FakeSessionLog) -> Vec<String> {
    log.events
        .iter()
        .filter_map(|e| match e {
            crate::realtime::openai_events::ClientEvent::InputAudioAppend { audio } => {
                Some(audio.clone())
            }
            _ => None,
        })
        .collect()
}

/// The client event types a fake session received, appends left out.
pub(super) fn control_types(log: &FakeSessionLog) -> Vec<&'static str> {
    log.event_types()
        .into_iter()
        .filter(|t| *t != "input_audio_buffer.append")
        .collect()
}
