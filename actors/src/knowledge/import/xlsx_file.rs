//! Reads a knowledge base from an .xlsx workbook: a sheet named like the
//! knowledge base ("KB", "Knowledge", "FAQ") if there is one, otherwise
//! the first sheet with a usable header.

use std::io::Cursor;

use calamine::{Data, Range, Reader, Xlsx};

use super::error::KbImportError;
use super::report::{build_report, ImportReport, Row};
use crate::packs::normalize_term;

/// Imports entries from .xlsx bytes (see [`super`] for what is skipped).
/// Sheets named like a knowledge base are tried first, then the rest in
/// workbook order; the first with a question and an answer column wins.
///
/// The workbook reader can panic on some damaged files (calamine 0.38
/// overflows on absurd cell references; the damaged-workbook test found
/// it). An upload must never take the agent down, so the read runs under
/// `catch_unwind` and a panic becomes [`KbImportError::NotXlsx`].
pub fn import_xlsx(bytes: &[u8]) -> Result<ImportReport, KbImportError> {
    std::panic::catch_unwind(|| read_workbook(bytes)).unwrap_or_else(|_| {
        Err(KbImportError::NotXlsx {
            message: "the workbook is damaged".to_owned(),
        })
    })
}

/// Reads the workbook; may panic inside the reader on damaged files.
fn read_workbook(bytes: &[u8]) -> Result<ImportReport, KbImportError> {
    let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(|e| KbImportError::NotXlsx {
        message: e.to_string(),
    })?;
    let mut names = workbook.sheet_names();
    names.sort_by_key(|name| !is_kb_sheet(name));
    let mut first_error: Option<KbImportError> = None;
    for name in names {
        let attempt = match workbook.worksheet_range(&name) {
            Ok(range) => build_report(rows(&range)),
            Err(e) => Err(KbImportError::Sheet {
                sheet: name.clone(),
                message: e.to_string(),
            }),
        };
        match attempt {
            Ok(report) => return Ok(report),
            Err(KbImportError::Empty) => {}
            Err(error) => {
                first_error.get_or_insert(error);
            }
        }
    }
    Err(first_error.unwrap_or(KbImportError::Empty))
}

/// Whether a sheet's name says it holds the knowledge base.
fn is_kb_sheet(name: &str) -> bool {
    let folded = normalize_term(name);
    folded
        .split(' ')
        .any(|w| matches!(w, "kb" | "faq" | "faqs"))
        || folded.contains("knowledge")
}

/// A sheet's rows as text, numbered as the spreadsheet shows them.
fn rows(range: &Range<Data>) -> Vec<Row> {
    let first_row = range.start().map_or(0, |(row, _)| row as usize);
    range
        .rows()
        .enumerate()
        .map(|(i, cells)| (first_row + i + 1, cells.iter().map(text).collect()))
        .collect()
}

/// A cell as text; empty and error cells are blank.
fn text(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_knowledge_base_sheet_names() {
        for name in ["KB", "Knowledge Base", "Agent knowledge", "FAQ", "kb-v2"] {
            assert!(is_kb_sheet(name), "{name}");
        }
        for name in ["Sheet1", "Instructions", "Kbd"] {
            assert!(!is_kb_sheet(name), "{name}");
        }
    }
}
