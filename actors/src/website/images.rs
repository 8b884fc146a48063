//! Images an owner uploads for their site: the type told by the file's first bytes
//! (never by the name or a header the client sent), a size limit, and the name
//! ([`ImageId`], the SHA-256 of the bytes) that is also the image's ETag.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The largest image accepted.
pub const MAX_IMAGE_BYTES: usize = 2 * 1024 * 1024;

/// An accepted image type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageType {
    /// PNG.
    Png,
    /// JPEG.
    Jpeg,
    /// WebP.
    Webp,
    /// GIF.
    Gif,
}

impl ImageType {
    /// The type `bytes` start like, if one accepted.
    pub fn sniff(bytes: &[u8]) -> Option<ImageType> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(ImageType::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(ImageType::Jpeg)
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(ImageType::Webp)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(ImageType::Gif)
        } else {
            None
        }
    }

    /// The media type stored and served.
    pub fn content_type(self) -> &'static str {
        match self {
            ImageType::Png => "image/png",
            ImageType::Jpeg => "image/jpeg",
            ImageType::Webp => "image/webp",
            ImageType::Gif => "image/gif",
        }
    }
}

/// Why an upload was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImageError {
    /// Nothing was sent.
    #[error("the image is empty")]
    Empty,
    /// Larger than [`MAX_IMAGE_BYTES`].
    #[error("the image is {0} bytes; the limit is 2 MiB")]
    TooLarge(usize),
    /// Not a PNG, JPEG, WebP or GIF.
    #[error("not a PNG, JPEG, WebP or GIF image")]
    UnknownType,
}

/// A checked upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    /// Its name.
    pub id: ImageId,
    /// Its type.
    pub kind: ImageType,
}

/// Checks an upload's size and type, and names it.
pub fn check(bytes: &[u8]) -> Result<Upload, ImageError> {
    if bytes.is_empty() {
        return Err(ImageError::Empty);
    }
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(ImageError::TooLarge(bytes.len()));
    }
    let kind = ImageType::sniff(bytes).ok_or(ImageError::UnknownType)?;
    Ok(Upload {
        id: ImageId(hex::encode(Sha256::digest(bytes))),
        kind,
    })
}

/// An image's name: the lower-case hex SHA-256 of its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ImageId(String);

/// A string that is not an image name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected an image id (64 hex characters, as the upload answered)")]
pub struct BadImageId;

impl ImageId {
    /// Parses a name (64 lower-case hex characters).
    pub fn parse(raw: &str) -> Result<ImageId, BadImageId> {
        if raw.len() == 64 && raw.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            Ok(ImageId(raw.to_owned()))
        } else {
            Err(BadImageId)
        }
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ImageId {
    type Error = BadImageId;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        ImageId::parse(&raw)
    }
}

impl From<ImageId> for String {
    fn from(id: ImageId) -> String {
        id.0
    }
}

impl std::fmt::Display for ImageId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_are_told_by_magic_bytes() {
        assert_eq!(
            ImageType::sniff(b"\x89PNG\r\n\x1a\nrest"),
            Some(ImageType::Png)
        );
        assert_eq!(
            ImageType::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some(ImageType::Jpeg)
        );
        assert_eq!(
            ImageType::sniff(b"RIFF\0\0\0\0WEBPVP8 "),
            Some(ImageType::Webp)
        );
        assert_eq!(ImageType::sniff(b"GIF89a..."), Some(ImageType::Gif));
        assert_eq!(ImageType::sniff(b"<svg xmlns="), None);
        assert_eq!(ImageType::sniff(b"<html><script>"), None);
    }

    #[test]
    fn uploads_are_checked_and_named_by_content() {
        assert_eq!(check(b""), Err(ImageError::Empty));
        assert_eq!(check(b"%PDF-1.7"), Err(ImageError::UnknownType));
        let big = [b"GIF89a".as_slice(), &vec![0; MAX_IMAGE_BYTES]].concat();
        assert_eq!(check(&big), Err(ImageError::TooLarge(big.len())));
        let a = check(b"GIF89a-one").unwrap();
        assert_eq!(a.kind, ImageType::Gif);
        assert_eq!(ImageId::parse(a.id.as_str()), Ok(a.id.clone()));
        assert_ne!(a.id, check(b"GIF89a-two").unwrap().id);
    }

    #[test]
    fn ids_parse_strictly() {
        assert!(ImageId::parse(&"a".repeat(64)).is_ok());
        assert!(ImageId::parse(&"A".repeat(64)).is_err());
        assert!(ImageId::parse(&"a".repeat(63)).is_err());
        assert!(ImageId::parse("../../etc/passwd").is_err());
    }
}
