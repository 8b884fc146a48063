//! Base64 (standard alphabet) for media payloads, appending into buffers the caller lends.
//!
//! Twilio `media` events and provider audio deltas carry audio as standard base64, 50
//! times a second per direction per call; on the transcoded path that is ~64 kB of
//! base64 each way per call-second. Encoding, and decoding of the canonical padded text
//! the peers send, run on `base64-simd` (AVX2/SSE4.1/NEON picked at run time): 3-4x
//! the table-driven loops this module had (decode 4,800 bytes: 1,844 -> 578 ns; encode:
//! 1,536 -> 398 ns; BENCHMARKS.md, Media). Input it refuses falls back to the table
//! decoder below (four pre-shifted 256-entry tables), which defines what is accepted:
//! padded or unpadded input, the unused low bits of the last symbol ignored, anything
//! else (whitespace included) rejected.

use crate::error::{MediaError, Result};

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Marks an invalid symbol in the decode tables (never set by a valid one).
const INVALID: u32 = 1 << 31;
/// Sextet of each symbol, already shifted into place for positions 0..4 of a quad.
static DECODE: [[u32; 256]; 4] = build_decode();
const fn build_decode() -> [[u32; 256]; 4] {
    let mut table = [[INVALID; 256]; 4];
    let mut v = 0;
    while v < 64 {
        let c = ALPHABET[v] as usize;
        table[0][c] = (v as u32) << 18;
        table[1][c] = (v as u32) << 12;
        table[2][c] = (v as u32) << 6;
        table[3][c] = v as u32;
        v += 1;
    }
    table
}

/// Length of the padded base64 text for `n` bytes, for sizing buffers up front.
pub fn encoded_len(n: usize) -> usize {
    n.div_ceil(3) * 4
}

/// Encodes `bytes` and appends the text to `out` (SIMD where the CPU has it).
pub fn encode_append(bytes: &[u8], out: &mut String) {
    base64_simd::STANDARD.encode_append(bytes, out);
}

/// Decodes `text` and appends the bytes to `out`. Returns how many bytes were appended.
/// On error `out` keeps its previous contents.
pub fn decode_append(text: &[u8], out: &mut Vec<u8>) -> Result<usize> {
    let start = out.len();
    // The peers send canonical padded base64, which the SIMD decoder takes; anything
    // it refuses goes through the table decoder, which defines what is accepted.
    if base64_simd::STANDARD.decode_append(text, out).is_ok() {
        return Ok(out.len() - start);
    }
    out.truncate(start);
    decode_append_tables(text, out)
}

/// The table decoder: padded or unpadded input, unused low bits of the last symbol
/// ignored.
fn decode_append_tables(text: &[u8], out: &mut Vec<u8>) -> Result<usize> {
    let mut body = text;
    for _ in 0..2 {
        if let [rest @ .., b'='] = body {
            body = rest;
        }
    }
    if body.len() % 4 == 1 || (body.len() != text.len() && !text.len().is_multiple_of(4)) {
        return Err(MediaError::Base64("bad length or padding"));
    }
    let full = body.len() / 4;
    let tail_len = body.len() % 4;
    let start = out.len();
    let decoded = full * 3 + tail_len.saturating_sub(1);
    out.resize(start + decoded, 0);
    let mut acc = 0u32;
    let (quads, tail) = body.split_at(full * 4);
    for (q, o) in quads.chunks_exact(4).zip(out[start..].chunks_exact_mut(3)) {
        let w = DECODE[0][usize::from(q[0])]
            | DECODE[1][usize::from(q[1])]
            | DECODE[2][usize::from(q[2])]
            | DECODE[3][usize::from(q[3])];
        acc |= w;
        o.copy_from_slice(&[(w >> 16) as u8, (w >> 8) as u8, w as u8]);
    }
    if tail_len >= 2 {
        let mut w = 0u32;
        for (i, &c) in tail.iter().enumerate() {
            w |= DECODE[i][usize::from(c)];
        }
        acc |= w;
        let bytes = [(w >> 16) as u8, (w >> 8) as u8];
        let at = start + full * 3;
        out[at..at + tail_len - 1].copy_from_slice(&bytes[..tail_len - 1]);
    }
    if acc & INVALID != 0 {
        out.truncate(start);
        return Err(MediaError::Base64("invalid character"));
    }
    Ok(decoded)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
    use base64::Engine;

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
    fn matches_the_base64_crate_on_every_length_across_block_edges() {
        let data: Vec<u8> = (0..2500u32).map(|i| (i * 7919 % 251) as u8).collect();
        for len in (0..40).chain(760..780).chain([1535, 1536, 1537, 2500]) {
            let mut ours = String::new();
            encode_append(&data[..len], &mut ours);
            assert_eq!(ours, STANDARD.encode(&data[..len]), "len {len}");
            let mut back = Vec::new();
            assert_eq!(decode_append(ours.as_bytes(), &mut back).unwrap(), len);
            assert_eq!(back, &data[..len]);
            let unpadded = STANDARD_NO_PAD.encode(&data[..len]);
            back.clear();
            decode_append(unpadded.as_bytes(), &mut back).unwrap();
            assert_eq!(back, &data[..len]);
        }
    }

    #[test]
    fn the_simd_path_and_the_table_decoder_agree() {
        let data: Vec<u8> = (0..700u32).map(|i| (i * 31 % 256) as u8).collect();
        for len in 0..700 {
            let text = STANDARD.encode(&data[..len]);
            let (mut a, mut b) = (vec![7u8], vec![7u8]);
            assert_eq!(
                decode_append(text.as_bytes(), &mut a).unwrap(),
                decode_append_tables(text.as_bytes(), &mut b).unwrap()
            );
            assert_eq!(a, b, "len {len}");
        }
        // Unused low bits set in the last symbol: not canonical, still accepted, and
        // decoded as if they were zero.
        let mut out = Vec::new();
        assert_eq!(decode_append(b"AB==", &mut out).unwrap(), 1);
        assert_eq!(decode_append(b"AAB=", &mut out).unwrap(), 2);
        assert_eq!(out, [0, 0, 0]);
    }

    #[test]
    fn rejects_garbage_without_touching_output() {
        let mut out = vec![9u8];
        for bad in [
            &b"!!!!"[..],
            b"A",
            b"AAAAA",
            b"AA=A",
            b"A===",
            b"AA==AA==",
            b" AAA",
            b"AAA==",
        ] {
            assert!(
                decode_append(bad, &mut out).is_err(),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
            assert_eq!(out, [9]);
        }
        assert_eq!(decode_append(b"", &mut out).unwrap(), 0);
        assert_eq!(decode_append(b"AA==", &mut out).unwrap(), 1);
        assert_eq!(decode_append(b"AAA", &mut out).unwrap(), 2);
    }
}
