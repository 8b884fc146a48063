//! Tenant websites: every template renders every industry pack with the booking
//! page and the phone as its calls to action; a hostile business name stays text;
//! a verified custom domain serves its tenant's site by `Host`; pages come from the
//! cache until the tenant's data changes; owner edits survive a template switch;
//! uploads are checked by their bytes and served with cache headers; partner mode
//! sends a signed seed.

use crate::support::tenants::TenantSpec;
use crate::support::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use servicepro_actors::loopback::{Answer, LoopbackServer, RawRequest};
use servicepro_actors::website::template::TemplateId;
use servicepro_schema::SecretString;

pub const PACKS: [(&str, &str, &str); 5] = [
    ("detail-co", "mobile-detailing", "+19185550101"),
    ("lawn-co", "lawn-care", "+19185550102"),
    ("clean-co", "house-cleaning", "+19185550103"),
    ("groom-co", "pet-grooming", "+19185550104"),
    ("window-co", "window-washing", "+19185550105"),
];

/// Page weight budget before images.
const BUDGET: usize = 100 * 1024;

impl TestApp {
    /// A tenant-API request with `key`.
    pub fn owner(&self, method: Method, path: &str, key: &str) -> reqwest::RequestBuilder {
        self.client.request(method, self.url(path)).bearer_auth(key)
    }

    /// `GET path`: status and body.
    pub async fn page(&self, path: &str) -> (StatusCode, String) {
        let res = self.client.get(self.url(path)).send().await.unwrap();
        (res.status(), res.text().await.unwrap())
    }

    async fn put_site(&self, key: &str, body: Value) -> (StatusCode, Value) {
        let res = self
            .owner(Method::PUT, "/api/tenant/website", key)
            .json(&body)
            .send()
            .await
            .unwrap();
        (res.status(), res.json().await.unwrap())
    }
}

