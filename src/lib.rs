//! The ServicePro server: configuration, the HTTP and websocket edges
//! (Twilio and Stripe webhooks, REST API), start-up and shutdown. It is the
//! only crate that knows HTTP; the engine lives in `servicepro-actors`.

pub mod alloc_stats;
pub mod auth;
pub mod body;
pub mod book_limit;
pub mod chat_limits;
pub mod config;
pub mod demo;
pub mod ephemeral_pg;
pub mod error;
#[cfg(any(test, feature = "testkit"))]
pub mod loadtest;
pub mod postgres_check;
pub mod request_span;
pub mod routes;
pub mod sign_in_limit;
pub mod signup_limit;
pub mod sites;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod twilio_webhook;
pub mod web;
pub mod ws_frame_limit;
