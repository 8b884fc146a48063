//! Call recordings as Ogg Opus files (RFC 7845) that ordinary players open, and a
//! strict parser to check such files.
//!
//! [`OpusRecorder`] takes PCM16 of any length (mono, or stereo interleaved left-first:
//! a call recording puts the caller on the left and the AI on the right), encodes 20 ms
//! Opus packets and writes them through [`OggOpusWriter`], which lays out the pages the way RFC 7845 requires: the
//! `OpusHead` identification header alone on the first (BOS) page, `OpusTags` on the
//! next, audio from the third page on, granule positions in 48 kHz samples counting the
//! pre-skip (the encoder lookahead), end trimming through the last (EOS) page's granule,
//! and a page at least every second so a crash loses little. [`inspect`] parses a file
//! page by page (capture pattern, CRC, sequence numbers, flags, granules) independently
//! of the `ogg` crate used for writing.

use std::io::Write;

use ogg::writing::{PacketWriteEndInfo, PacketWriter};

use crate::error::{MediaError, Result};
use crate::opus::OpusEncoder;

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

/// Records PCM16 of any length (mono, or stereo interleaved left-first) to an Ogg Opus
/// stream in 20 ms packets.
pub struct OpusRecorder<W: Write> {
    encoder: OpusEncoder,
    writer: OggOpusWriter<W>,
    pending: Vec<i16>,
    /// Interleaved samples pushed (all channels).
    input_samples: u64,
    /// Interleaved samples encoded (all channels).
    encoded_samples: u64,
    /// Encoder lookahead, in interleaved samples.
    lookahead: u64,
}

impl<W: Write> std::fmt::Debug for OpusRecorder<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpusRecorder")
            .field("rate", &self.encoder.rate())
            .field("channels", &self.encoder.channels())
            .field("input_samples", &self.input_samples)
            .finish()
    }
}

impl<W: Write> OpusRecorder<W> {
    /// A recorder of PCM16 at `rate` (8, 16, 24 or 48 kHz) encoding at `bitrate` bit/s
    /// (see [`crate::opus::DEFAULT_BITRATE`]), writing to `out`.
    pub fn new(out: W, rate: u32, bitrate: i32, serial: u32) -> Result<Self> {
        Self::with_channels(out, 1, rate, bitrate, serial, &["ENCODER=servicepro-media"])
    }

    /// A recorder of `channels` (1, or 2 interleaved left-first) of PCM16 at `rate`
    /// encoding at `bitrate` bit/s for all channels together (see
    /// [`crate::opus::STEREO_BITRATE`]), with `comments` (`KEY=value`) in `OpusTags`.
    pub fn with_channels(
        out: W,
        channels: u8,
        rate: u32,
        bitrate: i32,
        serial: u32,
        comments: &[&str],
    ) -> Result<Self> {
        let encoder = OpusEncoder::with_channels(rate, channels, bitrate)?;
        let lookahead = encoder.lookahead()?;
        let writer =
            OggOpusWriter::with_channels(out, channels, rate, lookahead, serial, comments)?;
        Ok(Self {
            pending: Vec::with_capacity(encoder.frame_samples()),
            lookahead: u64::from(lookahead) * u64::from(channels),
            encoder,
            writer,
            input_samples: 0,
            encoded_samples: 0,
        })
    }

    /// Sets the encoder complexity (0–10; libopus defaults to 9 or 10): lower costs
    /// less CPU per second recorded, at some cost in quality.
    pub fn set_complexity(&mut self, complexity: u8) -> Result<()> {
        self.encoder.set_complexity(complexity)
    }

    /// Channels of the recording.
    pub fn channels(&self) -> u8 {
        self.encoder.channels()
    }

    /// Length of the audio pushed so far, in samples per channel at the input rate.
    pub fn samples(&self) -> u64 {
        self.input_samples / u64::from(self.encoder.channels())
    }

    /// Adds samples (interleaved when stereo; push whole sample frames, i.e. an even
    /// count for stereo); every completed 20 ms frame is encoded and written.
    pub fn push(&mut self, mut pcm: &[i16]) -> Result<()> {
        self.input_samples += pcm.len() as u64;
        let frame = self.encoder.frame_samples();
        while !pcm.is_empty() {
            let take = (frame - self.pending.len()).min(pcm.len());
            if self.pending.is_empty() && take == frame {
                self.encode(&pcm[..frame])?;
            } else {
                self.pending.extend_from_slice(&pcm[..take]);
                if self.pending.len() == frame {
                    let full = std::mem::take(&mut self.pending);
                    let result = self.encode(&full);
                    self.pending = full;
                    self.pending.clear();
                    result?;
                }
            }
            pcm = &pcm[take..];
        }
        Ok(())
    }

