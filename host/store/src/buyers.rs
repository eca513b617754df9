//! Buyers of one tenant: their accounts, their places in companies, and their sessions.

use hanse_domain::company::{CompanyStatus, Email, UserStatus};
use hanse_domain::time::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::ids::now;
use crate::secrets::{Secret, hash_secret};
use crate::tenants::TenantId;
use crate::{Result, Store, StoreError};

/// A buyer account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Buyer {
    /// Id (`byr_...`).
    pub id: String,
    /// E-mail address.
    pub email: String,
    /// The password hash (PHC string).
    pub password_hash: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
}

/// A buyer's place in one company.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    /// The company.
    pub company_id: String,
    /// Its name.
    pub company_name: String,
    /// Its status.
    pub company_status: CompanyStatus,
    /// Whether the buyer is its admin (every permission).
    pub is_admin: bool,
    /// The buyer's role, unless admin: id, name and allowed resource ids (JSON array text).
    pub role: Option<(String, String, String)>,
    /// The buyer's status in the company.
    pub status: UserStatus,
}

/// A live session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuyerSession {
    /// Who.
    pub buyer_id: String,
    /// In which company.
    pub company_id: String,
    /// Until when.
    pub expires_at: Timestamp,
}

/// The buyers of one tenant.
pub struct Buyers<'a> {
    store: &'a Store,
    tenant: &'a TenantId,
}

impl Store {
    /// The buyers of `tenant`.
    pub fn buyers<'a>(&'a self, tenant: &'a TenantId) -> Buyers<'a> {
        Buyers { store: self, tenant }
    }
}

/// A live session, its account and the account's memberships.
#[derive(Debug, Clone)]
pub struct SessionAccount {
    /// The session.
    pub session: BuyerSession,
    /// Its buyer.
    pub buyer: Buyer,
    /// Every company the buyer belongs to.
    pub memberships: Vec<Membership>,
    /// Catalog, group and segments of the session's company, when the buyer still belongs to
    /// it.
    pub audience: Option<crate::Audience>,
}

const BUYER_COLUMNS: &str = "id, email, password_hash, first_name, last_name";

impl Buyers<'_> {
    /// The buyer with this e-mail address.
    pub async fn by_email(&self, email: &Email) -> Result<Option<Buyer>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {BUYER_COLUMNS} FROM buyers WHERE tenant_id = $1 AND email = $2")))
            .bind(self.tenant.as_str())
            .bind(email.as_str())
            .fetch_optional(&self.store.pool)
            .await?;
        row.as_ref().map(buyer_from_row).transpose()
    }

    /// One buyer.
    pub async fn get(&self, id: &str) -> Result<Option<Buyer>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {BUYER_COLUMNS} FROM buyers WHERE tenant_id = $1 AND id = $2")))
            .bind(self.tenant.as_str())
            .bind(id)
            .fetch_optional(&self.store.pool)
            .await?;
        row.as_ref().map(buyer_from_row).transpose()
    }

    /// The buyer's companies, in the order they joined them.
    pub async fn memberships(&self, buyer_id: &str) -> Result<Vec<Membership>> {
        let rows = sqlx::query(
            "SELECT m.company_id, c.name AS company_name, c.status AS company_status, m.is_admin, m.status,
                    r.id AS role_id, r.name AS role_name, r.permissions
             FROM company_members m
             JOIN companies c ON c.tenant_id = m.tenant_id AND c.id = m.company_id
             LEFT JOIN company_roles r ON r.tenant_id = m.tenant_id AND r.id = m.role_id
             WHERE m.tenant_id = $1 AND m.buyer_id = $2
             ORDER BY m.created_at, m.company_id",
        )
        .bind(self.tenant.as_str())
        .bind(buyer_id)
        .fetch_all(&self.store.pool)
        .await?;
        rows.iter().map(|row| membership_from_row(row, "status")).collect()
    }

    /// Opens a session for `buyer_id` acting in `company_id`, valid for `ttl_millis`; the
    /// returned secret is the only copy of the token.
    pub async fn open_session(&self, buyer_id: &str, company_id: &str, ttl_millis: i64) -> Result<(Secret, BuyerSession)> {
        let secret = Secret::generate("hbs_");
        let at = now().millis();
        let session = BuyerSession { buyer_id: buyer_id.to_owned(), company_id: company_id.to_owned(), expires_at: Timestamp::from_millis(at + ttl_millis) };
        sqlx::query(
            "INSERT INTO buyer_sessions (token_hash, tenant_id, buyer_id, company_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(hash_secret(secret.expose()))
        .bind(self.tenant.as_str())
        .bind(buyer_id)
        .bind(company_id)
        .bind(at)
        .bind(session.expires_at.millis())
        .execute(self.store.writes())
        .await?;
        Ok((secret, session))
    }

    /// The live session of a token: issued in this tenant, not revoked, not expired.
    pub async fn session(&self, token: &str) -> Result<Option<BuyerSession>> {
        let row = sqlx::query(
            "SELECT buyer_id, company_id, expires_at FROM buyer_sessions
             WHERE token_hash = $1 AND tenant_id = $2 AND revoked_at IS NULL AND expires_at > $3",
        )
        .bind(hash_secret(token))
        .bind(self.tenant.as_str())
        .bind(now().millis())
        .fetch_optional(&self.store.pool)
        .await?;
        row.map(|row| {
            Ok(BuyerSession {
                buyer_id: row.try_get("buyer_id")?,
                company_id: row.try_get("company_id")?,
                expires_at: Timestamp::from_millis(row.try_get("expires_at")?),
            })
        })
        .transpose()
    }

    /// Points a live session at another of the buyer's companies.
    pub async fn switch_session(&self, token: &str, company_id: &str) -> Result<()> {
        let done = sqlx::query("UPDATE buyer_sessions SET company_id = $3 WHERE token_hash = $1 AND tenant_id = $2 AND revoked_at IS NULL")
            .bind(hash_secret(token))
            .bind(self.tenant.as_str())
            .bind(company_id)
            .execute(self.store.writes())
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("session"));
        }
        Ok(())
    }

    /// Revokes a token; it stops working at once.
    pub async fn revoke_session(&self, token: &str) -> Result<()> {
        let done = sqlx::query("UPDATE buyer_sessions SET revoked_at = $3 WHERE token_hash = $1 AND tenant_id = $2 AND revoked_at IS NULL")
            .bind(hash_secret(token))
            .bind(self.tenant.as_str())
            .bind(now().millis())
            .execute(self.store.writes())
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("session"));
        }
        Ok(())
    }
}

