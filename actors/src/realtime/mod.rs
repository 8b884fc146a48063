//! The AI voice provider side of a call: the Twilio Media Streams protocol the caller's
//! audio arrives on, the OpenAI Realtime events the model speaks, the provider session
//! that carries them over a websocket, and a loopback fake of the provider for tests
//! and the load bench (only with the `testkit` feature, or in this crate's tests).

#[cfg(any(test, feature = "testkit"))]
pub mod fake_server;
mod json_text;
mod lenient;
pub mod openai_events;
pub mod provider;
#[cfg(test)]
mod test_support;
pub mod twilio_stream;
