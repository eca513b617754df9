//! Tenant admin tokens: bearer secrets that act for one tenant's merchant staff.

use hanse_domain::time::Timestamp;
use sqlx::Row;

use crate::ids::{new_id, now};
use crate::secrets::{Secret, hash_secret};
use crate::tenants::{Tenant, TenantId, from_row};
use crate::{Result, Store, StoreError};

/// An admin token's record; the secret itself is never stored.
#[derive(Debug, Clone)]
pub struct AdminToken {
    /// Id, to list and revoke it.
    pub id: String,
    /// What it is for, as given when issued.
    pub label: String,
    /// When it was issued.
    pub created_at: Timestamp,
    /// When it was revoked, if it was.
    pub revoked_at: Option<Timestamp>,
}

/// Admin tokens of one tenant.
pub struct AdminTokens<'a> {
    store: &'a Store,
    tenant: &'a TenantId,
}

impl Store {
    /// Admin tokens of `tenant`.
    pub fn admin_tokens<'a>(&'a self, tenant: &'a TenantId) -> AdminTokens<'a> {
        AdminTokens { store: self, tenant }
    }

    /// The tenant an unrevoked admin token acts for.
    pub async fn tenant_for_admin_token(&self, secret: &str) -> Result<Option<Tenant>> {
        let row = sqlx::query(
            "SELECT t.id, t.slug, t.name, t.currency, t.status, t.plugin_revision, t.plugin_limits, t.created_at, t.updated_at
             FROM admin_tokens k JOIN tenants t ON t.id = k.tenant_id
             WHERE k.token_hash = $1 AND k.revoked_at IS NULL",
        )
        .bind(hash_secret(secret))
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(from_row).transpose()
    }
}

impl AdminTokens<'_> {
    /// Issues a new token; the returned secret is the only copy.
    pub async fn issue(&self, label: &str) -> Result<(AdminToken, Secret)> {
        let secret = Secret::generate("hat_");
        let token = self.issue_with(label, &secret).await?;
        Ok((token, secret))
    }

    /// Registers a caller-chosen secret as a token (for demo data with a documented token).
    pub async fn issue_with(&self, label: &str, secret: &Secret) -> Result<AdminToken> {
        let token = AdminToken { id: new_id("tok_"), label: label.to_owned(), created_at: now(), revoked_at: None };
        sqlx::query(
            "INSERT INTO admin_tokens (id, tenant_id, token_hash, label, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&token.id)
        .bind(self.tenant.as_str())
        .bind(hash_secret(secret.expose()))
        .bind(&token.label)
        .bind(token.created_at.millis())
        .execute(self.store.writes())
        .await
        .map_err(StoreError::on_unique("that token is already registered"))?;
        Ok(token)
    }

    /// All tokens of the tenant, newest first, revoked ones included.
    pub async fn list(&self) -> Result<Vec<AdminToken>> {
        let rows = sqlx::query(
            "SELECT id, label, created_at, revoked_at FROM admin_tokens WHERE tenant_id = $1 ORDER BY created_at DESC, id DESC",
        )
        .bind(self.tenant.as_str())
        .fetch_all(&self.store.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(AdminToken {
                    id: row.try_get("id")?,
                    label: row.try_get("label")?,
                    created_at: Timestamp::from_millis(row.try_get("created_at")?),
                    revoked_at: row.try_get::<Option<i64>, _>("revoked_at")?.map(Timestamp::from_millis),
                })
            })
            .collect()
    }

    /// Revokes a token at once. Revoking a revoked token keeps its first revocation time.
    pub async fn revoke(&self, id: &str) -> Result<()> {
        let done = sqlx::query(
            "UPDATE admin_tokens SET revoked_at = COALESCE(revoked_at, $1) WHERE tenant_id = $2 AND id = $3",
        )
        .bind(now().millis())
        .bind(self.tenant.as_str())
        .bind(id)
        .execute(self.store.writes())
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("token"));
        }
        Ok(())
    }
}