impl Buyers<'_> {
    /// Sets a new password hash and ends every session of the buyer except `keep` (the token
    /// of the session that changed it, if any).
    pub async fn set_password(&self, buyer_id: &str, password_hash: &str, keep: Option<&str>) -> Result<()> {
        let mut tx = self.store.begin_write().await?;
        set_password(&mut tx, self.tenant, buyer_id, password_hash, keep).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Makes a single-use reset token for `buyer`, valid for `ttl_millis`, and queues it to the
    /// buyer's address through the outbox in the same transaction.
    pub async fn start_password_reset(&self, buyer: &Buyer, ttl_millis: i64) -> Result<()> {
        let secret = Secret::generate("hpr_");
        let at = now().millis();
        let mut tx = self.store.begin_write().await?;
        sqlx::query("INSERT INTO password_resets (token_hash, tenant_id, buyer_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(hash_secret(secret.expose()))
            .bind(self.tenant.as_str())
            .bind(&buyer.id)
            .bind(at)
            .bind(at + ttl_millis)
            .execute(&mut *tx)
            .await?;
        let payload = serde_json::json!({"token": secret.expose(), "expires_at": Timestamp::from_millis(at + ttl_millis).to_string(), "first_name": buyer.first_name});
        crate::outbox::enqueue(&mut tx, self.tenant, "buyer.password_reset", &buyer.email, &payload).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Uses a reset token: sets the new password hash and ends every session of the buyer.
    /// A token that is unknown, used, expired or another tenant's is refused
    /// (`invalid_reset_token`).
    pub async fn finish_password_reset(&self, token: &str, password_hash: &str) -> Result<()> {
        let mut tx = self.store.begin_write().await?;
        let at = now().millis();
        let buyer_id: Option<String> = sqlx::query_scalar(
            "UPDATE password_resets SET used_at = $3 WHERE token_hash = $1 AND tenant_id = $2 AND used_at IS NULL AND expires_at > $3
             RETURNING buyer_id",
        )
        .bind(hash_secret(token))
        .bind(self.tenant.as_str())
        .bind(at)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(buyer_id) = buyer_id else {
            return Err(StoreError::Refused("invalid_reset_token", "the reset link is unknown, used or expired; ask for a new one".into()));
        };
        set_password(&mut tx, self.tenant, &buyer_id, password_hash, None).await?;
        tx.commit().await?;
        Ok(())
    }
}

async fn set_password(conn: &mut sqlx::AnyConnection, tenant: &TenantId, buyer_id: &str, password_hash: &str, keep: Option<&str>) -> Result<()> {
    let at = now().millis();
    sqlx::query("UPDATE buyers SET password_hash = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2")
        .bind(tenant.as_str())
        .bind(buyer_id)
        .bind(password_hash)
        .bind(at)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "UPDATE buyer_sessions SET revoked_at = $3 WHERE tenant_id = $1 AND buyer_id = $2 AND revoked_at IS NULL AND token_hash <> $4",
    )
    .bind(tenant.as_str())
    .bind(buyer_id)
    .bind(at)
    .bind(keep.map(hash_secret).unwrap_or_default())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

fn buyer_from_row(row: &AnyRow) -> Result<Buyer> {
    Ok(Buyer {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        password_hash: row.try_get("password_hash")?,
        first_name: row.try_get("first_name")?,
        last_name: row.try_get("last_name")?,
    })
}

/// A membership from `row`, whose member status is in the column `status_column`.
pub(crate) fn membership_from_row(row: &AnyRow, status_column: &str) -> Result<Membership> {
    let company_status: String = row.try_get("company_status")?;
    let status: String = row.try_get(status_column)?;
    let role_id: Option<String> = row.try_get("role_id")?;
    let role = match role_id {
        Some(id) => Some((id, row.try_get("role_name")?, row.try_get("permissions")?)),
        None => None,
    };
    Ok(Membership {
        company_id: row.try_get("company_id")?,
        company_name: row.try_get("company_name")?,
        company_status: CompanyStatus::parse(&company_status).map_err(|e| StoreError::corrupt("company status", e))?,
        is_admin: row.try_get::<i64, _>("is_admin")? != 0,
        role,
        status: UserStatus::parse(&status).map_err(|e| StoreError::corrupt("member status", e))?,
    })
}
