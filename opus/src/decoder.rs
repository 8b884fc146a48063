//! [`Decoder`]: an owned libopus decoder state.

#![allow(unsafe_code)]

use std::ffi::c_int;
use std::ptr::NonNull;

use crate::error::{c_len, created, Error, Result};
use crate::ffi;
use crate::types::{Channels, SampleRate};

/// A libopus decoder to 16-bit PCM (mono, or stereo interleaved left first).
#[derive(Debug)]
pub struct Decoder {
    state: NonNull<ffi::OpusDecoder>,
    channels: Channels,
}

// SAFETY: as for `Encoder`: heap state owned by this value alone, no thread affinity;
// every libopus call goes through `&mut self`.
unsafe impl Send for Decoder {}

impl Decoder {
    /// A new decoder producing `channels` at `rate`.
    pub fn new(rate: SampleRate, channels: Channels) -> Result<Self> {
        let mut error: c_int = ffi::OPUS_OK;
        // SAFETY: valid arguments by construction; `error` points to a live int;
        // libopus returns a fresh heap state or null.
        let state = unsafe { ffi::opus_decoder_create(rate.raw(), channels.raw(), &mut error) };
        Ok(Self {
            state: created(state, error)?,
            channels,
        })
    }

    /// The channels this decoder produces.
    pub fn channels(&self) -> Channels {
        self.channels
    }

    /// Decodes one packet into `out` (interleaved; room for 120 ms per channel always
    /// suffices) and returns the samples written per channel. An empty packet is
    /// refused: libopus would conceal it as a lost one.
    pub fn decode(&mut self, packet: &[u8], out: &mut [i16]) -> Result<usize> {
        if packet.is_empty() {
            return Err(Error::EmptyPacket);
        }
        let len = c_len(packet.len())?;
        let frame_size = self.channels.frame_size(out.len())?;
        // SAFETY: the state is live and exclusively borrowed; `packet` is readable for
        // `len` bytes and `out` writable for `frame_size` samples per channel, both
        // borrowed for the duration of the call. No FEC decoding (`decode_fec` 0).
        let ret = unsafe {
            ffi::opus_decode(
                self.state.as_ptr(),
                packet.as_ptr(),
                len,
                out.as_mut_ptr(),
                frame_size,
                0,
            )
        };
        Error::check(ret)
    }
}

impl Drop for Decoder {
    fn drop(&mut self) {
        // SAFETY: the state came from `opus_decoder_create`, is owned by this value
        // alone and is freed exactly once, here.
        unsafe { ffi::opus_decoder_destroy(self.state.as_ptr()) }
    }
}
