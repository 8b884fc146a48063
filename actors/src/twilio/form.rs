//! Twilio webhook bodies (`application/x-www-form-urlencoded`): the raw pairs
//! the signature is computed over, and a typed view for handlers.

use thiserror::Error;

/// Decodes a form body into its `(name, value)` pairs, keeping repeated names
/// and arrival order, because the signature covers every pair. `+` decodes to
/// a space and invalid UTF-8 to U+FFFD, as form decoders do.
pub fn parse_form(body: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

/// A required webhook field was absent or empty; lets a handler answer
/// "400: missing CallSid".
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("missing {name}")]
pub struct MissingField {
    /// The parameter name the handler asked for.
    pub name: String,
}

/// A decoded webhook body with lookups by name, so handlers never index the
/// raw pairs themselves.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Form {
    pairs: Vec<(String, String)>,
}

impl Form {
    /// Decodes a form body; see [`parse_form`].
    pub fn parse(body: &[u8]) -> Self {
        Self {
            pairs: parse_form(body),
        }
    }

    /// The pairs in arrival order, for [`super::validate`].
    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    /// The first value of `name`, if present (possibly empty).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// Every value of `name` in arrival order, for fields Twilio may repeat.
    pub fn get_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.pairs
            .iter()
            .filter(move |(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The first value of `name`, or [`MissingField`] when it is absent or
    /// empty (Twilio sends some fields empty, and a required field is useless
    /// empty).
    pub fn require(&self, name: &str) -> Result<&str, MissingField> {
        self.get(name)
            .filter(|value| !value.is_empty())
            .ok_or_else(|| MissingField {
                name: name.to_owned(),
            })
    }
}

impl From<Vec<(String, String)>> for Form {
    fn from(pairs: Vec<(String, String)>) -> Self {
        Self { pairs }
    }
}

#[cfg(test)]
mod tests {
    use super::{parse_form, Form, MissingField};

    const BODY: &[u8] = b"CallSid=CA123&From=%2B14158675309&SpeechResult=book+a+wash\
        &MediaUrl=https%3A%2F%2Fx%2FME2&MediaUrl=https%3A%2F%2Fx%2FME1&Digits=";

    #[test]
    fn parse_keeps_repeats_order_and_decodes() {
        let pairs = parse_form(BODY);
        let names: Vec<&str> = pairs.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(
            names,
            [
                "CallSid",
                "From",
                "SpeechResult",
                "MediaUrl",
                "MediaUrl",
                "Digits"
            ]
        );
        assert_eq!(pairs[1].1, "+14158675309");
        assert_eq!(pairs[2].1, "book a wash");
        assert_eq!(pairs[3].1, "https://x/ME2");
    }

    #[test]
    fn get_returns_the_first_value() {
        let form = Form::parse(BODY);
        assert_eq!(form.get("CallSid"), Some("CA123"));
        assert_eq!(form.get("MediaUrl"), Some("https://x/ME2"));
        assert_eq!(form.get("Digits"), Some(""));
        assert_eq!(form.get("callsid"), None);
    }

    #[test]
    fn get_all_returns_every_value_in_order() {
        let form = Form::parse(BODY);
        let urls: Vec<&str> = form.get_all("MediaUrl").collect();
        assert_eq!(urls, ["https://x/ME2", "https://x/ME1"]);
        assert_eq!(form.get_all("Nope").count(), 0);
    }

    #[test]
    fn require_reports_missing_and_empty_fields() {
        let form = Form::parse(BODY);
        assert_eq!(form.require("CallSid"), Ok("CA123"));
        let missing = form.require("RecordingUrl").unwrap_err();
        assert_eq!(missing.to_string(), "missing RecordingUrl");
        assert_eq!(
            form.require("Digits"),
            Err(MissingField {
                name: "Digits".to_owned()
            })
        );
    }

    #[test]
    fn pairs_feed_the_signature_check() {
        let body = b"CallSid=CA1234567890ABCDE&Digits=1234&From=%2B14158675309\
            &To=%2B18005551212&Caller=%2B14158675309";
        let form = Form::parse(body);
        assert!(crate::twilio::validate(
            "12345",
            "https://mycompany.com/myapp.php?foo=1&bar=2",
            form.pairs(),
            "RSOYDt4T1cUTdK1PDd93/VVr8B8="
        ));
    }

    #[test]
    fn odd_bodies_do_not_panic() {
        for body in [
            &b""[..],
            b"&&&",
            b"=",
            b"a",
            b"%",
            b"%zz=%ff",
            b"\xff\xfe=\x00",
        ] {
            let form = Form::parse(body);
            let _ = form.get("a");
            let _ = form.require("a");
        }
        assert_eq!(Form::parse(b"a").get("a"), Some(""));
        assert_eq!(Form::parse(b"%ff=1").get("\u{fffd}"), Some("1"));
    }

    #[test]
    fn from_pairs_round_trips() {
        let pairs = vec![("A".to_owned(), "1".to_owned())];
        assert_eq!(Form::from(pairs.clone()).pairs(), pairs.as_slice());
    }
}
