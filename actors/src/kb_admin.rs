//! Loading a tenant's knowledge base from a spreadsheet (`servicepro kb
//! import`): parse the `.csv` or `.xlsx`, then upsert each entry by
//! question in one audited transaction. Skipped rows are reported, never
//! silently dropped.

use crate::knowledge::{import_csv, import_xlsx, ImportReport, KbImportError};
use diesel::sql_types::{Array, Text};
use diesel_async::RunQueryDsl;
use servicepro_schema::root_db::AuditEntry;
use servicepro_schema::{DbError, RootDb, TenantId};

/// Why an import failed.
#[derive(Debug, thiserror::Error)]
pub enum KbAdminError {
    /// The file is not a usable spreadsheet.
    #[error(transparent)]
    Import(#[from] KbImportError),
    /// The extension is neither `.csv` nor `.xlsx`.
    #[error("expected a .csv or .xlsx file")]
    UnknownFormat,
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbError),
}

/// Parses `bytes` by the file name's extension.
pub fn parse_spreadsheet(file_name: &str, bytes: &[u8]) -> Result<ImportReport, KbAdminError> {
    let lower = file_name.to_lowercase();
    if lower.ends_with(".csv") {
        Ok(import_csv(bytes)?)
    } else if lower.ends_with(".xlsx") {
        Ok(import_xlsx(bytes)?)
    } else {
        Err(KbAdminError::UnknownFormat)
    }
}

/// Upserts the report's entries into `tenant`'s knowledge base; returns how many were written.
pub async fn store_entries(
    root: &RootDb,
    actor: &str,
    tenant: &TenantId,
    report: &ImportReport,
) -> Result<usize, KbAdminError> {
    let mut audit = AuditEntry::new(actor, "kb.import", Some(tenant));
    audit.detail =
        serde_json::json!({ "entries": report.entries.len(), "skipped": report.skipped.len() });
    let id = tenant.as_str().to_owned();
    let entries = report.entries.clone();
    Ok(root
        .transaction(audit, move |tx| {
            Box::pin(async move {
                let mut written = 0;
                for e in &entries {
                    written += diesel::sql_query(
                        "INSERT INTO kb_entries (tenant_id, question, answer, category, keywords) VALUES ($1, $2, $3, $4, $5) \
                         ON CONFLICT (tenant_id, question) DO UPDATE SET answer = EXCLUDED.answer, category = EXCLUDED.category, \
                           keywords = EXCLUDED.keywords, updated_at = now()",
                    )
                    .bind::<Text, _>(&id)
                    .bind::<Text, _>(&e.question)
                    .bind::<Text, _>(&e.answer)
                    .bind::<Text, _>(&e.category)
                    .bind::<Array<Text>, _>(&e.keywords)
                    .execute(tx.conn())
                    .await?;
                }
                Ok(written)
            })
        })
        .await?)
}
