//! Headless Chromium for browser tests, driven over the DevTools protocol (CDP)
//! on the websocket client the tests already use — no WebDriver, no new crate.
//!
//! * [`Browser::launch`] starts Debian's `chromium` (or `SERVICEPRO_CHROMIUM`)
//!   with a fresh profile and the flags this closed network needs. With no
//!   Chromium on the machine it returns `None` and the test says so and passes,
//!   unless `SERVICEPRO_REQUIRE_BROWSER=1` (set by `.ci/run`, which installs
//!   Chromium) makes that a failure.
//! * [`Browser::page`] opens a tab at a viewport size; a [`Page`] navigates,
//!   clicks with real mouse events at an element's centre, types with real key
//!   input, evaluates JavaScript, and checks what the dashboards and sites
//!   promise: no horizontal scroll, no layout shift after load.
//! * [`Page::screenshot`] writes `target/screenshots/<name>.png`.
//!
//! At most two browsers run at once (two cores); each is killed with its test.

#![allow(dead_code)] // the harness serves every browser test; not each uses every step

use base64::Engine as _;
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use std::collections::VecDeque;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// How long one protocol step (a navigation, a click's page load) may take.
const STEP: Duration = Duration::from_secs(30);

static SLOTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// A running headless Chromium with its own profile directory.
pub struct Browser {
    child: Child,
    profile: PathBuf,
    endpoint: String,
    _slot: tokio::sync::SemaphorePermit<'static>,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

fn chromium_binary() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("SERVICEPRO_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser", "google-chrome", "chrome"] {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// Where screenshots go: `target/screenshots/` (or under `CARGO_TARGET_DIR`).
pub fn screenshot_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/target")));
    target.join("screenshots")
}

impl Browser {
    /// Starts Chromium, or `None` (after saying why) when the machine has none
    /// and `SERVICEPRO_REQUIRE_BROWSER` is not set.
    pub async fn launch() -> Option<Browser> {
        let Some(binary) = chromium_binary() else {
            let required = std::env::var("SERVICEPRO_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
            assert!(
                !required,
                "SERVICEPRO_REQUIRE_BROWSER=1 but no Chromium was found \
                 (scripts/install-system-deps.sh installs Debian's chromium)"
            );
            eprintln!(
                "browser test skipped: no Chromium on this machine \
                 (scripts/install-system-deps.sh installs it; CI requires it)"
            );
            return None;
        };
        let slot = SLOTS.acquire().await.expect("browser slots never close");
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let profile =
            std::env::temp_dir().join(format!("servicepro-chromium-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&profile);
        std::fs::create_dir_all(&profile).unwrap();
        let child = Command::new(&binary)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--disable-dev-shm-usage",
                "--hide-scrollbars",
                "--mute-audio",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
        // Chromium writes its port and browser path here once it listens.
        let active = profile.join("DevToolsActivePort");
        let deadline = tokio::time::Instant::now() + STEP;
        let endpoint = loop {
            if let Ok(text) = std::fs::read_to_string(&active) {
                let mut lines = text.lines();
                if let (Some(port), Some(path)) = (lines.next(), lines.next()) {
                    break format!("ws://127.0.0.1:{port}{path}");
                }
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "Chromium did not open its DevTools port"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        Some(Browser {
            child,
            profile,
            endpoint,
            _slot: slot,
        })
    }

    /// A new tab `width` × `height` CSS pixels (device scale 1).
    pub async fn page(&self, width: u32, height: u32) -> Page {
        self.open(width, height, false).await
    }

    /// A new tab in a browser context of its own: its own cookies, as a second
    /// person's browser (the root operator's while the owner stays signed in).
    pub async fn private_page(&self, width: u32, height: u32) -> Page {
        self.open(width, height, true).await
    }

    async fn open(&self, width: u32, height: u32, own_context: bool) -> Page {
        let (ws, _) = tokio_tungstenite::connect_async(self.endpoint.as_str())
            .await
            .expect("connect to Chromium's DevTools socket");
        let mut page = Page {
            ws,
            next_id: 0,
            session: None,
            events: VecDeque::new(),
            width,
            height,
        };
        let mut params = json!({"url": "about:blank"});
        if own_context {
            let context = page.call("Target.createBrowserContext", json!({})).await;
            params["browserContextId"] = context["browserContextId"].clone();
        }
        let target = page.call("Target.createTarget", params).await;
        let target_id = target["targetId"].as_str().unwrap().to_owned();
        let attached = page
            .call(
                "Target.attachToTarget",
                json!({"targetId": target_id, "flatten": true}),
            )
            .await;
        page.session = Some(attached["sessionId"].as_str().unwrap().to_owned());
        page.call("Page.enable", json!({})).await;
        page.call("Runtime.enable", json!({})).await;
        page.set_viewport(width, height).await;
        page
    }
}

/// One tab, attached with its own protocol session.
pub struct Page {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    next_id: u64,
    session: Option<String>,
    events: VecDeque<Value>,
    width: u32,
    height: u32,
}

impl Page {
    /// Sends one protocol command and waits for its answer (events that arrive
    /// meanwhile are kept for [`Page::wait_for_event`]). Panics on a protocol error.
    pub async fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = json!({"id": id, "method": method, "params": params});
        if let Some(session) = &self.session {
            msg["sessionId"] = json!(session);
        }
        self.ws
            .send(Message::text(msg.to_string()))
            .await
            .expect("send to Chromium");
        let answer = tokio::time::timeout(STEP, async {
            loop {
                let frame = self
                    .ws
                    .next()
                    .await
                    .expect("Chromium closed")
                    .expect("read");
                let Message::Text(text) = frame else { continue };
                let value: Value = serde_json::from_str(text.as_str()).expect("CDP JSON");
                if value["id"].as_u64() == Some(id) {
                    return value;
                }
                if value.get("method").is_some() {
                    self.events.push_back(value);
                }
            }
        })
        .await
        .unwrap_or_else(|_| panic!("Chromium did not answer {method} in {STEP:?}"));
        if let Some(error) = answer.get("error") {
            panic!("{method} failed: {error}");
        }
        answer["result"].clone()
    }

    /// Waits for the next event named `method` (already received ones first).
    pub async fn wait_for_event(&mut self, method: &str) -> Value {
        if let Some(pos) = self.events.iter().position(|e| e["method"] == method) {
            return self.events.remove(pos).unwrap_or_default();
        }
        tokio::time::timeout(STEP, async {
            loop {
                let frame = self
                    .ws
                    .next()
                    .await
                    .expect("Chromium closed")
                    .expect("read");
                let Message::Text(text) = frame else { continue };
                let value: Value = serde_json::from_str(text.as_str()).expect("CDP JSON");
                if value["method"] == method {
                    return value;
                }
                if value.get("method").is_some() {
                    self.events.push_back(value);
                }
            }
        })
        .await
        .unwrap_or_else(|_| panic!("no {method} within {STEP:?}"))
    }

    /// Resizes the viewport (CSS pixels; a mobile width also sets the mobile flag).
    pub async fn set_viewport(&mut self, width: u32, height: u32) {
        self.width = width;
        self.height = height;
        self.call(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600}),
        )
        .await;
    }

    /// Opens `url` and waits for its load event.
    pub async fn goto(&mut self, url: &str) {
        self.events.retain(|e| e["method"] != "Page.loadEventFired");
        let nav = self.call("Page.navigate", json!({"url": url})).await;
        if let Some(error) = nav.get("errorText") {
            panic!("navigation to {url} failed: {error}");
        }
        self.wait_for_event("Page.loadEventFired").await;
    }

    /// Evaluates `expression` (awaiting a promise) and returns its JSON value.
    pub async fn eval(&mut self, expression: &str) -> Value {
        let result = self
            .call(
                "Runtime.evaluate",
                json!({"expression": expression, "returnByValue": true, "awaitPromise": true}),
            )
            .await;
        if let Some(exception) = result.get("exceptionDetails") {
            panic!("{expression} threw: {exception}");
        }
        result["result"]["value"].clone()
    }

    /// The page's URL.
    pub async fn url(&mut self) -> String {
        self.eval("location.href")
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// The page's visible text.
    pub async fn text(&mut self) -> String {
        self.eval("document.body.innerText")
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Whether an element matches `selector`.
    pub async fn exists(&mut self, selector: &str) -> bool {
        let js = format!("document.querySelector({}) !== null", json!(selector));
        self.eval(&js).await.as_bool().unwrap_or(false)
    }

    /// The centre of `selector`'s element in viewport coordinates (of its first
    /// line box, so a link wrapped over two lines is hit on its text), after
    /// scrolling it into view; panics when there is none or it has no size.
    async fn centre(&mut self, selector: &str) -> (f64, f64) {
        let js = format!(
            "(() => {{ const e = document.querySelector({}); if (!e) return null; \
             e.scrollIntoView({{block: 'center', inline: 'center', behavior: 'instant'}}); \
             const r = e.getClientRects()[0] || e.getBoundingClientRect(); \
             return [r.left + r.width / 2, r.top + r.height / 2, r.width, r.height]; }})()",
            json!(selector)
        );
        let v = self.eval(&js).await;
        let Some(r) = v.as_array() else {
            panic!("no element matches {selector}")
        };
        let f = |i: usize| r[i].as_f64().unwrap_or(0.0);
        assert!(f(2) > 0.0 && f(3) > 0.0, "{selector} has no size");
        (f(0), f(1))
    }

    /// Clicks `selector`'s element with real mouse events at its centre (what
    /// is on top there gets the click, as for a person).
    pub async fn click(&mut self, selector: &str) {
        let (x, y) = self.centre(selector).await;
        for kind in ["mousePressed", "mouseReleased"] {
            self.call(
                "Input.dispatchMouseEvent",
                json!({"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1}),
            )
            .await;
        }
    }

    /// Clicks `selector` and waits for the page it leads to (a link or a form submit).
    pub async fn click_and_wait(&mut self, selector: &str) {
        self.events.retain(|e| e["method"] != "Page.loadEventFired");
        self.click(selector).await;
        self.wait_for_event("Page.loadEventFired").await;
    }

    /// Focuses `selector`'s field, clears it and types `text` as key input.
    pub async fn fill(&mut self, selector: &str, text: &str) {
        let js = format!(
            "(() => {{ const e = document.querySelector({}); if (!e) return false; \
             e.focus(); if ('value' in e) {{ e.value = ''; }} return true; }})()",
            json!(selector)
        );
        assert!(
            self.eval(&js).await.as_bool().unwrap_or(false),
            "no field matches {selector}"
        );
        self.call("Input.insertText", json!({"text": text})).await;
    }

    /// Chooses `value` in the `<select>` matching `selector` (with a change event).
    pub async fn select(&mut self, selector: &str, value: &str) {
        let js = format!(
            "(() => {{ const e = document.querySelector({}); if (!e) return false; \
             e.value = {}; e.dispatchEvent(new Event('change', {{bubbles: true}})); \
             return e.value === {}; }})()",
            json!(selector),
            json!(value),
            json!(value)
        );
        assert!(
            self.eval(&js).await.as_bool().unwrap_or(false),
            "{selector} has no option {value}"
        );
    }

    /// True when the page is wider than the viewport (a horizontal scrollbar).
    pub async fn scrolls_horizontally(&mut self) -> bool {
        self.eval("document.documentElement.scrollWidth > window.innerWidth + 1")
            .await
            .as_bool()
            .unwrap_or(true)
    }

    /// Cumulative layout shift since the page started loading, after `settle`
    /// more time (shifts right after user input do not count, as in CLS).
    pub async fn layout_shift(&mut self, settle: Duration) -> f64 {
        let js = format!(
            "new Promise(resolve => {{ let sum = 0; \
             new PerformanceObserver(list => {{ for (const e of list.getEntries()) \
               if (!e.hadRecentInput) sum += e.value; }}) \
               .observe({{type: 'layout-shift', buffered: true}}); \
             setTimeout(() => resolve(sum), {}); }})",
            settle.as_millis()
        );
        self.eval(&js).await.as_f64().unwrap_or(f64::INFINITY)
    }

    /// Saves a PNG of the whole page (not just the viewport) as
    /// `target/screenshots/<name>.png` and returns its path.
    pub async fn screenshot(&mut self, name: &str) -> PathBuf {
        let shot = self
            .call(
                "Page.captureScreenshot",
                json!({"format": "png", "captureBeyondViewport": true}),
            )
            .await;
        let png = base64::engine::general_purpose::STANDARD
            .decode(shot["data"].as_str().unwrap_or_default())
            .expect("screenshot base64");
        let path = screenshot_dir().join(format!("{name}.png"));
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).unwrap();
        }
        std::fs::write(&path, png).unwrap();
        path
    }

    /// The current viewport width this page was given.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// The current viewport height this page was given.
    pub fn height(&self) -> u32 {
        self.height
    }
}
