//! Owner and root sign-in through the HTML forms: password (one answer for an
//! unknown e-mail and a wrong password), the session cookie's flags and its
//! hashed storage, CSRF refusal, the per-e-mail rate limit, the texted link
//! (single use), signing out here and everywhere, and the root token's session.

use crate::signup::{app_retrying_after, body};
use crate::support::web_client::WebClient;
use crate::support::TestApp;
use serde_json::json;
use sha2::{Digest, Sha256};
use std::time::Duration;

pub const PASSWORD: &str = "correct horse battery";

/// An app with one signed-up owner (`jody@example.com`, [`PASSWORD`]); the tenant id.
pub async fn app_with_owner() -> (TestApp, String) {
    let app = app_retrying_after(60_000).await;
    let mut req = body("jody@example.com", "Jody's Lawn Care");
    req["password"] = json!(PASSWORD);
    let created = app.signed_up(&req).await;
    (app, created["tenant_id"].as_str().unwrap().to_owned())
}

/// A browser signed in as the owner with the password.
pub async fn signed_in(app: &TestApp) -> WebClient {
    let web = WebClient::new(&app.address);
    let page = web.get("/app/sign-in").await;
    let res = web
        .post(
            "/app/sign-in",
            &[
                ("csrf", &page.csrf()),
                ("email", "jody@example.com"),
                ("password", PASSWORD),
                ("next", "/app"),
            ],
        )
        .await;
    assert_eq!(res.status, 303, "{}", res.body);
    web
}

fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

