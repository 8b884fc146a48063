//! `<Record>`: records the caller, e.g. a voicemail.

use std::fmt;

use super::method::Method;
use super::xml::{Attrs, ToXml, Xml};

/// A recording status change Twilio reports to `recordingStatusCallback`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordingEvent {
    /// Recording started.
    InProgress,
    /// Recording finished and its media is available.
    Completed,
    /// Nothing was recorded (silence or hang-up).
    Absent,
}

impl fmt::Display for RecordingEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::InProgress => "in-progress",
            Self::Completed => "completed",
            Self::Absent => "absent",
        })
    }
}

/// `<Record>`: the voicemail verb.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    action: Option<String>,
    method: Option<Method>,
    max_length: Option<u32>,
    play_beep: Option<bool>,
    recording_status_callback: Option<String>,
    recording_status_callback_event: Vec<RecordingEvent>,
    transcribe: Option<bool>,
    finish_on_key: Option<String>,
    timeout: Option<u32>,
}

impl Record {
    /// A `<Record>` with Twilio's defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// The URL Twilio requests with `RecordingUrl` once the caller finishes.
    pub fn action(mut self, url: impl Into<String>) -> Self {
        self.action = Some(url.into());
        self
    }

    /// The method for `action`.
    pub fn method(mut self, method: Method) -> Self {
        self.method = Some(method);
        self
    }

    /// The longest recording allowed, in seconds.
    pub fn max_length(mut self, seconds: u32) -> Self {
        self.max_length = Some(seconds);
        self
    }

    /// Whether a beep marks the start of recording.
    pub fn play_beep(mut self, enabled: bool) -> Self {
        self.play_beep = Some(enabled);
        self
    }

    /// The URL Twilio notifies as the recording's status changes.
    pub fn recording_status_callback(mut self, url: impl Into<String>) -> Self {
        self.recording_status_callback = Some(url.into());
        self
    }

    /// Which status changes reach `recordingStatusCallback` (space-separated
    /// on the wire).
    pub fn recording_status_callback_event(
        mut self,
        events: impl IntoIterator<Item = RecordingEvent>,
    ) -> Self {
        self.recording_status_callback_event = events.into_iter().collect();
        self
    }

    /// Whether Twilio transcribes the recording.
    pub fn transcribe(mut self, enabled: bool) -> Self {
        self.transcribe = Some(enabled);
        self
    }

    /// Keys that end the recording, e.g. `#`.
    pub fn finish_on_key(mut self, keys: impl Into<String>) -> Self {
        self.finish_on_key = Some(keys.into());
        self
    }

    /// Seconds of silence that end the recording.
    pub fn timeout(mut self, seconds: u32) -> Self {
        self.timeout = Some(seconds);
        self
    }
}

impl ToXml for Record {
    fn to_xml(&self, xml: &mut Xml) {
        let events = (!self.recording_status_callback_event.is_empty()).then(|| {
            self.recording_status_callback_event
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" ")
        });
        let attrs = Attrs::new()
            .opt("action", self.action.as_ref())
            .opt("method", self.method)
            .opt("maxLength", self.max_length)
            .opt("playBeep", self.play_beep)
            .opt(
                "recordingStatusCallback",
                self.recording_status_callback.as_ref(),
            )
            .opt("recordingStatusCallbackEvent", events)
            .opt("transcribe", self.transcribe)
            .opt("finishOnKey", self.finish_on_key.as_ref())
            .opt("timeout", self.timeout);
        xml.element("Record", attrs, |_| {});
    }
}
