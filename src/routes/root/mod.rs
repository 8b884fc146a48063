//! The root operator's dashboard under `/root`, one file per page or action.
//! Every page takes a [`RootSession`](crate::web::session::RootSession) (the
//! root token turned into a session at `/root/sign-in`, 303 there without one).
//!
//! * [`layout`] — the chrome every root page shares.
//! * [`tenants`] — `GET /root`: platform health and the tenants table
//!   (`?sort=&status=&tier=&q=`).
//! * [`tenant`] — `GET /root/tenants/{id}`: one tenant's drill-down.
//! * [`actions`] — `POST /root/tenants/{id}/status|tier|provisioning`: suspend,
//!   reactivate, change tier (the same code path and audit as
//!   `/api/admin/tenants/{id}/status|tier`), retry buying the number.
//! * [`purge`] — `POST /root/tenants/{id}/purge`: archive and delete a closed
//!   tenant past the retention window (the same engine call as the API's).

pub mod actions;
pub mod layout;
pub mod purge;
pub mod tenant;
pub mod tenants;

use actix_web::web;

/// Mounts `/root`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/root").route(web::get().to(tenants::show)))
        .service(web::resource("/root/tenants/{id}").route(web::get().to(tenant::show)))
        .service(web::resource("/root/tenants/{id}/status").route(web::post().to(actions::status)))
        .service(web::resource("/root/tenants/{id}/tier").route(web::post().to(actions::tier)))
        .service(web::resource("/root/tenants/{id}/purge").route(web::post().to(purge::purge)))
        .service(
            web::resource("/root/tenants/{id}/provisioning")
                .route(web::post().to(actions::provisioning)),
        );
}
