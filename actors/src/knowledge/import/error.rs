//! Why a knowledge-base file could not be imported at all. Problems with
//! single rows are not errors; they are listed in the import report.

use thiserror::Error;

/// A file that cannot be read as a knowledge base, with a message the
/// tenant can act on.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum KbImportError {
    /// The file, or every sheet of it, has no rows.
    #[error("the file has no rows")]
    Empty,
    /// No row near the top names both a question and an answer column.
    #[error(
        "no header row with a question column (question, q, faq) and an answer column \
         (answer, a, response); headers found: {}",
        list(.found)
    )]
    MissingColumns {
        /// The cells of the first non-blank row, to show what was there.
        found: Vec<String>,
    },
    /// The bytes are not CSV text (binary data, or a workbook).
    #[error("not a CSV file: {reason}")]
    NotCsv {
        /// What the bytes look like instead.
        reason: String,
    },
    /// The CSV text is not UTF-8 (often a "CSV" saved in a legacy encoding).
    #[error("the CSV file is not UTF-8 text (line {line}); save it as \"CSV UTF-8\" and retry")]
    NotUtf8 {
        /// The line where the first invalid byte is.
        line: usize,
    },
    /// The CSV reader gave up on a malformed line.
    #[error("the CSV file is malformed at line {line}: {message}")]
    Csv {
        /// The line it stopped at.
        line: usize,
        /// The reader's explanation.
        message: String,
    },
    /// The bytes are not an .xlsx workbook.
    #[error("not an .xlsx spreadsheet: {message}")]
    NotXlsx {
        /// The reader's explanation.
        message: String,
    },
    /// A sheet exists but could not be read.
    #[error("sheet {sheet:?} could not be read: {message}")]
    Sheet {
        /// The sheet's name.
        sheet: String,
        /// The reader's explanation.
        message: String,
    },
}

/// Header cells for the error message; `(none)` for a blank row.
fn list(found: &[String]) -> String {
    if found.is_empty() {
        "(none)".to_owned()
    } else {
        found.join(", ")
    }
}
