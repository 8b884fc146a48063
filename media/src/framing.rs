//! Chunking audio of any length into whole 20 ms frames.
//!
//! Twilio expects outbound media in 20 ms frames (160 μ-law bytes at 8 kHz), while
//! provider audio arrives in arbitrary lengths. [`FrameChunker`] keeps the remainder
//! between pushes and hands out whole frames, without allocating after construction.

/// Length of one frame in milliseconds.
pub const FRAME_MS: u32 = 20;
/// Bytes in one 20 ms μ-law frame at 8 kHz (one byte per sample).
pub const ULAW_FRAME_BYTES: usize = 160;
/// Samples in one 20 ms frame at 8 kHz.
pub const SAMPLES_8K: usize = 160;
/// Samples in one 20 ms frame at 16 kHz.
pub const SAMPLES_16K: usize = 320;
/// Samples in one 20 ms frame at 24 kHz.
pub const SAMPLES_24K: usize = 480;
/// Samples in one 20 ms frame at 48 kHz.
pub const SAMPLES_48K: usize = 960;
/// The μ-law code for silence (+0), used to pad a final partial frame.
pub const ULAW_SILENCE: u8 = 0xFF;

/// Splits a byte stream into fixed-size frames, carrying the remainder between pushes.
#[derive(Debug, Clone)]
pub struct FrameChunker {
    frame_len: usize,
    pending: Vec<u8>,
}

impl FrameChunker {
    /// A chunker emitting frames of `frame_len` bytes (at least 1).
    pub fn new(frame_len: usize) -> Self {
        let frame_len = frame_len.max(1);
        Self {
            frame_len,
            pending: Vec::with_capacity(frame_len),
        }
    }

    /// A chunker for 20 ms μ-law frames at 8 kHz.
    pub fn ulaw_20ms() -> Self {
        Self::new(ULAW_FRAME_BYTES)
    }

    /// Frame length in bytes.
    pub fn frame_len(&self) -> usize {
        self.frame_len
    }

    /// Bytes waiting for the rest of their frame.
    pub fn pending_len(&self) -> usize {
        self.pending.len()
    }

    /// Adds `data` and calls `emit` once per completed frame, in order. Returns the number
    /// of frames emitted. Whole frames inside `data` are passed straight through, uncopied.
    pub fn push(&mut self, mut data: &[u8], mut emit: impl FnMut(&[u8])) -> usize {
        let mut frames = 0;
        if !self.pending.is_empty() {
            let take = (self.frame_len - self.pending.len()).min(data.len());
            self.pending.extend_from_slice(&data[..take]);
            data = &data[take..];
            if self.pending.len() < self.frame_len {
                return 0;
            }
            emit(&self.pending);
            self.pending.clear();
            frames += 1;
        }
        let mut chunks = data.chunks_exact(self.frame_len);
        for frame in &mut chunks {
            emit(frame);
            frames += 1;
        }
        self.pending.extend_from_slice(chunks.remainder());
        frames
    }

    /// Emits the remainder as a last frame padded with `pad`, if there is one.
    /// Returns whether a frame was emitted.
    pub fn flush_padded(&mut self, pad: u8, mut emit: impl FnMut(&[u8])) -> bool {
        if self.pending.is_empty() {
            return false;
        }
        self.pending.resize(self.frame_len, pad);
        emit(&self.pending);
        self.pending.clear();
        true
    }

    /// Drops the remainder (after a barge-in `clear`, say).
    pub fn reset(&mut self) {
        self.pending.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emits_whole_frames_and_keeps_the_remainder() {
        let mut chunker = FrameChunker::ulaw_20ms();
        let mut frames: Vec<Vec<u8>> = Vec::new();
        let data: Vec<u8> = (0..1000u32).map(|i| i as u8).collect();
        let mut fed = 0;
        for len in [7, 153, 0, 400, 1, 439] {
            chunker.push(&data[fed..fed + len], |f| frames.push(f.to_vec()));
            fed += len;
        }
        assert_eq!(fed, 1000);
        assert_eq!(frames.len(), 6);
        assert!(frames.iter().all(|f| f.len() == 160));
        assert_eq!(chunker.pending_len(), 40);
        let joined: Vec<u8> = frames.concat();
        assert_eq!(joined, data[..960]);
        assert!(chunker.flush_padded(ULAW_SILENCE, |f| frames.push(f.to_vec())));
        let last = frames.last().unwrap();
        assert_eq!(&last[..40], &data[960..]);
        assert!(last[40..].iter().all(|&b| b == ULAW_SILENCE));
        assert!(!chunker.flush_padded(ULAW_SILENCE, |_| panic!("nothing pending")));
    }

    #[test]
    fn zero_frame_len_is_clamped() {
        let mut chunker = FrameChunker::new(0);
        assert_eq!(chunker.push(&[1, 2], |_| {}), 2);
        chunker.push(&[1], |_| {});
        chunker.reset();
        assert_eq!(chunker.pending_len(), 0);
    }
}
