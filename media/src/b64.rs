//! Base64 (standard alphabet) for media payloads, appending into buffers the caller lends.
//!
//! Twilio `media` events and provider audio deltas carry audio as standard base64, 50
//! times a second per direction per call. With the `base64` crate, encoding and decoding
//! the 1,120 bytes of one duplex frame took ~21k instructions, more than a third of the
//! whole duplex budget; these table-driven loops (a 4,096-entry pair table for encoding,
//! four pre-shifted 256-entry tables for decoding) do it in about a third of that. They
//! append to a caller-owned `Vec<u8>`/`String` that is reused across frames; the only
//! copy is from a stack block into the `String`.
//!
//! Encoding pads with `=`. Decoding accepts padded or unpadded input, ignores the unused
//! low bits of the last symbol, and rejects anything else (whitespace included).

use crate::error::{MediaError, Result};

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Two output characters for every 12-bit input group, as a little-endian `u16`.
static ENCODE_PAIRS: [u16; 4096] = build_pairs();

/// Marks an invalid symbol in the decode tables (never set by a valid one).
const INVALID: u32 = 1 << 31;
/// Sextet of each symbol, already shifted into place for positions 0..4 of a quad.
static DECODE: [[u32; 256]; 4] = build_decode();
const fn build_pairs() -> [u16; 4096] {
    let mut table = [0u16; 4096];
    let mut i = 0;
    while i < 4096 {
        table[i] = ALPHABET[i >> 6] as u16 | (ALPHABET[i & 63] as u16) << 8;
        i += 1;
    }
    table
}

/// Two characters for the low 12 bits of `x`, in the low 16 bits.
#[inline(always)]
fn pair(x: u64) -> u64 {
    u64::from(ENCODE_PAIRS[(x & 0xFFF) as usize])
}

/// Four characters for three bytes held in the low 24 bits of `v`, as a little-endian
/// `u32` ready to store.
#[inline(always)]
fn quad(v: u32) -> u32 {
    u32::from(ENCODE_PAIRS[((v >> 12) & 0xFFF) as usize])
        | u32::from(ENCODE_PAIRS[(v & 0xFFF) as usize]) << 16
}

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

/// Encodes `bytes` and appends the text to `out`.
pub fn encode_append(bytes: &[u8], out: &mut String) {
    // Encode through a stack block: 768 input bytes → 1,024 characters.
    const BLOCK: usize = 768;
    out.reserve(encoded_len(bytes.len()));
    let mut text = [0u8; BLOCK / 3 * 4];
    let mut blocks = bytes.chunks(BLOCK).peekable();
    while let Some(block) = blocks.next() {
        let groups = block.len() / 3;
        let mut n = 0;
        // 12 bytes → 16 characters per step, from one 8-byte and one 4-byte load.
        let mut chunks = block.chunks_exact(12);
        for (c, t) in (&mut chunks).zip(text.chunks_exact_mut(16)) {
            let (head, tail) = c.split_at(8);
            let w0 = u64::from_be_bytes(<[u8; 8]>::try_from(head).unwrap_or([0; 8]));
            let w1 = u64::from(u32::from_be_bytes(
                <[u8; 4]>::try_from(tail).unwrap_or([0; 4]),
            ));
            let q2 = ((w0 & 0xFFFF) << 8) | (w1 >> 24);
            let lo =
                pair(w0 >> 52) | pair(w0 >> 40) << 16 | pair(w0 >> 28) << 32 | pair(w0 >> 16) << 48;
            let hi = pair(q2 >> 12) | pair(q2) << 16 | pair(w1 >> 12) << 32 | pair(w1) << 48;
            t[..8].copy_from_slice(&lo.to_le_bytes());
            t[8..].copy_from_slice(&hi.to_le_bytes());
            n += 16;
        }
        for i in n / 4..groups {
            if let (Some(&[a, b, c]), Some(t)) =
                (block.get(i * 3..i * 3 + 3), text.get_mut(n..n + 4))
            {
                let v = u32::from_be_bytes([0, a, b, c]);
                t.copy_from_slice(&quad(v).to_le_bytes());
                n += 4;
            }
        }
        if blocks.peek().is_none() {
            let tail: Option<[u8; 4]> = match *block.get(groups * 3..).unwrap_or_default() {
                [a] => {
                    let v = u32::from(a) << 16;
                    let [c0, c1, _, _] = quad(v).to_le_bytes();
                    Some([c0, c1, b'=', b'='])
                }
                [a, b] => {
                    let v = (u32::from(a) << 16) | (u32::from(b) << 8);
                    let [c0, c1, c2, _] = quad(v).to_le_bytes();
                    Some([c0, c1, c2, b'='])
                }
                _ => None,
            };
            if let (Some(tail), Some(slot)) = (tail, text.get_mut(n..n + 4)) {
                slot.copy_from_slice(&tail);
                n += 4;
            }
        }
        // Every byte written comes from ALPHABET or is '=', so this is ASCII.
        if let Ok(s) = std::str::from_utf8(&text[..n]) {
            out.push_str(s);
        }
    }
}

/// Decodes `text` and appends the bytes to `out`. Returns how many bytes were appended.
/// On error `out` keeps its previous contents.
pub fn decode_append(text: &[u8], out: &mut Vec<u8>) -> Result<usize> {
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
