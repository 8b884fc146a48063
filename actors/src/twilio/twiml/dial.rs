//! `<Dial>`: connects the caller to SIP endpoints or phone numbers.

use std::fmt;

use super::method::Method;
use super::xml::{Attrs, ToXml, Xml};

/// Whether and how `<Dial>` records the bridged call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DialRecord {
    /// No recording (Twilio's default).
    DoNotRecord,
    /// Mono recording from when the callee answers.
    RecordFromAnswer,
    /// Mono recording from when the callee's phone starts ringing.
    RecordFromRinging,
    /// Two-channel recording from answer.
    RecordFromAnswerDual,
    /// Two-channel recording from ringing.
    RecordFromRingingDual,
}

impl fmt::Display for DialRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::DoNotRecord => "do-not-record",
            Self::RecordFromAnswer => "record-from-answer",
            Self::RecordFromRinging => "record-from-ringing",
            Self::RecordFromAnswerDual => "record-from-answer-dual",
            Self::RecordFromRingingDual => "record-from-ringing-dual",
        })
    }
}

/// `<Sip>`: a SIP endpoint to ring, e.g. a tenant's softphone on a Twilio SIP
/// domain. The URI is written as given; Twilio's documentation spells it with
/// a `sip:` scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sip {
    uri: String,
}

impl Sip {
    /// Rings `uri`.
    pub fn new(uri: impl Into<String>) -> Self {
        Self { uri: uri.into() }
    }
}

/// `<Number>`: a phone number to ring, in E.164.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number {
    number: String,
}

impl Number {
    /// Rings `number`.
    pub fn new(number: impl Into<String>) -> Self {
        Self {
            number: number.into(),
        }
    }
}

/// One party `<Dial>` rings; several ring at once and the first to answer wins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DialTarget {
    /// A SIP endpoint.
    Sip(Sip),
    /// A phone number.
    Number(Number),
}

impl ToXml for DialTarget {
    fn to_xml(&self, xml: &mut Xml) {
        match self {
            Self::Sip(sip) => xml.element("Sip", Attrs::new(), |xml| xml.text(&sip.uri)),
            Self::Number(number) => {
                xml.element("Number", Attrs::new(), |xml| xml.text(&number.number));
            }
        }
    }
}

/// `<Dial>`: forwards the call. Add at least one target; Twilio rejects an
/// empty `<Dial>`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dial {
    caller_id: Option<String>,
    timeout: Option<u32>,
    action: Option<String>,
    method: Option<Method>,
    record: Option<DialRecord>,
    answer_on_bridge: Option<bool>,
    targets: Vec<DialTarget>,
}

impl Dial {
    /// A `<Dial>` with no targets yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The number shown to the callee.
    pub fn caller_id(mut self, caller_id: impl Into<String>) -> Self {
        self.caller_id = Some(caller_id.into());
        self
    }

    /// Seconds to ring before giving up.
    pub fn timeout(mut self, seconds: u32) -> Self {
        self.timeout = Some(seconds);
        self
    }

    /// The URL Twilio requests with `DialCallStatus` when the dial ends.
    pub fn action(mut self, url: impl Into<String>) -> Self {
        self.action = Some(url.into());
        self
    }

    /// The method for `action`.
    pub fn method(mut self, method: Method) -> Self {
        self.method = Some(method);
        self
    }

    /// Records the bridged call.
    pub fn record(mut self, record: DialRecord) -> Self {
        self.record = Some(record);
        self
    }

    /// Keeps the caller hearing ringback until the callee answers.
    pub fn answer_on_bridge(mut self, enabled: bool) -> Self {
        self.answer_on_bridge = Some(enabled);
        self
    }

    /// Also rings the SIP endpoint `sip`.
    pub fn sip(mut self, sip: Sip) -> Self {
        self.targets.push(DialTarget::Sip(sip));
        self
    }

    /// Also rings the phone number `number`.
    pub fn number(mut self, number: Number) -> Self {
        self.targets.push(DialTarget::Number(number));
        self
    }
}

impl ToXml for Dial {
    fn to_xml(&self, xml: &mut Xml) {
        let attrs = Attrs::new()
            .opt("callerId", self.caller_id.as_ref())
            .opt("timeout", self.timeout)
            .opt("action", self.action.as_ref())
            .opt("method", self.method)
            .opt("record", self.record)
            .opt("answerOnBridge", self.answer_on_bridge);
        xml.element("Dial", attrs, |xml| {
            for target in &self.targets {
                target.to_xml(xml);
            }
        });
    }
}
