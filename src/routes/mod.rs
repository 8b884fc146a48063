//! HTTP routes, one file per surface.

pub mod admin;
pub mod health;
pub mod json_fields;

use actix_web::web;

/// Mounts every route on the app.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/healthz").route(web::get().to(health::healthz)))
        .service(web::resource("/readyz").route(web::get().to(health::readyz)))
        .service(web::resource("/metrics").route(web::get().to(health::metrics)))
        .service(
            web::resource("/api/admin/tenants")
                .route(web::post().to(admin::create_tenant))
                .route(web::get().to(admin::list_tenants)),
        )
        .service(web::resource("/api/admin/tenants/{id}").route(web::get().to(admin::get_tenant)));
}
