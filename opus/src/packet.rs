//! Questions about packets and the library that need no encoder or decoder state.

#![allow(unsafe_code)]

use std::ffi::CStr;

use crate::error::{c_len, Error, Result};
use crate::ffi;
use crate::types::SampleRate;

/// Samples per channel that `packet` decodes to at `rate`, read from its TOC byte and
/// frame count (RFC 6716 §3.1) without decoding it.
pub fn packet_samples(packet: &[u8], rate: SampleRate) -> Result<usize> {
    if packet.is_empty() {
        return Err(Error::EmptyPacket);
    }
    let len = c_len(packet.len())?;
    // SAFETY: `packet` is readable for `len` (> 0) bytes for the duration of the call;
    // libopus only reads it.
    let ret = unsafe { ffi::opus_packet_get_nb_samples(packet.as_ptr(), len, rate.raw()) };
    Error::check(ret)
}

/// libopus's version string, e.g. `"libopus 1.3.1"`.
pub fn version() -> &'static str {
    // SAFETY: `opus_get_version_string` returns a pointer to a static, NUL-terminated
    // string literal inside libopus, valid for the life of the program.
    let text = unsafe { CStr::from_ptr(ffi::opus_get_version_string()) };
    text.to_str()
        .unwrap_or("libopus (non-UTF-8 version string)")
}
