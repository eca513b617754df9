//! Requisition lists: named lists of SKUs and quantities a buyer keeps for repeat orders. A list
//! belongs to its owner in one company; a shared list is visible to everyone in the company.
//! Who may change what is decided by the caller (permissions); this module keeps the lists.

use std::collections::HashMap;

use hanse_domain::time::Timestamp;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::ids::{new_id, now};
use crate::sql::{placeholders, values_rows};
use crate::tenants::TenantId;
use crate::{Result, Store, StoreError};

/// Most lists one buyer owns in one company (Magento's default limit).
pub const MAX_LISTS_PER_OWNER: i64 = 999;

/// A requisition list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequisitionList {
    /// `rql_...`.
    pub id: String,
    /// The company it belongs to.
    pub company_id: String,
    /// The buyer who owns it.
    pub owner_id: String,
    /// The owner's name.
    pub owner_name: String,
    /// Name.
    pub name: String,
    /// Free text.
    pub description: String,
    /// Visible to everyone in the company.
    pub shared: bool,
    /// Items it holds.
    pub item_count: i64,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it or its items last changed.
    pub updated_at: Timestamp,
}

/// One item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListItem {
    /// The product.
    pub sku: String,
    /// Units.
    pub quantity: i64,
}

/// The requisition lists one buyer can reach in one company: their own and the shared ones.
pub struct RequisitionLists<'a> {
    store: &'a Store,
    tenant: &'a TenantId,
    company: &'a str,
    buyer: &'a str,
}

impl Store {
    /// The requisition lists `buyer` can reach in `company`.
    pub fn requisition_lists<'a>(&'a self, tenant: &'a TenantId, company: &'a str, buyer: &'a str) -> RequisitionLists<'a> {
        RequisitionLists { store: self, tenant, company, buyer }
    }
}

const SELECT: &str = "SELECT l.id, l.company_id, l.owner_id, b.first_name || ' ' || b.last_name AS owner_name, l.name, l.description, l.shared,
        l.created_at, l.updated_at,
        (SELECT COUNT(*) FROM requisition_list_items i WHERE i.tenant_id = l.tenant_id AND i.list_id = l.id) AS item_count
    FROM requisition_lists l JOIN buyers b ON b.tenant_id = l.tenant_id AND b.id = l.owner_id";

