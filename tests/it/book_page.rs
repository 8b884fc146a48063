//! The hosted booking page `/{tenant}/book`: every step checked again on
//! every post (422 naming the field), a booking through the page (the
//! appointment row and the same confirmation text through the fake Twilio),
//! the service-area refusal, a lost race showing fresh slots, CSRF (403), the
//! honeypot, the rate limit (429; refusals are HTML pages), a hostile business name kept as text, and
//! IVR key 2 texting the page's link.

use crate::support::tenants::TenantSpec;
use crate::support::TestApp;
use chrono::{TimeZone, Utc};
use std::time::Duration;

/// Tuesday 2026-12-01 9:00 AM in Tulsa; the detailing pack's lead time is a day.
fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 15, 0, 0).unwrap()
}

pub(crate) async fn app() -> TestApp {
    let app = TestApp::builder().now(now()).spawn().await;
    app.create_tenant(TenantSpec::default()).await;
    app.sql(
        "UPDATE tenant_config SET booking_url = NULL, \
         service_area = '{\"radius_miles\": 20, \"base\": \"Tulsa, OK\"}' WHERE tenant_id = 'acme'",
    )
    .await;
    app
}

/// A browser without JavaScript: keeps the form cookie and re-posts the hidden fields.
pub struct Visitor<'a> {
    app: &'a TestApp,
    cookie: String,
    /// The hidden fields of the last page.
    pub hidden: Vec<(String, String)>,
}

fn unescape(s: &str) -> String {
    s.replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&#60;", "<")
        .replace("&#62;", ">")
        .replace("&#43;", "+")
        .replace("&#38;", "&")
}

/// The `<input type="hidden" name=.. value=..>` of a page.
fn hidden_fields(html: &str) -> Vec<(String, String)> {
    html.split("<input type=\"hidden\" name=\"")
        .skip(1)
        .filter_map(|rest| {
            let (name, rest) = rest.split_once('"')?;
            let value = rest.split_once("value=\"")?.1.split_once('"')?.0;
            Some((name.to_owned(), unescape(value)))
        })
        .collect()
}

