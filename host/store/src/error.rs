//! The store's one error type.

/// Why a store call failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The addressed row does not exist (for this tenant).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// A uniqueness rule refused the write; the text says which.
    #[error("{0}")]
    Conflict(String),
    /// A rule checked in the store refused the write (for example, a category still in use).
    #[error("{0}")]
    Refused(String),
    /// Stored data that does not parse back: a bug or a hand-edited database.
    #[error("corrupt stored data: {0}")]
    Corrupt(String),
    /// The database failed or could not be reached.
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
    /// Migrations could not be applied.
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        StoreError::Database(error)
    }
}

impl StoreError {
    /// Maps a unique-constraint violation to [`StoreError::Conflict`] with `message`; other
    /// errors pass through.
    pub(crate) fn on_unique(message: impl Into<String>) -> impl FnOnce(sqlx::Error) -> StoreError {
        move |error| match &error {
            sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict(message.into()),
            _ => StoreError::Database(error),
        }
    }

    /// For stored values that fail to parse back into domain types.
    pub(crate) fn corrupt(what: &str, error: impl std::fmt::Display) -> StoreError {
        StoreError::Corrupt(format!("{what}: {error}"))
    }
}
