//! Call-control verbs without nested content: `<Redirect>`, `<Hangup>`,
//! `<Reject>`, and `<Message>` (an SMS reply).

use std::fmt;

use super::method::Method;
use super::xml::{Attrs, ToXml, Xml};

/// `<Redirect>`: continues the call with the TwiML at another URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    url: String,
    method: Option<Method>,
}

impl Redirect {
    /// Fetches the next TwiML from `url`.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            method: None,
        }
    }

    /// The method for `url`.
    pub fn method(mut self, method: Method) -> Self {
        self.method = Some(method);
        self
    }
}

impl ToXml for Redirect {
    fn to_xml(&self, xml: &mut Xml) {
        let attrs = Attrs::new().opt("method", self.method);
        xml.element("Redirect", attrs, |xml| xml.text(&self.url));
    }
}

/// `<Hangup>`: ends the call.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Hangup;

impl ToXml for Hangup {
    fn to_xml(&self, xml: &mut Xml) {
        xml.element("Hangup", Attrs::new(), |_| {});
    }
}

/// What a rejected caller hears.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RejectReason {
    /// A "not in service" message (Twilio's default).
    Rejected,
    /// A busy signal.
    Busy,
}

impl fmt::Display for RejectReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Rejected => "rejected",
            Self::Busy => "busy",
        })
    }
}

/// `<Reject>`: refuses the call without answering it (no charge).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reject {
    reason: Option<RejectReason>,
}

impl Reject {
    /// Rejects with Twilio's default reason.
    pub fn new() -> Self {
        Self::default()
    }

    /// Rejects with `reason`.
    pub fn reason(reason: RejectReason) -> Self {
        Self {
            reason: Some(reason),
        }
    }
}

impl ToXml for Reject {
    fn to_xml(&self, xml: &mut Xml) {
        let attrs = Attrs::new().opt("reason", self.reason);
        xml.element("Reject", attrs, |_| {});
    }
}

/// `<Message>`: sends an SMS, as the reply to an incoming one by default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    body: String,
    to: Option<String>,
    from: Option<String>,
}

impl Message {
    /// Sends `body` back to whoever texted.
    pub fn new(body: impl Into<String>) -> Self {
        Self {
            body: body.into(),
            to: None,
            from: None,
        }
    }

    /// Sends to `to` instead of the sender.
    pub fn to(mut self, to: impl Into<String>) -> Self {
        self.to = Some(to.into());
        self
    }

    /// Sends from `from` instead of the number that was texted.
    pub fn from(mut self, from: impl Into<String>) -> Self {
        self.from = Some(from.into());
        self
    }
}

impl ToXml for Message {
    fn to_xml(&self, xml: &mut Xml) {
        let attrs = Attrs::new()
            .opt("to", self.to.as_ref())
            .opt("from", self.from.as_ref());
        xml.element("Message", attrs, |xml| xml.text(&self.body));
    }
}
