//! The small closed sets libopus accepts: sample rates, channel layouts, applications.

use std::ffi::c_int;

use crate::error::{c_len, Error, Result};
use crate::ffi;

/// A sample rate libopus encodes from and decodes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SampleRate {
    /// 8 kHz (narrowband, the telephone network).
    Hz8000,
    /// 12 kHz.
    Hz12000,
    /// 16 kHz (wideband).
    Hz16000,
    /// 24 kHz.
    Hz24000,
    /// 48 kHz (Opus's internal rate; Ogg granules count at it).
    Hz48000,
}

impl SampleRate {
    /// The rate in Hz.
    pub fn hz(self) -> u32 {
        match self {
            Self::Hz8000 => 8000,
            Self::Hz12000 => 12000,
            Self::Hz16000 => 16000,
            Self::Hz24000 => 24000,
            Self::Hz48000 => 48000,
        }
    }

    /// The rate for `hz`, if libopus supports it.
    pub fn from_hz(hz: u32) -> Option<Self> {
        [
            Self::Hz8000,
            Self::Hz12000,
            Self::Hz16000,
            Self::Hz24000,
            Self::Hz48000,
        ]
        .into_iter()
        .find(|rate| rate.hz() == hz)
    }

    pub(crate) fn raw(self) -> i32 {
        // Every variant is at most 48000.
        self.hz() as i32
    }
}

/// Mono or stereo (interleaved, left first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channels {
    /// One channel.
    Mono,
    /// Two channels, interleaved left first.
    Stereo,
}

impl Channels {
    /// The channel count.
    pub fn count(self) -> u8 {
        match self {
            Self::Mono => 1,
            Self::Stereo => 2,
        }
    }

    /// The layout for `count` channels (1 or 2).
    pub fn from_count(count: u8) -> Option<Self> {
        match count {
            1 => Some(Self::Mono),
            2 => Some(Self::Stereo),
            _ => None,
        }
    }

    pub(crate) fn raw(self) -> i32 {
        i32::from(self.count())
    }

    /// Samples per channel in an interleaved buffer of `len` samples, refusing an
    /// empty buffer or one that is not whole sample frames.
    pub(crate) fn frame_size(self, len: usize) -> Result<c_int> {
        let per_frame = usize::from(self.count());
        if len == 0 || !len.is_multiple_of(per_frame) {
            return Err(Error::BadBuffer {
                len,
                channels: self.count(),
            });
        }
        c_len(len / per_frame)
    }
}

/// What the encoder is tuned for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Application {
    /// Speech: favours intelligibility (`OPUS_APPLICATION_VOIP`).
    Voip,
    /// Music and mixed content, closest to the input (`OPUS_APPLICATION_AUDIO`).
    Audio,
}

impl Application {
    pub(crate) fn raw(self) -> i32 {
        match self {
            Self::Voip => ffi::OPUS_APPLICATION_VOIP,
            Self::Audio => ffi::OPUS_APPLICATION_AUDIO,
        }
    }
}
