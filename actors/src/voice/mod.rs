//! Voice: answering calls by tenant status and mode, call records and
//! voicemail, and the speech receptionist's turns ([`speech_turn`]).

pub mod call_flow;
pub mod call_instructions;
pub mod call_records;
pub mod callback_urls;
pub mod receptionist;
pub mod speech_turn;
pub mod voicemail;
