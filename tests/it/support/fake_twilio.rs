//! A loopback fake of Twilio's REST API: records every request (path,
//! basic-auth user and password, form) and answers like Twilio does.
//! It can be told to fail the next N requests with a status. It keeps phone
//! numbers per account like Twilio: a local-number search by area code (or an
//! empty one), purchases (counted; one purchase's answer can be "lost" as a 500
//! after the number is bought), lists filtered by FriendlyName or PhoneNumber,
//! updates and releases, and account fetches that answer only to the account's
//! own SID and token.

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use base64::Engine;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// One request the fake received.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// HTTP method.
    pub method: String,
    /// Request path.
    pub path: String,
    /// Query string (undecoded).
    pub query: String,
    /// Basic-auth user (account SID).
    pub user: String,
    /// Basic-auth password (auth token).
    pub password: String,
    /// Form fields.
    pub form: Vec<(String, String)>,
    /// When it arrived.
    pub at: Instant,
}

impl Recorded {
    /// A form field.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.form
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A number an account holds.
#[derive(Debug, Clone)]
pub struct OwnedNumber {
    /// Account SID.
    pub account: String,
    /// `PN…`.
    pub sid: String,
    /// E.164.
    pub phone_number: String,
    /// FriendlyName.
    pub friendly_name: String,
}

#[derive(Default)]
struct Inner {
    requests: Vec<Recorded>,
    fail_next: Vec<u16>,
    accounts: Vec<(String, String)>,
    owned: Vec<OwnedNumber>,
    empty_search: bool,
    lose_next_purchase_answer: bool,
}

fn query_param(query: &str, name: &str) -> Option<String> {
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// Answers the phone-number and account resources; `None` for other paths.
fn numbers(state: &mut Inner, rec: &Recorded, n: usize) -> Option<HttpResponse> {
    let path = rec.path.as_str();
    let account = path
        .strip_prefix("/2010-04-01/Accounts/")?
        .split(['/', '.'])
        .next()?
        .to_owned();
    if path == format!("/2010-04-01/Accounts/{account}.json") {
        let known = state
            .accounts
            .iter()
            .any(|(sid, token)| *sid == rec.user && *token == rec.password && *sid == account);
        return Some(if known {
            HttpResponse::Ok().json(serde_json::json!({"sid": account, "status": "active"}))
        } else {
            HttpResponse::Unauthorized()
                .json(serde_json::json!({"code": 20003, "message": "Authenticate", "status": 401}))
        });
    }
    if path.ends_with("/AvailablePhoneNumbers/US/Local.json") {
        let area = query_param(&rec.query, "AreaCode").unwrap_or_default();
        let list: Vec<serde_json::Value> = if state.empty_search {
            vec![]
        } else {
            (0..2)
                .map(|i| format!("+1{area}55501{:02}", state.owned.len() * 2 + i))
                .filter(|num| !state.owned.iter().any(|o| o.phone_number == *num))
                .map(|num| serde_json::json!({"phone_number": num, "friendly_name": num, "capabilities": {"voice": true, "SMS": true}}))
                .collect()
        };
        return Some(HttpResponse::Ok().json(serde_json::json!({"available_phone_numbers": list})));
    }
    let incoming = format!("/2010-04-01/Accounts/{account}/IncomingPhoneNumbers");
    let json = |o: &OwnedNumber| serde_json::json!({"sid": o.sid, "phone_number": o.phone_number, "friendly_name": o.friendly_name});
    if path == format!("{incoming}.json") && rec.method == "POST" {
        let owned = OwnedNumber {
            account,
            sid: format!("PN{n:032}"),
            phone_number: rec.field("PhoneNumber").unwrap_or_default().to_owned(),
            friendly_name: rec.field("FriendlyName").unwrap_or_default().to_owned(),
        };
        let body = json(&owned);
        state.owned.push(owned);
        if std::mem::take(&mut state.lose_next_purchase_answer) {
            return Some(HttpResponse::InternalServerError().json(
                serde_json::json!({"code": 20500, "message": "lost answer", "status": 500}),
            ));
        }
        return Some(HttpResponse::Created().json(body));
    }
    if path == format!("{incoming}.json") {
        let friendly = query_param(&rec.query, "FriendlyName");
        let number = query_param(&rec.query, "PhoneNumber");
        let list: Vec<serde_json::Value> = state
            .owned
            .iter()
            .filter(|o| o.account == account)
            .filter(|o| friendly.as_ref().is_none_or(|f| *f == o.friendly_name))
            .filter(|o| number.as_ref().is_none_or(|p| *p == o.phone_number))
            .map(json)
            .collect();
        return Some(HttpResponse::Ok().json(serde_json::json!({"incoming_phone_numbers": list})));
    }
    let sid = path
        .strip_prefix(&format!("{incoming}/"))?
        .strip_suffix(".json")?
        .to_owned();
    let at = state
        .owned
        .iter()
        .position(|o| o.sid == sid && o.account == account);
    Some(match (rec.method.as_str(), at) {
        (_, None) => HttpResponse::NotFound()
            .json(serde_json::json!({"code": 20404, "message": "not found", "status": 404})),
        ("DELETE", Some(i)) => {
            state.owned.remove(i);
            HttpResponse::NoContent().finish()
        }
        (_, Some(i)) => HttpResponse::Ok().json(json(&state.owned[i])),
    })
}

/// The running fake.
#[derive(Clone)]
pub struct FakeTwilio {
    /// `http://127.0.0.1:{port}`.
    pub base: String,
    inner: Arc<Mutex<Inner>>,
}

async fn handle(
    req: HttpRequest,
    body: web::Bytes,
    inner: web::Data<Arc<Mutex<Inner>>>,
) -> HttpResponse {
    let (user, password) = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
        .and_then(|raw| String::from_utf8(raw).ok())
        .and_then(|s| s.split_once(':').map(|(u, p)| (u.to_owned(), p.to_owned())))
        .unwrap_or_default();
    let form: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    let mut state = inner.lock().unwrap();
    let n = state.requests.len();
    let rec = Recorded {
        method: req.method().as_str().to_owned(),
        path: req.path().to_owned(),
        query: req.query_string().to_owned(),
        user,
        password,
        form,
        at: Instant::now(),
    };
    state.requests.push(rec.clone());
    if !state.fail_next.is_empty() {
        let status = state.fail_next.remove(0);
        return HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap())
            .json(serde_json::json!({"code": 20500, "message": "fake failure", "status": status}));
    }
    if let Some(res) = numbers(&mut state, &rec, n) {
        return res;
    }
    if req.path().ends_with("/Messages.json") {
        HttpResponse::Created()
            .json(serde_json::json!({"sid": format!("SM{n:032}"), "status": "queued"}))
    } else {
        HttpResponse::Ok().json(serde_json::json!({"sid": req.path(), "status": "in-progress"}))
    }
}

impl FakeTwilio {
    /// Starts the fake on 127.0.0.1:0.
    pub fn start() -> Self {
        let inner = Arc::new(Mutex::new(Inner {
            accounts: vec![(
                super::twilio_client::ACCOUNT_SID.to_owned(),
                super::twilio_client::AUTH_TOKEN.to_owned(),
            )],
            ..Inner::default()
        }));
        let data = web::Data::new(inner.clone());
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .default_service(web::to(handle))
        })
        .workers(1)
        .listen(listener)
        .unwrap()
        .run();
        actix_web::rt::spawn(server);
        FakeTwilio {
            base: format!("http://127.0.0.1:{port}"),
            inner,
        }
    }

    /// Everything received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.inner.lock().unwrap().requests.clone()
    }

    /// Messages sent so far.
    pub fn messages(&self) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|r| r.path.ends_with("/Messages.json"))
            .collect()
    }

    /// Number purchases received (`POST IncomingPhoneNumbers.json`), answered or not.
    pub fn purchases(&self) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|r| r.method == "POST" && r.path.ends_with("/IncomingPhoneNumbers.json"))
            .collect()
    }

    /// Numbers held now, in every account.
    pub fn owned(&self) -> Vec<OwnedNumber> {
        self.inner.lock().unwrap().owned.clone()
    }

    /// Searches find no number until told otherwise.
    pub fn set_empty_search(&self, empty: bool) {
        self.inner.lock().unwrap().empty_search = empty;
    }

    /// The next purchase buys the number but answers 500 (its answer "lost").
    pub fn lose_next_purchase_answer(&self) {
        self.inner.lock().unwrap().lose_next_purchase_answer = true;
    }

    /// Another account (a tenant's own) that answers to `sid` and `token`.
    pub fn add_account(&self, sid: &str, token: &str) {
        self.inner
            .lock()
            .unwrap()
            .accounts
            .push((sid.to_owned(), token.to_owned()));
    }

    /// A number `account` holds already.
    pub fn add_owned_number(&self, account: &str, phone_number: &str) {
        let mut state = self.inner.lock().unwrap();
        let n = state.owned.len();
        state.owned.push(OwnedNumber {
            account: account.to_owned(),
            sid: format!("PNown{n:029}"),
            phone_number: phone_number.to_owned(),
            friendly_name: phone_number.to_owned(),
        });
    }

    /// Fails the next requests with these statuses, in order.
    pub fn fail_next(&self, statuses: &[u16]) {
        self.inner
            .lock()
            .unwrap()
            .fail_next
            .extend_from_slice(statuses);
    }

    /// Waits until at least `n` messages arrived (or `timeout` passes).
    pub async fn wait_for_messages(&self, n: usize, timeout: std::time::Duration) -> Vec<Recorded> {
        let deadline = Instant::now() + timeout;
        loop {
            let got = self.messages();
            if got.len() >= n || Instant::now() > deadline {
                return got;
            }
            actix_web::rt::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }
}
