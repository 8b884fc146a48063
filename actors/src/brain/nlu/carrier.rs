//! Carrier compliance keywords (CTIA / Twilio Advanced Opt-Out), and opt-out
//! requests in the customer's own words.
//!
//! Keywords only count when they are the **whole** message (trimmed, any
//! case, trailing punctuation ignored): "STOP" opts out and "cancel my
//! appointment" is not an opt-out at all. Since the FCC's 2025 revocation rule a
//! texter may also revoke consent "by any reasonable means", so "stop texting
//! me", "please stop" or "unsubscribe me" opt out too ([`opt_out_request`]); a
//! phrase that only might mean it ("take me off the schedule", "can you stop by
//! at 3") does not.

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

/// Phrases that ask, in so many words, for no more texts.
const OPT_OUT_PHRASES: &[&str] = &[
    "stop texting",
    "stop txting",
    "stop texing",
    "stop messaging",
    "stop msging",
    "stop sending",
    "stop contacting",
    "stop the texts",
    "stop the messages",
    "unsubscribe",
    "opt out",
    "opt me out",
    "dont text",
    "do not text",
    "dont message",
    "do not message",
    "dont contact",
    "do not contact",
    "no more texts",
    "no more messages",
    "lose my number",
    "delete my number",
    "remove my number",
    "leave me alone",
    "remove me from your list",
    "remove me from the list",
    "remove me from your texts",
    "take me off your list",
    "take me off the list",
    "take me off your texts",
];

/// Words that may stand next to a bare "stop" without changing what it asks.
const STOP_COURTESY: &[&str] = &[
    "stop",
    "please",
    "now",
    "it",
    "already",
    "thanks",
    "thank",
    "you",
    "ty",
    "thx",
    "ok",
    "okay",
    "asap",
    "just",
    "seriously",
];

/// Whether the message, not being a bare keyword, plainly asks to stop texting
/// this number ("stop texting me", "STOP PLEASE", "unsubscribe me"). The SMS
/// channel treats it as STOP.
pub fn opt_out_request(text: &Normalized) -> bool {
    if text.has_phrase("dont stop") || text.has_phrase("do not stop") {
        return false;
    }
    let words = text.words();
    let courteous_stop = words.contains(&"stop") && words.iter().all(|w| STOP_COURTESY.contains(w));
    courteous_stop || OPT_OUT_PHRASES.iter().any(|p| text.has_phrase(p))
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

    fn asks(text: &str) -> bool {
        opt_out_request(&normalize(text))
    }

    #[test]
    fn opt_out_requests_in_the_customers_own_words() {
        for text in [
            "stop texting me",
            "Please stop",
            "STOP PLEASE!!",
            "stop stop stop",
            "pls stop txting me",
            "unsubscribe me",
            "Can you opt me out",
            "don't text me again",
            "do not contact me",
            "take me off your list",
            "no more texts thanks",
            "stop it already",
        ] {
            assert!(asks(text), "{text}");
        }
        for text in [
            "can you stop by at 3",
            "take me off the schedule for friday",
            "cancel my appointment",
            "what time do you stop working",
            "dont stop the mowing this fall",
            "please stop at the gate code 1234",
            "yes",
        ] {
            assert!(!asks(text), "{text}");
        }
    }
}
