//! The crate's error type: what libopus reported, or what was refused before calling it.

#![allow(unsafe_code)]

use std::ffi::{c_int, CStr};
use std::ptr::NonNull;

use thiserror::Error;

use crate::ffi;

/// Everything the encoder, decoder and packet helpers can report.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Error {
    /// libopus returned an error code; `message` is libopus's own text for it.
    #[error("libopus: {message} ({code})")]
    Library {
        /// The negative `OPUS_*` error code.
        code: i32,
        /// `opus_strerror(code)`.
        message: &'static str,
    },
    /// A PCM buffer that is not a whole number of frames of all channels, or is empty.
    #[error("PCM buffer of {len} samples is not whole sample frames of {channels} channel(s)")]
    BadBuffer {
        /// Samples in the buffer.
        len: usize,
        /// Channels of the encoder or decoder.
        channels: u8,
    },
    /// A packet of no bytes: libopus would take it for a lost packet and conceal it.
    #[error("empty packet")]
    EmptyPacket,
    /// A buffer larger than libopus's `int` lengths can describe.
    #[error("buffer of {0} elements is too large for libopus")]
    TooLarge(usize),
}

/// Shorthand for results carrying [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// The error for a negative libopus return code.
    pub(crate) fn from_code(code: c_int) -> Self {
        // SAFETY: `opus_strerror` accepts any int and returns a pointer to a static,
        // NUL-terminated ASCII string from libopus's constant table (never null, never
        // freed), so borrowing it for 'static is sound.
        let text = unsafe { CStr::from_ptr(ffi::opus_strerror(code)) };
        Error::Library {
            code,
            message: text.to_str().unwrap_or("unknown error"),
        }
    }

    /// `Ok(value)` for a non-negative libopus return value, the error otherwise.
    pub(crate) fn check(ret: c_int) -> Result<usize> {
        usize::try_from(ret).map_err(|_| Self::from_code(ret))
    }
}

/// What a libopus `*_create` call returned: the new state, or the error it reported
/// (libopus frees the state and returns null on every error).
pub(crate) fn created<T>(state: *mut T, error: c_int) -> Result<NonNull<T>> {
    match NonNull::new(state) {
        Some(state) if error == ffi::OPUS_OK => Ok(state),
        _ if error == ffi::OPUS_OK => Err(Error::from_code(ffi::OPUS_ALLOC_FAIL)),
        _ => Err(Error::from_code(error)),
    }
}

/// `len` as libopus's `int`/`opus_int32` length.
pub(crate) fn c_len(len: usize) -> Result<i32> {
    i32::try_from(len).map_err(|_| Error::TooLarge(len))
}
