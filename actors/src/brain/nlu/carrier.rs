//! Carrier compliance keywords (CTIA / Twilio Advanced Opt-Out).
//!
//! These only count when they are the **whole** message (trimmed, any
//! case, trailing punctuation ignored): "STOP" opts out, "stop texting me"
//! is an opt-out *request* handled as an intent, and "cancel my appointment"
//! is not an opt-out at all.

use serde::{Deserialize, Serialize};

use super::normalize::Normalized;

/// A whole-message carrier keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CarrierKeyword {
    /// STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPTOUT: the
    /// carrier (and we) must stop messaging this number.
    OptOut,
    /// START, UNSTOP: resume messaging.
    OptIn,
    /// YES alone: an opt-in only for a number that is opted out; otherwise
    /// an ordinary "yes".
    Yes,
    /// HELP, INFO: reply with the business name and how to opt out.
    Help,
}

/// The carrier keyword the whole message is, if any.
pub fn carrier_keyword(text: &Normalized) -> Option<CarrierKeyword> {
    let only = match text.tokens.as_slice() {
        [single] => single.word.as_str(),
        [first, second] if first.word == "stop" && second.word == "all" => "stopall",
        [first, second] if first.word == "opt" && second.word == "out" => "optout",
        _ => return None,
    };
    let original = text.original.trim();
    let bare = original.trim_end_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace());
    if bare.chars().any(|c| c.is_whitespace()) && only != "stopall" && only != "optout" {
        return None;
    }
    match only {
        "stop" | "stopall" | "unsubscribe" | "cancel" | "end" | "quit" | "revoke" | "optout" => {
            Some(CarrierKeyword::OptOut)
        }
        "start" | "unstop" => Some(CarrierKeyword::OptIn),
        "yes" if bare.eq_ignore_ascii_case("yes") => Some(CarrierKeyword::Yes),
        "help" | "info" => Some(CarrierKeyword::Help),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::brain::nlu::normalize::normalize;

    fn kw(text: &str) -> Option<CarrierKeyword> {
        carrier_keyword(&normalize(text))
    }

    #[test]
    fn whole_message_keywords_only() {
        assert_eq!(kw("STOP"), Some(CarrierKeyword::OptOut));
        assert_eq!(kw("  stop.  "), Some(CarrierKeyword::OptOut));
        assert_eq!(kw("Cancel"), Some(CarrierKeyword::OptOut));
        assert_eq!(kw("stop all"), Some(CarrierKeyword::OptOut));
        assert_eq!(kw("Unstop"), Some(CarrierKeyword::OptIn));
        assert_eq!(kw("HELP"), Some(CarrierKeyword::Help));
        assert_eq!(kw("info?"), Some(CarrierKeyword::Help));
        assert_eq!(kw("Yes"), Some(CarrierKeyword::Yes));
        assert_eq!(kw("yep"), None);
        assert_eq!(kw("cancel my appointment"), None);
        assert_eq!(kw("please stop"), None);
        assert_eq!(kw("👍"), None);
    }
}
