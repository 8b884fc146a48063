//! The AI voice receptionist over a real websocket: a loopback Twilio
//! caller opens the signed media stream, the call's actor bridges it to a
//! loopback OpenAI Realtime server, greeting audio comes back as 20 ms
//! μ-law frames with marks, and the call record is finalised on `stop`.

use crate::support::tenants::TenantSpec;
use crate::support::twilio_client::{ACCOUNT_SID, AUTH_TOKEN};
use crate::support::TestApp;
use base64::Engine;
use futures_util::{SinkExt, StreamExt};
use servicepro_actors::realtime::fake_server::{
    FakeRealtimeServer, FakeScript, FakeServerHandle, Refusal, SpeechTrigger,
};
use servicepro_actors::realtime::openai_events::ClientEvent;
use servicepro_actors::twilio::expected_signature;
use std::time::Duration;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

const STREAM_URL: &str = "wss://sp.example.test/twilio/media-stream/acme";

pub(crate) fn ws_request(
    app: &TestApp,
    signature: &str,
) -> tokio_tungstenite::tungstenite::handshake::client::Request {
    ws_request_for(app, "acme", signature)
}

/// The handshake of a stream of `tenant`'s call, signed `signature`.
fn ws_request_for(
    app: &TestApp,
    tenant: &str,
    signature: &str,
) -> tokio_tungstenite::tungstenite::handshake::client::Request {
    let mut request = format!(
        "{}/twilio/media-stream/{tenant}",
        app.address.replace("http://", "ws://")
    )
    .into_client_request()
    .unwrap();
    request
        .headers_mut()
        .insert("X-Twilio-Signature", signature.parse().unwrap());
    request
}

