//! The HTTP method Twilio uses for a verb's callback URL.

use std::fmt;

/// How Twilio requests an `action`, `url` or status callback.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`, parameters in the query string.
    Get,
    /// `POST`, parameters in a form body (Twilio's default).
    Post,
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Get => "GET",
            Self::Post => "POST",
        })
    }
}
