//! The demo's stand-in for Twilio's REST API: a loopback server that takes
//! the texts and call updates the engine sends, prints them, and answers
//! the way Twilio does, so the demo runs end to end with no account.

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// A text the engine sent.
#[derive(Debug, Clone)]
pub struct SentText {
    /// Recipient.
    pub to: String,
    /// Sender (number or messaging service).
    pub from: String,
    /// Text.
    pub body: String,
}

/// The running sink.
#[derive(Clone)]
pub struct TwilioSink {
    /// Its base URL (`TWILIO_API_BASE`).
    pub base: String,
    texts: Arc<Mutex<Vec<SentText>>>,
}

async fn take(
    req: HttpRequest,
    body: web::Bytes,
    texts: web::Data<Arc<Mutex<Vec<SentText>>>>,
    seq: web::Data<AtomicU64>,
) -> HttpResponse {
    let form: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let n = seq.fetch_add(1, Ordering::Relaxed);
    if req.path().ends_with("/Messages.json") {
        let from = match field("From") {
            f if f.is_empty() => field("MessagingServiceSid"),
            f => f,
        };
        let text = SentText {
            to: field("To"),
            from,
            body: field("Body"),
        };
        println!(
            "    [twilio] text from {} to {}: {}",
            text.from, text.to, text.body
        );
        if let Ok(mut all) = texts.lock() {
            all.push(text);
        }
        HttpResponse::Created()
            .json(serde_json::json!({ "sid": format!("SMdemo{n:026}"), "status": "queued" }))
    } else {
        println!(
            "    [twilio] call update {}: {}",
            req.path(),
            field("Twiml")
        );
        HttpResponse::Ok().json(serde_json::json!({ "sid": req.path(), "status": "in-progress" }))
    }
}

impl TwilioSink {
    /// Starts the sink on 127.0.0.1:0.
    pub fn start() -> std::io::Result<Self> {
        let texts = Arc::new(Mutex::new(Vec::new()));
        let data = web::Data::new(texts.clone());
        let seq = web::Data::new(AtomicU64::new(1));
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        let base = format!("http://{}", listener.local_addr()?);
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .app_data(seq.clone())
                .default_service(web::to(take))
        })
        .workers(1)
        .listen(listener)?
        .run();
        actix_web::rt::spawn(server);
        Ok(TwilioSink { base, texts })
    }

    /// The texts received so far.
    pub fn texts(&self) -> Vec<SentText> {
        self.texts.lock().map(|t| t.clone()).unwrap_or_default()
    }
}
