//! Serde wrappers for numbers that peers send either as JSON numbers or as strings.
//!
//! Twilio Media Streams send `sequenceNumber`, `chunk` and `timestamp` as strings of
//! digits while documenting them as numbers; a peer that switches representation must not
//! break a live call, so these fields accept both. [`WireStr`] is the borrowed string
//! the hot frames are parsed into.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};

/// A non-negative integer read from a JSON number or a string of digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct WireU64(pub(crate) u64);

/// A [`WireU64`] that must fit 32 bits (sample rates, channel counts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct WireU32(pub(crate) u32);

impl<'de> Deserialize<'de> for WireU64 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(U64Visitor).map(WireU64)
    }
}

impl<'de> Deserialize<'de> for WireU32 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = deserializer.deserialize_any(U64Visitor)?;
        u32::try_from(value)
            .map(WireU32)
            .map_err(|_| de::Error::custom("number out of range"))
    }
}

/// A string borrowed from the frame text when it has no escapes, owned otherwise.
/// (`Option<Cow<str>>` fields never borrow under serde's derive; this wrapper does.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WireStr<'a>(pub(crate) Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for WireStr<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(StrVisitor).map(WireStr)
    }
}

struct StrVisitor;

impl<'de> Visitor<'de> for StrVisitor {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

struct U64Visitor;

impl Visitor<'_> for U64Visitor {
    type Value = u64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a non-negative integer or a string of digits")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<u64, E> {
        Ok(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<u64, E> {
        u64::try_from(v).map_err(|_| E::custom("negative number"))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<u64, E> {
        if v.fract() == 0.0 && (0.0..u64::MAX as f64).contains(&v) {
            Ok(v as u64)
        } else {
            Err(E::custom("not a whole non-negative number"))
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<u64, E> {
        v.trim()
            .parse()
            .map_err(|_| E::custom("string is not a non-negative integer"))
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use serde::Deserialize;

    use super::{WireStr, WireU32, WireU64};

    #[derive(Deserialize)]
    struct Probe {
        n: WireU64,
        small: WireU32,
    }

    fn probe(json: &str) -> Result<(u64, u32), serde_json::Error> {
        serde_json::from_str::<Probe>(json).map(|p| (p.n.0, p.small.0))
    }

    #[test]
    fn numbers_and_digit_strings_both_parse() {
        assert_eq!(probe(r#"{"n":"42","small":"8000"}"#).unwrap(), (42, 8000));
        assert_eq!(probe(r#"{"n":42,"small":8000}"#).unwrap(), (42, 8000));
        assert_eq!(probe(r#"{"n":42.0,"small":1}"#).unwrap(), (42, 1));
    }

    #[test]
    fn strings_borrow_unless_escaped() {
        #[derive(Deserialize)]
        struct Text<'a> {
            #[serde(borrow)]
            s: Option<WireStr<'a>>,
        }
        let plain: Text<'_> = serde_json::from_str(r#"{"s":"abc"}"#).unwrap();
        assert!(matches!(plain.s, Some(WireStr(Cow::Borrowed("abc")))));
        let escaped: Text<'_> = serde_json::from_str(r#"{"s":"a\/c"}"#).unwrap();
        assert!(matches!(escaped.s, Some(WireStr(Cow::Owned(s))) if s == "a/c"));
        assert!(serde_json::from_str::<Text<'_>>(r#"{"s":1}"#).is_err());
    }

    #[test]
    fn negative_fractional_oversized_and_non_numeric_values_are_errors() {
        for bad in [
            r#"{"n":-1,"small":1}"#,
            r#"{"n":"abc","small":1}"#,
            r#"{"n":1.5,"small":1}"#,
            r#"{"n":true,"small":1}"#,
            r#"{"n":null,"small":1}"#,
            r#"{"n":1,"small":"4294967296"}"#,
            r#"{"n":"99999999999999999999999","small":1}"#,
        ] {
            assert!(probe(bad).is_err(), "{bad}");
        }
    }
}
