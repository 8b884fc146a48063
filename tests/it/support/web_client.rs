//! A cookie-keeping, non-redirecting HTTP client for the server-rendered pages:
//! GET a page, read its form's CSRF token, post a form, follow nothing.

use reqwest::header::{COOKIE, SET_COOKIE};
use std::collections::BTreeMap;
use std::sync::Mutex;

/// One browser without JavaScript.
pub struct WebClient {
    base: String,
    client: reqwest::Client,
    cookies: Mutex<BTreeMap<String, String>>,
}

/// A page or redirect answered.
pub struct Answer {
    /// Status code.
    pub status: u16,
    /// `Location`, when a redirect.
    pub location: Option<String>,
    /// Every `Set-Cookie` line.
    pub set_cookies: Vec<String>,
    /// `Retry-After`, when set.
    pub retry_after: Option<String>,
    /// The body.
    pub body: String,
}

impl Answer {
    /// The first form's CSRF token on the page.
    pub fn csrf(&self) -> String {
        csrf_of(&self.body)
    }
}

/// The first `name="csrf" value="…"` in `html`.
pub fn csrf_of(html: &str) -> String {
    let at = html.find(r#"name="csrf" value=""#).expect("a csrf field");
    let rest = &html[at + r#"name="csrf" value=""#.len()..];
    rest[..rest.find('"').unwrap()].to_owned()
}

impl WebClient {
    /// A client of the app at `base` (`http://127.0.0.1:port`).
    pub fn new(base: &str) -> Self {
        WebClient {
            base: base.to_owned(),
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookies: Mutex::new(BTreeMap::new()),
        }
    }

    /// A cookie's current value.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies.lock().unwrap().get(name).cloned()
    }

    /// Sets (or replaces) a cookie.
    pub fn set_cookie(&self, name: &str, value: &str) {
        self.cookies
            .lock()
            .unwrap()
            .insert(name.to_owned(), value.to_owned());
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .lock()
            .unwrap()
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn answer(&self, res: reqwest::Response) -> Answer {
        let status = res.status().as_u16();
        let header = |name: reqwest::header::HeaderName| {
            res.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let location = header(reqwest::header::LOCATION);
        let retry_after = header(reqwest::header::RETRY_AFTER);
        let set_cookies: Vec<String> = res
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect();
        for line in &set_cookies {
            let pair = line.split(';').next().unwrap_or_default();
            if let Some((k, v)) = pair.split_once('=') {
                let mut jar = self.cookies.lock().unwrap();
                if v.is_empty() || line.contains("Max-Age=0") {
                    jar.remove(k.trim());
                } else {
                    jar.insert(k.trim().to_owned(), v.to_owned());
                }
            }
        }
        Answer {
            status,
            location,
            set_cookies,
            retry_after,
            body: res.text().await.unwrap(),
        }
    }

    /// `GET path`.
    pub async fn get(&self, path: &str) -> Answer {
        let res = self
            .client
            .get(format!("{}{path}", self.base))
            .header(COOKIE, self.cookie_header())
            .send()
            .await
            .unwrap();
        self.answer(res).await
    }

    /// `POST path` with a urlencoded form.
    pub async fn post(&self, path: &str, form: &[(&str, &str)]) -> Answer {
        let res = self
            .client
            .post(format!("{}{path}", self.base))
            .header(COOKIE, self.cookie_header())
            .form(form)
            .send()
            .await
            .unwrap();
        self.answer(res).await
    }
}
