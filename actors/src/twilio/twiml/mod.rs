//! A typed TwiML builder: the only code that writes TwiML, so every
//! interpolated value (text and attributes) is XML-escaped in one place.
//!
//! ```
//! use servicepro_actors::twilio::twiml::{Gather, Response, Say};
//!
//! let twiml = Response::new()
//!     .say(Say::new("Hi").voice("Polly.Joanna"))
//!     .gather(Gather::dtmf().num_digits(1).action("/twilio/voice/ivr").say(Say::new("Press 1")))
//!     .render();
//! assert!(twiml.starts_with(r#"<?xml version="1.0" encoding="UTF-8"?><Response><Say"#));
//! ```
//!
//! Attributes are written in a fixed order per verb (the order of its
//! builder methods), so documents are stable enough to compare as strings.

mod connect;
mod control;
mod dial;
mod gather;
mod method;
mod record;
mod response;
mod say;
mod xml;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod wellformed;

pub use connect::{Connect, Parameter, Stream};
pub use control::{Hangup, Message, Redirect, Reject, RejectReason};
pub use dial::{Dial, DialRecord, DialTarget, Number, Sip};
pub use gather::{Gather, GatherInput, GatherPrompt, SpeechTimeout};
pub use method::Method;
pub use record::{Record, RecordingEvent};
pub use response::{Response, Verb};
pub use say::{Pause, Play, Say};

/// The `Content-Type` of a TwiML response.
pub const CONTENT_TYPE: &str = "text/xml; charset=utf-8";
