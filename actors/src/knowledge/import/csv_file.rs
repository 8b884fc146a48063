//! Reads a knowledge base saved as CSV: UTF-8 (a byte-order mark is
//! fine), any line endings, comma, semicolon or tab separated.

use super::error::KbImportError;
use super::report::{build_report, ImportReport, Row};

/// The start of every zip file, hence of every .xlsx workbook.
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// Imports entries from CSV bytes (see [`super`] for what is skipped).
pub fn import_csv(bytes: &[u8]) -> Result<ImportReport, KbImportError> {
    if bytes.starts_with(ZIP_MAGIC) {
        return Err(KbImportError::NotCsv {
            reason: "this is a zip file, probably an .xlsx workbook; import it as a spreadsheet"
                .to_owned(),
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| KbImportError::NotUtf8 {
        line: line_of(bytes, e.valid_up_to()),
    })?;
    if text.contains('\0') {
        return Err(KbImportError::NotCsv {
            reason: "it holds binary data, not text".to_owned(),
        });
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(sniff_delimiter(text))
        .from_reader(text.as_bytes());
    let mut rows: Vec<Row> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| KbImportError::Csv {
            line: e.position().map_or(0, |p| start_line(bytes, p.byte())),
            message: e.to_string(),
        })?;
        let row = record.position().map_or(0, |p| start_line(bytes, p.byte()));
        rows.push((row, record.iter().map(str::to_owned).collect()));
    }
    build_report(rows)
}

/// The 1-based line a record starts on. The reader reports a record's
/// start at the line break before it (and before any blank lines it
/// skipped), so line breaks at `offset` are stepped over first.
fn start_line(bytes: &[u8], offset: u64) -> usize {
    let offset = usize::try_from(offset).unwrap_or(usize::MAX);
    let breaks = bytes
        .get(offset..)
        .unwrap_or_default()
        .iter()
        .take_while(|b| matches!(b, b'\r' | b'\n'))
        .count();
    line_of(bytes, offset.saturating_add(breaks))
}

/// The 1-based line holding byte `offset`.
fn line_of(bytes: &[u8], offset: usize) -> usize {
    let before = bytes.get(..offset).unwrap_or(bytes);
    before.iter().filter(|b| **b == b'\n').count() + 1
}

/// The separator of the first non-blank line: whichever of comma,
/// semicolon and tab it has most of; comma when none.
fn sniff_delimiter(text: &str) -> u8 {
    let first = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default();
    let count = |c: char| first.chars().filter(|x| *x == c).count();
    let (mut best, mut most) = (b',', count(','));
    for (byte, c) in [(b';', ';'), (b'\t', '\t')] {
        if count(c) > most {
            (best, most) = (byte, count(c));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_the_separator_from_the_header() {
        assert_eq!(sniff_delimiter("question;answer;category\n"), b';');
        assert_eq!(sniff_delimiter("\nquestion\tanswer\n"), b'\t');
        assert_eq!(sniff_delimiter("question,answer\n"), b',');
        assert_eq!(sniff_delimiter(""), b',');
    }

    #[test]
    fn finds_the_line_of_a_bad_byte() {
        assert_eq!(line_of(b"a\nb\nc", 4), 3);
        assert_eq!(line_of(b"abc", 99), 1);
        assert_eq!(start_line(b"a\r\n\r\nb", 1), 3);
        assert_eq!(start_line(b"a\nb", 1), 2);
        assert_eq!(start_line(b"a", 0), 1);
    }
}
