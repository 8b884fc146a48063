//! [`FrameLimit`]: a websocket's incoming bytes, watched frame by frame so a frame
//! larger than the limit is refused when its header arrives, before its payload is
//! read. actix-http's codec checks its own limit only once the whole frame has been
//! buffered, so without this a single 300 MB frame cost 300 MB of memory before the
//! refusal.
//!
//! The watcher only reads frame headers (RFC 6455 §5.2: two bytes, an optional 2- or
//! 8-byte length, a 4-byte mask) and skips payloads; the bytes pass on unchanged to
//! the codec.

use actix_web::error::PayloadError;
use actix_web::web::Bytes;
use futures_util::Stream;
use std::pin::Pin;
use std::task::{Context, Poll};

/// The longest frame header: 2 bytes, 8 of extended length, 4 of mask.
const MAX_HEADER: usize = 14;

/// Follows frame boundaries in a byte stream.
#[derive(Debug, Clone)]
pub struct FrameScanner {
    limit: u64,
    header: [u8; MAX_HEADER],
    header_len: usize,
    payload_left: u64,
}

impl FrameScanner {
    /// A scanner refusing frames with more than `limit` payload bytes.
    pub fn new(limit: usize) -> Self {
        FrameScanner {
            limit: limit as u64,
            header: [0; MAX_HEADER],
            header_len: 0,
            payload_left: 0,
        }
    }

    /// Reads the next bytes of the stream; `Err(length)` names the first frame whose
    /// announced payload length is over the limit.
    pub fn scan(&mut self, mut bytes: &[u8]) -> Result<(), u64> {
        while !bytes.is_empty() {
            if self.payload_left > 0 {
                let skip = bytes
                    .len()
                    .min(usize::try_from(self.payload_left).unwrap_or(usize::MAX));
                self.payload_left -= skip as u64;
                bytes = &bytes[skip..];
                continue;
            }
            self.header[self.header_len] = bytes[0];
            self.header_len += 1;
            bytes = &bytes[1..];
            if let Some(length) = self.complete_header() {
                if length > self.limit {
                    return Err(length);
                }
                self.header_len = 0;
                self.payload_left = length;
            }
        }
        Ok(())
    }

    /// The payload length once the header read so far is complete.
    fn complete_header(&self) -> Option<u64> {
        if self.header_len < 2 {
            return None;
        }
        let masked = self.header[1] & 0x80 != 0;
        let (length_bytes, short) = match self.header[1] & 0x7F {
            126 => (2, None),
            127 => (8, None),
            n => (0, Some(u64::from(n))),
        };
        let needed = 2 + length_bytes + if masked { 4 } else { 0 };
        if self.header_len < needed {
            return None;
        }
        Some(short.unwrap_or_else(|| {
            self.header[2..2 + length_bytes]
                .iter()
                .fold(0u64, |acc, b| (acc << 8) | u64::from(*b))
        }))
    }
}

/// A websocket payload stream that ends with [`PayloadError::Overflow`] as soon as a
/// frame header announces more than the limit (and yields nothing after that).
pub struct FrameLimit<S> {
    inner: S,
    scanner: FrameScanner,
    refused: bool,
}

impl<S> FrameLimit<S> {
    /// Watches `inner`, refusing frames over `limit` payload bytes.
    pub fn new(inner: S, limit: usize) -> Self {
        FrameLimit {
            inner,
            scanner: FrameScanner::new(limit),
            refused: false,
        }
    }
}

impl<S> Stream for FrameLimit<S>
where
    S: Stream<Item = Result<Bytes, PayloadError>> + Unpin,
{
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.refused {
            return Poll::Ready(None);
        }
        let polled = Pin::new(&mut self.inner).poll_next(cx);
        match polled {
            Poll::Ready(Some(Ok(chunk))) => match self.scanner.scan(&chunk) {
                Ok(()) => Poll::Ready(Some(Ok(chunk))),
                Err(length) => {
                    self.refused = true;
                    tracing::warn!(
                        length,
                        limit = self.scanner.limit,
                        "websocket frame over the size limit refused at its header"
                    );
                    Poll::Ready(Some(Err(PayloadError::Overflow)))
                }
            },
            other => other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A client (masked) text frame carrying `len` bytes, encoded as RFC 6455 §5.2 says.
    fn frame(len: usize) -> Vec<u8> {
        let mut out = vec![0x81];
        match len {
            0..=125 => out.push(0x80 | len as u8),
            126..=65_535 => {
                out.push(0x80 | 126);
                out.extend_from_slice(&(len as u16).to_be_bytes());
            }
            _ => {
                out.push(0x80 | 127);
                out.extend_from_slice(&(len as u64).to_be_bytes());
            }
        }
        out.extend_from_slice(&[1, 2, 3, 4]);
        out.resize(out.len() + len, b'x');
        out
    }

    #[test]
    fn frames_under_the_limit_pass_in_any_split() {
        let mut stream = Vec::new();
        for len in [0, 5, 125, 126, 1000, 65_535, 65_536, 70_000] {
            stream.extend_from_slice(&frame(len));
        }
        for piece in [1, 3, 13, 4096, stream.len()] {
            let mut scanner = FrameScanner::new(70_000);
            for chunk in stream.chunks(piece) {
                scanner.scan(chunk).unwrap();
            }
            assert_eq!(
                (scanner.header_len, scanner.payload_left),
                (0, 0),
                "{piece}"
            );
        }
    }

    #[test]
    fn an_oversized_frame_is_refused_at_its_header() {
        let big = frame(10 * 1024 * 1024);
        for header_len in [2 + 8 + 4, 2 + 2 + 4] {
            let mut scanner = FrameScanner::new(16 * 1024);
            scanner.scan(&frame(900)).unwrap();
            let header = if header_len == 14 {
                big[..14].to_vec()
            } else {
                frame(20_000)[..8].to_vec()
            };
            // Everything but the header's last byte: not yet known.
            scanner.scan(&header[..header.len() - 1]).unwrap();
            let refused = scanner.scan(&header[header.len() - 1..]).unwrap_err();
            assert!(
                refused == 10 * 1024 * 1024 || refused == 20_000,
                "{refused}"
            );
        }
    }
}