    fn encode(&mut self, frame: &[i16]) -> Result<()> {
        let per_channel = self.encoder.frame_len();
        let packet = self.encoder.encode(frame)?;
        self.writer.write_packet(packet, per_channel)?;
        self.encoded_samples += frame.len() as u64;
        Ok(())
    }

    /// Ends the recording: encodes the partial frame and enough silence to flush the
    /// encoder's lookahead, writes the EOS page, and returns the writer.
    pub fn finish(mut self) -> Result<W> {
        let frame = self.encoder.frame_samples();
        let mut silence = std::mem::take(&mut self.pending);
        silence.resize(frame, 0);
        if self.encoded_samples < self.input_samples || self.encoded_samples == 0 {
            self.encode(&silence)?;
        }
        silence.fill(0);
        while self.encoded_samples < self.input_samples + self.lookahead {
            self.encode(&silence)?;
        }
        let samples = self.samples();
        self.writer.finish(samples)
    }
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
    /// Granule position of the last (EOS) page.
    pub final_granule: u64,
    /// Number of Ogg pages.
    pub pages: usize,
}

impl OggOpusInfo {
    /// Playback duration in milliseconds: final granule minus pre-skip, at 48 kHz.
    pub fn duration_ms(&self) -> u64 {
        self.final_granule.saturating_sub(u64::from(self.pre_skip)) / 48
    }
}

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
fn ogg_crc(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0u32, |crc, &b| {
        (crc << 8) ^ CRC_TABLE[(((crc >> 24) as u8) ^ b) as usize]
    })
}

struct Page<'a> {
    flags: u8,
    granule: u64,
    serial: u32,
    sequence: u32,
    lacing: &'a [u8],
    body: &'a [u8],
}

