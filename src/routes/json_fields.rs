//! Reading a JSON object field by field, so every validation error names
//! the field at fault (serde's own errors do not).

use crate::error::ApiError;
use serde_json::{Map, Value};

/// A JSON request body that must be an object.
pub struct Fields(Map<String, Value>);

impl Fields {
    /// Parses `body` as a JSON object (400 otherwise).
    pub fn parse(body: &[u8]) -> Result<Self, ApiError> {
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(map)) => Ok(Fields(map)),
            Ok(_) => Err(ApiError::bad_request("the body must be a JSON object")),
            Err(e) => Err(ApiError::bad_request(format!(
                "the body is not valid JSON: {e}"
            ))),
        }
    }

    /// The fields of an already-built object (an HTML form turned into the API's
    /// JSON shape, so both are read by the same rules).
    pub fn from_map(map: Map<String, Value>) -> Self {
        Fields(map)
    }

    /// Refuses a field not in `known` (422 naming it), so a misspelt setting is not
    /// silently ignored.
    pub fn only(&self, known: &[&str]) -> Result<(), ApiError> {
        match self.0.keys().find(|k| !known.contains(&k.as_str())) {
            Some(unknown) => Err(ApiError::invalid_field(
                unknown,
                format!(
                    "{unknown} is not a known field (known: {})",
                    known.join(", ")
                ),
            )),
            None => Ok(()),
        }
    }

    /// A field decoded from its JSON value with serde, `None` when absent or null.
    pub fn optional_json<T: serde::de::DeserializeOwned>(
        &self,
        field: &str,
    ) -> Result<Option<T>, ApiError> {
        match self.0.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => serde_json::from_value(value.clone())
                .map(Some)
                .map_err(|e| ApiError::invalid_field(field, format!("{field}: {e}"))),
        }
    }

    /// A string field, `None` when absent or null (a blank string counts as absent).
    pub fn optional_str(&self, field: &str) -> Result<Option<String>, ApiError> {
        match self.0.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.trim().to_owned())),
            Some(_) => Err(ApiError::invalid_field(
                field,
                format!("{field} must be a string"),
            )),
        }
    }

    /// A string field taken exactly as sent (no trimming: a password), `None` when
    /// absent, null or empty.
    pub fn optional_exact_str(&self, field: &str) -> Result<Option<String>, ApiError> {
        match self.0.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.is_empty() => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(ApiError::invalid_field(
                field,
                format!("{field} must be a string"),
            )),
        }
    }

    /// A boolean field, `None` when absent or null; anything but `true`/`false` is a
    /// 422 naming the field.
    pub fn optional_bool(&self, field: &str) -> Result<Option<bool>, ApiError> {
        match self.0.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(ApiError::invalid_field(
                field,
                format!("{field} must be true or false"),
            )),
        }
    }

    /// A required string field.
    pub fn required_str(&self, field: &str) -> Result<String, ApiError> {
        self.optional_str(field)?
            .ok_or_else(|| ApiError::invalid_field(field, format!("{field} is required")))
    }

    /// A required field parsed with `parse`, whose error message is passed through.
    pub fn required<T, E: std::fmt::Display>(
        &self,
        field: &str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Result<T, ApiError> {
        let raw = self.required_str(field)?;
        parse(&raw).map_err(|e| ApiError::invalid_field(field, format!("{field}: {e}")))
    }

    /// An optional field parsed with `parse`.
    pub fn optional<T, E: std::fmt::Display>(
        &self,
        field: &str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Result<Option<T>, ApiError> {
        match self.optional_str(field)? {
            None => Ok(None),
            Some(raw) => parse(&raw)
                .map(Some)
                .map_err(|e| ApiError::invalid_field(field, format!("{field}: {e}"))),
        }
    }
}
