//! ITU-T G.711 μ-law and A-law, table driven.
//!
//! Twilio media streams carry μ-law; A-law is what SIP trunks outside North America use.
//! Encoding follows the Sun Microsystems `g711.c` reference (the one CPython's `audioop`
//! and most telephony stacks use): a 16-bit sample is truncated to the law's linear
//! range with an arithmetic shift (14 bits for μ-law, 13 for A-law) and then quantised
//! exactly as G.711 specifies. Both directions are a single table lookup per sample;
//! the tables are built at compile time.
//!
//! μ-law has two codes for zero: 0xFF (+0) and 0x7F (−0). Both decode to 0, and 0
//! encodes to 0xFF, so 0x7F is the only code that does not survive a round trip.

/// μ-law decode table: code → PCM16 (the 14-bit G.711 value scaled by 4).
static ULAW_TO_LINEAR: [i16; 256] = build_ulaw_decode();
/// A-law decode table: code → PCM16 (the 13-bit G.711 value scaled by 8).
static ALAW_TO_LINEAR: [i16; 256] = build_alaw_decode();
/// μ-law encode table indexed by the 14-bit value (`pcm >> 2`) offset to be non-negative.
static LINEAR14_TO_ULAW: [u8; 1 << 14] = build_ulaw_encode();
/// A-law encode table indexed by the 13-bit value (`pcm >> 3`) offset to be non-negative.
static LINEAR13_TO_ALAW: [u8; 1 << 13] = build_alaw_encode();

/// μ-law decode table to `f32` at PCM16 scale, for the resampler's input.
pub(crate) static ULAW_TO_F32: [f32; 256] = build_ulaw_decode_f32();

const fn build_ulaw_decode_f32() -> [f32; 256] {
    let mut table = [0f32; 256];
    let mut i = 0;
    while i < 256 {
        table[i] = ulaw_decode_one(i as u8) as f32;
        i += 1;
    }
    table
}

const fn ulaw_decode_one(code: u8) -> i16 {
    let u = !code;
    let mut t: i32 = (((u & 0x0F) as i32) << 3) + 0x84;
    t <<= ((u & 0x70) >> 4) as i32;
    if u & 0x80 != 0 {
        (0x84 - t) as i16
    } else {
        (t - 0x84) as i16
    }
}

const fn alaw_decode_one(code: u8) -> i16 {
    let a = code ^ 0x55;
    let mut t: i32 = ((a & 0x0F) as i32) << 4;
    let seg = ((a & 0x70) >> 4) as i32;
    match seg {
        0 => t += 8,
        1 => t += 0x108,
        _ => {
            t += 0x108;
            t <<= seg - 1;
        }
    }
    if a & 0x80 != 0 {
        t as i16
    } else {
        (-t) as i16
    }
}

/// First segment whose end is at or above `value`; 8 when above all of them.
const fn segment(value: i32, ends: &[i32; 8]) -> i32 {
    let mut seg = 0;
    while seg < 8 {
        if value <= ends[seg] {
            return seg as i32;
        }
        seg += 1;
    }
    8
}

/// μ-law code of a 14-bit two's complement sample.
const fn ulaw_encode14(sample: i32) -> u8 {
    const ENDS: [i32; 8] = [0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF];
    let (magnitude, mask) = if sample < 0 {
        (-sample, 0x7Fu8)
    } else {
        (sample, 0xFFu8)
    };
    let biased = magnitude + (0x84 >> 2);
    let seg = segment(biased, &ENDS);
    if seg >= 8 {
        0x7F ^ mask
    } else {
        let code = ((seg << 4) | ((biased >> (seg + 1)) & 0x0F)) as u8;
        code ^ mask
    }
}

/// A-law code of a 13-bit two's complement sample.
const fn alaw_encode13(sample: i32) -> u8 {
    const ENDS: [i32; 8] = [0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF];
    let (magnitude, mask) = if sample >= 0 {
        (sample, 0xD5u8)
    } else {
        (-sample - 1, 0x55u8)
    };
    let seg = segment(magnitude, &ENDS);
    if seg >= 8 {
        0x7F ^ mask
    } else {
        let quant = if seg < 2 {
            (magnitude >> 1) & 0x0F
        } else {
            (magnitude >> seg) & 0x0F
        };
        (((seg << 4) | quant) as u8) ^ mask
    }
}

