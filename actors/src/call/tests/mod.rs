//! Call actor tests against the real loopback fake provider and a simulated Twilio.
