//! One export, start to end: count the rows (for progress), then per table a
//! CSV pass and a JSON pass over keyset pages, then the recordings. Each page
//! is rendered to bytes here and sent to the zip [`writer`](super::writer).

use super::tables::{self, Table, TABLES};
use super::writer::{self, Chunk};
use super::ExportError;
use servicepro_schema::{DbError, TenantDb};
use std::future::Future;
use std::path::PathBuf;

/// Writes `db`'s tenant's export to `path`, reporting progress (0..1) after
/// each page through `progress`. Returns the archive's size in bytes.
pub async fn write_export<F, Fut>(
    db: &TenantDb,
    include_recordings: bool,
    path: PathBuf,
    mut progress: F,
) -> Result<u64, ExportError>
where
    F: FnMut(f32) -> Fut,
    Fut: Future<Output = Result<(), DbError>>,
{
    let mut total: i64 = 0;
    for table in TABLES {
        total += 2 * tables::count(db, table).await?;
    }
    let total = total.max(1) as f64;
    let writer = writer::start(path);
    let sent = async {
        let mut done: i64 = 0;
        for table in TABLES {
            let columns = tables::columns(db, table).await?;
            send(&writer.tx, Chunk::Start(format!("{}.csv", table.file))).await?;
            send(
                &writer.tx,
                Chunk::Bytes(csv_line(columns.iter().map(String::as_str))?),
            )
            .await?;
            done += pages(db, table, &writer.tx, |rows| csv_page(rows, &columns)).await?;
            progress((done as f64 / total) as f32).await?;
            send(&writer.tx, Chunk::Start(format!("{}.json", table.file))).await?;
            send(&writer.tx, Chunk::Bytes(b"[".to_vec())).await?;
            let mut first = true;
            done += pages(db, table, &writer.tx, |rows| {
                Ok(json_page(rows, &mut first))
            })
            .await?;
            send(&writer.tx, Chunk::Bytes(b"]\n".to_vec())).await?;
            progress((done as f64 / total) as f32).await?;
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
    sent?;
    Ok(written?)
}

/// Sends every page of `table`, rendered by `render`; returns the rows sent.
async fn pages(
    db: &TenantDb,
    table: Table,
    tx: &tokio::sync::mpsc::Sender<Chunk>,
    mut render: impl FnMut(&[tables::PageRow]) -> Result<Vec<u8>, ExportError>,
) -> Result<i64, ExportError> {
    let mut after = 0;
    let mut rows = 0;
    loop {
        let page = tables::page(db, table, after).await?;
        let Some(last) = page.last() else { break };
        after = last.key;
        rows += page.len() as i64;
        send(tx, Chunk::Bytes(render(&page)?)).await?;
        if (page.len() as i64) < tables::PAGE_ROWS {
            break;
        }
    }
    Ok(rows)
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
