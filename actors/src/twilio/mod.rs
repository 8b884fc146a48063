//! Twilio wire contracts: webhook signatures and TwiML.
