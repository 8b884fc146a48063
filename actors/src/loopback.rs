//! The HTTP/1.1 plumbing of the loopback test doubles (the fake Chat Completions
//! endpoint, the fake Stripe API): a [`LoopbackServer`] on `127.0.0.1:0` holding
//! the double's state, answering each request through the double's handler; it
//! reads one request with its `content-length` body and writes one JSON answer.
//! Test code only (`testkit`).

use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// One answer of a double.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// JSON body.
    pub body: String,
    /// Extra headers.
    pub headers: Vec<(String, String)>,
    /// Wait this long before answering.
    pub delay: Duration,
}

/// How a double answers a request, given its state.
pub type Handler<S> = fn(&mut S, RawRequest) -> Answer;

/// A running double with state `S`; stops when dropped.
#[derive(Debug)]
pub struct LoopbackServer<S> {
    addr: SocketAddr,
    shared: Arc<Mutex<S>>,
    accept: JoinHandle<()>,
}

impl<S: Send + 'static> LoopbackServer<S> {
    /// Starts serving on `127.0.0.1:0` from `state` through `handler`.
    pub async fn start(state: S, handler: Handler<S>) -> io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Mutex::new(state));
        let accept = tokio::spawn(accept_loop(listener, Arc::clone(&shared), handler));
        Ok(LoopbackServer {
            addr,
            shared,
            accept,
        })
    }

    /// `http://127.0.0.1:{port}`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The double's state (a poisoned lock is used as is: tests read what is there).
    pub fn state(&self) -> MutexGuard<'_, S> {
        lock(&self.shared)
    }
}

impl<S> Drop for LoopbackServer<S> {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

fn lock<S>(shared: &Mutex<S>) -> MutexGuard<'_, S> {
    shared
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

async fn accept_loop<S: Send + 'static>(
    listener: TcpListener,
    shared: Arc<Mutex<S>>,
    handler: Handler<S>,
) {
    let mut connections = tokio::task::JoinSet::new();
    while let Ok((stream, _)) = listener.accept().await {
        while connections.try_join_next().is_some() {}
        connections.spawn(serve(stream, Arc::clone(&shared), handler));
    }
}

/// Serves requests on one connection until it closes.
async fn serve<S>(
    mut stream: TcpStream,
    shared: Arc<Mutex<S>>,
    handler: Handler<S>,
) -> io::Result<()> {
    let mut buffer = Vec::new();
    while let Some(request) = read_request(&mut stream, &mut buffer).await? {
        let answer = handler(&mut lock(&shared), request);
        tokio::time::sleep(answer.delay).await;
        write_response(&mut stream, answer.status, &answer.body, &answer.headers).await?;
    }
    Ok(())
}

/// The largest request head read.
const MAX_HEAD: usize = 64 * 1024;

/// One request as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRequest {
    /// e.g. `POST`.
    pub method: String,
    /// e.g. `/v1/subscriptions/sub_1`.
    pub path: String,
    /// Headers, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

/// Reads one request (head and `content-length` body); `None` at EOF.
async fn read_request(
    stream: &mut TcpStream,
    buffer: &mut Vec<u8>,
) -> io::Result<Option<RawRequest>> {
    let head_end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        if buffer.len() > MAX_HEAD || !fill(stream, buffer).await? {
            return Ok(None);
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or_default().split_whitespace();
    let method = first.next().unwrap_or_default().to_owned();
    let path = first.next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    while buffer.len() < head_end + length {
        if !fill(stream, buffer).await? {
            return Ok(None);
        }
    }
    let body = buffer[head_end..head_end + length].to_vec();
    buffer.drain(..head_end + length);
    Ok(Some(RawRequest {
        method,
        path,
        headers,
        body,
    }))
}

/// Writes one answer with a JSON `body` and any extra `headers`.
async fn write_response(
    stream: &mut TcpStream,
    status: u16,
    body: &str,
    headers: &[(String, String)],
) -> io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {status} Fake\r\ncontent-type: application/json\r\ncontent-length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body.as_bytes()).await?;
    stream.flush().await
}

/// Reads more bytes; false at EOF.
async fn fill(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> io::Result<bool> {
    let mut chunk = [0u8; 8192];
    let read = stream.read(&mut chunk).await?;
    buffer.extend_from_slice(&chunk[..read]);
    Ok(read > 0)
}
