//! Tests of the conversation engine: scripted conversations from
//! `fixtures/conversations/` and focused unit tests.

mod conversations;
mod fake_agent_tools;
mod fake_tools;
mod fixture;
mod llm_parity;
mod simulator;
mod state_tests;
mod unit;