const fn build_ulaw_decode() -> [i16; 256] {
    let mut table = [0i16; 256];
    let mut i = 0;
    while i < 256 {
        table[i] = ulaw_decode_one(i as u8);
        i += 1;
    }
    table
}

const fn build_alaw_decode() -> [i16; 256] {
    let mut table = [0i16; 256];
    let mut i = 0;
    while i < 256 {
        table[i] = alaw_decode_one(i as u8);
        i += 1;
    }
    table
}

const fn build_ulaw_encode() -> [u8; 1 << 14] {
    let mut table = [0u8; 1 << 14];
    let mut i = 0;
    while i < (1 << 14) {
        table[i] = ulaw_encode14(i as i32 - (1 << 13));
        i += 1;
    }
    table
}

const fn build_alaw_encode() -> [u8; 1 << 13] {
    let mut table = [0u8; 1 << 13];
    let mut i = 0;
    while i < (1 << 13) {
        table[i] = alaw_encode13(i as i32 - (1 << 12));
        i += 1;
    }
    table
}

/// Decodes one μ-law code to PCM16.
#[inline]
pub fn ulaw_to_linear(code: u8) -> i16 {
    ULAW_TO_LINEAR[code as usize]
}

/// Encodes one PCM16 sample to μ-law.
#[inline]
pub fn linear_to_ulaw(sample: i16) -> u8 {
    // (sample >> 2) is in -8192..=8191; adding 8192 maps it onto 0..16384.
    LINEAR14_TO_ULAW[((sample >> 2) as i32 + (1 << 13)) as usize & ((1 << 14) - 1)]
}

/// Decodes one A-law code to PCM16.
#[inline]
pub fn alaw_to_linear(code: u8) -> i16 {
    ALAW_TO_LINEAR[code as usize]
}

/// Encodes one PCM16 sample to A-law.
#[inline]
pub fn linear_to_alaw(sample: i16) -> u8 {
    LINEAR13_TO_ALAW[((sample >> 3) as i32 + (1 << 12)) as usize & ((1 << 13) - 1)]
}

/// Decodes μ-law codes into `out`, converting `min(codes.len(), out.len())` samples.
/// Returns how many samples were written.
pub fn decode_ulaw(codes: &[u8], out: &mut [i16]) -> usize {
    let n = codes.len().min(out.len());
    for (o, &c) in out[..n].iter_mut().zip(&codes[..n]) {
        *o = ULAW_TO_LINEAR[c as usize];
    }
    n
}

/// Encodes PCM16 samples into μ-law codes, converting `min(pcm.len(), out.len())`
/// samples. Returns how many codes were written.
pub fn encode_ulaw(pcm: &[i16], out: &mut [u8]) -> usize {
    let n = pcm.len().min(out.len());
    for (o, &s) in out[..n].iter_mut().zip(&pcm[..n]) {
        *o = linear_to_ulaw(s);
    }
    n
}

/// Decodes A-law codes into `out`; see [`decode_ulaw`].
pub fn decode_alaw(codes: &[u8], out: &mut [i16]) -> usize {
    let n = codes.len().min(out.len());
    for (o, &c) in out[..n].iter_mut().zip(&codes[..n]) {
        *o = ALAW_TO_LINEAR[c as usize];
    }
    n
}

