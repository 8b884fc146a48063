//! `<Response>`: the TwiML document a webhook answers with.

use std::fmt;

use super::connect::Connect;
use super::control::{Hangup, Message, Redirect, Reject};
use super::dial::Dial;
use super::gather::Gather;
use super::record::Record;
use super::say::{Pause, Play, Say};
use super::xml::{Attrs, ToXml, Xml};

/// One top-level TwiML verb; Twilio executes them in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verb {
    /// `<Say>`.
    Say(Say),
    /// `<Play>`.
    Play(Play),
    /// `<Gather>`.
    Gather(Gather),
    /// `<Dial>`.
    Dial(Dial),
    /// `<Record>`.
    Record(Record),
    /// `<Connect>`.
    Connect(Connect),
    /// `<Redirect>`.
    Redirect(Redirect),
    /// `<Hangup>`.
    Hangup(Hangup),
    /// `<Pause>`.
    Pause(Pause),
    /// `<Message>`.
    Message(Message),
    /// `<Reject>`.
    Reject(Reject),
}

impl ToXml for Verb {
    fn to_xml(&self, xml: &mut Xml) {
        match self {
            Self::Say(verb) => verb.to_xml(xml),
            Self::Play(verb) => verb.to_xml(xml),
            Self::Gather(verb) => verb.to_xml(xml),
            Self::Dial(verb) => verb.to_xml(xml),
            Self::Record(verb) => verb.to_xml(xml),
            Self::Connect(verb) => verb.to_xml(xml),
            Self::Redirect(verb) => verb.to_xml(xml),
            Self::Hangup(verb) => verb.to_xml(xml),
            Self::Pause(verb) => verb.to_xml(xml),
            Self::Message(verb) => verb.to_xml(xml),
            Self::Reject(verb) => verb.to_xml(xml),
        }
    }
}

/// A TwiML document: build it verb by verb, then [`Response::render`] it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Response {
    verbs: Vec<Verb>,
}

impl Response {
    /// An empty document (Twilio hangs up after an empty voice response and
    /// sends nothing for an empty messaging one).
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends any verb.
    pub fn verb(mut self, verb: Verb) -> Self {
        self.verbs.push(verb);
        self
    }

    /// Appends `<Say>`.
    pub fn say(self, say: Say) -> Self {
        self.verb(Verb::Say(say))
    }

    /// Appends `<Play>`.
    pub fn play(self, play: Play) -> Self {
        self.verb(Verb::Play(play))
    }

    /// Appends `<Gather>`.
    pub fn gather(self, gather: Gather) -> Self {
        self.verb(Verb::Gather(gather))
    }

    /// Appends `<Dial>`.
    pub fn dial(self, dial: Dial) -> Self {
        self.verb(Verb::Dial(dial))
    }

    /// Appends `<Record>`.
    pub fn record(self, record: Record) -> Self {
        self.verb(Verb::Record(record))
    }

    /// Appends `<Connect>`.
    pub fn connect(self, connect: Connect) -> Self {
        self.verb(Verb::Connect(connect))
    }

    /// Appends `<Redirect>`.
    pub fn redirect(self, redirect: Redirect) -> Self {
        self.verb(Verb::Redirect(redirect))
    }

    /// Appends `<Hangup>`.
    pub fn hangup(self) -> Self {
        self.verb(Verb::Hangup(Hangup))
    }

    /// Appends `<Pause>`.
    pub fn pause(self, pause: Pause) -> Self {
        self.verb(Verb::Pause(pause))
    }

    /// Appends `<Message>`.
    pub fn message(self, message: Message) -> Self {
        self.verb(Verb::Message(message))
    }

    /// Appends `<Reject>`.
    pub fn reject(self, reject: Reject) -> Self {
        self.verb(Verb::Reject(reject))
    }

    /// The verbs so far, in execution order.
    pub fn verbs(&self) -> &[Verb] {
        &self.verbs
    }

    /// The document as sent to Twilio (serve it with [`super::CONTENT_TYPE`]).
    pub fn render(&self) -> String {
        let mut xml = Xml::with_declaration();
        xml.element("Response", Attrs::new(), |xml| {
            for verb in &self.verbs {
                verb.to_xml(xml);
            }
        });
        xml.finish()
    }
}

impl fmt::Display for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render())
    }
}
