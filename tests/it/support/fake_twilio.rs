//! A loopback fake of Twilio's REST API: records every request (path,
//! basic-auth user and password, form) and answers like Twilio does.
//! It can be told to fail the next N requests with a status.

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use base64::Engine;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// One request the fake received.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// Request path.
    pub path: String,
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

#[derive(Default)]
struct Inner {
    requests: Vec<Recorded>,
    fail_next: Vec<u16>,
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
    state.requests.push(Recorded {
        path: req.path().to_owned(),
        user,
        password,
        form,
        at: Instant::now(),
    });
    if !state.fail_next.is_empty() {
        let status = state.fail_next.remove(0);
        return HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap())
            .json(serde_json::json!({"code": 20500, "message": "fake failure", "status": status}));
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
        let inner = Arc::new(Mutex::new(Inner::default()));
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
