//! Limits and deadlines at the server's edge: how long a client may take to send a
//! request's head and body, how large a websocket frame may be, and how long a media
//! stream may stay open without its `start` frame or, once started, without a frame. Read with the rest of [`Config`]
//! (`super::Config`), each value checked once.

use super::{ConfigError, Source};
use std::time::Duration;

/// Largest websocket frame the media stream accepts by default: a Twilio media frame
/// is under 1 KiB, a `start` frame with its parameters a few hundred bytes.
pub const DEFAULT_WS_MAX_FRAME_BYTES: usize = 16 * 1024;
/// Smallest frame limit accepted (room for a `start` frame with long parameters).
pub const MIN_WS_MAX_FRAME_BYTES: usize = 4 * 1024;
/// Default time a client gets to send a request's head (actix-web's default too).
pub const DEFAULT_CLIENT_REQUEST_TIMEOUT: Duration = Duration::from_secs(5);
/// Default time a closing connection gets to shut down cleanly.
pub const DEFAULT_CLIENT_DISCONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// Default time a client gets to send a request's whole body.
pub const DEFAULT_BODY_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time a media stream gets to send its `start` frame.
pub const DEFAULT_STREAM_START_TIMEOUT: Duration = Duration::from_secs(10);

/// Default time a started call's caller may send no frame before the call is ended.
pub const DEFAULT_STREAM_IDLE_TIMEOUT: Duration = servicepro_actors::call::TWILIO_IDLE_TIMEOUT;

/// The edge's limits and deadlines.
#[derive(Debug, Clone)]
pub struct EdgeConfig {
    /// Largest media-stream websocket frame, refused as soon as its header announces
    /// more (`SERVICEPRO_WS_MAX_FRAME_BYTES`).
    pub ws_max_frame_bytes: usize,
    /// Time to receive a request's head (`SERVICEPRO_CLIENT_REQUEST_TIMEOUT_MS`).
    pub client_request_timeout: Duration,
    /// Time a closing connection gets (`SERVICEPRO_CLIENT_DISCONNECT_TIMEOUT_MS`).
    pub client_disconnect_timeout: Duration,
    /// Time to receive a request's whole body, else 408
    /// (`SERVICEPRO_BODY_READ_TIMEOUT_MS`).
    pub body_read_timeout: Duration,
    /// Time a media stream gets to send `start`, else it is closed
    /// (`SERVICEPRO_STREAM_START_TIMEOUT_MS`).
    pub stream_start_timeout: Duration,
    /// Time a started call's caller may send no frame before the call actor ends it
    /// (`SERVICEPRO_STREAM_IDLE_TIMEOUT_MS`).
    pub stream_idle_timeout: Duration,
}

impl EdgeConfig {
    /// Reads and checks the edge's variables.
    pub(super) fn read(src: &Source) -> Result<Self, ConfigError> {
        let frame_var = "SERVICEPRO_WS_MAX_FRAME_BYTES";
        let ws_max_frame_bytes = match src.get(frame_var) {
            None => DEFAULT_WS_MAX_FRAME_BYTES,
            Some(raw) => match raw.parse::<usize>() {
                Ok(n) if n >= MIN_WS_MAX_FRAME_BYTES => n,
                _ => {
                    return Err(super::invalid(
                        frame_var,
                        format!("expected a number of bytes of at least {MIN_WS_MAX_FRAME_BYTES}, got {raw}"),
                    ))
                }
            },
        };
        Ok(EdgeConfig {
            ws_max_frame_bytes,
            client_request_timeout: src.millis(
                "SERVICEPRO_CLIENT_REQUEST_TIMEOUT_MS",
                DEFAULT_CLIENT_REQUEST_TIMEOUT,
            )?,
            client_disconnect_timeout: src.millis(
                "SERVICEPRO_CLIENT_DISCONNECT_TIMEOUT_MS",
                DEFAULT_CLIENT_DISCONNECT_TIMEOUT,
            )?,
            body_read_timeout: src
                .millis("SERVICEPRO_BODY_READ_TIMEOUT_MS", DEFAULT_BODY_READ_TIMEOUT)?,
            stream_start_timeout: src.millis(
                "SERVICEPRO_STREAM_START_TIMEOUT_MS",
                DEFAULT_STREAM_START_TIMEOUT,
            )?,
            stream_idle_timeout: src.millis(
                "SERVICEPRO_STREAM_IDLE_TIMEOUT_MS",
                DEFAULT_STREAM_IDLE_TIMEOUT,
            )?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::Config;
    use super::*;
    use std::collections::HashMap;

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        Config::from_map(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<HashMap<_, _>>(),
        )
    }

    #[test]
    fn defaults_and_overrides() {
        let edge = config(&[]).unwrap().edge;
        assert_eq!(edge.ws_max_frame_bytes, DEFAULT_WS_MAX_FRAME_BYTES);
        assert_eq!(edge.body_read_timeout, DEFAULT_BODY_READ_TIMEOUT);
        assert_eq!(edge.stream_start_timeout, DEFAULT_STREAM_START_TIMEOUT);
        let tuned = config(&[
            ("SERVICEPRO_WS_MAX_FRAME_BYTES", "8192"),
            ("SERVICEPRO_BODY_READ_TIMEOUT_MS", "300"),
            ("SERVICEPRO_STREAM_START_TIMEOUT_MS", "400"),
            ("SERVICEPRO_CLIENT_REQUEST_TIMEOUT_MS", "1000"),
            ("SERVICEPRO_CLIENT_DISCONNECT_TIMEOUT_MS", "500"),
            ("SERVICEPRO_STREAM_IDLE_TIMEOUT_MS", "600"),
        ])
        .unwrap()
        .edge;
        assert_eq!(tuned.ws_max_frame_bytes, 8192);
        assert_eq!(tuned.body_read_timeout, Duration::from_millis(300));
        assert_eq!(tuned.stream_start_timeout, Duration::from_millis(400));
        assert_eq!(tuned.client_request_timeout, Duration::from_secs(1));
        assert_eq!(tuned.client_disconnect_timeout, Duration::from_millis(500));
        assert_eq!(tuned.stream_idle_timeout, Duration::from_millis(600));
    }

    #[test]
    fn bad_values_name_the_variable() {
        for (variable, value) in [
            ("SERVICEPRO_WS_MAX_FRAME_BYTES", "100"),
            ("SERVICEPRO_WS_MAX_FRAME_BYTES", "big"),
            ("SERVICEPRO_BODY_READ_TIMEOUT_MS", "0"),
            ("SERVICEPRO_STREAM_START_TIMEOUT_MS", "soon"),
            ("SERVICEPRO_CLIENT_REQUEST_TIMEOUT_MS", "-1"),
            ("SERVICEPRO_CLIENT_DISCONNECT_TIMEOUT_MS", "x"),
            ("SERVICEPRO_STREAM_IDLE_TIMEOUT_MS", "0"),
        ] {
            let err = config(&[(variable, value)]).unwrap_err();
            assert_eq!(err.variable, variable, "{value}");
        }
    }
}
