//! The owner's web app under `/app`, one file per page or action. Every page
//! takes an [`OwnerSession`](crate::web::session::OwnerSession) (303 to
//! sign-in without one) and reaches only that tenant.
//!
//! * [`layout`] — what every page shares (context, navigation, banner, read-only).
//! * [`today`] — `GET /app`.
//! * [`appointments`], [`appointment`] — the week and list, one appointment.
//! * [`conversations`] — threads and their messages.
//! * [`calls`], [`recording`] — calls (summary, transcript) and the signed recording link.
//! * [`settings`] — the page and each settings form, saved through the tenant's actor.
//! * [`services`], [`templates`] — add, edit, remove a service; reword an
//!   automated text (`tenant::catalog::change_catalog`).
//! * [`billing`] — Plan and billing, and the plan change form.
//! * [`usage`] — this month and 30-day charts.
//! * [`export`] — "Export my data" and the export's progress and download link.
//! * [`nudges`] — nudges on a page, and dismissing one.
//! * [`sign_in`], [`sign_in_link`], [`sign_out`] — e-mail and password, the
//!   texted one-time link, signing out here or everywhere.

pub mod appointment;
pub mod appointments;
pub mod billing;
pub mod calls;
pub mod conversations;
pub mod export;
pub mod layout;
pub mod nudges;
pub mod recording;
pub mod services;
pub mod settings;
pub mod sign_in;
pub mod sign_in_link;
pub mod sign_out;
pub mod templates;
pub mod today;
pub mod usage;

use actix_web::web;

/// Mounts `/app`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/app").route(web::get().to(today::today)))
        .service(web::resource("/app/appointments").route(web::get().to(appointments::week)))
        .service(web::resource("/app/appointments/{id}").route(web::get().to(appointment::show)))
        .service(web::resource("/app/conversations").route(web::get().to(conversations::list)))
        .service(web::resource("/app/conversations/{id}").route(web::get().to(conversations::show)))
        .service(web::resource("/app/calls").route(web::get().to(calls::list)))
        .service(web::resource("/app/calls/{id}").route(web::get().to(calls::show)))
        .service(
            web::resource("/app/recordings/{call_sid}").route(web::get().to(recording::recording)),
        )
        .service(web::resource("/app/settings").route(web::get().to(settings::page)))
        .service(web::resource("/app/settings/services").route(web::post().to(services::add)))
        .service(web::resource("/app/settings/services/{id}").route(web::post().to(services::edit)))
        .service(
            web::resource("/app/settings/services/{id}/remove")
                .route(web::post().to(services::remove)),
        )
        .service(
            web::resource("/app/settings/templates/{key}").route(web::post().to(templates::save)),
        )
        .service(web::resource("/app/settings/{section}").route(web::post().to(settings::save)))
        .service(web::resource("/app/billing").route(web::get().to(billing::show)))
        .service(web::resource("/app/billing/upgrade").route(web::post().to(billing::upgrade)))
        .service(web::resource("/app/export").route(web::post().to(export::start)))
        .service(web::resource("/app/export/{id}").route(web::get().to(export::show)))
        .service(web::resource("/app/usage").route(web::get().to(usage::show)))
        .service(web::resource("/app/nudges/dismiss").route(web::post().to(nudges::dismiss)))
        .service(
            web::resource("/app/sign-in")
                .route(web::get().to(sign_in::form))
                .route(web::post().to(sign_in::submit)),
        )
        .service(
            web::resource("/app/sign-in/text-link").route(web::post().to(sign_in_link::request)),
        )
        .service(
            web::resource("/app/sign-in/link")
                .route(web::get().to(sign_in_link::confirm))
                .route(web::post().to(sign_in_link::consume)),
        )
        .service(web::resource("/app/sign-out").route(web::post().to(sign_out::sign_out)))
        .service(
            web::resource("/app/sign-out-everywhere").route(web::post().to(sign_out::everywhere)),
        );
}
