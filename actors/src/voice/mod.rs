//! Voice: answering calls by tenant status and mode (`call_flow`, pure TwiML), the
//! webhooks' engine (`switchboard`), call records and voicemail, and the AI
//! receptionist's wiring (`receptionist`, with its instructions in `call_instructions`),
//! and the speech receptionist's turns (`speech_turn`).

pub mod call_flow;
pub mod call_instructions;
pub mod call_records;
pub mod callback_urls;
pub mod receptionist;
pub mod speech_turn;
pub mod switchboard;
pub mod voicemail;
