//! The AI voice provider side: OpenAI Realtime events, the provider trait, and the Twilio Media Streams protocol.
