//! Imports a tenant's knowledge base from a spreadsheet (CSV or .xlsx),
//! such as Clean Machine's `Master_CleanMachine_AgentKnowledgeBase_AutoReady.xlsx`.
//!
//! The header row is found by name near the top (title rows above it are
//! fine). Every row after it becomes a tenant entry, or is listed in the
//! report with its row number and why it was skipped: a blank question or
//! answer, or a question that a later row asks again (the later row wins).
//! Rows with no content at all are spacing, not data, and are passed over.

mod csv_file;
mod error;
mod header;
mod report;
mod xlsx_file;

pub use csv_file::import_csv;
pub use error::KbImportError;
pub use report::{ImportReport, SkippedRow};
pub use xlsx_file::import_xlsx;
