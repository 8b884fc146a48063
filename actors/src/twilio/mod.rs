//! Twilio wire contracts: webhook signatures, form bodies and TwiML.

pub mod form;
pub mod signature;
pub mod twiml;

pub use form::{parse_form, Form, MissingField};
pub use signature::{expected_signature, validate, validate_body_sha256};
pub use twiml::{Response, CONTENT_TYPE};
