//! Domain identifiers parsed once at the edge, so the rest of the code never
//! handles a raw, unvalidated string.

use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::AsExpression;
use diesel::pg::{Pg, PgValue};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;
use std::fmt;
use std::io::Write;

/// Why an identifier was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// A tenant id must be 2–63 characters of `a-z`, `0-9` and `-`, not starting with `-`.
    #[error(
        "tenant id must be 2-63 characters of a-z, 0-9 and '-', starting with a letter or digit"
    )]
    TenantId,
    /// A phone number must be E.164 (or a North American number that normalises to it).
    #[error("phone number must be E.164, e.g. +19185550100")]
    Phone,
}

/// A tenant's id: the key of every tenant-owned row (`root` is the flagship).
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, AsExpression, FromSqlRow,
)]
#[diesel(sql_type = Text)]
#[serde(transparent)]
pub struct TenantId(String);

impl TenantId {
    /// The flagship (super-)tenant, Clean Machine.
    pub const ROOT: &'static str = "root";

    /// Validates a tenant id (same rule as the database's CHECK constraint).
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        let bytes = raw.as_bytes();
        let ok = (2..=63).contains(&bytes.len())
            && bytes[0] != b'-'
            && bytes
                .iter()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-');
        if ok {
            Ok(TenantId(raw.to_owned()))
        } else {
            Err(IdError::TenantId)
        }
    }

    /// The root tenant's id.
    pub fn root() -> Self {
        TenantId(Self::ROOT.to_owned())
    }

    /// The id as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TenantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for TenantId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        TenantId::parse(&raw).map_err(serde::de::Error::custom)
    }
}

/// A phone number in E.164 form (`+` then 7–15 digits), the only form stored
/// and compared. Twilio sends E.164; people type anything.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, AsExpression, FromSqlRow)]
#[diesel(sql_type = Text)]
#[serde(transparent)]
pub struct E164(String);

impl E164 {
    /// Normalises a typed or received number: spaces, dots, dashes and
    /// parentheses are dropped; a bare 10-digit number, or 11 digits starting
    /// with 1, is taken as North American (+1).
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        let trimmed = raw.trim();
        let plus = trimmed.starts_with('+');
        let mut digits = String::with_capacity(16);
        for (i, c) in trimmed.chars().enumerate() {
            match c {
                '0'..='9' => digits.push(c),
                '+' if i == 0 => {}
                ' ' | '-' | '.' | '(' | ')' => {}
                _ => return Err(IdError::Phone),
            }
        }
        let normalised = if plus {
            digits
        } else if digits.len() == 10 && !digits.starts_with(['0', '1']) {
            format!("1{digits}")
        } else if digits.len() == 11 && digits.starts_with('1') {
            digits
        } else {
            return Err(IdError::Phone);
        };
        if !(7..=15).contains(&normalised.len()) || normalised.starts_with('0') {
            return Err(IdError::Phone);
        }
        Ok(E164(format!("+{normalised}")))
    }

    /// The number as stored (`+` and digits).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for E164 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for E164 {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        E164::parse(&raw).map_err(serde::de::Error::custom)
    }
}

/// Text columns holding a validated id: written as their text, read back
/// through the same check (a stored value that fails it is an error, not a
/// silently accepted string). The database's CHECK on `tenants.id` is the same rule.
macro_rules! text_id_sql {
    ($ty:ident) => {
        impl ToSql<Text, Pg> for $ty {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
                out.write_all(self.0.as_bytes())?;
                Ok(serialize::IsNull::No)
            }
        }

        impl FromSql<Text, Pg> for $ty {
            fn from_sql(bytes: PgValue<'_>) -> deserialize::Result<Self> {
                let text = std::str::from_utf8(bytes.as_bytes())?;
                Ok($ty::parse(text)?)
            }
        }
    };
}

text_id_sql!(TenantId);
text_id_sql!(E164);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tenant_ids() {
        assert!(TenantId::parse("root").is_ok());
        assert!(TenantId::parse("acme-lawn-2").is_ok());
        for bad in [
            "",
            "a",
            "-acme",
            "Acme",
            "acme_lawn",
            "a b",
            &"x".repeat(64),
        ] {
            assert_eq!(TenantId::parse(bad), Err(IdError::TenantId), "{bad:?}");
        }
    }

    #[test]
    fn phone_numbers_normalise() {
        for (raw, want) in [
            ("+19185550100", "+19185550100"),
            ("(918) 555-0100", "+19185550100"),
            ("918.555.0100", "+19185550100"),
            ("1 918 555 0100", "+19185550100"),
            ("+44 20 7946 0958", "+442079460958"),
        ] {
            assert_eq!(E164::parse(raw).map(|p| p.0), Ok(want.to_owned()), "{raw}");
        }
        for bad in [
            "",
            "555-0100",
            "+0123456789",
            "call me",
            "+1918555010012345",
            "0918555010",
        ] {
            assert_eq!(E164::parse(bad), Err(IdError::Phone), "{bad:?}");
        }
    }
}
