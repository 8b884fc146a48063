//! `<Gather>`: collects keypad digits or speech, with nested prompts.

use std::fmt;

use super::method::Method;
use super::say::{Pause, Play, Say};
use super::xml::{Attrs, ToXml, Xml};

/// What `<Gather>` listens for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GatherInput {
    /// Keypad digits.
    Dtmf,
    /// Speech recognition.
    Speech,
    /// Whichever comes first.
    DtmfSpeech,
}

impl fmt::Display for GatherInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Dtmf => "dtmf",
            Self::Speech => "speech",
            Self::DtmfSpeech => "dtmf speech",
        })
    }
}

/// How long a speech `<Gather>` waits after the caller stops talking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SpeechTimeout {
    /// Twilio decides when the utterance ended.
    Auto,
    /// A fixed silence, in seconds.
    Seconds(u32),
}

impl fmt::Display for SpeechTimeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Auto => f.write_str("auto"),
            Self::Seconds(seconds) => write!(f, "{seconds}"),
        }
    }
}

/// A prompt nested in `<Gather>`, played while Twilio listens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GatherPrompt {
    /// A nested `<Say>`.
    Say(Say),
    /// A nested `<Play>`.
    Play(Play),
    /// A nested `<Pause>`.
    Pause(Pause),
}

impl ToXml for GatherPrompt {
    fn to_xml(&self, xml: &mut Xml) {
        match self {
            Self::Say(say) => say.to_xml(xml),
            Self::Play(play) => play.to_xml(xml),
            Self::Pause(pause) => pause.to_xml(xml),
        }
    }
}

/// `<Gather>`: the IVR menu and speech-capture verb.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gather {
    input: GatherInput,
    num_digits: Option<u32>,
    timeout: Option<u32>,
    action: Option<String>,
    method: Option<Method>,
    speech_timeout: Option<SpeechTimeout>,
    hints: Vec<String>,
    action_on_empty_result: Option<bool>,
    prompts: Vec<GatherPrompt>,
}

impl Gather {
    /// Listens for `input`.
    pub fn new(input: GatherInput) -> Self {
        Self {
            input,
            num_digits: None,
            timeout: None,
            action: None,
            method: None,
            speech_timeout: None,
            hints: Vec::new(),
            action_on_empty_result: None,
            prompts: Vec::new(),
        }
    }

    /// Listens for keypad digits.
    pub fn dtmf() -> Self {
        Self::new(GatherInput::Dtmf)
    }

    /// Listens for speech.
    pub fn speech() -> Self {
        Self::new(GatherInput::Speech)
    }

    /// Listens for digits or speech.
    pub fn dtmf_speech() -> Self {
        Self::new(GatherInput::DtmfSpeech)
    }

    /// Stops after `count` digits instead of waiting for `#` or the timeout.
    pub fn num_digits(mut self, count: u32) -> Self {
        self.num_digits = Some(count);
        self
    }

    /// Seconds of silence before Twilio gives up waiting for input.
    pub fn timeout(mut self, seconds: u32) -> Self {
        self.timeout = Some(seconds);
        self
    }

    /// The URL Twilio requests with `Digits` or `SpeechResult`.
    pub fn action(mut self, url: impl Into<String>) -> Self {
        self.action = Some(url.into());
        self
    }

    /// The method for `action`.
    pub fn method(mut self, method: Method) -> Self {
        self.method = Some(method);
        self
    }

    /// When a speech utterance is considered finished.
    pub fn speech_timeout(mut self, timeout: SpeechTimeout) -> Self {
        self.speech_timeout = Some(timeout);
        self
    }

    /// Words or phrases the recogniser should expect, rendered as one
    /// comma-separated `hints` attribute (so a hint should not contain a comma).
    pub fn hints<I, S>(mut self, hints: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.hints = hints.into_iter().map(Into::into).collect();
        self
    }

    /// Whether Twilio requests `action` even when nothing was gathered.
    pub fn action_on_empty_result(mut self, enabled: bool) -> Self {
        self.action_on_empty_result = Some(enabled);
        self
    }

    /// Speaks `say` while listening.
    pub fn say(mut self, say: Say) -> Self {
        self.prompts.push(GatherPrompt::Say(say));
        self
    }

    /// Plays `play` while listening.
    pub fn play(mut self, play: Play) -> Self {
        self.prompts.push(GatherPrompt::Play(play));
        self
    }

    /// Pauses while listening.
    pub fn pause(mut self, pause: Pause) -> Self {
        self.prompts.push(GatherPrompt::Pause(pause));
        self
    }
}

impl ToXml for Gather {
    fn to_xml(&self, xml: &mut Xml) {
        let hints = (!self.hints.is_empty()).then(|| self.hints.join(", "));
        let attrs = Attrs::new()
            .opt("input", Some(self.input))
            .opt("numDigits", self.num_digits)
            .opt("timeout", self.timeout)
            .opt("action", self.action.as_ref())
            .opt("method", self.method)
            .opt("speechTimeout", self.speech_timeout)
            .opt("hints", hints)
            .opt("actionOnEmptyResult", self.action_on_empty_result);
        xml.element("Gather", attrs, |xml| {
            for prompt in &self.prompts {
                prompt.to_xml(xml);
            }
        });
    }
}
