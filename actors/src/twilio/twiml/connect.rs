//! `<Connect><Stream>`: hands the call's audio to our media-stream websocket.

use super::method::Method;
use super::xml::{Attrs, ToXml, Xml};

/// `<Parameter>`: a custom value Twilio repeats in the stream's `start`
/// message (`customParameters`), the only way to pass tenant and call ids
/// since `<Stream>` drops query strings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameter {
    name: String,
    value: String,
}

impl Parameter {
    /// The parameter `name` = `value`.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            value: value.into(),
        }
    }
}

impl ToXml for Parameter {
    fn to_xml(&self, xml: &mut Xml) {
        let attrs = Attrs::new()
            .opt("name", Some(&self.name))
            .opt("value", Some(&self.value));
        xml.element("Parameter", attrs, |_| {});
    }
}

/// `<Stream>`: a bidirectional media stream to a `wss://` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stream {
    url: String,
    name: Option<String>,
    status_callback: Option<String>,
    parameters: Vec<Parameter>,
}

impl Stream {
    /// Streams to `url` (a `wss://` URL without a query string).
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            name: None,
            status_callback: None,
            parameters: Vec::new(),
        }
    }

    /// Names the stream so it can be stopped by name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The URL Twilio notifies when the stream starts, stops or fails.
    pub fn status_callback(mut self, url: impl Into<String>) -> Self {
        self.status_callback = Some(url.into());
        self
    }

    /// Adds the custom parameter `name` = `value`.
    pub fn parameter(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.parameters.push(Parameter::new(name, value));
        self
    }
}

impl ToXml for Stream {
    fn to_xml(&self, xml: &mut Xml) {
        let attrs = Attrs::new()
            .opt("url", Some(&self.url))
            .opt("name", self.name.as_ref())
            .opt("statusCallback", self.status_callback.as_ref());
        xml.element("Stream", attrs, |xml| {
            for parameter in &self.parameters {
                parameter.to_xml(xml);
            }
        });
    }
}

/// `<Connect>`: keeps the call on a media stream until the websocket closes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connect {
    stream: Stream,
    action: Option<String>,
    method: Option<Method>,
}

impl Connect {
    /// Connects the call to `stream`.
    pub fn stream(stream: Stream) -> Self {
        Self {
            stream,
            action: None,
            method: None,
        }
    }

    /// The URL Twilio requests for the next TwiML when the stream ends.
    pub fn action(mut self, url: impl Into<String>) -> Self {
        self.action = Some(url.into());
        self
    }

    /// The method for `action`.
    pub fn method(mut self, method: Method) -> Self {
        self.method = Some(method);
        self
    }
}

impl ToXml for Connect {
    fn to_xml(&self, xml: &mut Xml) {
        let attrs = Attrs::new()
            .opt("action", self.action.as_ref())
            .opt("method", self.method);
        xml.element("Connect", attrs, |xml| self.stream.to_xml(xml));
    }
}