/// Encodes PCM16 samples into A-law codes; see [`encode_ulaw`].
pub fn encode_alaw(pcm: &[i16], out: &mut [u8]) -> usize {
    let n = pcm.len().min(out.len());
    for (o, &s) in out[..n].iter_mut().zip(&pcm[..n]) {
        *o = linear_to_alaw(s);
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/g711");

    fn read(name: &str) -> Vec<u8> {
        std::fs::read(format!("{FIXTURES}/{name}")).unwrap()
    }

    fn read_i16(name: &str) -> Vec<i16> {
        read(name)
            .chunks_exact(2)
            .map(|b| i16::from_le_bytes([b[0], b[1]]))
            .collect()
    }

    #[test]
    fn ulaw_decode_matches_reference_for_all_codes() {
        let reference = read_i16("ulaw_decode.bin");
        assert_eq!(reference.len(), 256);
        for code in 0..=255u8 {
            assert_eq!(
                ulaw_to_linear(code),
                reference[code as usize],
                "code {code:#04x}"
            );
        }
        // Spot values from G.711 Table 2a (14-bit values, here scaled by 4).
        assert_eq!(ulaw_to_linear(0x00), -8031 * 4);
        assert_eq!(ulaw_to_linear(0x80), 8031 * 4);
        assert_eq!(ulaw_to_linear(0xFF), 0);
        assert_eq!(ulaw_to_linear(0x7F), 0);
        assert_eq!(ulaw_to_linear(0xFE), 2 * 4);
    }

    #[test]
    fn alaw_decode_matches_reference_for_all_codes() {
        let reference = read_i16("alaw_decode.bin");
        assert_eq!(reference.len(), 256);
        for code in 0..=255u8 {
            assert_eq!(
                alaw_to_linear(code),
                reference[code as usize],
                "code {code:#04x}"
            );
        }
        // G.711 Table 1a: the extreme and the smallest magnitudes (13-bit values scaled by 8).
        assert_eq!(alaw_to_linear(0xAA), 4032 * 8);
        assert_eq!(alaw_to_linear(0x2A), -4032 * 8);
        assert_eq!(alaw_to_linear(0xD5), 8);
        assert_eq!(alaw_to_linear(0x55), -8);
    }

    #[test]
    fn ulaw_codes_round_trip_except_negative_zero() {
        for code in 0..=255u8 {
            let back = linear_to_ulaw(ulaw_to_linear(code));
            if code == 0x7F {
                assert_eq!(back, 0xFF, "-0 re-encodes as +0");
            } else {
                assert_eq!(back, code, "code {code:#04x}");
            }
        }
    }

    #[test]
    fn alaw_codes_round_trip() {
        for code in 0..=255u8 {
            assert_eq!(
                linear_to_alaw(alaw_to_linear(code)),
                code,
                "code {code:#04x}"
            );
        }
    }

    #[test]
    fn ulaw_encode_matches_reference_for_every_pcm16_value() {
        let reference = read("ulaw_encode.bin");
        assert_eq!(reference.len(), 65536);
        let pcm: Vec<i16> = (i16::MIN..=i16::MAX).collect();
        let mut codes = vec![0u8; pcm.len()];
        assert_eq!(encode_ulaw(&pcm, &mut codes), 65536);
        let mismatches: Vec<i16> = pcm
            .iter()
            .zip(codes.iter().zip(&reference))
            .filter(|(_, (a, b))| a != b)
            .map(|(s, _)| *s)
            .collect();
        assert!(
            mismatches.is_empty(),
            "first mismatches: {:?}",
            &mismatches[..mismatches.len().min(8)]
        );
    }

    #[test]
    fn alaw_encode_matches_reference_for_every_pcm16_value() {
        let reference = read("alaw_encode.bin");
        let pcm: Vec<i16> = (i16::MIN..=i16::MAX).collect();
        let mut codes = vec![0u8; pcm.len()];
        assert_eq!(encode_alaw(&pcm, &mut codes), 65536);
        assert!(codes == reference);
    }

    #[test]
    fn slice_helpers_stop_at_the_shorter_buffer() {
        let mut out = [0i16; 2];
        assert_eq!(decode_ulaw(&[0xFF, 0x80, 0x00], &mut out), 2);
        assert_eq!(out, [0, 32124]);
        let mut codes = [0u8; 3];
        assert_eq!(encode_ulaw(&[0], &mut codes), 1);
        assert_eq!(codes[0], 0xFF);
        assert_eq!(decode_alaw(&[], &mut out), 0);
        assert_eq!(encode_alaw(&[1, 2], &mut []), 0);
    }
}
