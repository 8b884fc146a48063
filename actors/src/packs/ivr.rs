//! The spoken lines of the DTMF phone menu (`ivr_mode = "ivr"`).

use serde::{Deserialize, Serialize};

use super::template::{render_template, TemplateError};

/// One spoken line of the phone menu. The set is closed so every pack
/// covers every moment of a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IvrLine {
    /// First words a caller hears.
    Greeting,
    /// The announced options (1 person, 2 booking link, 3 voicemail).
    Menu,
    /// Asks the caller to speak after the tone.
    VoicemailPrompt,
    /// Confirms the booking link is on its way by text.
    BookingLinkSaid,
    /// Played while the call is put through to a person.
    Connecting,
    /// Played when the caller presses a key the menu does not offer.
    InvalidChoice,
    /// Played when the business's account is paused.
    PausedMessage,
    /// Played outside business hours.
    ClosedMessage,
    /// Played when the dialled number belongs to no business.
    UnknownNumberMessage,
}

impl IvrLine {
    /// Every line, in a fixed order.
    pub const ALL: [IvrLine; 9] = [
        Self::Greeting,
        Self::Menu,
        Self::VoicemailPrompt,
        Self::BookingLinkSaid,
        Self::Connecting,
        Self::InvalidChoice,
        Self::PausedMessage,
        Self::ClosedMessage,
        Self::UnknownNumberMessage,
    ];

    /// The line's key in pack files.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Greeting => "greeting",
            Self::Menu => "menu",
            Self::VoicemailPrompt => "voicemail_prompt",
            Self::BookingLinkSaid => "booking_link_said",
            Self::Connecting => "connecting",
            Self::InvalidChoice => "invalid_choice",
            Self::PausedMessage => "paused_message",
            Self::ClosedMessage => "closed_message",
            Self::UnknownNumberMessage => "unknown_number_message",
        }
    }

    /// The placeholders the line may use. The unknown-number message is
    /// played before any business is known, so it may use none.
    pub fn allowed_placeholders(self) -> &'static [&'static str] {
        match self {
            Self::UnknownNumberMessage => &[],
            _ => &["business_name"],
        }
    }

    /// The placeholders the line must use (the greeting and the paused
    /// message name the business the caller dialled).
    pub fn required_placeholders(self) -> &'static [&'static str] {
        match self {
            Self::Greeting | Self::PausedMessage => &["business_name"],
            _ => &[],
        }
    }
}

impl std::fmt::Display for IvrLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A pack's phone-menu script. Every line is required; the jokes are the
/// unannounced "press 7" easter egg and carry no placeholders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IvrScript {
    greeting: String,
    menu: String,
    jokes: Vec<String>,
    voicemail_prompt: String,
    booking_link_said: String,
    connecting: String,
    invalid_choice: String,
    paused_message: String,
    closed_message: String,
    unknown_number_message: String,
}

impl IvrScript {
    /// The raw line for `line`, with its `{placeholders}`.
    pub fn raw(&self, line: IvrLine) -> &str {
        match line {
            IvrLine::Greeting => &self.greeting,
            IvrLine::Menu => &self.menu,
            IvrLine::VoicemailPrompt => &self.voicemail_prompt,
            IvrLine::BookingLinkSaid => &self.booking_link_said,
            IvrLine::Connecting => &self.connecting,
            IvrLine::InvalidChoice => &self.invalid_choice,
            IvrLine::PausedMessage => &self.paused_message,
            IvrLine::ClosedMessage => &self.closed_message,
            IvrLine::UnknownNumberMessage => &self.unknown_number_message,
        }
    }

    /// The line ready to speak, with the business name filled in.
    pub fn say(&self, line: IvrLine, business_name: &str) -> Result<String, TemplateError> {
        render_template(self.raw(line), &[("business_name", business_name)])
    }

    /// The greeting, e.g. "Thanks for calling Clean Machine!".
    pub fn greeting(&self, business_name: &str) -> Result<String, TemplateError> {
        self.say(IvrLine::Greeting, business_name)
    }

    /// The announced menu options.
    pub fn menu(&self, business_name: &str) -> Result<String, TemplateError> {
        self.say(IvrLine::Menu, business_name)
    }

    /// The request to leave a message after the tone.
    pub fn voicemail_prompt(&self, business_name: &str) -> Result<String, TemplateError> {
        self.say(IvrLine::VoicemailPrompt, business_name)
    }

    /// The confirmation that the booking link was texted.
    pub fn booking_link_said(&self, business_name: &str) -> Result<String, TemplateError> {
        self.say(IvrLine::BookingLinkSaid, business_name)
    }

    /// The line played while connecting to a person.
    pub fn connecting(&self, business_name: &str) -> Result<String, TemplateError> {
        self.say(IvrLine::Connecting, business_name)
    }

    /// The line played after a key the menu does not offer.
    pub fn invalid_choice(&self, business_name: &str) -> Result<String, TemplateError> {
        self.say(IvrLine::InvalidChoice, business_name)
    }

    /// The line played when the business's account is paused.
    pub fn paused_message(&self, business_name: &str) -> Result<String, TemplateError> {
        self.say(IvrLine::PausedMessage, business_name)
    }

    /// The line played outside business hours.
    pub fn closed_message(&self, business_name: &str) -> Result<String, TemplateError> {
        self.say(IvrLine::ClosedMessage, business_name)
    }

    /// The line played when the dialled number belongs to no business.
    pub fn unknown_number_message(&self) -> &str {
        &self.unknown_number_message
    }

    /// All easter-egg jokes.
    pub fn jokes(&self) -> &[String] {
        &self.jokes
    }

    /// The joke at `pick`, wrapping around, so callers can pass any random
    /// number; `None` only if the script has no jokes.
    pub fn joke(&self, pick: usize) -> Option<&str> {
        let count = self.jokes.len();
        if count == 0 {
            return None;
        }
        self.jokes.get(pick % count).map(String::as_str)
    }
}
