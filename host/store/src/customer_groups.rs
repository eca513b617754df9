//! Customer groups of one tenant.

use hanse_domain::time::Timestamp;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::ids::{new_id, now};
use crate::tenants::TenantId;
use crate::{Result, Store, StoreError};

/// A customer group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerGroup {
    /// Id (`grp_...`).
    pub id: String,
    /// Name, unique within the tenant.
    pub name: String,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}

/// The customer groups of one tenant.
pub struct CustomerGroups<'a> {
    store: &'a Store,
    tenant: &'a TenantId,
}

impl Store {
    /// The customer groups of `tenant`.
    pub fn customer_groups<'a>(&'a self, tenant: &'a TenantId) -> CustomerGroups<'a> {
        CustomerGroups { store: self, tenant }
    }
}

fn taken(name: &str) -> String {
    format!("a customer group named {name:?} exists already")
}

impl CustomerGroups<'_> {
    /// Creates a group; the name must be free.
    pub async fn create(&self, name: &str) -> Result<CustomerGroup> {
        let at = now();
        let group = CustomerGroup { id: new_id("grp_"), name: name.to_owned(), created_at: at, updated_at: at };
        sqlx::query("INSERT INTO customer_groups (tenant_id, id, name, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)")
            .bind(self.tenant.as_str())
            .bind(&group.id)
            .bind(&group.name)
            .bind(at.millis())
            .execute(self.store.writes())
            .await
            .map_err(StoreError::on_unique(taken(name)))?;
        Ok(group)
    }

    /// Every group, by name.
    pub async fn list(&self) -> Result<Vec<CustomerGroup>> {
        let rows = sqlx::query("SELECT id, name, created_at, updated_at FROM customer_groups WHERE tenant_id = $1 ORDER BY name, id")
            .bind(self.tenant.as_str())
            .fetch_all(&self.store.pool)
            .await?;
        rows.iter().map(from_row).collect()
    }

    /// One group.
    pub async fn get(&self, id: &str) -> Result<Option<CustomerGroup>> {
        let row = sqlx::query("SELECT id, name, created_at, updated_at FROM customer_groups WHERE tenant_id = $1 AND id = $2")
            .bind(self.tenant.as_str())
            .bind(id)
            .fetch_optional(&self.store.pool)
            .await?;
        row.as_ref().map(from_row).transpose()
    }

    /// Renames a group; the new name must be free.
    pub async fn rename(&self, id: &str, name: &str) -> Result<CustomerGroup> {
        let done = sqlx::query("UPDATE customer_groups SET name = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2")
            .bind(self.tenant.as_str())
            .bind(id)
            .bind(name)
            .bind(now().millis())
            .execute(self.store.writes())
            .await
            .map_err(StoreError::on_unique(taken(name)))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("customer group"));
        }
        self.get(id).await?.ok_or(StoreError::NotFound("customer group"))
    }

    /// Deletes a group no company belongs to (`customer_group_in_use` otherwise).
    pub async fn delete(&self, id: &str) -> Result<()> {
        let mut tx = self.store.begin_write().await?;
        let members: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM companies WHERE tenant_id = $1 AND customer_group_id = $2")
            .bind(self.tenant.as_str())
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        if members > 0 {
            return Err(StoreError::Refused("customer_group_in_use", format!("{members} compan(ies) belong to this group; move them first")));
        }
        let done = sqlx::query("DELETE FROM customer_groups WHERE tenant_id = $1 AND id = $2")
            .bind(self.tenant.as_str())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("customer group"));
        }
        tx.commit().await?;
        Ok(())
    }
}

fn from_row(row: &AnyRow) -> Result<CustomerGroup> {
    Ok(CustomerGroup {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        created_at: Timestamp::from_millis(row.try_get("created_at")?),
        updated_at: Timestamp::from_millis(row.try_get("updated_at")?),
    })
}