fn parse_page(bytes: &[u8]) -> Result<(Page<'_>, usize)> {
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

/// Parses and checks a single-stream Ogg Opus file: every page's capture pattern and
/// CRC, consecutive sequence numbers, one serial, BOS on the first page only and EOS on
/// the last, `OpusHead` alone on page 0, `OpusTags` completing on its own page(s),
/// non-decreasing granules, and no packet left unterminated.
pub fn inspect(bytes: &[u8]) -> Result<OggOpusInfo> {
    let bad = MediaError::Ogg;
    let mut pos = 0;
    let mut packets: Vec<Vec<u8>> = Vec::new();
    let mut partial: Vec<u8> = Vec::new();
    let mut pages = 0usize;
    let mut serial = 0u32;
    let mut last_granule = 0u64;
    let mut eos = false;
    // Cleared when a header packet shares a page with another packet.
    let mut header_pages_ok = true;
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
        let packets_before = packets.len();
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
        let completed = packets.len() - packets_before;
        if packets.len() <= 2 {
            // Header pages: OpusHead must be alone on page 0, OpusTags must finish its page.
            if (pages == 0 && (completed != 1 || !partial.is_empty()))
                || (packets.len() == 2 && !partial.is_empty())
            {
                header_pages_ok = false;
            }
            if page.granule != 0 && packets.len() <= 2 && completed > 0 {
                return Err(bad("header page with a granule position"));
            }
        } else if completed > 0 {
            if page.granule < last_granule {
                return Err(bad("granule position went backwards"));
            }
            last_granule = page.granule;
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
    if !header_pages_ok {
        return Err(bad("headers not on their own pages"));
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
    if packets.is_empty() {
        return Err(bad("no audio packets"));
    }
    Ok(OggOpusInfo {
        channels,
        pre_skip,
        input_rate,
        vendor,
        comments,
        packets,
        final_granule: last_granule,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::opus::{OpusDecoder, DEFAULT_BITRATE};
    use crate::resample::StreamResampler;
    use crate::wav::read_wav;

    const SPEECH: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../fixtures/audio/speech10s.wav"
    );

    fn record_fixture_at(rate: u32) -> (Vec<u8>, usize, usize) {
        let bytes = std::fs::read(SPEECH).unwrap();
        let wav = read_wav(&bytes).unwrap();
        let pcm8 = wav.to_pcm16();
        let pcm = if rate == 8000 {
            pcm8
        } else {
            let mut up = StreamResampler::new(8000, rate).unwrap();
            let mut out = Vec::new();
            up.push(&pcm8, &mut out).unwrap();
            out
        };
        let mut rec = OpusRecorder::new(Vec::new(), rate, DEFAULT_BITRATE, 0x5E41_CE01).unwrap();
        // Feed in uneven pieces, as a call would.
        for chunk in pcm.chunks(777) {
            rec.push(chunk).unwrap();
        }
        (rec.finish().unwrap(), wav.data.len(), pcm.len())
    }

    #[test]
    fn ten_seconds_of_speech_is_8x_smaller_than_ulaw_and_decodes_to_ten_seconds() {
        let (file, ulaw_len, pcm_len) = record_fixture_at(16000);
        assert_eq!(ulaw_len, 80000);
        assert!(
            file.len() * 8 <= ulaw_len,
            "ogg {} bytes vs μ-law {ulaw_len}",
            file.len()
        );
        let info = inspect(&file).unwrap();
        assert_eq!(info.channels, 1);
        assert_eq!(info.input_rate, 16000);
        assert!(info.pre_skip > 0);
        assert!(info.vendor.starts_with("servicepro-media"));
        assert_eq!(info.comments, ["ENCODER=servicepro-media"]);
        assert_eq!(info.duration_ms(), 10_000);
        assert_eq!(
            info.final_granule,
            u64::from(info.pre_skip) + pcm_len as u64 * 3
        );
        assert!(info.pages >= 12, "a page per second: {}", info.pages);
        // Decode everything at 48 kHz: the decoded length covers the granule.
        let mut dec = OpusDecoder::new(48000).unwrap();
        let mut out = vec![0i16; 5760];
        let decoded: usize = info
            .packets
            .iter()
            .map(|p| dec.decode(p, &mut out).unwrap())
            .sum();
        assert!(decoded as u64 >= info.final_granule);
        assert!((decoded as u64) < info.final_granule + 2 * 960);
        opusinfo_check(&file);
    }

    /// Runs `opusinfo` (opus-tools) on the file when it is installed.
    fn opusinfo_check(file: &[u8]) {
        let path =
            std::env::temp_dir().join(format!("servicepro-media-{}.opus", std::process::id()));
        std::fs::write(&path, file).unwrap();
        match std::process::Command::new("opusinfo").arg(&path).output() {
            Ok(out) => {
                let text = String::from_utf8_lossy(&out.stdout).into_owned()
                    + &String::from_utf8_lossy(&out.stderr);
                assert!(out.status.success(), "opusinfo failed:\n{text}");
                assert!(!text.contains("WARNING") && !text.contains("ERROR"), "{text}");
                assert!(text.contains("Playback length: 0m:10"), "{text}");
            }
            Err(_) => println!("note: opusinfo not installed; skipped the opusinfo check (the page parser check ran)"),
        }
        let _ = std::fs::remove_file(&path);
    }

    #[test]
    fn records_at_8k_and_48k_and_handles_tiny_recordings() {
        for rate in [8000, 48000] {
            let (file, _, pcm_len) = record_fixture_at(rate);
            let info = inspect(&file).unwrap();
            assert_eq!(info.input_rate, rate);
            assert_eq!(info.duration_ms(), pcm_len as u64 * 1000 / u64::from(rate));
        }
        for len in [0usize, 1, 319, 320] {
            let mut rec = OpusRecorder::new(Vec::new(), 16000, DEFAULT_BITRATE, 7).unwrap();
            rec.push(&vec![100; len]).unwrap();
            let info = inspect(&rec.finish().unwrap()).unwrap();
            assert_eq!(info.duration_ms(), len as u64 / 16, "len {len}");
        }
    }

    fn rms(samples: impl Iterator<Item = i16>) -> f64 {
        let (sum, n) = samples.fold((0f64, 0usize), |(s, n), x| {
            (s + f64::from(x) * f64::from(x), n + 1)
        });
        (sum / n.max(1) as f64).sqrt()
    }

    #[test]
    fn stereo_keeps_two_parties_on_their_own_channels() {
        use crate::opus::STEREO_BITRATE;
        let bytes = std::fs::read(SPEECH).unwrap();
        let speech = read_wav(&bytes).unwrap().to_pcm16();
        let half = speech.len() / 2;
        // Turn-taking: the left party talks for 5 s, then the right party answers.
        let mut pcm = Vec::with_capacity(speech.len() * 2);
        for i in 0..speech.len() {
            let (l, r) = if i < half {
                (speech[i], 0)
            } else {
                (0, speech[i - half])
            };
            pcm.push(l);
            pcm.push(r);
        }
        let mut rec = OpusRecorder::with_channels(
            Vec::new(),
            2,
            8000,
            STEREO_BITRATE,
            9,
            &["ENCODER=servicepro-media", "TITLE=two parties"],
        )
        .unwrap();
        assert_eq!(rec.channels(), 2);
        for chunk in pcm.chunks(320) {
            rec.push(chunk).unwrap();
        }
        assert_eq!(rec.samples(), speech.len() as u64);
        let file = rec.finish().unwrap();
        let info = inspect(&file).unwrap();
        assert_eq!(info.channels, 2);
        assert_eq!(info.input_rate, 8000);
        assert_eq!(info.duration_ms(), 10_000);
        assert_eq!(info.comments[1], "TITLE=two parties");
        // ~16 kbit/s for both parties: 4× smaller than the two μ-law legs.
        assert!(file.len() * 4 <= speech.len() * 2, "{} bytes", file.len());

        let mut dec = OpusDecoder::with_channels(8000, 2).unwrap();
        assert_eq!(dec.channels(), 2);
        let mut out = vec![0i16; 960 * 2];
        let mut decoded = Vec::new();
        for p in &info.packets {
            let n = dec.decode(p, &mut out).unwrap();
            decoded.extend_from_slice(&out[..n * 2]);
        }
        let skip = usize::from(info.pre_skip) / 6 * 2;
        let decoded = &decoded[skip..skip + speech.len() * 2];
        let channel = |c: usize, from: usize, to: usize| {
            rms(decoded[from * 2..to * 2].iter().skip(c).step_by(2).copied())
        };
        // Leave 100 ms around the turn for the codec's overlap.
        let (a, b) = (half - 800, half + 800);
        let (l1, r1) = (channel(0, 0, a), channel(1, 0, a));
        let (l2, r2) = (channel(0, b, speech.len()), channel(1, b, speech.len()));
        let original = rms(speech.iter().copied());
        assert!(
            l1 > original / 3.0 && r2 > original / 3.0,
            "{l1} {r2} vs {original}"
        );
        assert!(
            r1 * 10.0 < l1,
            "right is quiet while left talks: {r1} vs {l1}"
        );
        assert!(
            l2 * 10.0 < r2,
            "left is quiet while right talks: {l2} vs {r2}"
        );
    }

    #[test]
    fn bad_channel_counts_are_refused() {
        use crate::opus::OpusEncoder;
        assert!(OpusEncoder::with_channels(8000, 3, 16000).is_err());
        assert!(OpusDecoder::with_channels(8000, 0).is_err());
        assert!(OggOpusWriter::with_channels(Vec::new(), 3, 8000, 0, 1, &[]).is_err());
        let mut stereo = OpusEncoder::with_channels(8000, 2, 16000).unwrap();
        assert_eq!(stereo.frame_len(), 160);
        assert_eq!(stereo.frame_samples(), 320);
        assert!(stereo.encode(&[0; 160]).is_err());
        assert!(stereo.encode(&[0; 320]).is_ok());
    }

    #[test]
    fn inspect_rejects_corruption() {
        let (file, _, _) = record_fixture_at(8000);
        assert!(inspect(&file[..file.len() - 1]).is_err());
        let mut flipped = file.clone();
        let mid = flipped.len() / 2;
        flipped[mid] ^= 0x40;
        assert!(inspect(&flipped).is_err());
        assert!(inspect(b"").is_err());
        assert!(inspect(b"OggS").is_err());
        for cut in (0..200).step_by(7) {
            let _ = inspect(&file[..cut]);
        }
    }

    #[test]
    fn writer_rejects_bad_setup() {
        assert!(OggOpusWriter::new(Vec::new(), 44100, 0, 1, &[]).is_err());
        let w = OggOpusWriter::new(Vec::new(), 16000, 104, 1, &[]).unwrap();
        assert_eq!(w.pre_skip(), 312);
        assert!(w.finish(0).is_err());
        assert_eq!(ogg_crc(b""), 0);
    }
}
