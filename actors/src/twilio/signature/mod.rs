//! Validation of the `X-Twilio-Signature` header, exactly as Twilio's helper
//! libraries do it (twilio-python `RequestValidator`, twilio-node
//! `validateRequest`).
//!
//! The signed text is the full URL Twilio called, followed by every POST
//! parameter as `name` + `value` with no delimiter. Parameters are ordered by
//! name; a name that appears several times (a Flask `MultiDict`, a Django
//! `QueryDict`) contributes one `name` + `value` per value, the values
//! themselves in sorted order — twilio-python's
//! `for name in sorted(set(params)): for value in sorted(values)`. Ordering is
//! by code point, which for Rust strings is plain byte order.
//!
//! The two libraries differ in one corner: twilio-node removes identical
//! repeated values (`new Set(values)`) before sorting, twilio-python keeps
//! them. [`expected_signature`] follows twilio-python; [`validate`] accepts
//! either, so a request either library accepts is accepted here.
//!
//! The signature is base64(HMAC-SHA1(auth token, signed text)).

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac::digest::{Key, KeyInit};
use hmac::{Hmac, Mac};
use sha1::{Digest, Sha1};
use sha2::Sha256;
use subtle::{Choice, ConstantTimeEq};

mod url_port;

use url_port::port_variants;

type HmacSha1 = Hmac<Sha1>;

/// The query parameter through which Twilio binds a JSON body to the signed URL.
const BODY_SHA256: &str = "bodySHA256";

/// The `X-Twilio-Signature` Twilio sends for a request to `url` carrying the
/// form `params`; lets tests and the loopback Twilio fake sign webhooks.
///
/// `url` is signed exactly as given (see [`validate`] for the port variants).
pub fn expected_signature(auth_token: &str, url: &str, params: &[(String, String)]) -> String {
    let sorted = sorted_params(params);
    STANDARD.encode(sign(auth_token, url, &sorted))
}

/// Whether `signature_header` is Twilio's signature of a request to `url` with
/// the form `params`, compared in constant time.
///
/// The URL is tried with its port removed and with the scheme's default port
/// added (`:443` for `https`/`wss`, `:80` for `http`/`ws`), as Twilio's
/// validators do; an explicit non-default port is also tried removed, as they
/// do. `url` must be the public URL Twilio called, not one rebuilt from the
/// `Host` header.
///
/// The media-stream websocket handshake is a GET signed the same way over its
/// `wss://` URL with no parameters: validate it with `params = &[]`.
#[must_use]
pub fn validate(
    auth_token: &str,
    url: &str,
    params: &[(String, String)],
    signature_header: &str,
) -> bool {
    let presented = signature_header.as_bytes();
    let python_order = sorted_params(params);
    let mut node_order = python_order.clone();
    node_order.dedup();
    let mut orders = vec![python_order.as_slice()];
    if node_order.len() != python_order.len() {
        orders.push(node_order.as_slice());
    }

    let mut valid = Choice::from(0);
    for candidate_url in candidate_urls(url) {
        for order in &orders {
            let expected = STANDARD.encode(sign(auth_token, &candidate_url, order));
            valid |= expected.as_bytes().ct_eq(presented);
        }
    }
    bool::from(valid)
}

/// Whether a JSON-bodied webhook is authentic: Twilio appends
/// `bodySHA256=<hex SHA-256 of the body>` to the URL query and signs that URL
/// with no parameters. Both the signature and the body hash must match; a URL
/// without `bodySHA256` is rejected, since nothing then binds the body.
#[must_use]
pub fn validate_body_sha256(auth_token: &str, url: &str, body: &[u8], signature: &str) -> bool {
    let Some(claimed) = query_param(url, BODY_SHA256) else {
        return false;
    };
    let actual = lower_hex(&Sha256::digest(body));
    let body_matches = actual.as_bytes().ct_eq(claimed.as_bytes());
    let signature_matches = Choice::from(u8::from(validate(auth_token, url, &[], signature)));
    bool::from(body_matches & signature_matches)
}

/// The URL spellings to try: without and with the port, or the URL as given
/// when it has no recognisable authority.
fn candidate_urls(url: &str) -> Vec<String> {
    match port_variants(url) {
        Some((without_port, with_port)) => vec![without_port, with_port],
        None => vec![url.to_owned()],
    }
}

/// The parameters in signing order: by name, then by value.
fn sorted_params(params: &[(String, String)]) -> Vec<&(String, String)> {
    let mut sorted: Vec<&(String, String)> = params.iter().collect();
    sorted.sort();
    sorted
}

/// HMAC-SHA1 over the URL followed by each `name` + `value`, in the order given.
fn sign(auth_token: &str, url: &str, params: &[&(String, String)]) -> [u8; 20] {
    let mut mac = <HmacSha1 as KeyInit>::new(&hmac_key(auth_token));
    mac.update(url.as_bytes());
    for (name, value) in params {
        mac.update(name.as_bytes());
        mac.update(value.as_bytes());
    }
    mac.finalize().into_bytes().into()
}

/// The auth token as one SHA-1 block (see [`hmac_block_key`]).
fn hmac_key(auth_token: &str) -> Key<HmacSha1> {
    hmac_block_key::<HmacSha1, Sha1>(auth_token.as_bytes())
}

/// `secret` as one block of the HMAC `M` over digest `D`, normalised as RFC 2104
/// does (hashed when longer than a block, zero-padded): the infallible form of
/// `Hmac::new_from_slice`, giving the same MAC for any key length. Also keys
/// Stripe's webhook signatures.
pub(crate) fn hmac_block_key<M: KeyInit, D: Digest>(secret: &[u8]) -> Key<M> {
    let mut block = Key::<M>::default();
    if secret.len() <= block.len() {
        block.iter_mut().zip(secret).for_each(|(b, t)| *b = *t);
    } else {
        let digest = D::digest(secret);
        block.iter_mut().zip(digest).for_each(|(b, d)| *b = d);
    }
    block
}

/// The first value of the query parameter `name` in `url`, percent-decoded.
fn query_param(url: &str, name: &str) -> Option<String> {
    let before_fragment = url.split_once('#').map_or(url, |(head, _)| head);
    let (_, query) = before_fragment.split_once('?')?;
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
}

/// Lower-case hex, the spelling Twilio uses for `bodySHA256`.
fn lower_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    out
}

#[cfg(test)]
mod tests;
