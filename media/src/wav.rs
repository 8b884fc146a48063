//! Minimal WAV (RIFF) reader and writer for mono μ-law, A-law and PCM16 audio.
//!
//! Exists for the speech fixtures and for dumping call audio while debugging; it reads
//! what `sox` writes (including `WAVE_FORMAT_EXTENSIBLE` and extra chunks) and writes
//! plain files every player opens.

use crate::error::{MediaError, Result};
use crate::g711;

/// Sample encoding of a WAV file's data chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WavEncoding {
    /// 16-bit signed little-endian linear PCM.
    Pcm16,
    /// 8-bit G.711 μ-law.
    Ulaw,
    /// 8-bit G.711 A-law.
    Alaw,
}

impl WavEncoding {
    fn format_tag(self) -> u16 {
        match self {
            WavEncoding::Pcm16 => 1,
            WavEncoding::Alaw => 6,
            WavEncoding::Ulaw => 7,
        }
    }

    fn bytes_per_sample(self) -> u16 {
        match self {
            WavEncoding::Pcm16 => 2,
            WavEncoding::Alaw | WavEncoding::Ulaw => 1,
        }
    }
}

/// A decoded mono WAV file: its encoding, rate and raw data bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wav {
    /// Encoding of `data`.
    pub encoding: WavEncoding,
    /// Sample rate in Hz.
    pub sample_rate: u32,
    /// The data chunk exactly as stored (little-endian for PCM16).
    pub data: Vec<u8>,
}

impl Wav {
    /// Number of samples in the data chunk.
    pub fn len_samples(&self) -> usize {
        self.data.len() / self.encoding.bytes_per_sample() as usize
    }

    /// Duration in milliseconds.
    pub fn duration_ms(&self) -> u64 {
        if self.sample_rate == 0 {
            return 0;
        }
        self.len_samples() as u64 * 1000 / u64::from(self.sample_rate)
    }

    /// The audio as PCM16 samples, decoding G.711 if needed.
    pub fn to_pcm16(&self) -> Vec<i16> {
        match self.encoding {
            WavEncoding::Pcm16 => self
                .data
                .chunks_exact(2)
                .map(|b| i16::from_le_bytes([b[0], b[1]]))
                .collect(),
            WavEncoding::Ulaw => self.data.iter().map(|&c| g711::ulaw_to_linear(c)).collect(),
            WavEncoding::Alaw => self.data.iter().map(|&c| g711::alaw_to_linear(c)).collect(),
        }
    }
}

fn u16_at(b: &[u8], at: usize) -> Result<u16> {
    b.get(at..at + 2)
        .map(|s| u16::from_le_bytes([s[0], s[1]]))
        .ok_or(MediaError::Wav("truncated field"))
}

fn u32_at(b: &[u8], at: usize) -> Result<u32> {
    b.get(at..at + 4)
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
        .ok_or(MediaError::Wav("truncated field"))
}

/// Parses a mono WAV file held in memory.
pub fn read_wav(bytes: &[u8]) -> Result<Wav> {
    if bytes.get(0..4) != Some(b"RIFF") || bytes.get(8..12) != Some(b"WAVE") {
        return Err(MediaError::Wav("not a RIFF/WAVE file"));
    }
    let mut pos = 12usize;
    let mut format: Option<(WavEncoding, u32)> = None;
    while pos + 8 <= bytes.len() {
        let id = &bytes[pos..pos + 4];
        let size = u32_at(bytes, pos + 4)? as usize;
        let body_start = pos + 8;
        let body_end = body_start.saturating_add(size);
        match id {
            b"fmt " => {
                let body = bytes
                    .get(body_start..body_end)
                    .ok_or(MediaError::Wav("truncated fmt chunk"))?;
                format = Some(parse_fmt(body)?);
            }
            b"data" => {
                let (encoding, sample_rate) =
                    format.ok_or(MediaError::Wav("data chunk before fmt chunk"))?;
                // Tolerate a data size that overstates the file (streams written live).
                let end = body_end.min(bytes.len());
                let mut data = bytes[body_start..end].to_vec();
                if encoding == WavEncoding::Pcm16 && data.len() % 2 == 1 {
                    data.pop();
                }
                return Ok(Wav {
                    encoding,
                    sample_rate,
                    data,
                });
            }
            _ => {}
        }
        // Chunks are padded to an even size.
        pos = body_end.saturating_add(size % 2);
    }
    Err(MediaError::Wav("no data chunk"))
}

