//! Structured logging through `tracing`: spans and events carry fields such
//! as `tenant_id` and `call_sid`; `RUST_LOG` filters (default given by the caller).
//!
//! One target is silenced unless `RUST_LOG` names it: actix-http's HTTP/1
//! dispatcher ([`H1_DISPATCHER`]) logs every broken connection — a request line with
//! an invalid URI character, a malformed header — at `error`, so any client could
//! fill the error log. Those are the client's faults, not the server's.

use tracing_subscriber::EnvFilter;

/// The tracing target of actix-http's HTTP/1 dispatcher.
pub const H1_DISPATCHER: &str = "actix_http::h1::dispatcher";

/// Installs the global subscriber once; later calls are ignored.
pub fn init(default_filter: &str) {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter(std::env::var("RUST_LOG").ok(), default_filter))
        .with_target(false)
        .try_init();
}

/// The filter: `rust_log` if set and valid (else `default_filter`), with
/// [`H1_DISPATCHER`] off unless the directives name it.
pub fn filter(rust_log: Option<String>, default_filter: &str) -> EnvFilter {
    let directives = rust_log
        .filter(|d| EnvFilter::try_new(d).is_ok())
        .unwrap_or_else(|| default_filter.to_owned());
    if directives.contains(H1_DISPATCHER) {
        EnvFilter::new(directives)
    } else {
        EnvFilter::new(format!("{directives},{H1_DISPATCHER}=off"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn logged(rust_log: Option<&str>) -> String {
        let out = Captured::default();
        let writer = out.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter(filter(rust_log.map(str::to_owned), "info"))
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::with_default(subscriber, || {
            tracing::error!(target: "actix_http::h1::dispatcher", "stream error: invalid URI");
            tracing::error!(target: "servicepro::routes", "a real failure");
        });
        let text = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
        text
    }

    #[test]
    fn a_malformed_request_line_is_not_an_error_in_the_log() {
        let text = logged(None);
        assert!(text.contains("a real failure"), "{text}");
        assert!(!text.contains("invalid URI"), "{text}");
        let text = logged(Some("warn"));
        assert!(
            text.contains("a real failure") && !text.contains("invalid URI"),
            "{text}"
        );
        // Named explicitly, it is shown (for debugging connections).
        let text = logged(Some("info,actix_http::h1::dispatcher=debug"));
        assert!(text.contains("invalid URI"), "{text}");
    }
}
