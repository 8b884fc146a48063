//! [`Encoder`]: an owned libopus encoder state.

#![allow(unsafe_code)]

use std::ffi::c_int;
use std::ptr::NonNull;

use crate::error::{c_len, created, Error, Result};
use crate::ffi;
use crate::types::{Application, Channels, SampleRate};

/// A libopus encoder of 16-bit PCM (mono, or stereo interleaved left first).
#[derive(Debug)]
pub struct Encoder {
    state: NonNull<ffi::OpusEncoder>,
    channels: Channels,
}

// SAFETY: the encoder state is plain heap memory owned by this value alone, with no
// thread-local or thread-affine parts; moving it to another thread is fine. It is not
// `Sync`: every libopus call goes through `&mut self` or, for the read-only lookahead
// query, through `&self` on the one thread that holds the value.
unsafe impl Send for Encoder {}

impl Encoder {
    /// A new encoder of `channels` at `rate`, tuned for `application`.
    pub fn new(rate: SampleRate, channels: Channels, application: Application) -> Result<Self> {
        let mut error: c_int = ffi::OPUS_OK;
        // SAFETY: the arguments are valid by construction of the enums and `error`
        // points to a live int; libopus returns a fresh heap state or null.
        let state = unsafe {
            ffi::opus_encoder_create(rate.raw(), channels.raw(), application.raw(), &mut error)
        };
        Ok(Self {
            state: created(state, error)?,
            channels,
        })
    }

    /// The channels of the PCM this encoder takes.
    pub fn channels(&self) -> Channels {
        self.channels
    }

    /// Sets the target bitrate in bits per second for all channels together.
    pub fn set_bitrate(&mut self, bits_per_second: i32) -> Result<()> {
        self.set(ffi::OPUS_SET_BITRATE_REQUEST, bits_per_second)
    }

    /// Sets the computational complexity, 0 (cheapest) to 10.
    pub fn set_complexity(&mut self, complexity: u8) -> Result<()> {
        self.set(ffi::OPUS_SET_COMPLEXITY_REQUEST, i32::from(complexity))
    }

    /// Forces the coded channel count (`Some(Stereo)` keeps two channels apart even at
    /// bitrates where libopus would fold them into mono); `None` lets libopus choose.
    pub fn set_force_channels(&mut self, channels: Option<Channels>) -> Result<()> {
        let value = channels.map_or(ffi::OPUS_AUTO, Channels::raw);
        self.set(ffi::OPUS_SET_FORCE_CHANNELS_REQUEST, value)
    }

    /// The encoder's lookahead in samples per channel at its rate: what a decoder must
    /// discard at the start (an Ogg stream's pre-skip).
    pub fn lookahead(&self) -> Result<u32> {
        let mut value: i32 = 0;
        // SAFETY: the state is live; OPUS_GET_LOOKAHEAD takes one `opus_int32 *`, and
        // `value` outlives the call. libopus only reads the state for this request.
        let ret = unsafe {
            ffi::opus_encoder_ctl(
                self.state.as_ptr(),
                ffi::OPUS_GET_LOOKAHEAD_REQUEST,
                &mut value as *mut i32,
            )
        };
        Error::check(ret)?;
        u32::try_from(value).map_err(|_| Error::from_code(ffi::OPUS_BAD_ARG))
    }

    /// Encodes one frame (2.5, 5, 10, 20, 40 or 60 ms of interleaved samples) into
    /// `out` and returns the packet length. [`crate::MAX_PACKET`] bytes always suffice.
    pub fn encode(&mut self, pcm: &[i16], out: &mut [u8]) -> Result<usize> {
        let frame_size = self.channels.frame_size(pcm.len())?;
        let max_bytes = c_len(out.len())?;
        // SAFETY: the state is live and exclusively borrowed; `pcm` holds exactly
        // `frame_size` samples per channel and `out` is writable for `max_bytes` bytes,
        // both borrowed for the duration of the call.
        let ret = unsafe {
            ffi::opus_encode(
                self.state.as_ptr(),
                pcm.as_ptr(),
                frame_size,
                out.as_mut_ptr(),
                max_bytes,
            )
        };
        Error::check(ret)
    }

    /// One `opus_encoder_ctl` request that takes an `opus_int32` value.
    fn set(&mut self, request: c_int, value: i32) -> Result<()> {
        // SAFETY: the state is live and exclusively borrowed; every request passed here
        // is a SET request whose single variadic argument is an `opus_int32`.
        let ret = unsafe { ffi::opus_encoder_ctl(self.state.as_ptr(), request, value) };
        Error::check(ret).map(drop)
    }
}

impl Drop for Encoder {
    fn drop(&mut self) {
        // SAFETY: the state came from `opus_encoder_create`, is owned by this value
        // alone and is freed exactly once, here.
        unsafe { ffi::opus_encoder_destroy(self.state.as_ptr()) }
    }
}