impl<'a> Visitor<'a> {
    /// Opens the page (first step) and keeps its cookie and token.
    pub async fn open(app: &'a TestApp, tenant: &str) -> (Visitor<'a>, String) {
        let res = app
            .client
            .get(app.url(&format!("/{tenant}/book")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let cookie = res
            .headers()
            .get("set-cookie")
            .unwrap()
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        let html = res.text().await.unwrap();
        let hidden = hidden_fields(&html);
        (
            Visitor {
                app,
                cookie,
                hidden,
            },
            html,
        )
    }

    /// Posts the current hidden fields plus `fields`; keeps the new page's hidden fields.
    pub async fn post(&mut self, fields: &[(&str, &str)]) -> (u16, String) {
        let mut form: Vec<(String, String)> = self.hidden.clone();
        for (k, v) in fields {
            form.retain(|(name, _)| name != k);
            form.push(((*k).to_owned(), (*v).to_owned()));
        }
        let res = self
            .app
            .client
            .post(self.app.url("/acme/book"))
            .header("cookie", &self.cookie)
            .form(&form)
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        let html = res.text().await.unwrap();
        let hidden = hidden_fields(&html);
        if !hidden.is_empty() {
            self.hidden = hidden;
        }
        (status, html)
    }
}

/// The value of the first radio/button named `name` on the page.
fn first_value(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let rest = html
        .split(&marker)
        .nth(1)
        .unwrap_or_else(|| panic!("no {name} in {html}"));
    unescape(rest.split('"').next().unwrap())
}

const DETAILS: [(&str, &str); 3] = [
    ("d_vehicle", "2019 Honda Civic"),
    ("d_vehicle_type", "sedan"),
    ("d_condition", "normal"),
];

/// Walks to the confirm step; returns the chosen start.
pub(crate) async fn to_confirm(v: &mut Visitor<'_>, first_html: &str) -> String {
    let service = first_value(first_html, "service");
    let (status, html) = v.post(&[("step", "service"), ("service", &service)]).await;
    assert_eq!(status, 200, "{html}");
    let (status, html) = v
        .post(&[&[("step", "details")][..], &DETAILS[..]].concat())
        .await;
    assert_eq!(status, 200, "{html}");
    let day = first_value(&html, "day");
    let (status, html) = v.post(&[("step", "day"), ("day", &day)]).await;
    assert_eq!(status, 200, "{html}");
    let start = first_value(&html, "start");
    let (status, html) = v.post(&[("step", "time"), ("start", &start)]).await;
    assert_eq!(status, 200, "{html}");
    let (status, html) = v
        .post(&[
            ("step", "contact"),
            ("address", "123 Main St, Tulsa OK 74103"),
            ("name", "Dana Driver"),
            ("phone", "(918) 555-0142"),
        ])
        .await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("Check and book") && html.contains("2019 Honda Civic"));
    start
}

#[actix_web::test]
async fn a_booking_through_the_page_commits_and_texts_the_confirmation() {
    let app = app().await;
    let (mut v, html) = Visitor::open(&app, "acme").await;
    assert!(html.contains("Acme Detailing") && html.contains("Maintenance Wash"));
    assert!(
        html.contains("$") && html.contains("about "),
        "prices and durations"
    );
    let start = to_confirm(&mut v, &html).await;
    let (status, html) = v.post(&[("step", "confirm")]).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("You're booked"), "{html}");
    assert_eq!(
        app.count(
            "appointments a JOIN customers c ON c.id = a.customer_id \
             WHERE a.tenant_id = 'acme' AND c.phone = '+19185550142' \
             AND a.address = '123 Main St, Tulsa OK 74103' \
             AND a.details->>'vehicle_type' = 'sedan'"
        )
        .await,
        1
    );
    let chosen = chrono::DateTime::parse_from_rfc3339(&start).unwrap();
    assert_eq!(
        app.count(&format!(
            "appointments WHERE tenant_id = 'acme' AND starts_at = '{}'",
            chosen.to_rfc3339()
        ))
        .await,
        1
    );
    let texts = app
        .twilio
        .wait_for_messages(1, Duration::from_secs(10))
        .await;
    let body = texts[0]
        .form
        .iter()
        .find(|(k, _)| k == "Body")
        .map(|(_, v)| v.clone())
        .unwrap();
    let to = texts[0].form.iter().find(|(k, _)| k == "To").unwrap();
    assert_eq!(to.1, "+19185550142");
    // The page shows exactly the text the customer was sent.
    let shown = body.replace('&', "&#38;").replace('\'', "&#39;");
    assert!(html.contains(&shown), "{body} not in {html}");
}

#[actix_web::test]
async fn every_step_refuses_bad_input_with_the_field_named() {
    let app = app().await;
    let (mut v, html) = Visitor::open(&app, "acme").await;
    let (status, page) = v.post(&[("step", "service"), ("service", "999999")]).await;
    assert_eq!(status, 422);
    assert!(page.contains("href=\"#f-service\"") && page.contains("Choose one of the services"));
    let service = first_value(&html, "service");
    v.post(&[("step", "service"), ("service", &service)]).await;
    let (status, page) = v
        .post(&[
            ("step", "details"),
            ("d_vehicle", "Civic"),
            ("d_vehicle_type", "spaceship"),
            ("d_condition", "normal"),
        ])
        .await;
    assert_eq!(status, 422);
    assert!(page.contains("id=\"e-d_vehicle_type\""), "{page}");
    let (status, page) = v
        .post(&[&[("step", "details")][..], &DETAILS[..]].concat())
        .await;
    assert_eq!(status, 200);
    let (status, page2) = v.post(&[("step", "day"), ("day", "2099-01-01")]).await;
    assert_eq!(status, 422);
    assert!(page2.contains("href=\"#f-day\""));
    let day = first_value(&page, "day");
    let (_, page) = v.post(&[("step", "day"), ("day", &day)]).await;
    let (status, page3) = v
        .post(&[("step", "time"), ("start", "2026-12-02T03:00:00+00:00")])
        .await;
    assert_eq!(status, 422);
    assert!(page3.contains("href=\"#f-start\""));
    let start = first_value(&page, "start");
    v.post(&[("step", "time"), ("start", &start)]).await;
    let (status, page) = v
        .post(&[
            ("step", "contact"),
            ("address", "123 Main St, Tulsa OK 74103"),
            ("name", ""),
            ("phone", "12"),
        ])
        .await;
    assert_eq!(status, 422);
    assert!(page.contains("id=\"e-name\"") && page.contains("id=\"e-phone\""));
    // A forged hidden field is checked again at a later step: back to its own step.
    let (status, page) = v.post(&[("step", "contact"), ("service", "999999")]).await;
    assert_eq!(status, 422);
    assert!(page.contains("Choose one of the services"));
    assert_eq!(app.count("appointments WHERE tenant_id = 'acme'").await, 0);
}