fn parse_fmt(body: &[u8]) -> Result<(WavEncoding, u32)> {
    let mut tag = u16_at(body, 0)?;
    let channels = u16_at(body, 2)?;
    let sample_rate = u32_at(body, 4)?;
    let bits = u16_at(body, 14)?;
    if tag == 0xFFFE {
        // WAVE_FORMAT_EXTENSIBLE: the real tag is the first two bytes of the sub-format GUID.
        tag = u16_at(body, 24)?;
    }
    if channels != 1 {
        return Err(MediaError::Wav("only mono files are supported"));
    }
    if sample_rate == 0 {
        return Err(MediaError::Wav("sample rate is zero"));
    }
    let encoding = match (tag, bits) {
        (1, 16) => WavEncoding::Pcm16,
        (6, 8) => WavEncoding::Alaw,
        (7, 8) => WavEncoding::Ulaw,
        _ => return Err(MediaError::Wav("unsupported encoding")),
    };
    Ok((encoding, sample_rate))
}

/// Serialises mono audio as a WAV file. `data` is stored as is (PCM16 little-endian or
/// G.711 codes); for non-PCM encodings the `fact` chunk that players expect is included.
pub fn write_wav(encoding: WavEncoding, sample_rate: u32, data: &[u8]) -> Vec<u8> {
    let pcm = encoding == WavEncoding::Pcm16;
    let fmt_len: u32 = if pcm { 16 } else { 18 };
    let fact_len: u32 = if pcm { 0 } else { 12 };
    let pad = data.len() % 2;
    let data_len = data.len() as u32;
    let riff_len = 4 + (8 + fmt_len) + fact_len + 8 + data_len + pad as u32;
    let bps = encoding.bytes_per_sample();
    let mut out = Vec::with_capacity(riff_len as usize + 8);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&riff_len.to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&fmt_len.to_le_bytes());
    out.extend_from_slice(&encoding.format_tag().to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&sample_rate.to_le_bytes());
    out.extend_from_slice(&(sample_rate * u32::from(bps)).to_le_bytes());
    out.extend_from_slice(&bps.to_le_bytes());
    out.extend_from_slice(&(bps * 8).to_le_bytes());
    if !pcm {
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(b"fact");
        out.extend_from_slice(&4u32.to_le_bytes());
        out.extend_from_slice(&(data_len / u32::from(bps)).to_le_bytes());
    }
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    out.extend_from_slice(data);
    if pad == 1 {
        out.push(0);
    }
    out
}

/// Serialises PCM16 samples as a WAV file.
pub fn write_wav_pcm16(sample_rate: u32, samples: &[i16]) -> Vec<u8> {
    let bytes: Vec<u8> = samples.iter().flat_map(|s| s.to_le_bytes()).collect();
    write_wav(WavEncoding::Pcm16, sample_rate, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    const AUDIO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/audio");

    #[test]
    fn reads_every_sox_fixture_as_8k_ulaw() {
        for (name, min_ms, max_ms) in [
            ("greeting", 2000, 6000),
            ("booking", 2000, 5000),
            ("bargein", 1000, 4000),
            ("silence", 1000, 1000),
            ("speech10s", 10000, 10000),
        ] {
            let bytes = std::fs::read(format!("{AUDIO}/{name}.wav")).unwrap();
            let wav = read_wav(&bytes).unwrap();
            assert_eq!(wav.encoding, WavEncoding::Ulaw, "{name}");
            assert_eq!(wav.sample_rate, 8000, "{name}");
            let ms = wav.duration_ms();
            assert!((min_ms..=max_ms).contains(&ms), "{name}: {ms} ms");
        }
        let silence = read_wav(&std::fs::read(format!("{AUDIO}/silence.wav")).unwrap()).unwrap();
        assert!(silence.to_pcm16().iter().all(|&s| s == 0));
    }

    #[test]
    fn write_then_read_round_trips() {
        let ulaw = write_wav(WavEncoding::Ulaw, 8000, &[0xFF, 0x00, 0x80]);
        let wav = read_wav(&ulaw).unwrap();
        assert_eq!(wav.data, [0xFF, 0x00, 0x80]);
        assert_eq!(wav.to_pcm16(), [0, -32124, 32124]);
        let pcm = write_wav_pcm16(24000, &[1, -2, i16::MAX]);
        let wav = read_wav(&pcm).unwrap();
        assert_eq!(wav.encoding, WavEncoding::Pcm16);
        assert_eq!(wav.sample_rate, 24000);
        assert_eq!(wav.to_pcm16(), [1, -2, i16::MAX]);
        let alaw = read_wav(&write_wav(WavEncoding::Alaw, 8000, &[0xD5])).unwrap();
        assert_eq!(alaw.to_pcm16(), [8]);
    }

    #[test]
    fn rejects_malformed_input_without_panicking() {
        assert!(read_wav(b"").is_err());
        assert!(read_wav(b"RIFF\0\0\0\0WAVE").is_err());
        let good = write_wav(WavEncoding::Ulaw, 8000, &[1, 2, 3, 4]);
        for cut in 0..good.len() {
            let _ = read_wav(&good[..cut]);
        }
        let mut huge = good.clone();
        huge[16..20].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(read_wav(&huge).is_err());
    }
}
