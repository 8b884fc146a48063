//! Call actor tests against the real loopback fake provider and a simulated Twilio
//! side, split by subject.

mod audio;
mod barge_in;
mod failures;
mod lifecycle;
mod recording;
mod spans;
mod support;
mod tools;
