//! [`verify_ogg_opus`]: a file checked the way a player reads it — parsed, then every
//! packet decoded by the crate's own decoder and every granule position matched
//! against the samples actually decoded.

use super::inspect::{inspect, OggOpusInfo};
use crate::error::{MediaError, Result};
use crate::opus::OpusDecoder;

/// What [`verify_ogg_opus`] found: the file's structure and its playable audio.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OggOpusReport {
    /// The parsed file (headers, packets, pages).
    pub info: OggOpusInfo,
    /// The rate the audio was decoded at, in Hz.
    pub rate: u32,
    /// The playable audio at `rate`: interleaved PCM16 with the pre-skip and the end
    /// trimming removed.
    pub pcm: Vec<i16>,
    /// Samples per channel decoded from all packets at `rate`, before trimming.
    pub decoded_samples: u64,
}

impl OggOpusReport {
    /// Playable samples per channel at [`Self::rate`].
    pub fn samples(&self) -> usize {
        self.pcm.len() / usize::from(self.info.channels)
    }
}

/// Checks a single-stream Ogg Opus file beyond [`inspect`]'s page and header checks:
/// every packet decodes (with a decoder of the file's channel count, at `rate`: 8, 16,
/// 24 or 48 kHz) to exactly the samples its header declares; every audio page but the
/// last carries the granule position of the samples decoded through its last packet
/// (streams that start at zero, as [`super::OggOpusWriter`] writes them); the last
/// page's granule trims no more than the decoded audio and keeps at least the pre-skip.
/// Returns the trimmed audio so tests can listen to it.
pub fn verify_ogg_opus(bytes: &[u8], rate: u32) -> Result<OggOpusReport> {
    let bad = MediaError::Ogg;
    let info = inspect(bytes)?;
    let mut decoder = OpusDecoder::with_channels(rate, info.channels)?;
    let channels = usize::from(info.channels);
    // Rates are divisors of 48 kHz, so granules convert exactly.
    let scale = u64::from(48000 / rate);
    // 120 ms, the longest a packet may last.
    let mut out = vec![0i16; rate as usize / 1000 * 120 * channels];
    let mut pcm = Vec::new();
    // `granules[i]`: 48 kHz samples decoded through the first `i` audio packets.
    let mut granules = Vec::with_capacity(info.packets.len() + 1);
    granules.push(0u64);
    let mut decoded_samples = 0u64;
    for packet in &info.packets {
        let declared = decoder.packet_samples(packet)?;
        let decoded = decoder.decode(packet, &mut out)?;
        if decoded != declared {
            return Err(bad("a packet decoded to a length other than it declares"));
        }
        pcm.extend_from_slice(&out[..decoded * channels]);
        decoded_samples += decoded as u64;
        granules.push(decoded_samples * scale);
    }
    let (last, pages) = info.audio_pages.split_last().ok_or(bad("no audio pages"))?;
    for page in pages {
        if granules.get(page.packets) != Some(&page.granule) {
            return Err(bad(
                "a page's granule is not the samples decoded through it",
            ));
        }
    }
    if last.granule > decoded_samples * scale {
        return Err(bad("final granule beyond the decoded audio"));
    }
    let pre_skip = u64::from(info.pre_skip);
    if last.granule < pre_skip {
        return Err(bad("final granule inside the pre-skip"));
    }
    let start = usize::try_from(pre_skip / scale).map_err(|_| bad("pre-skip too large"))?;
    let end = usize::try_from(last.granule / scale).map_err(|_| bad("granule too large"))?;
    pcm.truncate(end * channels);
    pcm.drain(..start * channels);
    Ok(OggOpusReport {
        info,
        rate,
        pcm,
        decoded_samples,
    })
}
