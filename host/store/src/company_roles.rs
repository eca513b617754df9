//! The roles of one company: named sets of allowed permissions. The Company Administrator role
//! is virtual (every permission) and is not stored.

use hanse_domain::time::Timestamp;
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::ids::{new_id, now};
use crate::tenants::TenantId;
use crate::{Result, Store, StoreError, audit};

/// A company role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompanyRole {
    /// Id (`rol_...`).
    pub id: String,
    /// Name, unique within the company.
    pub name: String,
    /// Allowed permission ids, closed under ancestors.
    pub permissions: Vec<String>,
    /// How many of the company's users have it.
    pub users: i64,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}

/// The roles of one company.
pub struct CompanyRoles<'a> {
    store: &'a Store,
    tenant: &'a TenantId,
    company_id: &'a str,
}

impl Store {
    /// The roles of `company_id` in `tenant`.
    pub fn company_roles<'a>(&'a self, tenant: &'a TenantId, company_id: &'a str) -> CompanyRoles<'a> {
        CompanyRoles { store: self, tenant, company_id }
    }
}

fn taken(name: &str) -> String {
    format!("the company has a role named {name:?} already")
}

const SELECT: &str = "SELECT r.id, r.name, r.permissions, r.created_at, r.updated_at,
        (SELECT COUNT(*) FROM company_members m WHERE m.tenant_id = r.tenant_id AND m.role_id = r.id) AS users
     FROM company_roles r";

impl CompanyRoles<'_> {
    /// Every role, by name.
    pub async fn list(&self) -> Result<Vec<CompanyRole>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} WHERE r.tenant_id = $1 AND r.company_id = $2 ORDER BY r.name, r.id")))
            .bind(self.tenant.as_str())
            .bind(self.company_id)
            .fetch_all(&self.store.pool)
            .await?;
        rows.iter().map(from_row).collect()
    }

    /// One role.
    pub async fn get(&self, id: &str) -> Result<Option<CompanyRole>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!("{SELECT} WHERE r.tenant_id = $1 AND r.company_id = $2 AND r.id = $3")))
            .bind(self.tenant.as_str())
            .bind(self.company_id)
            .bind(id)
            .fetch_optional(&self.store.pool)
            .await?;
        row.as_ref().map(from_row).transpose()
    }

    /// Creates a role allowing `permissions` (already checked and closed under ancestors).
    pub async fn create(&self, name: &str, permissions: &[&str], actor: &str) -> Result<CompanyRole> {
        let mut tx = self.store.begin_write().await?;
        let id = new_id("rol_");
        let at = now().millis();
        sqlx::query(
            "INSERT INTO company_roles (tenant_id, company_id, id, name, permissions, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)",
        )
        .bind(self.tenant.as_str())
        .bind(self.company_id)
        .bind(&id)
        .bind(name)
        .bind(json!(permissions).to_string())
        .bind(at)
        .execute(&mut *tx)
        .await
        .map_err(StoreError::on_unique(taken(name)))?;
        audit::record(&mut tx, self.tenant, self.company_id, actor, "role.created", &json!({"role": id, "name": name, "permissions": permissions})).await?;
        tx.commit().await?;
        self.get(&id).await?.ok_or(StoreError::NotFound("role"))
    }

    /// Renames a role or replaces its permissions.
    pub async fn update(&self, id: &str, name: Option<&str>, permissions: Option<&[&str]>, actor: &str) -> Result<CompanyRole> {
        let current = self.get(id).await?.ok_or(StoreError::NotFound("role"))?;
        let name = name.unwrap_or(&current.name);
        let permissions = match permissions {
            Some(p) => json!(p),
            None => json!(current.permissions),
        };
        let mut tx = self.store.begin_write().await?;
        let done = sqlx::query("UPDATE company_roles SET name = $4, permissions = $5, updated_at = $6 WHERE tenant_id = $1 AND company_id = $2 AND id = $3")
            .bind(self.tenant.as_str())
            .bind(self.company_id)
            .bind(id)
            .bind(name)
            .bind(permissions.to_string())
            .bind(now().millis())
            .execute(&mut *tx)
            .await
            .map_err(StoreError::on_unique(taken(name)))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("role"));
        }
        audit::record(&mut tx, self.tenant, self.company_id, actor, "role.updated", &json!({"role": id, "name": name, "permissions": permissions})).await?;
        tx.commit().await?;
        self.get(id).await?.ok_or(StoreError::NotFound("role"))
    }

    /// Deletes a role no user has (`role_in_use` otherwise).
    pub async fn delete(&self, id: &str, actor: &str) -> Result<()> {
        let mut tx = self.store.begin_write().await?;
        let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM company_members WHERE tenant_id = $1 AND company_id = $2 AND role_id = $3")
            .bind(self.tenant.as_str())
            .bind(self.company_id)
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        if users > 0 {
            return Err(StoreError::Refused("role_in_use", format!("{users} user(s) have this role; give them another one first")));
        }
        let done = sqlx::query("DELETE FROM company_roles WHERE tenant_id = $1 AND company_id = $2 AND id = $3")
            .bind(self.tenant.as_str())
            .bind(self.company_id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("role"));
        }
        audit::record(&mut tx, self.tenant, self.company_id, actor, "role.deleted", &json!({"role": id})).await?;
        tx.commit().await?;
        Ok(())
    }
}

fn from_row(row: &AnyRow) -> Result<CompanyRole> {
    let permissions: String = row.try_get("permissions")?;
    Ok(CompanyRole {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        permissions: serde_json::from_str(&permissions).map_err(|e| StoreError::Corrupt(format!("role permissions: {e}")))?,
        users: row.try_get("users")?,
        created_at: Timestamp::from_millis(row.try_get("created_at")?),
        updated_at: Timestamp::from_millis(row.try_get("updated_at")?),
    })
}
