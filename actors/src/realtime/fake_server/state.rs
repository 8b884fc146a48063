//! One fake provider session, sans I/O: client frames in, server frames out. The
//! connection loop feeds it frames and the clock, and writes what it produces.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Deserialize;
use servicepro_media::b64;
use tokio::time::Instant;

use super::audio::{AudioCache, SpeechEdge, SpeechMeter};
use super::events::Events;
use super::log::{lock, FakeSessionLog, Shared};
use super::script::{FakeScript, Pacing};
use crate::realtime::openai_events::{AudioFormat, ClientEvent};

#[derive(Deserialize)]
struct TypeOnly<'a> {
    #[serde(rename = "type", borrow)]
    kind: Cow<'a, str>,
}

#[derive(Deserialize)]
struct AppendBody<'a> {
    #[serde(borrow)]
    audio: Cow<'a, str>,
}

/// The answer being played.
#[derive(Debug)]
struct Active {
    response_id: String,
    item_id: String,
    chunk: Arc<str>,
    words: Vec<String>,
    started: bool,
    sent: u32,
    started_at: Instant,
    next_at: Instant,
}

/// Everything one fake session knows.
pub(crate) struct FakeSession {
    script: Arc<FakeScript>,
    audio: Arc<AudioCache>,
    log: Arc<Mutex<FakeSessionLog>>,
    shared: Arc<Shared>,
    events: Events,
    session_id: String,
    input_format: AudioFormat,
    output_format: AudioFormat,
    configured: bool,
    active: Option<Active>,
    item_audio_ms: HashMap<String, u64>,
    meter: SpeechMeter,
    caller_item: Option<String>,
    utterances: u32,
    scratch: Vec<u8>,
}

impl FakeSession {
    pub(crate) fn new(
        script: Arc<FakeScript>,
        audio: Arc<AudioCache>,
        log: Arc<Mutex<FakeSessionLog>>,
        shared: Arc<Shared>,
    ) -> Self {
        let session_id = lock(&log).session_id.clone();
        Self {
            meter: SpeechMeter::new(script.speech),
            script,
            audio,
            log,
            shared,
            events: Events::default(),
            session_id,
            input_format: AudioFormat::PCM_24K,
            output_format: AudioFormat::PCM_24K,
            configured: false,
            active: None,
            item_audio_ms: HashMap::new(),
            caller_item: None,
            utterances: 0,
            scratch: Vec::new(),
        }
    }

    /// `session.created`, as the real API sends on connect.
    pub(crate) fn on_connect(&mut self, out: &mut Vec<String>) {
        out.push(
            self.events
                .session("session.created", &self.session_id, None),
        );
    }

    /// When the active answer has its next event due.
    pub(crate) fn next_step_at(&self) -> Option<Instant> {
        self.active.as_ref().map(|a| a.next_at)
    }

