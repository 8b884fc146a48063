//! The demo's stand-in for Twilio's REST API: a loopback server that takes
//! the texts and call updates the engine sends, prints them, and answers
//! the way Twilio does, so the demo runs end to end with no account. It also
//! sells numbers (a local search always finds one; purchases are listed back by
//! FriendlyName), so a signup in the demo gets its number.

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

/// Numbers bought through the sink: (sid, number, friendly name).
type Bought = Arc<Mutex<Vec<(String, String, String)>>>;

/// Answers the phone-number resources; `None` for any other path.
fn numbers(
    req: &HttpRequest,
    field: &dyn Fn(&str) -> String,
    bought: &Bought,
    n: u64,
) -> Option<HttpResponse> {
    let path = req.path();
    let query = |name: &str| {
        url::form_urlencoded::parse(req.query_string().as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    let mut all = bought.lock().ok()?;
    if path.ends_with("/AvailablePhoneNumbers/US/Local.json") {
        let number = format!("+1{}555{:04}", query("AreaCode"), 400 + all.len());
        return Some(
            HttpResponse::Ok().json(
                serde_json::json!({ "available_phone_numbers": [{ "phone_number": number }] }),
            ),
        );
    }
    if !path.ends_with("/IncomingPhoneNumbers.json") {
        return None;
    }
    let as_json = |(sid, number, friendly): &(String, String, String)| serde_json::json!({ "sid": sid, "phone_number": number, "friendly_name": friendly });
    if req.method() == actix_web::http::Method::POST {
        let row = (
            format!("PNdemo{n:026}"),
            field("PhoneNumber"),
            field("FriendlyName"),
        );
        println!("    [twilio] bought {} for {}", row.1, row.2);
        let body = as_json(&row);
        all.push(row);
        return Some(HttpResponse::Created().json(body));
    }
    let friendly = query("FriendlyName");
    let list: Vec<serde_json::Value> = all
        .iter()
        .filter(|row| friendly.is_empty() || row.2 == friendly)
        .map(as_json)
        .collect();
    Some(HttpResponse::Ok().json(serde_json::json!({ "incoming_phone_numbers": list })))
}

async fn take(
    req: HttpRequest,
    body: web::Bytes,
    texts: web::Data<Arc<Mutex<Vec<SentText>>>>,
    seq: web::Data<AtomicU64>,
    bought: web::Data<Bought>,
) -> HttpResponse {
    let form: Vec<(String, String)> = url::form_urlencoded::parse(&body).into_owned().collect();
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let n = seq.fetch_add(1, Ordering::Relaxed);
    if let Some(res) = numbers(&req, &field, &bought, n) {
        return res;
    }
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
        let bought: web::Data<Bought> = web::Data::new(Arc::default());
        let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        let base = format!("http://{}", listener.local_addr()?);
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .app_data(seq.clone())
                .app_data(bought.clone())
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

#[cfg(test)]
mod tests {
    use super::*;
    use servicepro_actors::messaging::{TwilioCredentials, TwilioRest};
    use servicepro_actors::provisioning::numbers::{self, NumberWebhooks};
    use servicepro_schema::{SecretString, TenantId};

    #[actix_web::test]
    async fn the_sink_sells_a_number_and_lists_it_by_its_tag() {
        let sink = TwilioSink::start().unwrap();
        let twilio = TwilioRest::new(url::Url::parse(&sink.base).unwrap()).unwrap();
        let creds = TwilioCredentials {
            account_sid: "AC00000000000000000000000000000001".to_owned(),
            auth_token: SecretString::from("demo".to_owned()),
        };
        let tenant = TenantId::parse("demo-lawn").unwrap();
        let found = numbers::search_local(&twilio, &creds, "918").await.unwrap();
        assert_eq!(found.len(), 1);
        assert!(found[0].as_str().starts_with("+1918555"));
        assert!(numbers::bought_for(&twilio, &creds, &tenant)
            .await
            .unwrap()
            .is_empty());
        let hooks = NumberWebhooks {
            voice: "https://x/twilio/voice/incoming".to_owned(),
            voice_status: "https://x/twilio/voice/status".to_owned(),
            sms: "https://x/twilio/sms/incoming".to_owned(),
        };
        let bought = numbers::buy(&twilio, &creds, &tenant, &found[0], &hooks)
            .await
            .unwrap();
        assert_eq!(bought.phone_number, found[0]);
        let listed = numbers::bought_for(&twilio, &creds, &tenant).await.unwrap();
        assert_eq!(listed, vec![bought]);
        let next = numbers::search_local(&twilio, &creds, "918").await.unwrap();
        assert_ne!(next, found);
    }
}
