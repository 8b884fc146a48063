//! [`OpusRecorder`]: PCM16 of any length to an Ogg Opus stream in 20 ms packets.

use std::io::Write;

use super::OggOpusWriter;
use crate::error::Result;
use crate::opus::OpusEncoder;

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
