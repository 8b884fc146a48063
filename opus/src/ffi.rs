//! Hand-written declarations of the part of libopus's C API (`include/opus.h`,
//! `include/opus_defines.h` of 1.3.1) this crate calls. No bindgen: the API has been
//! stable since 1.0 and these few items are checked by the tests against the library.

#![allow(unsafe_code)]

use std::ffi::{c_char, c_int, c_uchar};

/// `OpusEncoder`: opaque encoder state, only ever behind a pointer.
#[repr(C)]
pub(crate) struct OpusEncoder {
    _opaque: [u8; 0],
}

/// `OpusDecoder`: opaque decoder state, only ever behind a pointer.
#[repr(C)]
pub(crate) struct OpusDecoder {
    _opaque: [u8; 0],
}

pub(crate) const OPUS_OK: c_int = 0;
pub(crate) const OPUS_BAD_ARG: c_int = -1;
pub(crate) const OPUS_ALLOC_FAIL: c_int = -7;
pub(crate) const OPUS_APPLICATION_VOIP: c_int = 2048;
pub(crate) const OPUS_APPLICATION_AUDIO: c_int = 2049;
pub(crate) const OPUS_SET_BITRATE_REQUEST: c_int = 4002;
pub(crate) const OPUS_SET_COMPLEXITY_REQUEST: c_int = 4010;
pub(crate) const OPUS_SET_FORCE_CHANNELS_REQUEST: c_int = 4022;
pub(crate) const OPUS_GET_LOOKAHEAD_REQUEST: c_int = 4027;
/// `OPUS_AUTO`: let the encoder choose (here: the channel count it codes).
pub(crate) const OPUS_AUTO: c_int = -1000;

// `opus_int32` is `int32_t` and `opus_int16` is `int16_t` (`opus_types.h` with stdint).
extern "C" {
    pub(crate) fn opus_encoder_create(
        fs: i32,
        channels: c_int,
        application: c_int,
        error: *mut c_int,
    ) -> *mut OpusEncoder;
    pub(crate) fn opus_encode(
        st: *mut OpusEncoder,
        pcm: *const i16,
        frame_size: c_int,
        data: *mut c_uchar,
        max_data_bytes: i32,
    ) -> i32;
    /// Variadic: each request takes one `opus_int32` or one `opus_int32 *`.
    pub(crate) fn opus_encoder_ctl(st: *mut OpusEncoder, request: c_int, ...) -> c_int;
    pub(crate) fn opus_encoder_destroy(st: *mut OpusEncoder);

    pub(crate) fn opus_decoder_create(
        fs: i32,
        channels: c_int,
        error: *mut c_int,
    ) -> *mut OpusDecoder;
    pub(crate) fn opus_decode(
        st: *mut OpusDecoder,
        data: *const c_uchar,
        len: i32,
        pcm: *mut i16,
        frame_size: c_int,
        decode_fec: c_int,
    ) -> c_int;
    pub(crate) fn opus_decoder_destroy(st: *mut OpusDecoder);

    pub(crate) fn opus_packet_get_nb_samples(packet: *const c_uchar, len: i32, fs: i32) -> c_int;
    pub(crate) fn opus_strerror(error: c_int) -> *const c_char;
    pub(crate) fn opus_get_version_string() -> *const c_char;
}
