//! Base64 for media payloads, appending into buffers the caller lends.
//!
//! Twilio `media` events and provider audio deltas carry audio as standard base64. A live
//! call converts 50 of these per second per direction, so these helpers append into a
//! caller-owned `Vec<u8>`/`String` that is reused across frames instead of allocating a
//! fresh one each time. Decoding accepts both padded and unpadded input.

use base64::alphabet;
use base64::engine::{DecodePaddingMode, Engine, GeneralPurpose, GeneralPurposeConfig};

use crate::error::Result;

/// Standard alphabet, padded output, padding optional on input.
const ENGINE: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_encode_padding(true)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Decodes `text` and appends the bytes to `out`. Returns how many bytes were appended.
/// On error `out` keeps its previous contents.
pub fn decode_append(text: &[u8], out: &mut Vec<u8>) -> Result<usize> {
    let before = out.len();
    match ENGINE.decode_vec(text, out) {
        Ok(()) => Ok(out.len() - before),
        Err(e) => {
            out.truncate(before);
            Err(e.into())
        }
    }
}

/// Encodes `bytes` and appends the text to `out`.
pub fn encode_append(bytes: &[u8], out: &mut String) {
    ENGINE.encode_string(bytes, out);
}

/// Length of the padded base64 text for `n` bytes, for sizing buffers up front.
pub fn encoded_len(n: usize) -> usize {
    n.div_ceil(3) * 4
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_appends() {
        let mut text = String::from("x");
        encode_append(&[0xFF, 0x00, 0x7F, 0x80], &mut text);
        assert_eq!(text, "x/wB/gA==");
        assert_eq!(encoded_len(4), 8);
        let mut out = vec![1u8];
        assert_eq!(decode_append(&text.as_bytes()[1..], &mut out).unwrap(), 4);
        assert_eq!(out, [1, 0xFF, 0x00, 0x7F, 0x80]);
    }

    #[test]
    fn accepts_unpadded_and_rejects_garbage_without_touching_output() {
        let mut out = Vec::new();
        assert_eq!(decode_append(b"/wB/gA", &mut out).unwrap(), 4);
        let mut out = vec![9u8];
        assert!(decode_append(b"!!!!", &mut out).is_err());
        assert_eq!(out, [9]);
        assert_eq!(decode_append(b"", &mut out).unwrap(), 0);
    }
}
