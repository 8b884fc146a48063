//! Opus encoding and decoding of speech through libopus (via `servicepro-opus`).
//!
//! Call recordings are stored as Opus ([`crate::ogg_opus`]); these wrappers fix the
//! settings that matter for telephone speech (VoIP mode, 20 ms frames) and keep one
//! output buffer per encoder so encoding allocates nothing per frame. Mono is the
//! default; stereo (interleaved, left first) carries the two parties of a call on two
//! channels, with the encoder forced to keep them apart.

use servicepro_opus::{Application, Channels, Decoder, Encoder, SampleRate, MAX_PACKET};

use crate::error::{MediaError, Result};

/// Default bitrate for recordings: telephone speech (4 kHz band) at 6 kbit/s is clear
/// and keeps a recording ~10× smaller than the μ-law original.
pub const DEFAULT_BITRATE: i32 = 6000;

/// Default bitrate for two-party (stereo) call recordings: about 8 kbit/s per party,
/// still 8× smaller than the two μ-law legs. Below ~19 kbit/s libopus would fold
/// stereo into mono on its own; [`OpusEncoder::with_channels`] forbids that, so each
/// party stays on its own channel.
pub const STEREO_BITRATE: i32 = 16000;

fn channel_layout(channels: u8) -> Result<Channels> {
    Channels::from_count(channels).ok_or(MediaError::UnsupportedChannels(channels))
}

/// The rates calls and recordings use (libopus's 12 kHz is not one of them).
fn sample_rate(rate: u32) -> Result<SampleRate> {
    match rate {
        8000 | 16000 | 24000 | 48000 => SampleRate::from_hz(rate),
        _ => None,
    }
    .ok_or(MediaError::UnsupportedRate(rate))
}

/// A speech encoder (mono or stereo) producing one Opus packet per 20 ms frame.
pub struct OpusEncoder {
    inner: Encoder,
    rate: u32,
    channels: u8,
    packet: Vec<u8>,
}

impl std::fmt::Debug for OpusEncoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpusEncoder")
            .field("rate", &self.rate)
            .field("channels", &self.channels)
            .finish()
    }
}

impl OpusEncoder {
    /// An encoder for mono PCM16 at `rate` (8, 16, 24 or 48 kHz) in VoIP mode at
    /// `bitrate` bits per second (see [`DEFAULT_BITRATE`]).
    pub fn new(rate: u32, bitrate: i32) -> Result<Self> {
        Self::with_channels(rate, 1, bitrate)
    }

    /// An encoder for `channels` (1, or 2 interleaved left-first) of PCM16 at `rate` in
    /// VoIP mode at `bitrate` bits per second for all channels together (see
    /// [`STEREO_BITRATE`]). A stereo encoder is forced to code both channels: the two
    /// channels of a call recording are two different people, never one voice panned.
    pub fn with_channels(rate: u32, channels: u8, bitrate: i32) -> Result<Self> {
        let layout = channel_layout(channels)?;
        let mut inner = Encoder::new(sample_rate(rate)?, layout, Application::Voip)?;
        inner.set_bitrate(bitrate)?;
        if layout == Channels::Stereo {
            inner.set_force_channels(Some(Channels::Stereo))?;
        }
        Ok(Self {
            inner,
            rate,
            channels,
            packet: vec![0; MAX_PACKET],
        })
    }

    /// Input sample rate in Hz.
    pub fn rate(&self) -> u32 {
        self.rate
    }

    /// Channels per input sample frame (1 or 2).
    pub fn channels(&self) -> u8 {
        self.channels
    }

    /// Samples per channel in a 20 ms frame at the input rate.
    pub fn frame_len(&self) -> usize {
        self.rate as usize / 50
    }

    /// Interleaved samples in a 20 ms frame: [`Self::frame_len`] × channels.
    pub fn frame_samples(&self) -> usize {
        self.frame_len() * usize::from(self.channels)
    }

    /// The encoder's lookahead in samples at the input rate; a decoder must discard this
    /// many samples at the start (the Ogg pre-skip).
    pub fn lookahead(&self) -> Result<u32> {
        Ok(self.inner.lookahead()?)
    }

