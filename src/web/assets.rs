//! The stylesheet every page links: `static/app.css`, compiled into the binary
//! and served at `/static/app.css?v=<hash>`, so a browser caches it for a year
//! and a new build's URL changes with its content.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse};
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

/// The stylesheet's bytes.
pub const APP_CSS: &str = include_str!("../../static/app.css");

struct Versioned {
    etag: String,
    href: String,
}

static CSS: LazyLock<Versioned> = LazyLock::new(|| {
    let digest = Sha256::digest(APP_CSS.as_bytes());
    let short = hex::encode(&digest[..6]);
    Versioned {
        etag: format!("\"{short}\""),
        href: format!("/static/app.css?v={short}"),
    }
});

/// The URL pages link the stylesheet by (changes with its content).
pub fn app_css_href() -> &'static str {
    &CSS.href
}

/// `GET /static/app.css`: the stylesheet, or 304 when the browser has it.
pub async fn app_css(req: HttpRequest) -> HttpResponse {
    let etag = CSS.etag.as_str();
    let fresh = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    let mut res = if fresh {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    res.insert_header((header::ETAG, etag))
        .insert_header((
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        ))
        .insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/css; charset=utf-8"),
        ));
    if fresh {
        res.finish()
    } else {
        res.body(APP_CSS)
    }
}