impl RequisitionLists<'_> {
    /// The buyer's own lists and the company's shared ones, by name.
    pub async fn list(&self) -> Result<Vec<RequisitionList>> {
        let sql = format!("{SELECT} WHERE l.tenant_id = $1 AND l.company_id = $2 AND (l.owner_id = $3 OR l.shared = 1) ORDER BY l.name, l.id");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(self.tenant.as_str())
            .bind(self.company)
            .bind(self.buyer)
            .fetch_all(&self.store.pool)
            .await?;
        rows.iter().map(from_row).collect()
    }

    /// One list the buyer can reach; `None` for lists of others that are not shared.
    pub async fn get(&self, id: &str) -> Result<Option<RequisitionList>> {
        let mut conn = self.store.pool.acquire().await?;
        get(&mut conn, self.tenant, self.company, self.buyer, id).await
    }

    /// Creates a list owned by the buyer (`too_many_lists` past the limit).
    pub async fn create(&self, name: &str, description: &str, shared: bool) -> Result<RequisitionList> {
        let mut tx = self.store.begin_write().await?;
        let owned: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM requisition_lists WHERE tenant_id = $1 AND company_id = $2 AND owner_id = $3")
            .bind(self.tenant.as_str())
            .bind(self.company)
            .bind(self.buyer)
            .fetch_one(&mut *tx)
            .await?;
        if owned >= MAX_LISTS_PER_OWNER {
            return Err(StoreError::Refused("too_many_lists", format!("a buyer keeps at most {MAX_LISTS_PER_OWNER} requisition lists")));
        }
        let id = new_id("rql_");
        sqlx::query(
            "INSERT INTO requisition_lists (tenant_id, id, company_id, owner_id, name, description, shared, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
        )
        .bind(self.tenant.as_str())
        .bind(&id)
        .bind(self.company)
        .bind(self.buyer)
        .bind(name)
        .bind(description)
        .bind(i64::from(shared))
        .bind(now().millis())
        .execute(&mut *tx)
        .await?;
        let list = get(&mut tx, self.tenant, self.company, self.buyer, &id).await?.ok_or(StoreError::NotFound("requisition list"))?;
        tx.commit().await?;
        Ok(list)
    }

    /// Changes name, description or sharing.
    pub async fn update(&self, id: &str, name: Option<&str>, description: Option<&str>, shared: Option<bool>) -> Result<RequisitionList> {
        let mut tx = self.store.begin_write().await?;
        let current = get(&mut tx, self.tenant, self.company, self.buyer, id).await?.ok_or(StoreError::NotFound("requisition list"))?;
        sqlx::query("UPDATE requisition_lists SET name = $3, description = $4, shared = $5, updated_at = $6 WHERE tenant_id = $1 AND id = $2")
            .bind(self.tenant.as_str())
            .bind(id)
            .bind(name.unwrap_or(&current.name))
            .bind(description.unwrap_or(&current.description))
            .bind(i64::from(shared.unwrap_or(current.shared)))
            .bind(now().millis())
            .execute(&mut *tx)
            .await?;
        let list = get(&mut tx, self.tenant, self.company, self.buyer, id).await?.ok_or(StoreError::NotFound("requisition list"))?;
        tx.commit().await?;
        Ok(list)
    }

    /// Deletes a list with its items.
    pub async fn delete(&self, id: &str) -> Result<()> {
        let mut tx = self.store.begin_write().await?;
        get(&mut tx, self.tenant, self.company, self.buyer, id).await?.ok_or(StoreError::NotFound("requisition list"))?;
        sqlx::query("DELETE FROM requisition_list_items WHERE tenant_id = $1 AND list_id = $2").bind(self.tenant.as_str()).bind(id).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM requisition_lists WHERE tenant_id = $1 AND id = $2").bind(self.tenant.as_str()).bind(id).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The items of a list, in the order they were first added.
    pub async fn items(&self, id: &str) -> Result<Vec<ListItem>> {
        let rows: Vec<(String, i64)> = sqlx::query_as("SELECT sku, quantity FROM requisition_list_items WHERE tenant_id = $1 AND list_id = $2 ORDER BY added_at, sku")
            .bind(self.tenant.as_str())
            .bind(id)
            .fetch_all(&self.store.pool)
            .await?;
        Ok(rows.into_iter().map(|(sku, quantity)| ListItem { sku, quantity }).collect())
    }

    /// Adds items; a SKU already on the list gets the quantity added.
    pub async fn add(&self, id: &str, items: &[ListItem]) -> Result<()> {
        let mut tx = self.store.begin_write().await?;
        get(&mut tx, self.tenant, self.company, self.buyer, id).await?.ok_or(StoreError::NotFound("requisition list"))?;
        add_items(&mut tx, self.tenant, id, items).await?;
        touch(&mut tx, self.tenant, id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets one item's quantity (`requisition list item` not found when absent).
    pub async fn set_quantity(&self, id: &str, sku: &str, quantity: i64) -> Result<()> {
        let mut tx = self.store.begin_write().await?;
        get(&mut tx, self.tenant, self.company, self.buyer, id).await?.ok_or(StoreError::NotFound("requisition list"))?;
        let done = sqlx::query("UPDATE requisition_list_items SET quantity = $4 WHERE tenant_id = $1 AND list_id = $2 AND sku = $3")
            .bind(self.tenant.as_str())
            .bind(id)
            .bind(sku)
            .bind(quantity)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("requisition list item"));
        }
        touch(&mut tx, self.tenant, id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes items by SKU; answers how many went.
    pub async fn remove(&self, id: &str, skus: &[String]) -> Result<u64> {
        let mut tx = self.store.begin_write().await?;
        get(&mut tx, self.tenant, self.company, self.buyer, id).await?.ok_or(StoreError::NotFound("requisition list"))?;
        let removed = remove_items(&mut tx, self.tenant, id, skus).await?;
        touch(&mut tx, self.tenant, id).await?;
        tx.commit().await?;
        Ok(removed)
    }

    /// Copies (or, with `take`, moves) the items `skus` of list `from` to list `to`, adding to
    /// quantities already there; all or nothing. SKUs not on `from` are refused
    /// (`requisition list item` not found).
    pub async fn transfer(&self, from: &str, to: &str, skus: &[String], take: bool) -> Result<()> {
        let mut tx = self.store.begin_write().await?;
        for id in [from, to] {
            get(&mut tx, self.tenant, self.company, self.buyer, id).await?.ok_or(StoreError::NotFound("requisition list"))?;
        }
        let rows: Vec<(String, i64)> = sqlx::query_as("SELECT sku, quantity FROM requisition_list_items WHERE tenant_id = $1 AND list_id = $2")
            .bind(self.tenant.as_str())
            .bind(from)
            .fetch_all(&mut *tx)
            .await?;
        let on_list: HashMap<String, i64> = rows.into_iter().collect();
        let mut items = Vec::with_capacity(skus.len());
        for sku in skus {
            let quantity = on_list.get(sku).copied().ok_or(StoreError::NotFound("requisition list item"))?;
            items.push(ListItem { sku: sku.clone(), quantity });
        }
        add_items(&mut tx, self.tenant, to, &items).await?;
        if take {
            remove_items(&mut tx, self.tenant, from, skus).await?;
            touch(&mut tx, self.tenant, from).await?;
        }
        touch(&mut tx, self.tenant, to).await?;
        tx.commit().await?;
        Ok(())
    }
}

async fn get(conn: &mut AnyConnection, tenant: &TenantId, company: &str, buyer: &str, id: &str) -> Result<Option<RequisitionList>> {
    let sql = format!("{SELECT} WHERE l.tenant_id = $1 AND l.company_id = $2 AND (l.owner_id = $3 OR l.shared = 1) AND l.id = $4");
    let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(tenant.as_str()).bind(company).bind(buyer).bind(id).fetch_optional(&mut *conn).await?;
    row.as_ref().map(from_row).transpose()
}

async fn touch(conn: &mut AnyConnection, tenant: &TenantId, id: &str) -> Result<()> {
    sqlx::query("UPDATE requisition_lists SET updated_at = $3 WHERE tenant_id = $1 AND id = $2").bind(tenant.as_str()).bind(id).bind(now().millis()).execute(&mut *conn).await?;
    Ok(())
}

async fn add_items(conn: &mut AnyConnection, tenant: &TenantId, id: &str, items: &[ListItem]) -> Result<()> {
    // Merge repeats first: one row per SKU in a multi-row upsert.
    let mut merged: Vec<ListItem> = Vec::with_capacity(items.len());
    for item in items {
        match merged.iter_mut().find(|m| m.sku == item.sku) {
            Some(m) => m.quantity = m.quantity.saturating_add(item.quantity),
            None => merged.push(item.clone()),
        }
    }
    let at = now().millis();
    for (n, chunk) in merged.chunks(100).enumerate() {
        let sql = format!(
            "INSERT INTO requisition_list_items (tenant_id, list_id, sku, quantity, added_at) VALUES {}
             ON CONFLICT (tenant_id, list_id, sku) DO UPDATE SET quantity = requisition_list_items.quantity + excluded.quantity",
            values_rows(chunk.len(), 5)
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).persistent(false);
        for (i, item) in chunk.iter().enumerate() {
            query = query.bind(tenant.as_str()).bind(id).bind(item.sku.as_str()).bind(item.quantity).bind(at + (n * 100 + i) as i64);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

async fn remove_items(conn: &mut AnyConnection, tenant: &TenantId, id: &str, skus: &[String]) -> Result<u64> {
    let mut removed = 0;
    for chunk in skus.chunks(100) {
        let sql = format!("DELETE FROM requisition_list_items WHERE tenant_id = $1 AND list_id = $2 AND sku IN ({})", placeholders(3, chunk.len()));
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).persistent(false).bind(tenant.as_str()).bind(id);
        for sku in chunk {
            query = query.bind(sku.as_str());
        }
        removed += query.execute(&mut *conn).await?.rows_affected();
    }
    Ok(removed)
}

fn from_row(row: &AnyRow) -> Result<RequisitionList> {
    Ok(RequisitionList {
        id: row.try_get("id")?,
        company_id: row.try_get("company_id")?,
        owner_id: row.try_get("owner_id")?,
        owner_name: row.try_get("owner_name")?,
        name: row.try_get("name")?,
        description: row.try_get("description")?,
        shared: row.try_get::<i64, _>("shared")? == 1,
        item_count: row.try_get("item_count")?,
        created_at: Timestamp::from_millis(row.try_get("created_at")?),
        updated_at: Timestamp::from_millis(row.try_get("updated_at")?),
    })
}
