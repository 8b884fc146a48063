//! The crate's one error type, so callers match on a single enum.

use thiserror::Error;

/// Everything that can go wrong in the media crate. Every fallible API returns this,
/// so the engine can log and drop a bad frame instead of tearing down a call.
#[derive(Debug, Error)]
pub enum MediaError {
    /// Base64 text from the wire was not valid base64.
    #[error("invalid base64: {0}")]
    Base64(&'static str),
    /// A WAV file could not be parsed or uses an encoding this crate does not read.
    #[error("invalid WAV: {0}")]
    Wav(&'static str),
    /// The resampler rejected its configuration or a buffer.
    #[error("resampler: {0}")]
    Resample(String),
    /// libopus reported an error, or refused a buffer or packet.
    #[error("opus: {0}")]
    Opus(#[from] servicepro_opus::Error),
    /// An Ogg stream could not be parsed or set up.
    #[error("ogg: {0}")]
    Ogg(&'static str),
    /// Writing an Ogg stream to its destination failed (a full disk, a closed file).
    #[error("write failed: {0}")]
    Io(#[from] std::io::Error),
    /// A sample rate this crate does not handle for the requested operation.
    #[error("unsupported sample rate {0} Hz")]
    UnsupportedRate(u32),
    /// A channel count this crate does not handle (Opus here is mono or stereo).
    #[error("unsupported channel count {0}")]
    UnsupportedChannels(u8),
}

/// Shorthand for results carrying [`MediaError`].
pub type Result<T> = std::result::Result<T, MediaError>;