#[actix_web::test]
async fn the_password_signs_the_owner_in_with_a_hashed_http_only_session() {
    let (app, tenant) = app_with_owner().await;
    let web = WebClient::new(&app.address);
    let page = web.get("/app/sign-in?next=%2Fapp%2Fsettings").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(r#"name="next" value="/app/settings""#));
    let csrf = page.csrf();

    // A wrong password and an unknown e-mail get the same answer.
    let wrong = web
        .post(
            "/app/sign-in",
            &[
                ("csrf", &csrf),
                ("email", "jody@example.com"),
                ("password", "nope nope nope"),
            ],
        )
        .await;
    let unknown = web
        .post(
            "/app/sign-in",
            &[
                ("csrf", &csrf),
                ("email", "nobody@example.com"),
                ("password", "nope nope nope"),
            ],
        )
        .await;
    assert_eq!((wrong.status, unknown.status), (422, 422));
    for a in [&wrong, &unknown] {
        assert!(a
            .body
            .contains("That e-mail and password do not match an account."));
        assert!(a.location.is_none() && web.cookie("sp_session").is_none());
    }
    // An empty field is named.
    let empty = web
        .post(
            "/app/sign-in",
            &[("csrf", &csrf), ("email", ""), ("password", "")],
        )
        .await;
    assert_eq!(empty.status, 422);
    assert!(
        empty.body.contains(r#"id="email-error""#) && empty.body.contains(r#"id="password-error""#)
    );

    let ok = web
        .post(
            "/app/sign-in",
            &[
                ("csrf", &csrf),
                ("email", "JODY@example.com"),
                ("password", PASSWORD),
                ("next", "/app/settings"),
            ],
        )
        .await;
    assert_eq!(ok.status, 303);
    assert_eq!(ok.location.as_deref(), Some("/app/settings"));
    let cookie = ok
        .set_cookies
        .iter()
        .find(|c| c.starts_with("sp_session="))
        .unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "not production: {cookie}");
    let token = web.cookie("sp_session").unwrap();
    assert!(token.starts_with(&format!("o_{tenant}_")));
    // Stored only as its hash.
    assert_eq!(
        app.count(&format!(
            "web_sessions WHERE token_hash = '{}' AND tenant_id = '{tenant}' AND kind = 'owner'",
            sha256_hex(&token)
        ))
        .await,
        1
    );
    assert_eq!(
        app.count(&format!("web_sessions WHERE token_hash = '{token}'"))
            .await,
        0
    );

    // A `next` off the app is ignored.
    let page = web.get("/app/sign-in").await;
    let other = web
        .post(
            "/app/sign-in",
            &[
                ("csrf", &page.csrf()),
                ("email", "jody@example.com"),
                ("password", PASSWORD),
                ("next", "//evil.example/app"),
            ],
        )
        .await;
    assert_eq!(other.location.as_deref(), Some("/app"));
}

#[actix_web::test]
async fn a_form_without_its_token_or_with_another_browsers_is_refused() {
    let (app, _) = app_with_owner().await;
    let web = WebClient::new(&app.address);
    let page = web.get("/app/sign-in").await;
    let missing = web
        .post(
            "/app/sign-in",
            &[("email", "jody@example.com"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(missing.status, 403);
    assert!(missing.body.contains("security token is missing"));
    // Another browser's token (bound to its own form cookie) does not match this one.
    let other = WebClient::new(&app.address);
    other.get("/app/sign-in").await;
    let foreign = other
        .post(
            "/app/sign-in",
            &[
                ("csrf", &page.csrf()),
                ("email", "jody@example.com"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(foreign.status, 403);
    assert!(foreign.body.contains("does not match"));
    assert!(other.cookie("sp_session").is_none());

    // Signing out needs the session's own token too.
    let web = signed_in(&app).await;
    let refused = web.post("/app/sign-out", &[("csrf", "forged")]).await;
    assert_eq!(refused.status, 403);
    assert!(web.cookie("sp_session").is_some());
}

#[actix_web::test]
async fn sign_in_attempts_are_limited_per_email_whether_it_exists_or_not() {
    let (app, _) = app_with_owner().await;
    for email in ["jody@example.com", "ghost@example.com"] {
        let web = WebClient::new(&app.address);
        let csrf = web.get("/app/sign-in").await.csrf();
        for _ in 0..servicepro::sign_in_limit::PER_EMAIL_BURST {
            let a = web
                .post(
                    "/app/sign-in",
                    &[
                        ("csrf", &csrf),
                        ("email", email),
                        ("password", "wrong guess"),
                    ],
                )
                .await;
            assert_eq!(a.status, 422);
        }
        // The right password no longer helps until the limit refills.
        let limited = web
            .post(
                "/app/sign-in",
                &[("csrf", &csrf), ("email", email), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(limited.status, 429, "{email}");
        assert!(limited.retry_after.unwrap().parse::<u64>().unwrap() >= 1);
        assert!(limited.body.contains("Too many sign-in attempts"));
        assert!(web.cookie("sp_session").is_none());
    }
}

#[actix_web::test]
async fn a_texted_link_signs_in_once() {
    let (app, tenant) = app_with_owner().await;
    app.sql(&format!(
        "UPDATE tenant_config SET owner_phone = '+19185550142' WHERE tenant_id = '{tenant}'"
    ))
    .await;
    let web = WebClient::new(&app.address);
    let csrf = web.get("/app/sign-in").await.csrf();

    // An unknown address: the same words, nothing texted.
    let unknown = web
        .post(
            "/app/sign-in/text-link",
            &[("csrf", &csrf), ("email", "ghost@example.com")],
        )
        .await;
    assert_eq!(unknown.status, 200);
    assert!(unknown.body.contains("a sign-in link is on its way"));
    let known = web
        .post(
            "/app/sign-in/text-link",
            &[("csrf", &csrf), ("email", "jody@example.com")],
        )
        .await;
    assert_eq!(known.status, 200);
    assert_eq!(
        known.body.replace("jody@example.com", "X"),
        unknown.body.replace("ghost@example.com", "X")
    );

    let sent = app
        .twilio
        .wait_for_messages(1, Duration::from_secs(10))
        .await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].field("To"), Some("+19185550142"));
    let text = sent[0].field("Body").unwrap();
    let link = &text[text.find("http").unwrap()..];
    let token = link.split("token=").nth(1).unwrap().trim();
    assert!(token.starts_with(&format!("l_{tenant}_")));
    assert_eq!(
        app.count(&format!(
            "web_sign_in_links WHERE token_hash = '{}'",
            sha256_hex(token)
        ))
        .await,
        1
    );

    // Opening the link only shows a button; pressing it signs in.
    let phone = WebClient::new(&app.address);
    let page = phone.get(&format!("/app/sign-in/link?token={token}")).await;
    assert_eq!(page.status, 200);
    assert!(phone.cookie("sp_session").is_none());
    let used = phone
        .post(
            "/app/sign-in/link",
            &[("csrf", &page.csrf()), ("token", token)],
        )
        .await;
    assert_eq!(used.status, 303);
    assert_eq!(used.location.as_deref(), Some("/app"));
    assert!(phone
        .cookie("sp_session")
        .unwrap()
        .starts_with(&format!("o_{tenant}_")));

    // Twice: refused.
    let again = WebClient::new(&app.address);
    let page = again.get(&format!("/app/sign-in/link?token={token}")).await;
    let reused = again
        .post(
            "/app/sign-in/link",
            &[("csrf", &page.csrf()), ("token", token)],
        )
        .await;
    assert_eq!(reused.status, 403);
    assert!(reused.body.contains("already used or has expired"));
    assert!(again.cookie("sp_session").is_none());

    // An expired link is refused the same way.
    let csrf = web.get("/app/sign-in").await.csrf();
    web.post(
        "/app/sign-in/text-link",
        &[("csrf", &csrf), ("email", "jody@example.com")],
    )
    .await;
    let sent = app
        .twilio
        .wait_for_messages(2, Duration::from_secs(10))
        .await;
    let text = sent[1].field("Body").unwrap();
    let token = text.split("token=").nth(1).unwrap().trim().to_owned();
    app.sql(&format!("UPDATE web_sign_in_links SET expires_at = now() - interval '1 second' WHERE token_hash = '{}'", sha256_hex(&token)))
        .await;
    let page = again.get(&format!("/app/sign-in/link?token={token}")).await;
    let expired = again
        .post(
            "/app/sign-in/link",
            &[("csrf", &page.csrf()), ("token", &token)],
        )
        .await;
    assert_eq!(expired.status, 403);
}

#[actix_web::test]
async fn signing_out_revokes_this_session_and_everywhere_revokes_all() {
    let (app, tenant) = app_with_owner().await;
    let laptop = signed_in(&app).await;
    let phone = signed_in(&app).await;
    let tablet = signed_in(&app).await;
    assert_eq!(
        app.count(&format!(
            "web_sessions WHERE tenant_id = '{tenant}' AND revoked_at IS NULL"
        ))
        .await,
        3
    );

    let laptop_token = laptop.cookie("sp_session").unwrap();
    let csrf = crate::app_pages::csrf_on(&laptop, "/app").await;
    let out = laptop.post("/app/sign-out", &[("csrf", &csrf)]).await;
    assert_eq!(out.status, 303);
    assert_eq!(out.location.as_deref(), Some("/app/sign-in"));
    assert!(laptop.cookie("sp_session").is_none());
    // The old cookie no longer opens anything.
    laptop.set_cookie("sp_session", &laptop_token);
    let gone = laptop.get("/app").await;
    assert_eq!(gone.status, 303);
    assert_eq!(gone.location.as_deref(), Some("/app/sign-in?next=%2Fapp"));
    assert_eq!(phone.get("/app").await.status, 200);

    let csrf = crate::app_pages::csrf_on(&phone, "/app").await;
    let all = phone
        .post("/app/sign-out-everywhere", &[("csrf", &csrf)])
        .await;
    assert_eq!(all.status, 303);
    assert_eq!(tablet.get("/app").await.status, 303);
    assert_eq!(
        app.count(&format!(
            "web_sessions WHERE tenant_id = '{tenant}' AND revoked_at IS NULL"
        ))
        .await,
        0
    );

    // An expired session is as good as none.
    let web = signed_in(&app).await;
    app.sql(&format!("UPDATE web_sessions SET expires_at = now() - interval '1 second' WHERE tenant_id = '{tenant}'")).await;
    assert_eq!(
        web.get("/app?x=1").await.location.as_deref(),
        Some("/app/sign-in?next=%2Fapp%3Fx%3D1")
    );
}

#[actix_web::test]
async fn the_root_token_opens_a_root_session_that_an_owner_cookie_cannot() {
    let (app, _) = app_with_owner().await;
    let web = WebClient::new(&app.address);
    let page = web.get("/root/sign-in").await;
    assert_eq!(page.status, 200);
    let wrong = web
        .post(
            "/root/sign-in",
            &[("csrf", &page.csrf()), ("token", "not-the-token")],
        )
        .await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.body.contains(r#"id="token-error""#));
    let ok = web
        .post(
            "/root/sign-in",
            &[
                ("csrf", &page.csrf()),
                ("token", crate::support::app::ROOT_TOKEN),
            ],
        )
        .await;
    assert_eq!(ok.status, 303);
    assert_eq!(ok.location.as_deref(), Some("/root"));
    let token = web.cookie("sp_session").unwrap();
    assert!(token.starts_with("r_"));
    assert_eq!(
        app.count(&format!(
            "web_sessions WHERE kind = 'root' AND tenant_id IS NULL AND token_hash = '{}'",
            sha256_hex(&token)
        ))
        .await,
        1
    );
    // A root session is not an owner's, and an owner's is not root's.
    assert_eq!(web.get("/app").await.status, 303);
    let owner = signed_in(&app).await;
    let as_root = owner.post("/root/sign-out", &[("csrf", "x")]).await;
    assert_eq!(as_root.status, 303);
    assert!(as_root.location.unwrap().starts_with("/root/sign-in?next="));

    // Signing out: CSRF-checked, then revoked.
    assert_eq!(
        web.post("/root/sign-out", &[("csrf", "forged")])
            .await
            .status,
        403
    );
    let csrf = app
        .state
        .csrf
        .token(&format!("root-session:{}", root_session_id(&app).await));
    let out = web.post("/root/sign-out", &[("csrf", &csrf)]).await;
    assert_eq!(out.status, 303);
    assert_eq!(
        app.count("web_sessions WHERE kind = 'root' AND revoked_at IS NOT NULL")
            .await,
        1
    );
}

async fn root_session_id(app: &TestApp) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct Id {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        id: i64,
    }
    use diesel_async::RunQueryDsl;
    let mut conn = app.db.superuser().await;
    let row: Id = diesel::sql_query("SELECT max(id) AS id FROM web_sessions WHERE kind = 'root'")
        .get_result(&mut conn)
        .await
        .unwrap();
    row.id
}
