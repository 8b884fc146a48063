//! HTTP routes, one file per surface.

pub mod admin;
pub mod admin_plan;
pub mod admin_purge;
pub mod agent_chat;
pub mod app;
pub mod billing;
pub mod book;
pub mod exports;
pub mod health;
pub mod json_fields;
pub mod media_stream;
pub mod owner_views;
pub mod root;
pub mod root_session;
pub mod signup;
pub mod sites;
pub mod stripe_webhook;
pub mod tenant_api;
pub mod tenant_catalog;
pub mod twilio_sms;
pub mod twilio_sms_incoming;
pub mod twilio_voice;
pub mod twilio_voice_agent;
pub mod twiml_response;

use actix_web::web;

/// Mounts every route on the app.
pub fn configure(cfg: &mut web::ServiceConfig) {
    app::configure(cfg);
    root::configure(cfg);
    cfg.service(
        web::resource("/root/sign-in")
            .route(web::get().to(root_session::form))
            .route(web::post().to(root_session::submit)),
    )
    .service(web::resource("/root/sign-out").route(web::post().to(root_session::sign_out)));
    cfg.service(web::resource("/healthz").route(web::get().to(health::healthz)))
        .service(web::resource("/readyz").route(web::get().to(health::readyz)))
        .service(web::resource("/metrics").route(web::get().to(health::metrics)))
        .service(web::resource("/static/app.css").route(web::get().to(crate::web::assets::app_css)))
        .service(
            web::resource("/api/admin/tenants")
                .route(web::post().to(admin::create_tenant))
                .route(web::get().to(admin::list_tenants)),
        )
        .service(web::resource("/api/admin/tenants/{id}").route(web::get().to(admin::get_tenant)))
        .service(
            web::resource("/api/admin/tenants/{id}/status")
                .route(web::post().to(admin_plan::change_status)),
        )
        .service(
            web::resource("/api/admin/tenants/{id}/purge")
                .route(web::post().to(admin_purge::purge)),
        )
        .service(
            web::resource("/api/admin/tenants/{id}/tier")
                .route(web::post().to(admin_plan::change_tier)),
        )
        .service(web::resource("/api/billing/upgrade").route(web::post().to(billing::upgrade)))
        .service(web::resource("/stripe/webhook").route(web::post().to(stripe_webhook::webhook)))
        .service(
            web::resource("/api/admin/tenants/{id}/appointments")
                .route(web::get().to(owner_views::appointments)),
        )
        .service(
            web::resource("/api/admin/tenants/{id}/calls").route(web::get().to(owner_views::calls)),
        )
        .service(
            web::resource("/api/admin/tenants/{id}/conversations/{phone}")
                .route(web::get().to(owner_views::conversation)),
        )
        .service(web::resource("/api/exports").route(web::post().to(exports::start)))
        .service(web::resource("/api/exports/{id}").route(web::get().to(exports::status)))
        .service(web::resource("/exports/{id}/download").route(web::get().to(exports::download)))
        .service(web::resource("/api/signup").route(web::post().to(signup::signup)))
        .service(web::resource("/api/tenant").route(web::get().to(tenant_api::get_tenant)))
        .service(
            web::resource("/api/tenant/settings")
                .route(web::patch().to(tenant_api::patch_settings)),
        )
        .service(web::resource("/api/tenant/keys").route(web::post().to(tenant_api::rotate_key)))
        .service(
            web::resource("/api/tenant/services")
                .route(web::post().to(tenant_catalog::add_service)),
        )
        .service(
            web::resource("/api/tenant/services/{id}")
                .route(web::put().to(tenant_catalog::edit_service))
                .route(web::delete().to(tenant_catalog::remove_service)),
        )
        .service(
            web::resource("/api/tenant/templates/{key}")
                .route(web::put().to(tenant_catalog::put_template)),
        )
        .service(
            web::resource("/api/tenant/twilio")
                .route(web::put().to(tenant_api::use_own_twilio))
                .route(web::delete().to(tenant_api::use_platform_twilio)),
        )
        .service(
            web::resource("/api/agent/messages").route(web::post().to(agent_chat::post_message)),
        )
        .service(
            web::resource("/twilio/sms/incoming")
                .route(web::post().to(twilio_sms_incoming::incoming)),
        )
        .service(
            web::resource("/twilio/voice/incoming").route(web::post().to(twilio_voice::incoming)),
        )
        .service(web::resource("/twilio/voice/ivr").route(web::post().to(twilio_voice::ivr)))
        .service(
            web::resource("/twilio/voice/agent").route(web::post().to(twilio_voice_agent::turn)),
        )
        .service(
            web::resource("/twilio/voice/dial-complete")
                .route(web::post().to(twilio_voice::dial_complete)),
        )
        .service(
            web::resource("/twilio/voice/voicemail-done")
                .route(web::post().to(twilio_voice::voicemail_done)),
        )
        .service(
            web::resource("/twilio/voice/recording").route(web::post().to(twilio_voice::recording)),
        )
        .service(web::resource("/twilio/voice/status").route(web::post().to(twilio_voice::status)))
        .service(
            web::resource("/twilio/media-stream/{tenant}")
                .route(web::get().to(media_stream::media_stream)),
        )
        .service(web::resource("/twilio/sms/status").route(web::post().to(twilio_sms::status)));
    sites_routes(cfg);
}

/// The tenant websites, mounted LAST: `/{tenant}/…` and `/` must not shadow any
/// `/api` or `/twilio` route.
fn sites_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/api/tenant/website")
            .route(web::get().to(sites::get_settings))
            .route(web::put().to(sites::put_settings)),
    )
    .service(
        web::resource("/api/tenant/website/preview/{template}")
            .route(web::get().to(sites::preview)),
    )
    .service(web::resource("/api/tenant/website/images").route(web::post().to(sites::upload_image)))
    .service(web::resource("/api/tenant/website/publish").route(web::post().to(sites::publish)))
    .service(web::resource("/").route(web::get().to(sites::by_host)))
    .service(
        web::resource("/{tenant}/book")
            .route(web::get().to(book::show::first_step))
            .route(web::post().to(book::post::submit)),
    )
    .service(web::resource("/{tenant}/").route(web::get().to(sites::home)))
    .service(web::resource("/{tenant}").route(web::get().to(sites::home_redirect)))
    .service(web::resource("/{tenant}/images/{id}").route(web::get().to(sites::image)));
}
