//! Voice: answering calls by tenant status and mode, call records and voicemail.

pub mod call_flow;
pub mod call_instructions;
pub mod call_records;
pub mod callback_urls;
pub mod receptionist;
pub mod voicemail;
