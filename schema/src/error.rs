//! The schema crate's error type, classifying database failures so the HTTP
//! edge can map them to 404/409/503 without looking at SQL.
//!
//! Every variant but `NotFound` keeps what caused it as its
//! [`std::error::Error::source`]: the diesel error, the pool's or the task's
//! error, or (where nothing below failed, e.g. a writer that stopped) a plain
//! message made with [`cause`].
//!
//! Classification goes by diesel's [`DatabaseErrorKind`]. Only two refusals reach
//! diesel with no kind of their own (`Unknown`), and those alone are told apart by
//! PostgreSQL's message text: row level security or a missing grant (SQLSTATE
//! 42501, "new row violates row-level security policy" / "permission denied")
//! and a statement timeout or cancel (57014, "canceling statement due to
//! statement timeout").

use diesel::result::{DatabaseErrorKind, Error as DieselError};
use std::sync::Arc;

/// What caused a database failure. Shared (`Arc`) so one failure of a batch can
/// be reported to every write in it.
pub type Cause = Arc<dyn std::error::Error + Send + Sync>;

/// A cause that is only a message: for failures no lower error explains (a
/// writer that stopped, a batch that lost a row).
pub fn cause(message: impl Into<String>) -> Cause {
    Arc::from(Box::<dyn std::error::Error + Send + Sync>::from(
        message.into(),
    ))
}

/// Wraps any error as a [`Cause`].
pub fn cause_of<E: std::error::Error + Send + Sync + 'static>(err: E) -> Cause {
    Arc::new(err)
}

/// A failure reaching or using the database.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// No connection could be had (database down, pool exhausted, timeout).
    #[error("database unavailable: {0}")]
    Unavailable(#[source] Cause),
    /// The row asked for does not exist (or is not visible to this tenant).
    #[error("not found")]
    NotFound,
    /// A unique or exclusion constraint refused the write.
    #[error("conflict on {constraint}")]
    Conflict {
        /// The name of the constraint that refused the write.
        constraint: String,
        /// The database's refusal.
        #[source]
        source: Cause,
    },
    /// Row level security or a grant refused the statement.
    #[error("refused by tenant isolation: {0}")]
    Isolation(#[source] Cause),
    /// A CHECK, NOT NULL or foreign-key constraint refused the write, or a
    /// setting (such as the database URL) is malformed.
    #[error("invalid data: {0}")]
    Invalid(#[source] Cause),
    /// Any other database error.
    #[error("database error: {0}")]
    Query(#[source] Cause),
    /// Migrations failed to apply.
    #[error("migration failed: {0}")]
    Migration(#[source] Cause),
    /// The task running a transaction panicked or was aborted.
    #[error("transaction task failed: {0}")]
    Task(#[source] Cause),
}

impl From<DieselError> for DbError {
    fn from(err: DieselError) -> Self {
        let kind = match &err {
            DieselError::NotFound => return DbError::NotFound,
            DieselError::DatabaseError(kind, info) => Some((
                *kind,
                info.constraint_name().unwrap_or("unknown").to_owned(),
                classify_unknown(info.message()),
            )),
            DieselError::BrokenTransactionManager => {
                return DbError::Unavailable(cause_of(err));
            }
            _ => None,
        };
        let Some((kind, constraint, unknown)) = kind else {
            return DbError::Query(cause_of(err));
        };
        let source = cause_of(err);
        match kind {
            DatabaseErrorKind::UniqueViolation | DatabaseErrorKind::ExclusionViolation => {
                DbError::Conflict { constraint, source }
            }
            DatabaseErrorKind::ForeignKeyViolation
            | DatabaseErrorKind::NotNullViolation
            | DatabaseErrorKind::CheckViolation => DbError::Invalid(source),
            DatabaseErrorKind::ClosedConnection => DbError::Unavailable(source),
            _ => match unknown {
                Unknown::Isolation => DbError::Isolation(source),
                Unknown::Timeout => DbError::Unavailable(source),
                Unknown::Other => DbError::Query(source),
            },
        }
    }
}

/// The two refusals diesel gives no kind, told apart by PostgreSQL's message
/// (see the module docs).
enum Unknown {
    Isolation,
    Timeout,
    Other,
}

fn classify_unknown(message: &str) -> Unknown {
    if message.contains("row-level security") || message.contains("permission denied") {
        Unknown::Isolation
    } else if message.contains("statement timeout") || message.contains("canceling statement") {
        Unknown::Timeout
    } else {
        Unknown::Other
    }
}

impl DbError {
    /// True when retrying later could succeed (the HTTP edge answers 503).
    pub fn is_unavailable(&self) -> bool {
        matches!(self, DbError::Unavailable(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::result::DatabaseErrorInformation;
    use std::error::Error as _;

    #[derive(Debug)]
    struct Info {
        message: &'static str,
        constraint: Option<&'static str>,
    }

    impl DatabaseErrorInformation for Info {
        fn message(&self) -> &str {
            self.message
        }
        fn details(&self) -> Option<&str> {
            None
        }
        fn hint(&self) -> Option<&str> {
            None
        }
        fn table_name(&self) -> Option<&str> {
            None
        }
        fn column_name(&self) -> Option<&str> {
            None
        }
        fn constraint_name(&self) -> Option<&str> {
            self.constraint
        }
        fn statement_position(&self) -> Option<i32> {
            None
        }
    }

    fn db(
        kind: DatabaseErrorKind,
        message: &'static str,
        constraint: Option<&'static str>,
    ) -> DbError {
        DieselError::DatabaseError(
            kind,
            Box::new(Info {
                message,
                constraint,
            }),
        )
        .into()
    }

    #[test]
    fn kinds_classify_and_keep_their_source() {
        let overlap = db(
            DatabaseErrorKind::ExclusionViolation,
            "conflicting key value violates exclusion constraint \"appointments_no_overlap\"",
            Some("appointments_no_overlap"),
        );
        assert!(
            matches!(&overlap, DbError::Conflict { constraint, .. } if constraint == "appointments_no_overlap"),
            "{overlap:?}"
        );
        let source = overlap.source().map(ToString::to_string);
        assert!(
            source
                .as_deref()
                .is_some_and(|s| s.contains("exclusion constraint")),
            "{source:?}"
        );

        let rls = db(
            DatabaseErrorKind::Unknown,
            "new row violates row-level security policy for table \"customers\"",
            None,
        );
        assert!(matches!(rls, DbError::Isolation(_)), "{rls:?}");
        assert!(rls.source().is_some());

        let timeout = db(
            DatabaseErrorKind::Unknown,
            "canceling statement due to statement timeout",
            None,
        );
        assert!(timeout.is_unavailable(), "{timeout:?}");
        assert!(timeout.source().is_some());

        let check = db(
            DatabaseErrorKind::CheckViolation,
            "violates check",
            Some("c"),
        );
        assert!(matches!(check, DbError::Invalid(_)), "{check:?}");
        let other = db(DatabaseErrorKind::Unknown, "syntax error", None);
        assert!(matches!(other, DbError::Query(_)), "{other:?}");
        assert!(other.source().is_some());
    }

    #[test]
    fn not_found_and_plain_messages() {
        assert!(matches!(
            DbError::from(DieselError::NotFound),
            DbError::NotFound
        ));
        let gone = DbError::Unavailable(cause("writer stopped"));
        assert_eq!(gone.to_string(), "database unavailable: writer stopped");
        assert_eq!(
            gone.source().map(ToString::to_string).as_deref(),
            Some("writer stopped")
        );
    }
}
