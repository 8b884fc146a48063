//! The process's one TLS stack: rustls with the `ring` provider, used by
//! the REST clients (Twilio, Stripe, OpenAI) and the Realtime websocket.

/// Installs rustls' `ring` crypto provider as the process default.
/// Idempotent: later calls (and a provider installed elsewhere) are fine.
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}