/// `text` as askama's HTML escaping writes it.
fn escaped(text: &str) -> String {
    text.replace('&', "&#38;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

/// The checks every rendered page must pass.
fn assert_site(html: &str, tenant: &str, phone: &str, what: &str) {
    assert!(html.len() < BUDGET, "{what}: {} bytes", html.len());
    for landmark in [
        "<header",
        "<nav",
        "<main id=\"main\"",
        "<footer",
        "lang=\"en\"",
    ] {
        assert!(html.contains(landmark), "{what}: no {landmark}");
    }
    let book = format!("href=\"/{tenant}/book\"");
    assert!(
        html.matches(&book).count() >= 3,
        "{what}: the booking page is not the main call to action"
    );
    assert!(
        html.contains(&format!("href=\"tel:{phone}\"")),
        "{what}: no tel: link"
    );
    assert!(
        html.contains("prefers-reduced-motion:reduce"),
        "{what}: motion"
    );
    assert!(html.contains(":focus-visible"), "{what}: focus");
    assert!(
        html.contains(&format!("data-tenant=\"{tenant}\"")),
        "{what}: chat widget"
    );
    assert!(
        html.contains("/api/agent/messages"),
        "{what}: chat endpoint"
    );
    for img in html.split("<img").skip(1) {
        let tag = &img[..img.find('>').unwrap()];
        assert!(tag.contains("alt=\""), "{what}: img without alt: {tag}");
        assert!(
            tag.contains("loading=\"lazy\""),
            "{what}: img not lazy: {tag}"
        );
    }
}

#[actix_web::test]
async fn every_template_renders_every_pack_with_booking_and_phone() {
    let app = TestApp::spawn().await;
    for (id, industry, phone) in PACKS {
        app.create_tenant(TenantSpec {
            id,
            name: "Sparkle & Co",
            industry,
            phone,
            ..TenantSpec::default()
        })
        .await;
        let key = app.key_of(id).await;
        let pack = servicepro_actors::packs::pack(industry).unwrap();
        for template in TemplateId::ALL {
            let res = app
                .owner(
                    Method::GET,
                    &format!("/api/tenant/website/preview/{}", template.slug()),
                    &key,
                )
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 200, "{id} {template}");
            let html = res.text().await.unwrap();
            let what = format!("{id} in {template}");
            assert_site(&html, id, phone, &what);
            assert!(html.contains(&escaped("Sparkle & Co")), "{what}: name");
            assert!(html.contains(template.name()), "{what}: preview banner");
            for service in &pack.services {
                assert!(
                    html.contains(&escaped(&service.name)),
                    "{what}: {}",
                    service.name
                );
            }
        }
        let (status, live) = app.page(&format!("/{id}/")).await;
        assert_eq!(status, 200);
        assert_site(&live, id, phone, id);
        assert!(
            !live.contains("class=\"preview-note\""),
            "the live page has no banner"
        );
    }
    let (status, _) = app.page("/no-such-tenant/").await;
    assert_eq!(status, 404);
    let res = app.client.get(app.url("/detail-co")).send().await.unwrap();
    assert_eq!(res.status(), 200, "the redirect lands on the site");
    assert!(res.url().path().ends_with("/detail-co/"));
}

#[actix_web::test]
async fn a_script_for_a_business_name_stays_text_everywhere() {
    let app = TestApp::spawn().await;
    let evil = "<script>alert(1)</script>";
    app.create_tenant(TenantSpec {
        name: evil,
        ..TenantSpec::default()
    })
    .await;
    let key = app.key_of("acme").await;
    let (status, _) = app
        .put_site(
            &key,
            json!({"overrides": {"headline": "</style><script>alert(2)</script>", "about": "\"><img src=x onerror=alert(3)>"}}),
        )
        .await;
    assert_eq!(status, 200);
    for template in TemplateId::ALL {
        let (status, _) = app
            .put_site(&key, json!({"template": template.slug()}))
            .await;
        assert_eq!(status, 200);
        let (status, html) = app.page("/acme/").await;
        assert_eq!(status, 200);
        for raw in ["<script>alert", "</style><script>", "<img src=x"] {
            assert!(!html.contains(raw), "{template}: {raw} unescaped");
        }
        assert!(html.contains(&escaped(evil)), "{template}");
        assert!(
            html.contains(&escaped("</style><script>alert(2)")),
            "{template}"
        );
        assert_eq!(
            html.matches("<script").count(),
            1,
            "{template}: only the widget's"
        );
    }
}

#[actix_web::test]
async fn a_verified_custom_domain_serves_its_tenant_by_host() {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec::default()).await;
    app.create_tenant(TenantSpec {
        id: "other",
        name: "Other Lawn",
        industry: "lawn-care",
        phone: "+19185550111",
        ..TenantSpec::default()
    })
    .await;
    app.sql(
        "INSERT INTO tenant_domains (domain, tenant_id, verified_at) VALUES \
         ('www.acme-detailing.test', 'acme', now()); \
         INSERT INTO tenant_domains (domain, tenant_id) VALUES ('pending.other.test', 'other')",
    )
    .await;
    let by_host = |host: &'static str| {
        let req = app.client.get(app.url("/")).header("host", host).send();
        async move {
            let res = req.await.unwrap();
            (res.status(), res.text().await.unwrap())
        }
    };
    for host in ["www.acme-detailing.test", "WWW.Acme-Detailing.test:8443"] {
        let (status, html) = by_host(host).await;
        assert_eq!(status, 200, "{host}");
        assert!(html.contains("Acme Detailing"), "{host}");
        assert_site(&html, "acme", "+19185550100", host);
    }
    assert_eq!(by_host("pending.other.test").await.0, 404, "unverified");
    assert_eq!(by_host("unknown.test").await.0, 404);
    // The path-based site still works, and /api routes are not shadowed.
    assert_eq!(app.page("/other/").await.0, 200);
    assert_eq!(app.page("/healthz").await.0, 200);
}

#[actix_web::test]
async fn pages_come_from_the_cache_until_the_tenant_changes() {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec::default()).await;
    let key = app.key_of("acme").await;
    let first = app.client.get(app.url("/acme/")).send().await.unwrap();
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();
    assert_eq!(first.headers()["cache-control"], "no-cache");
    let html = first.text().await.unwrap();
    assert!(!html.contains("<th scope=\"row\">Monday</th><td>Closed</td>"));
    let (_, renders) = app.state.sites.counts();
    for _ in 0..3 {
        assert_eq!(app.page("/acme/").await.0, 200);
    }
    let (hits, after) = app.state.sites.counts();
    assert_eq!(after, renders, "served from memory");
    assert!(hits >= 3);
    let not_modified = app
        .client
        .get(app.url("/acme/"))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(not_modified.status(), 304);

    // An owner's settings change (through the TenantActor) is on the next page.
    let res = app
        .owner(Method::PATCH, "/api/tenant/settings", &key)
        .json(&json!({"business_hours": {"tue": {"open": "09:00", "close": "17:00"}}}))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{}", res.text().await.unwrap());
    let changed = app
        .client
        .get(app.url("/acme/"))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), 200, "the old ETag is stale");
    assert_ne!(changed.headers()["etag"].to_str().unwrap(), etag);
    let html = changed.text().await.unwrap();
    assert!(
        html.contains("<th scope=\"row\">Monday</th><td>Closed</td>"),
        "new hours shown"
    );
    assert!(html.contains("<th scope=\"row\">Tuesday</th><td>9:00 AM – 5:00 PM</td>"));
    assert_eq!(
        app.state.sites.counts().1,
        renders + 1,
        "rendered once more"
    );

    // So is a change made straight in SQL (a service renamed).
    app.sql("UPDATE services SET name = 'Showroom Detail' WHERE tenant_id = 'acme' AND name = 'Full Detail'")
        .await;
    assert!(app.page("/acme/").await.1.contains("Showroom Detail"));
}