    /// Sets the encoder complexity (0–10; libopus defaults to 9 or 10).
    pub fn set_complexity(&mut self, complexity: u8) -> Result<()> {
        Ok(self.inner.set_complexity(complexity.min(10))?)
    }

    /// Encodes one 20 ms frame; `pcm` must hold exactly [`Self::frame_samples`]
    /// samples (interleaved when stereo). The packet borrows the encoder's buffer until
    /// the next call.
    pub fn encode(&mut self, pcm: &[i16]) -> Result<&[u8]> {
        if pcm.len() != self.frame_samples() {
            return Err(MediaError::Resample(format!(
                "opus frame of {} samples, expected {}",
                pcm.len(),
                self.frame_samples()
            )));
        }
        let n = self.inner.encode(pcm, &mut self.packet)?;
        self.packet
            .get(..n)
            .ok_or(MediaError::Ogg("encoder reported an oversized packet"))
    }
}

/// An Opus decoder (mono or stereo) at a chosen output rate.
pub struct OpusDecoder {
    inner: Decoder,
    rate: SampleRate,
    channels: u8,
}

impl std::fmt::Debug for OpusDecoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpusDecoder")
            .field("rate", &self.rate.hz())
            .finish()
    }
}

impl OpusDecoder {
    /// A decoder producing mono PCM16 at `rate` (8, 16, 24 or 48 kHz).
    pub fn new(rate: u32) -> Result<Self> {
        Self::with_channels(rate, 1)
    }

    /// A decoder producing `channels` (1, or 2 interleaved left-first) of PCM16 at
    /// `rate`.
    pub fn with_channels(rate: u32, channels: u8) -> Result<Self> {
        let rate = sample_rate(rate)?;
        Ok(Self {
            inner: Decoder::new(rate, channel_layout(channels)?)?,
            rate,
            channels,
        })
    }

    /// Output sample rate in Hz.
    pub fn rate(&self) -> u32 {
        self.rate.hz()
    }

    /// Output channels.
    pub fn channels(&self) -> u8 {
        self.channels
    }

    /// Decodes one packet into `out` (room for 120 ms, `rate / 1000 * 120` samples per
    /// channel, is always enough). Returns the number of samples written per channel
    /// (interleaved when stereo).
    pub fn decode(&mut self, packet: &[u8], out: &mut [i16]) -> Result<usize> {
        Ok(self.inner.decode(packet, out)?)
    }

    /// Samples per channel that `packet` decodes to at this decoder's rate, read from
    /// the packet's header without decoding it.
    pub fn packet_samples(&self, packet: &[u8]) -> Result<usize> {
        Ok(servicepro_opus::packet_samples(packet, self.rate)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signal::tone;

    #[test]
    fn encodes_and_decodes_20ms_frames_at_16_and_48_khz() {
        for rate in [16000, 48000] {
            let mut enc = OpusEncoder::new(rate, 16000).unwrap();
            let mut dec = OpusDecoder::new(rate).unwrap();
            let frame = enc.frame_len();
            let t = tone(440.0, f64::from(rate), 8000.0, frame * 20);
            let mut out = vec![0i16; frame * 6];
            let mut decoded = 0;
            for chunk in t.chunks(frame) {
                let packet = enc.encode(chunk).unwrap().to_vec();
                assert!(!packet.is_empty() && packet.len() < 200);
                decoded += dec.decode(&packet, &mut out).unwrap();
            }
            assert_eq!(decoded, t.len());
            assert!(enc.lookahead().unwrap() > 0);
            assert_eq!(dec.rate(), rate);
        }
    }

    #[test]
    fn rejects_bad_sizes_rates_and_packets() {
        assert!(OpusEncoder::new(44100, 6000).is_err());
        assert!(OpusDecoder::new(11025).is_err());
        let mut enc = OpusEncoder::new(16000, 6000).unwrap();
        enc.set_complexity(5).unwrap();
        assert!(enc.encode(&[0; 100]).is_err());
        let mut dec = OpusDecoder::new(16000).unwrap();
        let mut out = vec![0i16; 1920];
        assert!(dec.decode(&[], &mut out).is_err());
        assert!(dec.decode(&[0xFF, 0xFF, 0xFF], &mut out).is_err());
        assert!(dec.decode(&[0x08], &mut []).is_err());
    }
}
