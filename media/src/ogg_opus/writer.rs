//! [`OggOpusWriter`]: Opus packets into Ogg pages laid out as RFC 7845 requires.

use std::io::Write;

use ogg::writing::{PacketWriteEndInfo, PacketWriter};

use crate::error::{MediaError, Result};

/// Audio packets per Ogg page: 50 × 20 ms, one page per second.
const PACKETS_PER_PAGE: u32 = 50;
/// Name written as the OpusTags vendor string.
const VENDOR: &str = concat!("servicepro-media ", env!("CARGO_PKG_VERSION"));

fn io_err(err: std::io::Error) -> MediaError {
    MediaError::Io(err)
}

/// Writes Opus packets into an Ogg stream on any `Write` (a `Vec<u8>`, a file).
pub struct OggOpusWriter<W: Write> {
    pages: PacketWriter<'static, W>,
    serial: u32,
    /// 48 kHz samples per input sample.
    scale: u64,
    pre_skip: u64,
    /// Granule (48 kHz samples decoded) at the end of the packets written so far.
    granule: u64,
    in_page: u32,
    /// Granule of the last packet handed to the page writer.
    written_granule: u64,
    /// The latest packet, held back so the last one can carry the end of stream.
    held: Option<(Vec<u8>, u64)>,
}

impl<W: Write> std::fmt::Debug for OggOpusWriter<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OggOpusWriter")
            .field("serial", &self.serial)
            .field("pre_skip", &self.pre_skip)
            .field("granule", &self.granule)
            .finish()
    }
}

impl<W: Write> OggOpusWriter<W> {
    /// Starts a mono stream: writes the `OpusHead` and `OpusTags` pages. `input_rate` is
    /// the encoder's rate and `lookahead` its lookahead in samples at that rate (the
    /// pre-skip); `serial` identifies the logical stream; `comments` are `KEY=value` tags.
    pub fn new(
        out: W,
        input_rate: u32,
        lookahead: u32,
        serial: u32,
        comments: &[&str],
    ) -> Result<Self> {
        Self::with_channels(out, 1, input_rate, lookahead, serial, comments)
    }

    /// Starts a stream of `channels` (1 or 2; channel mapping family 0, so stereo is
    /// left/right as every player plays it); otherwise as [`Self::new`].
    pub fn with_channels(
        out: W,
        channels: u8,
        input_rate: u32,
        lookahead: u32,
        serial: u32,
        comments: &[&str],
    ) -> Result<Self> {
        if ![8000, 12000, 16000, 24000, 48000].contains(&input_rate) {
            return Err(MediaError::UnsupportedRate(input_rate));
        }
        if !(1..=2).contains(&channels) {
            return Err(MediaError::UnsupportedChannels(channels));
        }
        let scale = u64::from(48000 / input_rate);
        let pre_skip = u64::from(lookahead) * scale;
        let pre_skip_u16 =
            u16::try_from(pre_skip).map_err(|_| MediaError::Ogg("pre-skip too large"))?;
        let mut head = Vec::with_capacity(19);
        head.extend_from_slice(b"OpusHead");
        head.push(1); // version
        head.push(channels);
        head.extend_from_slice(&pre_skip_u16.to_le_bytes());
        head.extend_from_slice(&input_rate.to_le_bytes());
        head.extend_from_slice(&0i16.to_le_bytes()); // output gain
        head.push(0); // channel mapping family 0: mono/stereo, no table
        let mut tags = Vec::new();
        tags.extend_from_slice(b"OpusTags");
        tags.extend_from_slice(&(VENDOR.len() as u32).to_le_bytes());
        tags.extend_from_slice(VENDOR.as_bytes());
        tags.extend_from_slice(&(comments.len() as u32).to_le_bytes());
        for c in comments {
            tags.extend_from_slice(&(c.len() as u32).to_le_bytes());
            tags.extend_from_slice(c.as_bytes());
        }
        let mut pages = PacketWriter::new(out);
        pages
            .write_packet(head, serial, PacketWriteEndInfo::EndPage, 0)
            .map_err(io_err)?;
        pages
            .write_packet(tags, serial, PacketWriteEndInfo::EndPage, 0)
            .map_err(io_err)?;
        Ok(Self {
            pages,
            serial,
            scale,
            pre_skip,
            granule: 0,
            in_page: 0,
            written_granule: 0,
            held: None,
        })
    }

    /// Pre-skip in 48 kHz samples, as written in `OpusHead`.
    pub fn pre_skip(&self) -> u64 {
        self.pre_skip
    }

    /// Appends one packet that decodes to `samples` samples per channel at the input
    /// rate.
    pub fn write_packet(&mut self, packet: &[u8], samples: usize) -> Result<()> {
        if let Some((data, granule)) = self.held.take() {
            self.in_page += 1;
            let end = if self.in_page >= PACKETS_PER_PAGE {
                self.in_page = 0;
                PacketWriteEndInfo::EndPage
            } else {
                PacketWriteEndInfo::NormalPacket
            };
            self.pages
                .write_packet(data, self.serial, end, granule)
                .map_err(io_err)?;
            self.written_granule = granule;
        }
        self.granule += samples as u64 * self.scale;
        self.held = Some((packet.to_vec(), self.granule));
        Ok(())
    }

    /// Ends the stream. `input_samples` is the real length of the recording at the input
    /// rate (samples per channel); the final granule is set to `pre_skip + input_samples` (scaled to 48 kHz) so
    /// players trim the padding of the last frame. Returns the underlying writer.
    pub fn finish(mut self, input_samples: u64) -> Result<W> {
        let (data, granule) = self
            .held
            .take()
            .ok_or(MediaError::Ogg("no audio packets written"))?;
        let last = (self.pre_skip + input_samples * self.scale)
            .min(granule)
            .max(self.written_granule);
        self.pages
            .write_packet(data, self.serial, PacketWriteEndInfo::EndStream, last)
            .map_err(io_err)?;
        Ok(self.pages.into_inner())
    }
}