#[actix_web::test]
async fn owner_edits_survive_a_template_switch_and_previews_leave_the_site_alone() {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec::default()).await;
    let key = app.key_of("acme").await;
    let (status, view) = app
        .put_site(
            &key,
            json!({"overrides": {"headline": "Showroom shine, in your driveway", "accent": "#AA0033", "tagline": "Tulsa's detail studio"}}),
        )
        .await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["template"], "luminous-concierge");
    let (status, view) = app
        .put_site(&key, json!({"template": "night-drive-neon"}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(view["template"], "night-drive-neon");
    assert_eq!(
        view["overrides"]["headline"],
        "Showroom shine, in your driveway"
    );
    assert_eq!(view["overrides"]["accent"], "#aa0033");
    let (_, html) = app.page("/acme/").await;
    assert!(html.contains("class=\"nd\""), "the new template is live");
    assert!(html.contains("Showroom shine, in your driveway"));
    assert!(html.contains("--accent:#aa0033"));
    assert!(
        html.contains("--on-accent:#ffffff"),
        "readable text on the owner's colour"
    );
    assert!(html.contains(&escaped("Tulsa's detail studio")));

    // A preview of another template shows the edits but changes nothing live.
    let res = app
        .owner(
            Method::GET,
            "/api/tenant/website/preview/heritage-craft",
            &key,
        )
        .send()
        .await
        .unwrap();
    let preview = res.text().await.unwrap();
    assert!(preview.contains("class=\"hc\"") && preview.contains("Showroom shine"));
    assert!(app.page("/acme/").await.1.contains("class=\"nd\""));

    // Cleared with null; the owner's GET shows the settings and every template.
    let (_, view) = app
        .put_site(&key, json!({"overrides": {"headline": null}}))
        .await;
    assert!(view["overrides"].get("headline").is_none());
    let res = app
        .owner(Method::GET, "/api/tenant/website", &key)
        .send()
        .await
        .unwrap();
    let got: Value = res.json().await.unwrap();
    assert_eq!(got["templates"].as_array().unwrap().len(), 10);
    assert_eq!(got["overrides"]["accent"], "#aa0033");
    assert_eq!(got["generator"], "built-in");
    assert!(!app.page("/acme/").await.1.contains("Showroom shine"));
}

#[actix_web::test]
async fn bad_owner_input_is_refused_naming_the_field() {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec::default()).await;
    let key = app.key_of("acme").await;
    for (body, field) in [
        (json!({"template": "geocities"}), "template"),
        (json!({"overrides": {"accent": "red"}}), "overrides.accent"),
        (
            json!({"overrides": {"hero_image": "a".repeat(64)}}),
            "overrides.hero_image",
        ),
        (json!({"theme": "dark"}), "theme"),
    ] {
        let (status, err) = app.put_site(&key, body.clone()).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(err["error"]["field"], field, "{body}");
    }
    let res = app
        .owner(Method::GET, "/api/tenant/website/preview/geocities", &key)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    let res = app
        .client
        .put(app.url("/api/tenant/website"))
        .json(&json!({"template": "local-hero"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401, "no key");
    let res = app
        .owner(Method::POST, "/api/tenant/website/publish", &key)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409, "built-in mode has nothing to send");
}

#[actix_web::test]
async fn uploads_are_checked_by_their_bytes_and_served_with_cache_headers() {
    let app = TestApp::spawn().await;
    app.create_tenant(TenantSpec::default()).await;
    app.create_tenant(TenantSpec {
        id: "other",
        phone: "+19185550111",
        ..TenantSpec::default()
    })
    .await;
    let key = app.key_of("acme").await;
    let upload = |bytes: Vec<u8>| {
        app.owner(Method::POST, "/api/tenant/website/images", &key)
            .header("content-type", "image/png")
            .body(bytes)
            .send()
    };
    let svg =
        upload(b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>".to_vec())
            .await
            .unwrap();
    assert_eq!(svg.status(), 422, "an SVG sent as image/png is refused");
    let err: Value = svg.json().await.unwrap();
    assert_eq!(err["error"]["field"], "image");
    assert_eq!(upload(Vec::new()).await.unwrap().status(), 422);
    let huge = [b"\x89PNG\r\n\x1a\n".as_slice(), &vec![0; 2 * 1024 * 1024]].concat();
    assert_eq!(upload(huge).await.unwrap().status(), 413);

    let png = [b"\x89PNG\r\n\x1a\n".as_slice(), b"pixels"].concat();
    let res = upload(png.clone()).await.unwrap();
    assert_eq!(res.status(), 201);
    let stored: Value = res.json().await.unwrap();
    let (id, url) = (
        stored["id"].as_str().unwrap().to_owned(),
        stored["url"].as_str().unwrap().to_owned(),
    );
    assert_eq!(url, format!("/acme/images/{id}"));

    let res = app.client.get(app.url(&url)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/png");
    assert_eq!(
        res.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    let etag = res.headers()["etag"].to_str().unwrap().to_owned();
    assert_eq!(res.bytes().await.unwrap().as_ref(), png.as_slice());
    let again = app
        .client
        .get(app.url(&url))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    assert_eq!(
        app.page(&format!("/other/images/{id}")).await.0,
        404,
        "another tenant's"
    );

    let (status, _) = app
        .put_site(
            &key,
            json!({"overrides": {"hero_image": id, "logo_image": id}}),
        )
        .await;
    assert_eq!(status, 200);
    for template in TemplateId::ALL {
        app.put_site(&key, json!({"template": template.slug()}))
            .await;
        let (_, html) = app.page("/acme/").await;
        assert!(
            html.contains(&format!("src=\"{url}\"")),
            "{template}: hero image"
        );
        assert_eq!(html.matches("<img").count(), 2, "{template}: logo and hero");
        assert_site(&html, "acme", "+19185550100", template.slug());
    }
}

#[derive(Default)]
struct Partner {
    seeds: Vec<RawRequest>,
}

fn partner(state: &mut Partner, req: RawRequest) -> Answer {
    state.seeds.push(req);
    Answer {
        status: 202,
        body: "{}".to_owned(),
        headers: Vec::new(),
        delay: std::time::Duration::ZERO,
    }
}

#[actix_web::test]
async fn partner_mode_sends_the_signed_seed() {
    let fake = LoopbackServer::start(Partner::default(), partner)
        .await
        .unwrap();
    let secret = "partner-signing-secret-0123";
    let app = TestApp::builder()
        .var("SERVICEPRO_WEBSITE_GENERATOR", "partner")
        .var(
            "SERVICEPRO_WEBSITE_PARTNER_URL",
            &format!("{}/seeds", fake.base_url()),
        )
        .var("SERVICEPRO_WEBSITE_PARTNER_SECRET", secret)
        .spawn()
        .await;
    app.create_tenant(TenantSpec::default()).await;
    let key = app.key_of("acme").await;
    let res = app
        .owner(Method::POST, "/api/tenant/website/publish", &key)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let seeds = &fake.state().seeds;
    assert_eq!(seeds.len(), 1);
    let req = &seeds[0];
    let header = |name: &str| {
        req.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .unwrap()
    };
    let timestamp: i64 = header("x-servicepro-timestamp").parse().unwrap();
    let expected = servicepro_actors::website::partner::signature(
        &SecretString::new(secret),
        timestamp,
        &req.body,
    )
    .unwrap();
    assert_eq!(header("x-servicepro-signature"), expected);
    let seed: Value = serde_json::from_slice(&req.body).unwrap();
    assert_eq!(seed["business_name"], "Acme Detailing");
    assert_eq!(seed["phone"]["e164"], "+19185550100");
    assert!(seed["booking_url"]
        .as_str()
        .unwrap()
        .ends_with("/acme/book"));
    assert_eq!(seed["services"][0]["name"], "Full Detail");
    assert_eq!(seed["hours"].as_array().unwrap().len(), 7);
    assert_eq!(seed["reviews"]["placeholder"], true);
}
