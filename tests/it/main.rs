//! The one integration-test binary: whole-system tests against a real
//! PostgreSQL (a fresh database per test, cloned from a migrated template)
//! and loopback fakes of the outside services.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod support;

mod admin_api;
mod app_pages;
mod app_settings_catalog;
mod app_sign_in;
mod billing;
mod billing_status;
mod billing_upgrade;
mod book_page;
mod booking_race;
mod browser_app;
mod browser_book;
mod browser_dashboards;
mod browser_harness;
mod browser_journey;
mod browser_sites;
mod conversation_actors;
mod conversations;
mod crash_recovery;
mod dashboard_app;
mod dashboard_root;
mod demo;
mod edges;
mod ephemeral_db;
mod export_cli;
mod exports;
mod health;
mod knowledge;
mod media_stream;
mod metrics;
mod outages;
mod recovery;
mod retention;
mod signup;
mod sites;
mod sites_bench;
mod sms_group_commit;
mod sms_inbound;
mod sms_outbound;
mod sms_templates;
mod tenant_actor;
mod tenant_api;
mod tenant_isolation;
mod voice;
mod web_chat_identity;
