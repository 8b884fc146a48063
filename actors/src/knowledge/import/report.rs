//! Turns spreadsheet rows into entries and a report of what was skipped.

use std::collections::HashMap;

use super::error::KbImportError;
use super::header::{find_columns, Columns, HEADER_SCAN_ROWS};
use crate::knowledge::entry::{KbEntry, KbSource};
use crate::packs::normalize_term;

/// What an import produced: the entries, and every row that did not make
/// it with the reason, so nothing is dropped silently.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportReport {
    /// The imported entries, as tenant entries, in file order.
    pub entries: Vec<KbEntry>,
    /// The rows left out, by row number.
    pub skipped: Vec<SkippedRow>,
}

/// A row that did not become an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedRow {
    /// The row number as the spreadsheet shows it (1-based; for CSV, the
    /// line the row starts on).
    pub row: usize,
    /// Why, in words a tenant understands.
    pub reason: String,
}

/// A row of cell texts with its 1-based row number.
pub type Row = (usize, Vec<String>);

/// Finds the header, then reads every later row. Fails when the rows are
/// all blank or no header names a question and an answer column.
pub fn build_report(rows: Vec<Row>) -> Result<ImportReport, KbImportError> {
    let mut rows = rows.into_iter().filter(|(_, cells)| !is_blank(cells));
    let mut first: Option<Vec<String>> = None;
    let mut columns: Option<Columns> = None;
    for (_, cells) in rows.by_ref().take(HEADER_SCAN_ROWS) {
        if let Some(found) = find_columns(&cells) {
            columns = Some(found);
            break;
        }
        first.get_or_insert(cells);
    }
    let Some(columns) = columns else {
        return Err(match first {
            None => KbImportError::Empty,
            Some(cells) => KbImportError::MissingColumns {
                found: cells
                    .into_iter()
                    .map(|c| c.trim().trim_start_matches('\u{feff}').to_owned())
                    .filter(|c| !c.is_empty())
                    .collect(),
            },
        });
    };
    let mut report = ImportReport::default();
    let mut seen: HashMap<String, (usize, usize)> = HashMap::new();
    for (row, cells) in rows {
        let entry = match read_entry(&columns, &cells) {
            Ok(entry) => entry,
            Err(reason) => {
                report.skipped.push(SkippedRow {
                    row,
                    reason: reason.to_owned(),
                });
                continue;
            }
        };
        let key = normalize_term(&entry.question);
        match seen.get_mut(&key) {
            Some((at, earlier)) => {
                report.skipped.push(SkippedRow {
                    row: *earlier,
                    reason: format!("duplicate question; row {row} asks it again and replaces it"),
                });
                if let Some(slot) = report.entries.get_mut(*at) {
                    *slot = entry;
                }
                *earlier = row;
            }
            None => {
                seen.insert(key, (report.entries.len(), row));
                report.entries.push(entry);
            }
        }
    }
    report.skipped.sort_by_key(|s| s.row);
    Ok(report)
}

/// Whether every cell is empty or whitespace.
fn is_blank(cells: &[String]) -> bool {
    cells.iter().all(|c| c.trim().is_empty())
}

/// The entry in a data row, or why there is none.
fn read_entry(columns: &Columns, cells: &[String]) -> Result<KbEntry, &'static str> {
    let cell = |at: Option<usize>| {
        at.and_then(|i| cells.get(i))
            .map(|c| c.trim())
            .unwrap_or_default()
    };
    let question = cell(Some(columns.question));
    let answer = cell(Some(columns.answer));
    match (question.is_empty(), answer.is_empty()) {
        (true, true) => return Err("question and answer are blank"),
        (true, false) => return Err("question is blank"),
        (false, true) => return Err("answer is blank"),
        (false, false) => {}
    }
    let keywords = cell(columns.keywords)
        .split([',', ';', '\n'])
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(str::to_owned)
        .collect();
    Ok(KbEntry::new(
        question,
        answer,
        cell(columns.category),
        keywords,
        KbSource::Tenant,
    ))
}
