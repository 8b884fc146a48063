//! A form's errors by field, so a refused post re-renders the form (422) with
//! each reason next to its field and the values the user typed kept.

use crate::error::ApiError;

/// Field name → reason, in the order found; plus a reason for the whole form.
#[derive(Debug, Clone, Default)]
pub struct FormErrors {
    fields: Vec<(String, String)>,
    /// A reason not tied to one field ("the session expired", "wrong password").
    pub general: Option<String>,
}

impl FormErrors {
    /// No errors.
    pub fn none() -> Self {
        Self::default()
    }

    /// Adds `reason` for `field`.
    pub fn add(&mut self, field: &str, reason: impl Into<String>) {
        self.fields.push((field.to_owned(), reason.into()));
    }

    /// Whether nothing was refused.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.general.is_none()
    }

    /// The reason for `field`, if it was refused (templates: `errors.get("email")`).
    pub fn get(&self, field: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, reason)| reason.as_str())
    }

    /// Every refused field with its reason (for an error summary at the top).
    pub fn fields(&self) -> &[(String, String)] {
        &self.fields
    }

    /// The errors an engine refusal carries: its field when it names one,
    /// otherwise a general reason. A server failure (5xx) is not a form error
    /// and is handed back.
    pub fn from_api(err: ApiError) -> Result<Self, ApiError> {
        if err.status.is_server_error() {
            return Err(err);
        }
        let mut errors = Self::none();
        match err.field {
            Some(field) => errors.add(&field, err.message),
            None => errors.general = Some(err.message),
        }
        Ok(errors)
    }
}
