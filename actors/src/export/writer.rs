//! The zip writer: a blocking thread fed through a bounded channel, so the
//! async side never blocks on disk and at most [`CHANNEL_PAGES`] pages are in
//! memory. Entries are deflated (`zip`, default features off, deflate only);
//! the archive is written to `{path}.part` and renamed when complete (removed
//! when writing fails).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use tokio::sync::mpsc;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// Pages in flight between the database reader and the writer.
pub const CHANNEL_PAGES: usize = 4;

/// One instruction to the writer.
#[derive(Debug)]
pub enum Chunk {
    /// Starts entry `name` in the zip.
    Start(String),
    /// Appends bytes to the current entry.
    Bytes(Vec<u8>),
    /// Copies the file at `from` into a new entry `name`.
    CopyFile {
        /// The file on disk.
        from: PathBuf,
        /// The entry's name.
        name: String,
    },
}

/// Why writing the archive failed.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The file system refused.
    #[error("writing the export file: {0}")]
    Io(
        #[from]
        #[source]
        std::io::Error,
    ),
    /// The zip writer refused.
    #[error("writing the zip: {0}")]
    Zip(
        #[from]
        #[source]
        zip::result::ZipError,
    ),
}

/// The sending half and the writer's completion.
pub struct Writer {
    /// Where to send chunks (dropping it finishes the archive).
    pub tx: mpsc::Sender<Chunk>,
    /// Resolves when the archive is complete and renamed to its final name.
    pub done: tokio::task::JoinHandle<Result<u64, WriteError>>,
}

/// Starts a writer producing `path` (through `path.part`).
pub fn start(path: PathBuf) -> Writer {
    let (tx, rx) = mpsc::channel(CHANNEL_PAGES);
    let done = tokio::task::spawn_blocking(move || write_all(&path, rx));
    Writer { tx, done }
}

/// `{path}.part`, where the archive is written before it is renamed.
pub fn part_path(path: &Path) -> PathBuf {
    let mut part = path.as_os_str().to_owned();
    part.push(".part");
    PathBuf::from(part)
}

fn write_all(path: &Path, rx: mpsc::Receiver<Chunk>) -> Result<u64, WriteError> {
    let part = part_path(path);
    let written = write_part(path, &part, rx);
    if written.is_err() {
        // Nothing half-written stays behind (a missing file is fine).
        let _ = std::fs::remove_file(&part);
    }
    written
}

fn write_part(path: &Path, part: &Path, mut rx: mpsc::Receiver<Chunk>) -> Result<u64, WriteError> {
    let file = File::create(part)?;
    let mut zip = ZipWriter::new(BufWriter::new(file));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .large_file(true);
    while let Some(chunk) = rx.blocking_recv() {
        match chunk {
            Chunk::Start(name) => zip.start_file(name, options)?,
            Chunk::Bytes(bytes) => zip.write_all(&bytes)?,
            Chunk::CopyFile { from, name } => {
                zip.start_file(name, options)?;
                let mut source = File::open(&from)?;
                std::io::copy(&mut source, &mut zip)?;
            }
        }
    }
    let mut out = zip.finish()?;
    out.flush()?;
    let size = out.get_ref().metadata()?.len();
    drop(out);
    std::fs::rename(part, path)?;
    Ok(size)
}
