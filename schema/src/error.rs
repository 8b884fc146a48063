//! The schema crate's error type, classifying database failures so the HTTP
//! edge can map them to 404/409/503 without looking at SQL.

use diesel::result::{DatabaseErrorKind, Error as DieselError};

/// A failure reaching or using the database.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// No connection could be had (database down, pool exhausted, timeout).
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// The row asked for does not exist (or is not visible to this tenant).
    #[error("not found")]
    NotFound,
    /// A unique or exclusion constraint refused the write.
    #[error("conflict on {constraint}")]
    Conflict {
        /// The name of the constraint that refused the write.
        constraint: String,
    },
    /// Row level security or a grant refused the statement.
    #[error("refused by tenant isolation: {0}")]
    Isolation(String),
    /// A CHECK, NOT NULL or foreign-key constraint refused the write.
    #[error("invalid data: {0}")]
    Invalid(String),
    /// Any other database error.
    #[error("database error: {0}")]
    Query(String),
    /// Migrations failed to apply.
    #[error("migration failed: {0}")]
    Migration(String),
    /// The task running a transaction panicked or was aborted.
    #[error("transaction task failed: {0}")]
    Task(String),
}

impl From<DieselError> for DbError {
    fn from(err: DieselError) -> Self {
        match err {
            DieselError::NotFound => DbError::NotFound,
            DieselError::DatabaseError(kind, info) => {
                let constraint = info.constraint_name().unwrap_or("unknown").to_owned();
                match kind {
                    DatabaseErrorKind::UniqueViolation => DbError::Conflict { constraint },
                    DatabaseErrorKind::ForeignKeyViolation
                    | DatabaseErrorKind::NotNullViolation
                    | DatabaseErrorKind::CheckViolation => {
                        DbError::Invalid(info.message().to_owned())
                    }
                    DatabaseErrorKind::ClosedConnection => {
                        DbError::Unavailable(info.message().to_owned())
                    }
                    _ => classify_message(info.message()),
                }
            }
            DieselError::BrokenTransactionManager => {
                DbError::Unavailable("broken transaction manager".to_owned())
            }
            other => DbError::Query(other.to_string()),
        }
    }
}

/// Errors diesel reports as "unknown" but whose SQLSTATE meaning matters.
fn classify_message(message: &str) -> DbError {
    if message.contains("row-level security") || message.contains("permission denied") {
        DbError::Isolation(message.to_owned())
    } else if message.contains("conflicting key value violates exclusion constraint") {
        DbError::Conflict {
            constraint: "exclusion".to_owned(),
        }
    } else if message.contains("statement timeout") || message.contains("canceling statement") {
        DbError::Unavailable(message.to_owned())
    } else {
        DbError::Query(message.to_owned())
    }
}

impl DbError {
    /// True when retrying later could succeed (the HTTP edge answers 503).
    pub fn is_unavailable(&self) -> bool {
        matches!(self, DbError::Unavailable(_))
    }
}
