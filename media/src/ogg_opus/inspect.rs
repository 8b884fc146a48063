//! [`inspect`]: a strict page-by-page parser of single-stream Ogg Opus files.

use super::page::parse_page;
use crate::error::{MediaError, Result};

/// A page that completes at least one audio packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AudioPage {
    /// The page's granule position: 48 kHz samples (pre-skip included) up to the end of
    /// the last packet completed on it, less any end trimming on the final page.
    pub granule: u64,
    /// Audio packets complete by the end of this page (counting from the stream start).
    pub packets: usize,
}

/// What [`inspect`] found in an Ogg Opus file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OggOpusInfo {
    /// Channel count from `OpusHead`.
    pub channels: u8,
    /// Pre-skip from `OpusHead`, in 48 kHz samples.
    pub pre_skip: u16,
    /// Original input rate from `OpusHead`.
    pub input_rate: u32,
    /// Vendor string from `OpusTags`.
    pub vendor: String,
    /// The `KEY=value` comments from `OpusTags`.
    pub comments: Vec<String>,
    /// The audio packets in order.
    pub packets: Vec<Vec<u8>>,
    /// Granule position of the last audio page (the EOS page in files this crate
    /// writes).
    pub final_granule: u64,
    /// Every page that completes at least one audio packet, in order.
    pub audio_pages: Vec<AudioPage>,
    /// Number of Ogg pages.
    pub pages: usize,
}

impl OggOpusInfo {
    /// Playback duration in milliseconds: final granule minus pre-skip, at 48 kHz.
    pub fn duration_ms(&self) -> u64 {
        self.final_granule.saturating_sub(u64::from(self.pre_skip)) / 48
    }
}

/// Parses and checks a single-stream Ogg Opus file: every page's capture pattern,
/// version and CRC, consecutive sequence numbers, one serial, BOS on the first page only
/// and EOS on the last, `OpusHead` alone on page 0, `OpusTags` starting on page 1 and
/// finishing its page with nothing after it, header pages at granule 0, non-decreasing
/// granules on audio pages, no packet left unterminated, and valid `OpusHead` (version
/// 1, 1–2 channels, mapping family 0) and `OpusTags` headers.
pub fn inspect(bytes: &[u8]) -> Result<OggOpusInfo> {
    let bad = MediaError::Ogg;
    let mut pos = 0;
    let mut packets: Vec<Vec<u8>> = Vec::new();
    let mut partial: Vec<u8> = Vec::new();
    let mut pages = 0usize;
    let mut serial = 0u32;
    let mut audio_pages: Vec<AudioPage> = Vec::new();
    let mut eos = false;
    while pos < bytes.len() {
        if eos {
            return Err(bad("data after the EOS page"));
        }
        let (page, len) = parse_page(&bytes[pos..])?;
        pos += len;
        if pages == 0 {
            if page.flags & 0x02 == 0 {
                return Err(bad("first page lacks BOS"));
            }
            serial = page.serial;
        } else if page.flags & 0x02 != 0 {
            return Err(bad("BOS on a later page"));
        }
        if page.serial != serial {
            return Err(bad("more than one logical stream"));
        }
        if page.sequence as usize != pages {
            return Err(bad("page sequence gap"));
        }
        let continued = page.flags & 0x01 != 0;
        if continued == partial.is_empty() {
            return Err(bad("continuation flag disagrees with the previous page"));
        }
        let before = packets.len();
        let mut offset = 0usize;
        for &l in page.lacing {
            let seg = page
                .body
                .get(offset..offset + usize::from(l))
                .ok_or(bad("lacing overruns body"))?;
            partial.extend_from_slice(seg);
            offset += usize::from(l);
            if l < 255 {
                packets.push(std::mem::take(&mut partial));
            }
        }
        let after = packets.len();
        if pages == 0 && (after != 1 || !partial.is_empty()) {
            return Err(bad("OpusHead not alone on the first page"));
        }
        if before < 2 && after >= 2 && (after > 2 || !partial.is_empty()) {
            return Err(bad("audio on the page that ends OpusTags"));
        }
        if before < 2 && after > before && page.granule != 0 {
            return Err(bad("header page with a granule position"));
        }
        if before >= 2 && after > before {
            if audio_pages.last().is_some_and(|p| page.granule < p.granule) {
                return Err(bad("granule position went backwards"));
            }
            audio_pages.push(AudioPage {
                granule: page.granule,
                packets: after - 2,
            });
        }
        eos = page.flags & 0x04 != 0;
        pages += 1;
    }
    if !eos {
        return Err(bad("no EOS page"));
    }
    if !partial.is_empty() {
        return Err(bad("unterminated packet at end of stream"));
    }
    let mut iter = packets.into_iter();
    let head = iter.next().ok_or(bad("no OpusHead"))?;
    if head.len() < 19 || &head[..8] != b"OpusHead" || head[8] != 1 {
        return Err(bad("bad OpusHead"));
    }
    let channels = head[9];
    let pre_skip = u16::from_le_bytes([head[10], head[11]]);
    let input_rate = u32::from_le_bytes([head[12], head[13], head[14], head[15]]);
    if head[18] != 0 || channels == 0 || channels > 2 {
        return Err(bad("unsupported channel mapping"));
    }
    let tags = iter.next().ok_or(bad("no OpusTags"))?;
    let (vendor, comments) = parse_tags(&tags)?;
    let packets: Vec<Vec<u8>> = iter.collect();
    let final_granule = audio_pages
        .last()
        .map(|p| p.granule)
        .ok_or(bad("no audio packets"))?;
    Ok(OggOpusInfo {
        channels,
        pre_skip,
        input_rate,
        vendor,
        comments,
        packets,
        final_granule,
        audio_pages,
        pages,
    })
}

fn parse_tags(tags: &[u8]) -> Result<(String, Vec<String>)> {
    let bad = MediaError::Ogg;
    if tags.get(..8) != Some(b"OpusTags") {
        return Err(bad("bad OpusTags"));
    }
    let mut at = 8usize;
    let mut take = |n: usize| -> Result<&[u8]> {
        let s = tags.get(at..at + n).ok_or(bad("truncated OpusTags"))?;
        at += n;
        Ok(s)
    };
    let len = |b: &[u8]| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize;
    let vlen = len(take(4)?);
    let vendor = String::from_utf8_lossy(take(vlen)?).into_owned();
    let count = len(take(4)?);
    let mut comments = Vec::new();
    for _ in 0..count {
        let clen = len(take(4)?);
        comments.push(String::from_utf8_lossy(take(clen)?).into_owned());
    }
    Ok((vendor, comments))
}