/// The `start` frame Twilio sends for stream `stream_sid` of call `call_sid`.
pub(crate) fn start_frame(stream_sid: &str, call_sid: &str) -> Message {
    Message::text(
        serde_json::json!({
            "event": "start", "sequenceNumber": "1", "streamSid": stream_sid,
            "start": {
                "streamSid": stream_sid, "accountSid": ACCOUNT_SID, "callSid": call_sid, "tracks": ["inbound"],
                "customParameters": { "tenant_id": "acme", "call_sid": call_sid, "from": "+14158675309" },
                "mediaFormat": { "encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1 }
            }
        })
        .to_string(),
    )
}

/// An app whose AI receptionist talks to `provider`, with an `ai-voice` tenant.
async fn app_with_provider(
    provider: &servicepro_actors::realtime::fake_server::FakeServerHandle,
) -> TestApp {
    app_with_provider_and(provider, &[]).await
}

/// [`app_with_provider`] with more configuration `vars`.
pub(crate) async fn app_with_provider_and(
    provider: &servicepro_actors::realtime::fake_server::FakeServerHandle,
    vars: &[(&str, &str)],
) -> TestApp {
    let mut builder = TestApp::builder()
        .var("OPENAI_API_KEY", "sk-test")
        .var("OPENAI_REALTIME_URL", provider.url().as_str());
    for (key, value) in vars {
        builder = builder.var(key, value);
    }
    let app = builder.spawn().await;
    app.create_tenant(TenantSpec {
        ivr_mode: "ai-voice",
        ..TenantSpec::default()
    })
    .await;
    app
}

/// The REST request that redirected live call `call_sid`, once it arrives.
async fn redirect_of(app: &TestApp, call_sid: &str) -> crate::support::fake_twilio::Recorded {
    let path = format!("/Calls/{call_sid}.json");
    for _ in 0..200 {
        if let Some(found) = app
            .twilio
            .requests()
            .into_iter()
            .find(|r| r.path.ends_with(&path))
        {
            return found;
        }
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("call {call_sid} was never redirected");
}

#[actix_web::test]
async fn a_signed_stream_is_bridged_to_the_provider_and_the_call_is_recorded() {
    let (_, provider) = FakeRealtimeServer::start(FakeScript::default())
        .await
        .unwrap();
    let app = app_with_provider(&provider).await;
    app.sql(
        "UPDATE services SET price_cents = 23456 WHERE tenant_id = 'acme' AND name = 'Full Detail'; \
         UPDATE tenant_config SET service_area = '{\"cities\": [\"Tulsa\", \"Broken Arrow\"]}' WHERE tenant_id = 'acme'; \
         INSERT INTO kb_entries (tenant_id, question, answer, category, keywords) VALUES \
           ('acme', 'Can I cancel?', 'Cancel free up to 48 hours ahead.', 'cancellation', '{}')",
    )
    .await;
    let twiml = app
        .twilio_post(
            "/twilio/voice/incoming",
            &[
                ("CallSid", "CA_ws"),
                ("From", "+14158675309"),
                ("To", "+19185550100"),
            ],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(twiml.contains("<Connect><Stream"), "{twiml}");

    let signature = expected_signature(AUTH_TOKEN, STREAM_URL, &[]);
    let (mut socket, _) = tokio_tungstenite::connect_async(ws_request(&app, &signature))
        .await
        .unwrap();
    socket
        .send(Message::text(
            r#"{"event":"connected","protocol":"Call","version":"1.0.0"}"#,
        ))
        .await
        .unwrap();
    socket.send(start_frame("MZ_ws", "CA_ws")).await.unwrap();
    let silence = base64::engine::general_purpose::STANDARD.encode([0xFFu8; 160]);
    for i in 0..10 {
        let media = serde_json::json!({
            "event": "media", "sequenceNumber": (i + 2).to_string(), "streamSid": "MZ_ws",
            "media": { "track": "inbound", "chunk": (i + 1).to_string(), "timestamp": (i * 20).to_string(), "payload": silence }
        });
        socket.send(Message::text(media.to_string())).await.unwrap();
    }
    socket.send(Message::text("not json at all")).await.unwrap();

    let mut frames = 0;
    let mut marks = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while frames < 10 && tokio::time::Instant::now() < deadline {
        let Ok(Some(Ok(Message::Text(text)))) =
            tokio::time::timeout(Duration::from_secs(5), socket.next()).await
        else {
            break;
        };
        let frame: serde_json::Value = serde_json::from_str(&text).unwrap();
        match frame["event"].as_str() {
            Some("media") => {
                let payload = base64::engine::general_purpose::STANDARD
                    .decode(frame["media"]["payload"].as_str().unwrap())
                    .unwrap();
                assert_eq!(payload.len() % 160, 0, "whole 20 ms μ-law frames");
                assert!(payload.len() <= 1_600, "at most 10 frames a message");
                assert_eq!(frame["streamSid"], "MZ_ws");
                frames += payload.len() / 160;
            }
            Some("mark") => marks.push(frame["mark"]["name"].as_str().unwrap().to_owned()),
            _ => {}
        }
    }
    assert!(
        frames >= 10,
        "the greeting reached the caller ({frames} frames)"
    );
    assert!(!marks.is_empty(), "a mark follows the audio");
    for name in &marks {
        let echo = serde_json::json!({ "event": "mark", "sequenceNumber": "99", "streamSid": "MZ_ws", "mark": { "name": name } });
        socket.send(Message::text(echo.to_string())).await.unwrap();
    }
    let stop = serde_json::json!({ "event": "stop", "sequenceNumber": "100", "streamSid": "MZ_ws", "stop": { "accountSid": ACCOUNT_SID, "callSid": "CA_ws" } });
    socket.send(Message::text(stop.to_string())).await.unwrap();

    let mut finalised = false;
    for _ in 0..100 {
        if app
            .count("calls WHERE call_sid = 'CA_ws' AND summary IS NOT NULL")
            .await
            == 1
        {
            finalised = true;
            break;
        }
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(finalised, "the call record was finalised on stop");
    let instructions = provider
        .session(0)
        .and_then(|log| {
            log.events.into_iter().find_map(|event| match event {
                ClientEvent::SessionUpdate { session } => Some(session.instructions),
                _ => None,
            })
        })
        .expect("the session was configured");
    for expected in [
        "Full Detail (from $234.56",
        "Hours (",
        "Service area: Tulsa, Broken Arrow.",
        "Policy (cancellation): Cancel free up to 48 hours ahead.",
        "calling from +14158675309",
    ] {
        assert!(
            instructions.contains(expected),
            "the tenant's own data reaches the model: {expected:?} in {instructions}"
        );
    }
    assert!(
        provider.stats().appends >= 10,
        "caller audio reached the provider"
    );
    for _ in 0..100 {
        if provider.stats().open_sessions == 0 {
            break;
        }
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        provider.stats().open_sessions,
        0,
        "the provider socket closed with the call"
    );
    assert_eq!(app.state.call_metrics.live_calls.get(), 0);
    let metrics = app.metrics_text().await;
    let frames_in: u64 = metrics
        .lines()
        .find(|l| l.starts_with("servicepro_ai_call_frames_in_total "))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap();
    assert!(frames_in >= 10, "call metrics are exported: {frames_in}");
    assert!(metrics.contains("servicepro_ai_calls_live 0"), "{metrics}");
}

#[actix_web::test]
async fn a_bad_handshake_signature_is_refused() {
    let app = TestApp::builder()
        .var("OPENAI_API_KEY", "sk-test")
        .spawn()
        .await;
    let forged = expected_signature("not-the-token", STREAM_URL, &[]);
    assert_eq!(handshake_status(&app, "acme", &forged).await, 403);
}

#[actix_web::test]
async fn a_byo_tenants_stream_is_verified_with_its_own_token_and_cannot_speak_for_another() {
    let (_, provider) = FakeRealtimeServer::start(FakeScript::default())
        .await
        .unwrap();
    let app = app_with_provider(&provider).await;
    byo_tenant(&app, "byo", "+19185550142", "byo-auth-token-xyz").await;
    let url = "wss://sp.example.test/twilio/media-stream/byo";

    let platform_signed = expected_signature(AUTH_TOKEN, url, &[]);
    assert_eq!(
        handshake_status(&app, "byo", &platform_signed).await,
        403,
        "the platform token does not sign its calls"
    );
    let acme_signed_for_byo = expected_signature(AUTH_TOKEN, STREAM_URL, &[]);
    assert!(
        tokio_tungstenite::connect_async(ws_request_for(&app, "byo", &acme_signed_for_byo))
            .await
            .is_err(),
        "a signature for another tenant's URL is refused"
    );

    let own = expected_signature("byo-auth-token-xyz", url, &[]);
    let (mut socket, _) = tokio_tungstenite::connect_async(ws_request_for(&app, "byo", &own))
        .await
        .expect("its own token opens its stream");
    let pretending = serde_json::json!({
        "event": "start", "sequenceNumber": "1", "streamSid": "MZ_byo",
        "start": {
            "streamSid": "MZ_byo", "accountSid": ACCOUNT_SID, "callSid": "CA_byo", "tracks": ["inbound"],
            "customParameters": { "tenant_id": "acme", "call_sid": "CA_byo", "from": "+14158675309" },
            "mediaFormat": { "encoding": "audio/x-mulaw", "sampleRate": 8000, "channels": 1 }
        }
    });
    socket
        .send(Message::text(pretending.to_string()))
        .await
        .unwrap();
    let mut closed = false;
    while let Ok(Some(frame)) = tokio::time::timeout(Duration::from_secs(5), socket.next()).await {
        match frame {
            Ok(Message::Close(_)) | Err(_) => {
                closed = true;
                break;
            }
            Ok(_) => {}
        }
    }
    assert!(closed, "a stream naming another tenant is closed");
    assert_eq!(
        provider.session_count(),
        0,
        "no AI session was opened for it"
    );
}

#[actix_web::test]
async fn dtmf_zero_redirects_the_live_call_to_a_person_through_twilio() {
    let (_, provider) = FakeRealtimeServer::start(FakeScript::default())
        .await
        .unwrap();
    let app = app_with_provider(&provider).await;
    let signature = expected_signature(AUTH_TOKEN, STREAM_URL, &[]);
    let (mut socket, _) = tokio_tungstenite::connect_async(ws_request(&app, &signature))
        .await
        .unwrap();
    socket
        .send(start_frame("MZ_dtmf", "CA_dtmf"))
        .await
        .unwrap();
    let dtmf = serde_json::json!({ "event": "dtmf", "sequenceNumber": "2", "streamSid": "MZ_dtmf", "dtmf": { "track": "inbound_track", "digit": "0" } });
    socket.send(Message::text(dtmf.to_string())).await.unwrap();
    let redirect = redirect_of(&app, "CA_dtmf").await;
    assert_eq!(
        (redirect.user.as_str(), redirect.password.as_str()),
        (ACCOUNT_SID, AUTH_TOKEN)
    );
    let twiml = redirect.field("Twiml").unwrap();
    assert!(
        twiml.contains("<Dial")
            && twiml.contains("<Sip>sip:jody@cleanmachinetulsa.sip.twilio.com</Sip>"),
        "{twiml}"
    );
    assert!(
        twiml.contains("<Say>"),
        "the caller hears a short line first: {twiml}"
    );
}

#[actix_web::test]
async fn a_provider_that_refuses_sends_the_caller_to_the_ivr_not_silence() {
    let script = FakeScript {
        refuse: Some(Refusal::Http(401)),
        ..FakeScript::default()
    };
    let (_, provider) = FakeRealtimeServer::start(script).await.unwrap();
    let app = app_with_provider(&provider).await;
    let signature = expected_signature(AUTH_TOKEN, STREAM_URL, &[]);
    let (mut socket, _) = tokio_tungstenite::connect_async(ws_request(&app, &signature))
        .await
        .unwrap();
    socket.send(start_frame("MZ_ref", "CA_ref")).await.unwrap();
    let redirect = redirect_of(&app, "CA_ref").await;
    let twiml = redirect.field("Twiml").unwrap();
    assert!(
        twiml.contains("<Gather input=\"dtmf\""),
        "the IVR menu: {twiml}"
    );
}

/// A Twilio-style CallSid (`CA` and 32 hex digits) numbered `n`.
fn call_sid(n: u32) -> String {
    format!("CA{n:032x}")
}

/// One AI call of `seconds_of_caller` s to the `acme` tenant, over the real
/// websocket: Twilio's incoming webhook, then the stream's `start`, the
/// caller's frames (a tone, at Twilio timestamps 0, 20, … ms), the greeting
/// read back, and `stop`. Returns the AI frames the caller received.
async fn one_call(app: &TestApp, sid: &str, frames: u32) -> usize {
    let twiml = app
        .twilio_post(
            "/twilio/voice/incoming",
            &[
                ("CallSid", sid),
                ("From", "+14158675309"),
                ("To", "+19185550100"),
            ],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(twiml.contains("<Connect><Stream"), "{twiml}");
    let signature = expected_signature(AUTH_TOKEN, STREAM_URL, &[]);
    let (mut socket, _) = tokio_tungstenite::connect_async(ws_request(app, &signature))
        .await
        .unwrap();
    let stream = format!("MZ{}", &sid[2..]);
    socket.send(start_frame(&stream, sid)).await.unwrap();
    let tone = servicepro_media::signal::tone(437.0, 8000.0, 8000.0, 160 * frames as usize);
    for (i, chunk) in tone.chunks(160).enumerate() {
        let ulaw: Vec<u8> = chunk
            .iter()
            .map(|&s| servicepro_media::g711::linear_to_ulaw(s))
            .collect();
        let media = serde_json::json!({
            "event": "media", "sequenceNumber": (i + 2).to_string(), "streamSid": stream,
            "media": {
                "track": "inbound", "chunk": (i + 1).to_string(), "timestamp": (i * 20).to_string(),
                "payload": base64::engine::general_purpose::STANDARD.encode(ulaw)
            }
        });
        socket.send(Message::text(media.to_string())).await.unwrap();
    }
    let mut ai_frames = 0;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while ai_frames < 25 && tokio::time::Instant::now() < deadline {
        let Ok(Some(Ok(Message::Text(text)))) =
            tokio::time::timeout(Duration::from_secs(5), socket.next()).await
        else {
            break;
        };
        let frame: serde_json::Value = serde_json::from_str(&text).unwrap();
        if frame["event"] == "media" {
            // One message per provider delta: count the 20 ms frames it carries.
            let payload = base64::engine::general_purpose::STANDARD
                .decode(frame["media"]["payload"].as_str().unwrap())
                .unwrap();
            assert_eq!(payload.len() % 160, 0, "whole 20 ms μ-law frames");
            ai_frames += payload.len() / 160;
        }
    }
    // Frames reach the call actor in order, so `stop` ends the call after all of them.
    let stop = serde_json::json!({ "event": "stop", "sequenceNumber": "999", "streamSid": stream, "stop": { "accountSid": ACCOUNT_SID, "callSid": sid } });
    socket.send(Message::text(stop.to_string())).await.unwrap();
    let finalised = format!("calls WHERE call_sid = '{sid}' AND summary IS NOT NULL");
    for _ in 0..200 {
        if app.count(&finalised).await == 1 {
            return ai_frames;
        }
        actix_web::rt::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("call {sid} was not finalised");
}

/// An app whose provider greets and never hears speech (the caller's tone
/// would otherwise start answers), with an `ai-voice` tenant `acme` that
/// records calls or not.
async fn app_recording(record_calls: bool) -> (TestApp, FakeServerHandle) {
    let script = FakeScript {
        speech: SpeechTrigger::Never,
        ..FakeScript::default()
    };
    let (_, provider) = FakeRealtimeServer::start(script).await.unwrap();
    let app = TestApp::builder()
        .var("OPENAI_API_KEY", "sk-test")
        .var("OPENAI_REALTIME_URL", provider.url().as_str())
        .spawn()
        .await;
    app.create_tenant(TenantSpec {
        ivr_mode: "ai-voice",
        record_calls,
        ..TenantSpec::default()
    })
    .await;
    (app, provider)
}

/// The owner view of `acme`'s call `sid`.
async fn call_view(app: &TestApp, sid: &str) -> serde_json::Value {
    let calls: serde_json::Value = app
        .admin(reqwest::Method::GET, "/api/admin/tenants/acme/calls")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    calls["calls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["call_sid"] == sid)
        .cloned()
        .unwrap_or_else(|| panic!("call {sid} not in {calls}"))
}

/// Every file under `dir`, recursively.
fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .flat_map(|e| {
            let path = e.path();
            if path.is_dir() {
                files_under(&path)
            } else {
                vec![path]
            }
        })
        .collect()
}

#[actix_web::test]
async fn a_recording_tenants_call_is_one_stereo_ogg_opus_file_linked_from_its_call() {
    let (app, _provider) = app_recording(true).await;
    let tenant: serde_json::Value = app
        .admin(reqwest::Method::GET, "/api/admin/tenants/acme")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(tenant["record_calls"], true);
    let sid = call_sid(1);
    let heard = one_call(&app, &sid, 50).await;
    assert!(
        heard >= 25,
        "the greeting reached the caller ({heard} frames)"
    );

    let linked = format!("calls WHERE call_sid = '{sid}' AND recording_path IS NOT NULL");
    for _ in 0..200 {
        if app.count(&linked).await == 1 {
            break;
        }
        actix_web::rt::time::sleep(Duration::from_millis(25)).await;
    }
    let view = call_view(&app, &sid).await;
    let expected = app.recordings.join("acme").join(format!("{sid}.opus"));
    assert_eq!(
        view["recording_path"].as_str(),
        expected.to_str(),
        "the call points to its recording: {view}"
    );
    // 50 caller frames at Twilio timestamps 0 … 980 ms: one second.
    assert_eq!(view["recording_duration_ms"], 1000, "{view}");
    let bytes = std::fs::read(&expected).unwrap();
    let report = servicepro_media::ogg_opus::verify_ogg_opus(&bytes, 8000).unwrap();
    let info = report.info;
    assert_eq!(info.channels, 2, "caller left, AI right");
    assert_eq!(info.input_rate, 8000);
    assert_eq!(info.duration_ms(), 1000);
    assert_eq!(files_under(&app.recordings), vec![expected]);
    assert_eq!(app.state.call_metrics.recordings_saved.get(), 1);
    let metrics = app.metrics_text().await;
    assert!(
        metrics.contains("servicepro_ai_call_recordings_saved_total 1"),
        "{metrics}"
    );
}

#[actix_web::test]
async fn a_tenant_that_does_not_record_calls_leaves_no_file() {
    let (app, _provider) = app_recording(false).await;
    let sid = call_sid(2);
    assert!(one_call(&app, &sid, 25).await >= 25);
    // Give a recorder (there must be none) the time to have written something.
    actix_web::rt::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        files_under(&app.recordings),
        Vec::<std::path::PathBuf>::new()
    );
    let view = call_view(&app, &sid).await;
    assert!(view["recording_path"].is_null(), "{view}");
    assert_eq!(app.state.call_metrics.recordings_saved.get(), 0);
    assert_eq!(app.state.call_metrics.recordings_failed.get(), 0);
}

#[actix_web::test]
async fn a_recording_that_cannot_be_written_does_not_disturb_the_call() {
    let (app, provider) = app_recording(true).await;
    // The tenant's recordings directory cannot be created: a file is in the way
    // (unwritable for root too, unlike a permission bit).
    std::fs::write(app.recordings.join("acme"), b"in the way").unwrap();
    let sid = call_sid(3);
    let heard = one_call(&app, &sid, 50).await;
    assert!(heard >= 25, "the greeting still reached the caller");
    let calls = &app.state.call_metrics;
    assert_eq!(
        calls.frames_in.get(),
        50,
        "every caller frame reached the call"
    );
    assert_eq!(calls.dropped_in.get() + calls.dropped_out.get(), 0);
    assert!(provider.stats().appends > 0, "the caller reached the AI");
    for _ in 0..200 {
        if app.state.call_metrics.recordings_failed.get() == 1 {
            break;
        }
        actix_web::rt::time::sleep(Duration::from_millis(25)).await;
    }
    assert_eq!(app.state.call_metrics.recordings_failed.get(), 1);
    let view = call_view(&app, &sid).await;
    assert!(view["recording_path"].is_null(), "{view}");
    assert!(
        view["summary"].as_str().is_some(),
        "the call record is whole: {view}"
    );
    assert_eq!(app.state.call_metrics.live_calls.get(), 0);
}

/// Creates tenant `id`, which brought its own Twilio account signing with `token`.
async fn byo_tenant(app: &TestApp, id: &str, phone: &str, token: &str) {
    let created = app
        .admin(reqwest::Method::POST, "/api/admin/tenants")
        .json(&serde_json::json!({
            "id": id, "name": format!("{id} Detailing"), "industry": "mobile-detailing",
            "plan_tier": "elite", "status": "active", "phone_number": phone,
            "ivr_mode": "ai-voice", "forward_to": "+19185550199",
            "twilio_account_sid": "AC0123456789abcdef0123456789abcdef",
            "twilio_auth_token": token
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
}

/// The status a handshake for `tenant` signed `signature` is answered with (101 opens).
async fn handshake_status(app: &TestApp, tenant: &str, signature: &str) -> u16 {
    match tokio_tungstenite::connect_async(ws_request_for(app, tenant, signature)).await {
        Ok((_, response)) => response.status().as_u16(),
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => response.status().as_u16(),
        Err(other) => panic!("handshake failed without an answer: {other}"),
    }
}

#[actix_web::test]
async fn a_handshake_for_one_tenants_stream_signed_with_anothers_token_is_refused() {
    let app = TestApp::builder()
        .var("OPENAI_API_KEY", "sk-test")
        .spawn()
        .await;
    byo_tenant(&app, "alpha", "+19185550141", "alpha-auth-token").await;
    byo_tenant(&app, "bravo", "+19185550142", "bravo-auth-token").await;
    let alpha_url = "wss://sp.example.test/twilio/media-stream/alpha";
    let rejected_before = app.state.metrics.auth_rejected.get();

    let bravo_signs_alpha = expected_signature("bravo-auth-token", alpha_url, &[]);
    assert_eq!(
        handshake_status(&app, "alpha", &bravo_signs_alpha).await,
        403,
        "tenant B's token does not open tenant A's stream"
    );
    assert_eq!(
        handshake_status(
            &app,
            "nobody",
            &expected_signature(AUTH_TOKEN, STREAM_URL, &[])
        )
        .await,
        403,
        "a stream of no known tenant is refused"
    );
    assert_eq!(handshake_status(&app, "alpha", "").await, 403, "unsigned");
    assert_eq!(app.state.metrics.auth_rejected.get(), rejected_before + 3);

    let alpha_signs_alpha = expected_signature("alpha-auth-token", alpha_url, &[]);
    assert_eq!(
        handshake_status(&app, "alpha", &alpha_signs_alpha).await,
        101,
        "its own token opens it"
    );
}
