//! The AI voice provider side of a call: the Twilio Media Streams protocol the caller's
//! audio arrives on, the OpenAI Realtime events the model speaks, the provider session
//! that carries them over a websocket, and a loopback fake of the provider for tests,
//! the demo and the load bench.

pub mod fake_server;
mod json_text;
mod lenient;
pub mod openai_events;
pub mod provider;
#[cfg(test)]
mod test_support;
pub mod twilio_stream;
