//! One export, start to end: count the rows (for progress), then per table a
//! CSV pass and a JSON pass over keyset pages, then the recordings. Each page
//! is rendered to bytes here and sent to the zip [`writer`](super::writer);
//! [`Progress`] is reported after every page (the job's row and the command
//! line's bar are both driven by it).

use super::tables::{self, Table, TABLES};
use super::writer::{self, Chunk};
use super::ExportError;
use servicepro_schema::{DbError, TenantDb};
use std::future::Future;
use std::path::PathBuf;

/// How far an export is, reported after each page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    /// 0..1 of all the rows to write (each row counts once for its CSV and
    /// once for its JSON pass).
    pub fraction: f32,
    /// The zip entry being written, e.g. `messages.csv`.
    pub entry: &'static str,
    /// Rows of that entry written so far.
    pub rows: i64,
    /// Rows that entry will have.
    pub of: i64,
}

/// The zip entries of a table's two passes.
fn entries(table: Table) -> [(&'static str, bool); 2] {
    [(table.csv_entry, true), (table.json_entry, false)]
}

/// Writes `db`'s tenant's export to `path`, reporting [`Progress`] after each
/// page through `progress`. Returns the archive's size in bytes.
pub async fn write_export<F, Fut>(
    db: &TenantDb,
    include_recordings: bool,
    path: PathBuf,
    mut progress: F,
) -> Result<u64, ExportError>
where
    F: FnMut(Progress) -> Fut,
    Fut: Future<Output = Result<(), DbError>>,
{
    let mut counts = Vec::with_capacity(TABLES.len());
    for table in TABLES {
        counts.push(tables::count(db, table).await?);
    }
    let total = (2 * counts.iter().sum::<i64>()).max(1) as f64;
    let target = path.clone();
    let writer = writer::start(path);
    let sent = async {
        let mut done: i64 = 0;
        for (table, of) in TABLES.into_iter().zip(counts) {
            let columns = tables::columns(db, table).await?;
            for (entry, csv) in entries(table) {
                send(&writer.tx, Chunk::Start(entry.to_owned())).await?;
                let header = if csv {
                    csv_line(columns.iter().map(String::as_str))?
                } else {
                    b"[".to_vec()
                };
                send(&writer.tx, Chunk::Bytes(header)).await?;
                let mut first = true;
                let mut rows = 0;
                let mut after = 0;
                loop {
                    let page = tables::page(db, table, after).await?;
                    let Some(last) = page.last() else { break };
                    after = last.key;
                    rows += page.len() as i64;
                    let bytes = if csv {
                        csv_page(&page, &columns)?
                    } else {
                        json_page(&page, &mut first)
                    };
                    send(&writer.tx, Chunk::Bytes(bytes)).await?;
                    let fraction = ((done + rows) as f64 / total).min(1.0) as f32;
                    progress(Progress {
                        fraction,
                        entry,
                        rows,
                        of,
                    })
                    .await?;
                    if (page.len() as i64) < tables::PAGE_ROWS {
                        break;
                    }
                }
                if !csv {
                    send(&writer.tx, Chunk::Bytes(b"]\n".to_vec())).await?;
                }
                done += rows;
                progress(Progress {
                    fraction: (done as f64 / total).min(1.0) as f32,
                    entry,
                    rows,
                    of: rows,
                })
                .await?;
            }
        }
        if include_recordings {
            let mut after = 0;
            loop {
                let page = tables::recordings_page(db, after).await?;
                let Some(last) = page.last() else { break };
                after = last.key;
                for row in page {
                    let from = PathBuf::from(&row.row);
                    let file = from
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    let name = format!("recordings/{}-{file}", row.key);
                    send(&writer.tx, Chunk::CopyFile { from, name }).await?;
                }
            }
        }
        Ok::<(), ExportError>(())
    }
    .await;
    let writer::Writer { tx, done } = writer;
    drop(tx);
    let written = done.await.map_err(ExportError::Task)?;
    if sent.is_err() {
        // The writer finished what it was given: an incomplete archive must not stay.
        let _ = std::fs::remove_file(&target);
    }
    sent?;
    Ok(written?)
}

async fn send(tx: &tokio::sync::mpsc::Sender<Chunk>, chunk: Chunk) -> Result<(), ExportError> {
    // The writer only hangs up when it failed; its error is reported by `done`.
    tx.send(chunk).await.map_err(|_| ExportError::WriterStopped)
}

fn csv_line<'a>(fields: impl Iterator<Item = &'a str>) -> Result<Vec<u8>, ExportError> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(fields).map_err(ExportError::Csv)?;
    out.into_inner()
        .map_err(|e| ExportError::Csv(e.into_error().into()))
}

/// A page as CSV lines, columns in table order; JSON values other than
/// strings (arrays, objects, numbers, booleans) as their JSON text, NULL empty.
fn csv_page(rows: &[tables::PageRow], columns: &[String]) -> Result<Vec<u8>, ExportError> {
    let mut out = csv::Writer::from_writer(Vec::new());
    for row in rows {
        let value: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&row.row).map_err(ExportError::Json)?;
        let fields = columns.iter().map(|c| match value.get(c) {
            None | Some(serde_json::Value::Null) => String::new(),
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
        });
        out.write_record(fields).map_err(ExportError::Csv)?;
    }
    out.into_inner()
        .map_err(|e| ExportError::Csv(e.into_error().into()))
}

/// A page as the next elements of a JSON array (rows are already JSON text).
fn json_page(rows: &[tables::PageRow], first: &mut bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(rows.iter().map(|r| r.row.len() + 2).sum());
    for row in rows {
        if !*first {
            out.extend_from_slice(b",\n");
        }
        *first = false;
        out.extend_from_slice(row.row.as_bytes());
    }
    out
}
