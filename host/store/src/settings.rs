//! Instance-wide settings kept in the database (so every replica sees the same).

use crate::secrets::{Secret, hash_secret};
use crate::{Result, Store};

const OPERATOR_TOKEN_HASH: &str = "operator_token_sha256";

/// Instance settings.
pub struct Settings<'a> {
    store: &'a Store,
}

impl Store {
    /// Instance settings.
    pub fn settings(&self) -> Settings<'_> {
        Settings { store: self }
    }
}

impl Settings<'_> {
    /// The stored hash of the generated operator token, if one was generated.
    pub async fn operator_token_hash(&self) -> Result<Option<String>> {
        Ok(sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
            .bind(OPERATOR_TOKEN_HASH)
            .fetch_optional(&self.store.pool)
            .await?)
    }

    /// Generates and stores an operator token unless one is stored already. Returns the new
    /// secret when this call made it (so it can be shown once), `None` when one existed. Safe
    /// when several replicas start at once: only one insert wins.
    pub async fn ensure_operator_token(&self) -> Result<Option<Secret>> {
        let secret = Secret::generate("hop_");
        let inserted = sqlx::query("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING")
            .bind(OPERATOR_TOKEN_HASH)
            .bind(hash_secret(secret.expose()))
            .execute(self.store.writes())
            .await?;
        Ok((inserted.rows_affected() == 1).then_some(secret))
    }
}
