//! The audio verbs that may also nest inside `<Gather>`: `<Say>`, `<Play>`
//! and `<Pause>`.

use super::xml::{Attrs, ToXml, Xml};

/// `<Say>`: reads text to the caller with text-to-speech.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Say {
    text: String,
    voice: Option<String>,
    language: Option<String>,
    loop_count: Option<u32>,
}

impl Say {
    /// Speaks `text` in Twilio's default voice.
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            voice: None,
            language: None,
            loop_count: None,
        }
    }

    /// Picks the voice, e.g. `Polly.Joanna`.
    pub fn voice(mut self, voice: impl Into<String>) -> Self {
        self.voice = Some(voice.into());
        self
    }

    /// Picks the language, e.g. `en-US`.
    pub fn language(mut self, language: impl Into<String>) -> Self {
        self.language = Some(language.into());
        self
    }

    /// Repeats the text `count` times (`0` repeats until the call ends).
    pub fn loop_count(mut self, count: u32) -> Self {
        self.loop_count = Some(count);
        self
    }
}

impl ToXml for Say {
    fn to_xml(&self, xml: &mut Xml) {
        let attrs = Attrs::new()
            .opt("voice", self.voice.as_ref())
            .opt("language", self.language.as_ref())
            .opt("loop", self.loop_count);
        xml.element("Say", attrs, |xml| xml.text(&self.text));
    }
}

/// `<Play>`: plays an audio file to the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Play {
    url: String,
    loop_count: Option<u32>,
}

impl Play {
    /// Plays the audio at `url`.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            loop_count: None,
        }
    }

    /// Repeats the audio `count` times (`0` repeats until the call ends).
    pub fn loop_count(mut self, count: u32) -> Self {
        self.loop_count = Some(count);
        self
    }
}

impl ToXml for Play {
    fn to_xml(&self, xml: &mut Xml) {
        let attrs = Attrs::new().opt("loop", self.loop_count);
        xml.element("Play", attrs, |xml| xml.text(&self.url));
    }
}

/// `<Pause>`: silence, e.g. before speaking or between prompts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pause {
    length: Option<u32>,
}

impl Pause {
    /// Twilio's default pause (one second).
    pub fn new() -> Self {
        Self::default()
    }

    /// A pause of `seconds`.
    pub fn seconds(seconds: u32) -> Self {
        Self {
            length: Some(seconds),
        }
    }
}

impl ToXml for Pause {
    fn to_xml(&self, xml: &mut Xml) {
        let attrs = Attrs::new().opt("length", self.length);
        xml.element("Pause", attrs, |_| {});
    }
}