    /// Handles one client text frame.
    pub(crate) fn on_text(&mut self, text: &str, now: Instant, out: &mut Vec<String>) {
        let kind = match serde_json::from_str::<TypeOnly<'_>>(text) {
            Ok(only) => only.kind,
            Err(err) => return self.reject(text, &err.to_string(), out),
        };
        if kind == "input_audio_buffer.append" {
            match serde_json::from_str::<AppendBody<'_>>(text) {
                Ok(body) => self.on_append(&body.audio, now, out),
                Err(err) => self.reject(text, &err.to_string(), out),
            }
            return;
        }
        let event = match serde_json::from_str::<ClientEvent>(text) {
            Ok(event) => event,
            Err(err) => return self.reject(text, &err.to_string(), out),
        };
        lock(&self.log).events.push(event.clone());
        match event {
            ClientEvent::SessionUpdate { session } => {
                if let Some(probe) = &self.script.probe {
                    probe
                        .0
                        .session_configured(&self.session_id, &session.instructions);
                }
                self.input_format = session.audio.input.format;
                self.output_format = session.audio.output.format;
                out.push(
                    self.events
                        .session("session.updated", &self.session_id, Some(&session)),
                );
                if !self.configured && self.script.greet_on_connect {
                    self.start_response(now);
                }
                self.configured = true;
            }
            ClientEvent::InputAudioAppend { audio } => self.on_append(&audio, now, out),
            ClientEvent::ItemCreate { item } => {
                let id = self.events.ids.item();
                let item = serde_json::to_value(&item).unwrap_or_default();
                out.push(self.events.item_added(&id, item));
            }
            ClientEvent::ResponseCreate { .. } => match &self.active {
                Some(active) => {
                    let message = format!(
                        "Conversation already has an active response in progress: {}. \
                         Wait until the response is finished before creating a new one.",
                        active.response_id
                    );
                    self.error(
                        "conversation_already_has_active_response",
                        &message,
                        None,
                        out,
                    );
                }
                None => self.start_response(now),
            },
            ClientEvent::ResponseCancel => {
                if self.active.is_some() {
                    self.cancel("client_cancelled", out);
                } else {
                    let message = "Cancellation failed: no active response found";
                    self.error("response_cancel_not_active", message, None, out);
                }
            }
            ClientEvent::ItemTruncate {
                item_id,
                content_index,
                audio_end_ms,
            } => {
                if let Some(probe) = &self.script.probe {
                    probe.0.item_truncated(&self.session_id, audio_end_ms);
                }
                self.on_truncate(&item_id, content_index, audio_end_ms, out);
            }
        }
    }

    fn on_truncate(
        &mut self,
        item_id: &str,
        content_index: u32,
        audio_end_ms: u64,
        out: &mut Vec<String>,
    ) {
        match self.item_audio_ms.get(item_id).copied() {
            None => {
                let message = format!("Item with item_id not found: {item_id}");
                self.error("invalid_value", &message, Some("item_id"), out);
            }
            Some(sent) if audio_end_ms > sent => {
                let message =
                    format!("Audio content of {sent}ms is already shorter than {audio_end_ms}ms");
                self.error("invalid_value", &message, Some("audio_end_ms"), out);
            }
            Some(_) => out.push(self.events.truncated(item_id, content_index, audio_end_ms)),
        }
    }

    fn on_append(&mut self, audio: &str, now: Instant, out: &mut Vec<String>) {
        self.scratch.clear();
        if b64::decode_append(audio.as_bytes(), &mut self.scratch).is_err() {
            let message = "Invalid 'audio'. Expected base64-encoded audio bytes.";
            return self.error("invalid_value", message, Some("audio"), out);
        }
        self.shared.appends.fetch_add(1, Ordering::Relaxed);
        if let Some(probe) = &self.script.probe {
            let per_ms = u64::from(self.input_format.bytes_per_ms().max(1));
            probe.0.audio_appended(
                &self.session_id,
                self.scratch.len() as u64 * 1000 / per_ms,
                &self.scratch,
            );
        }
        {
            let mut log = lock(&self.log);
            log.appends += 1;
            log.audio_bytes += self.scratch.len() as u64;
            if self.script.record_audio {
                log.events.push(ClientEvent::InputAudioAppend {
                    audio: audio.to_owned(),
                });
            }
        }
        match self.meter.push(self.input_format, &self.scratch) {
            Some(SpeechEdge::Started(ms)) => self.speech_started(ms, out),
            Some(SpeechEdge::Stopped(ms)) => self.speech_stopped(ms, now, out),
            None => {}
        }
    }

    fn speech_started(&mut self, ms: u64, out: &mut Vec<String>) {
        let item = self.events.ids.item();
        if let Some(probe) = &self.script.probe {
            probe.0.speech_started(&self.session_id);
        }
        out.push(self.events.speech(
            "input_audio_buffer.speech_started",
            "audio_start_ms",
            ms,
            &item,
        ));
        self.caller_item = Some(item);
        if self.script.interrupt_on_speech && self.active.is_some() {
            self.cancel("turn_detected", out);
        }
    }

    fn speech_stopped(&mut self, ms: u64, now: Instant, out: &mut Vec<String>) {
        let item = match self.caller_item.take() {
            Some(item) => item,
            None => self.events.ids.item(),
        };
        out.push(self.events.speech(
            "input_audio_buffer.speech_stopped",
            "audio_end_ms",
            ms,
            &item,
        ));
        out.push(self.events.committed(&item));
        self.utterances += 1;
        let transcript = self
            .script
            .caller_transcripts
            .get(self.utterances as usize - 1)
            .map_or("(caller speech)", String::as_str);
        out.push(self.events.input_transcript(&item, transcript));
        let tool_due = self
            .script
            .tool_call
            .as_ref()
            .is_some_and(|call| call.after_utterances == self.utterances);
        if tool_due {
            self.tool_call(out);
        } else if self.script.respond_after_speech && self.active.is_none() {
            self.start_response(now);
        }
    }

    fn tool_call(&mut self, out: &mut Vec<String>) {
        let Some(call) = self.script.tool_call.clone() else {
            return;
        };
        lock(&self.log).responses_started += 1;
        let response_id = self.events.ids.response();
        let item_id = self.events.ids.item();
        let call_id = self.events.ids.call();
        let (input, output) = (
            self.script.response.input_tokens,
            self.script.response.output_tokens,
        );
        out.push(self.events.response_created(&response_id));
        let added = (call_id.as_str(), call.name.as_str(), "");
        out.push(self.events.function_call_item(
            "response.output_item.added",
            &response_id,
            &item_id,
            added,
        ));
        let done = (
            call_id.as_str(),
            call.name.as_str(),
            call.arguments.as_str(),
        );
        out.push(self.events.arguments_done(&response_id, &item_id, done));
        out.push(self.events.function_call_item(
            "response.output_item.done",
            &response_id,
            &item_id,
            done,
        ));
        out.push(
            self.events
                .response_done(&response_id, "completed", None, (input, output)),
        );
    }

    fn start_response(&mut self, now: Instant) {
        lock(&self.log).responses_started += 1;
        let response = &self.script.response;
        let format = response.format.unwrap_or(self.output_format);
        let item_id = self.events.ids.item();
        self.item_audio_ms.insert(item_id.clone(), 0);
        self.active = Some(Active {
            response_id: self.events.ids.response(),
            item_id,
            chunk: self.audio.chunk(format),
            words: response
                .transcript
                .split_whitespace()
                .map(str::to_owned)
                .collect(),
            started: false,
            sent: 0,
            started_at: now,
            next_at: now,
        });
    }

    /// Emits the active answer's next events.
    pub(crate) fn step(&mut self, now: Instant, out: &mut Vec<String>) {
        let Some(mut active) = self.active.take() else {
            return;
        };
        let response = &self.script.response;
        let (rid, iid) = (active.response_id.clone(), active.item_id.clone());
        if !active.started {
            active.started = true;
            active.started_at = now;
            out.push(self.events.response_created(&rid));
            out.push(self.events.message_item(
                "response.output_item.added",
                &rid,
                &iid,
                "in_progress",
            ));
            self.active = Some(active);
            return;
        }
        if active.sent < response.chunks {
            if let Some(probe) = &self.script.probe {
                probe.0.audio_delta_sent(&self.session_id);
            }
            out.push(self.events.audio_delta(&rid, &iid, &active.chunk));
            let (words, chunks) = (active.words.len(), response.chunks as usize);
            let index = active.sent as usize;
            let (from, to) = (index * words / chunks, (index + 1) * words / chunks);
            if from < to {
                let mut text = active.words[from..to].join(" ");
                if from > 0 {
                    text.insert(0, ' ');
                }
                out.push(self.events.part(
                    "response.output_audio_transcript.delta",
                    &rid,
                    &iid,
                    Some(("delta", &text)),
                ));
            }
            active.sent += 1;
            if let Some(ms) = self.item_audio_ms.get_mut(&iid) {
                *ms += u64::from(response.chunk_ms);
            }
            active.next_at = match response.pacing {
                Pacing::Fast => now,
                Pacing::RealTime => {
                    active.started_at
                        + Duration::from_millis(
                            u64::from(response.chunk_ms) * u64::from(active.sent),
                        )
                }
            };
            self.active = Some(active);
            return;
        }
        let transcript = active.words.join(" ");
        out.push(
            self.events
                .part("response.output_audio.done", &rid, &iid, None),
        );
        out.push(self.events.part(
            "response.output_audio_transcript.done",
            &rid,
            &iid,
            Some(("transcript", &transcript)),
        ));
        out.push(
            self.events
                .message_item("response.output_item.done", &rid, &iid, "completed"),
        );
        let tokens = (response.input_tokens, response.output_tokens);
        out.push(self.events.response_done(&rid, "completed", None, tokens));
    }

    fn cancel(&mut self, reason: &str, out: &mut Vec<String>) {
        if let Some(active) = self.active.take() {
            let tokens = (self.script.response.input_tokens, u64::from(active.sent));
            out.push(self.events.response_done(
                &active.response_id,
                "cancelled",
                Some(reason),
                tokens,
            ));
        }
    }

    fn error(&mut self, code: &str, message: &str, param: Option<&str>, out: &mut Vec<String>) {
        lock(&self.log).errors_sent.push(code.to_owned());
        out.push(self.events.error(code, message, param));
    }

    fn reject(&mut self, text: &str, why: &str, out: &mut Vec<String>) {
        lock(&self.log)
            .rejected
            .push(text.chars().take(200).collect());
        let message = format!("The server could not parse the event: {why}");
        self.error("invalid_event", &message, None, out);
    }
}