#[actix_web::test]
async fn an_address_outside_the_area_is_refused_naming_where_the_business_works() {
    let app = app().await;
    let (mut v, html) = Visitor::open(&app, "acme").await;
    to_confirm(&mut v, &html).await;
    let (status, page) = v
        .post(&[
            ("step", "contact"),
            ("address", "500 Main St, Dallas TX 75201"),
            ("name", "Dana"),
            ("phone", "9185550142"),
        ])
        .await;
    assert_eq!(status, 422);
    assert!(
        page.contains("outside our service area") && page.contains("within 20 miles of Tulsa"),
        "{page}"
    );
    let (status, page) = v
        .post(&[("step", "contact"), ("address", "12 Oak Street")])
        .await;
    assert_eq!(status, 422);
    assert!(page.contains("add the ZIP code"), "{page}");
    // The confirm step cannot skip the check either.
    let (status, _) = v
        .post(&[
            ("step", "confirm"),
            ("address", "500 Main St, Dallas TX 75201"),
        ])
        .await;
    assert_eq!(status, 422);
    assert_eq!(app.count("appointments WHERE tenant_id = 'acme'").await, 0);
}

#[actix_web::test]
async fn two_posts_for_the_same_last_slot_book_once_and_the_loser_sees_fresh_slots() {
    let app = app().await;
    let (mut a, html) = Visitor::open(&app, "acme").await;
    let start = to_confirm(&mut a, &html).await;
    let (mut b, html_b) = Visitor::open(&app, "acme").await;
    let start_b = to_confirm(&mut b, &html_b).await;
    assert_eq!(start, start_b, "both chose the first free time");
    let (ra, rb) = futures_util::future::join(
        a.post(&[("step", "confirm")]),
        b.post(&[("step", "confirm")]),
    )
    .await;
    let (won, lost) = if ra.0 == 200 { (ra, rb) } else { (rb, ra) };
    assert_eq!(won.0, 200, "{}", won.1);
    assert!(lost.0 == 409 || lost.0 == 422, "{}", lost.0);
    assert!(lost.1.contains("Pick a time"), "{}", lost.1);
    assert!(
        lost.1.contains("someone just booked") || lost.1.contains("not free any more"),
        "{}",
        lost.1
    );
    assert!(
        !lost.1.contains(&format!("value=\"{start}\"")),
        "the taken time is not offered again"
    );
    assert_eq!(app.count("appointments WHERE tenant_id = 'acme'").await, 1);
}

