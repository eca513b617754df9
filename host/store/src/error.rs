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
    /// A rule checked in the store refused the write: a stable code (`category_not_empty`,
    /// `unknown_category`, ...) and an explanation.
    #[error("{1}")]
    Refused(&'static str, String),
    /// Stored data that does not parse back: a bug or a hand-edited database.
    #[error("corrupt stored data: {0}")]
    Corrupt(String),
    /// The database could not be reached in time (pool exhausted, connection lost).
    #[error("database unavailable: {0}")]
    Unavailable(#[source] sqlx::Error),
    /// The database failed.
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
    /// Migrations could not be applied.
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match error {
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => StoreError::Unavailable(error),
            other => StoreError::Database(other),
        }
    }
}

impl StoreError {
    /// Maps a unique-constraint violation to [`StoreError::Conflict`] with `message`; other
    /// errors pass through.
    pub(crate) fn on_unique(message: impl Into<String>) -> impl FnOnce(sqlx::Error) -> StoreError {
        move |error| match &error {
            sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict(message.into()),
            _ => StoreError::from(error),
        }
    }

    /// For stored values that fail to parse back into domain types.
    pub(crate) fn corrupt(what: &str, error: impl std::fmt::Display) -> StoreError {
        StoreError::Corrupt(format!("{what}: {error}"))
    }
}
