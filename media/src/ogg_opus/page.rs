//! The Ogg framing layer: one page's header, lacing and CRC (RFC 3533).

use crate::error::{MediaError, Result};

static CRC_TABLE: [u32; 256] = build_crc_table();

const fn build_crc_table() -> [u32; 256] {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut r = (i as u32) << 24;
        let mut bit = 0;
        while bit < 8 {
            r = if r & 0x8000_0000 != 0 {
                (r << 1) ^ 0x04C1_1DB7
            } else {
                r << 1
            };
            bit += 1;
        }
        table[i] = r;
        i += 1;
    }
    table
}

/// The Ogg page checksum (CRC-32, polynomial 0x04C11DB7, no reflection, zero init).
pub(super) fn ogg_crc(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0u32, |crc, &b| {
        (crc << 8) ^ CRC_TABLE[(((crc >> 24) as u8) ^ b) as usize]
    })
}

/// One Ogg page, borrowing the file's bytes.
pub(super) struct Page<'a> {
    pub(super) flags: u8,
    pub(super) granule: u64,
    pub(super) serial: u32,
    pub(super) sequence: u32,
    pub(super) lacing: &'a [u8],
    pub(super) body: &'a [u8],
}

/// Parses the page at the start of `bytes` — capture pattern, version, lacing, CRC —
/// and returns it with its length in bytes.
pub(super) fn parse_page(bytes: &[u8]) -> Result<(Page<'_>, usize)> {
    let bad = |what| MediaError::Ogg(what);
    let header = bytes.get(..27).ok_or(bad("truncated page header"))?;
    if &header[..4] != b"OggS" {
        return Err(bad("missing capture pattern"));
    }
    if header[4] != 0 {
        return Err(bad("unknown page version"));
    }
    let le32 = |at: usize| {
        u32::from_le_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
    };
    let granule = u64::from(le32(6)) | (u64::from(le32(10)) << 32);
    let nseg = usize::from(header[26]);
    let lacing = bytes.get(27..27 + nseg).ok_or(bad("truncated lacing"))?;
    let body_len: usize = lacing.iter().map(|&l| usize::from(l)).sum();
    let total = 27 + nseg + body_len;
    let page = bytes.get(..total).ok_or(bad("truncated page body"))?;
    let stored = le32(22);
    let mut check = page.to_vec();
    check[22..26].fill(0);
    if ogg_crc(&check) != stored {
        return Err(bad("page CRC mismatch"));
    }
    Ok((
        Page {
            flags: header[5],
            granule,
            serial: le32(14),
            sequence: le32(18),
            lacing,
            body: &page[27 + nseg..],
        },
        total,
    ))
}