#[actix_web::test]
async fn posts_without_this_browsers_token_are_refused() {
    let app = app().await;
    let (v, _) = Visitor::open(&app, "acme").await;
    let token = v
        .hidden
        .iter()
        .find(|(k, _)| k == "csrf")
        .unwrap()
        .1
        .clone();
    let no_cookie = app
        .client
        .post(app.url("/acme/book"))
        .form(&[
            ("csrf", token.as_str()),
            ("step", "service"),
            ("service", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(no_cookie.status(), 403);
    let other = app
        .client
        .post(app.url("/acme/book"))
        .header("cookie", "sp_form=someone-elses-cookie-value")
        .form(&[
            ("csrf", token.as_str()),
            ("step", "service"),
            ("service", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 403);
    assert_html(&other);
    let body = other.text().await.unwrap();
    assert!(body.contains("security token"), "{body}");
    assert!(
        body.contains("<main"),
        "the web layout's problem page: {body}"
    );
}

#[actix_web::test]
async fn a_bot_filling_the_honeypot_gets_a_fake_success_and_nothing_is_booked() {
    let app = app().await;
    let (mut a, html) = Visitor::open(&app, "acme").await;
    to_confirm(&mut a, &html).await;
    let (status, page) = a
        .post(&[("step", "confirm"), ("website", "http://spam.example")])
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("Thanks!"));
    assert_eq!(app.count("appointments WHERE tenant_id = 'acme'").await, 0);
    assert!(app.twilio.messages().is_empty());
    assert!(app
        .metrics_text()
        .await
        .contains("servicepro_booking_page_bots_total 1"));
}

#[actix_web::test]
async fn too_many_posts_from_one_address_are_refused_429() {
    let app = app().await;
    let mut statuses = Vec::new();
    let mut last = None;
    for _ in 0..31 {
        let res = app
            .client
            .post(app.url("/acme/book"))
            .form(&[("step", "service")])
            .send()
            .await
            .unwrap();
        statuses.push(res.status().as_u16());
        last = Some(res);
    }
    assert!(statuses[..30].iter().all(|s| *s == 403), "{statuses:?}");
    assert_eq!(statuses[30], 429);
    let refused = last.unwrap();
    assert_html(&refused);
    let wait: u64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(wait >= 1);
    let body = refused.text().await.unwrap();
    assert!(body.contains("too many requests"), "{body}");
    assert!(!body.trim_start().starts_with('{'), "not JSON: {body}");
}

#[actix_web::test]
async fn a_hostile_business_name_stays_text_and_unknown_tenants_are_404() {
    let app = app().await;
    app.create_tenant(TenantSpec {
        id: "xss",
        name: "<script>alert(1)</script>",
        phone: "+19185550177",
        ..TenantSpec::default()
    })
    .await;
    let (_, html) = Visitor::open(&app, "xss").await;
    assert!(!html.contains("<script>alert(1)"), "{html}");
    assert!(html.contains("&#60;script&#62;alert(1)&#60;/script&#62;"));
    let missing = app
        .client
        .get(app.url("/nobody/book"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    assert_html(&missing);
    let body = missing.text().await.unwrap();
    assert!(body.contains("tenant not found"), "{body}");
}

/// A refusal a browser gets is a page of the web layout, not the API's JSON.
fn assert_html(res: &reqwest::Response) {
    let kind = res.headers()["content-type"].to_str().unwrap();
    assert!(kind.starts_with("text/html"), "{kind}");
}

#[actix_web::test]
async fn ivr_key_2_texts_the_hosted_booking_page_when_no_link_is_set() {
    let app = app().await;
    let res = app
        .twilio_post(
            "/twilio/voice/ivr?tenant_id=acme&attempt=1",
            &[
                ("CallSid", "CA_book"),
                ("From", "+14158675309"),
                ("To", "+19185550100"),
                ("Digits", "2"),
            ],
        )
        .await;
    assert_eq!(res.status(), 200);
    assert!(!res.text().await.unwrap().contains("<Record"));
    let texts = app
        .twilio
        .wait_for_messages(1, Duration::from_secs(10))
        .await;
    let body = &texts[0].form.iter().find(|(k, _)| k == "Body").unwrap().1;
    assert!(body.contains("https://sp.example.test/acme/book"), "{body}");
}
