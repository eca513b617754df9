//! The category tree of one tenant.

use std::collections::HashSet;

use hanse_domain::category::{CategoryNode, check_move, child_path, depth, lineage, subtree_height, MAX_DEPTH};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::ids::{new_id, now};
use crate::tenants::TenantId;
use crate::{Result, Store, StoreError};

/// Categories of one tenant.
pub struct Categories<'a> {
    store: &'a Store,
    tenant: &'a TenantId,
}

/// A change to a category; `None` fields stay as they are.
#[derive(Debug, Clone, Default)]
pub struct CategoryChange {
    /// New name.
    pub name: Option<String>,
    /// New parent: `Some(None)` moves it to the top level.
    pub parent_id: Option<Option<String>>,
    /// New sort position among siblings.
    pub position: Option<i64>,
}

impl Store {
    /// The category tree of `tenant`.
    pub fn categories<'a>(&'a self, tenant: &'a TenantId) -> Categories<'a> {
        Categories { store: self, tenant }
    }
}

const COLUMNS: &str = "id, parent_id, name, position, path";

impl Categories<'_> {
    /// Creates a category under `parent_id` (or at the top level).
    pub async fn create(&self, name: &str, parent_id: Option<&str>, position: i64) -> Result<CategoryNode> {
        let mut tx = self.store.begin_write().await?;
        let node = insert(&mut tx, self.tenant, name, parent_id, position).await?;
        tx.commit().await?;
        Ok(node)
    }

    /// The category with this id.
    pub async fn get(&self, id: &str) -> Result<Option<CategoryNode>> {
        let mut conn = self.store.pool.acquire().await?;
        get(&mut conn, self.tenant, id).await
    }

    /// Every category, flat, ordered by path.
    pub async fn list(&self) -> Result<Vec<CategoryNode>> {
        let mut conn = self.store.pool.acquire().await?;
        list(&mut conn, self.tenant).await
    }

    /// The categories the shared catalog `catalog` shows, flat, ordered by path: those assigned
    /// to it and everything below them, those holding an active product it shows by direct
    /// assignment (Magento allows the categories of a catalog's selected products), and the
    /// ancestors of all of these, so that the tree stays whole. A category with nothing the
    /// catalog shows is left out.
    pub async fn shown_by(&self, catalog: &str) -> Result<Vec<CategoryNode>> {
        let mut conn = self.store.pool.acquire().await?;
        let all = list(&mut conn, self.tenant).await?;
        let assigned = "EXISTS (SELECT 1 FROM shared_catalog_categories g WHERE g.tenant_id = c.tenant_id AND g.catalog_id = $2 AND g.category_id = c.id)";
        let holding = "EXISTS (SELECT 1 FROM product_categories pc
                 JOIN shared_catalog_products sp ON sp.tenant_id = pc.tenant_id AND sp.catalog_id = $2 AND sp.sku = pc.sku
                 JOIN products p ON p.tenant_id = pc.tenant_id AND p.sku = pc.sku AND p.status = 'active'
               WHERE pc.tenant_id = c.tenant_id AND pc.category_id = c.id)";
        let roots: Vec<(String, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT c.path, CAST(CASE WHEN {assigned} THEN 1 ELSE 0 END AS BIGINT) FROM categories c
             WHERE c.tenant_id = $1 AND ({assigned} OR {holding})"
        )))
        .bind(self.tenant.as_str())
        .bind(catalog)
        .fetch_all(&mut *conn)
        .await?;
        // Shown: an anchor or one of its ancestors, or anything at or below an assigned one.
        let mut above = HashSet::new();
        let mut assigned = HashSet::new();
        for (path, is_assigned) in &roots {
            above.extend(lineage(path));
            if *is_assigned == 1 {
                assigned.insert(path.as_str());
            }
        }
        Ok(all.into_iter().filter(|node| above.contains(node.path.as_str()) || lineage(&node.path).any(|p| assigned.contains(p))).collect())
    }

    /// Renames, moves or reorders a category. Moving rewrites the paths of its whole subtree in
    /// the same transaction.
    pub async fn update(&self, id: &str, change: &CategoryChange) -> Result<CategoryNode> {
        let mut tx = self.store.begin_write().await?;
        let node = get(&mut tx, self.tenant, id).await?.ok_or(StoreError::NotFound("category"))?;
        let at = now().millis();
        if let Some(new_parent) = &change.parent_id {
            let parent = match new_parent {
                Some(pid) => Some(get(&mut tx, self.tenant, pid).await?.ok_or_else(|| {
                    StoreError::Refused("unknown_parent", format!("unknown parent category {pid:?}"))
                })?),
                None => None,
            };
            let below: Vec<String> = sqlx::query_scalar(
                "SELECT path FROM categories WHERE tenant_id = $1 AND path LIKE $2 || '%'",
            )
            .bind(self.tenant.as_str())
            .bind(&node.path)
            .fetch_all(&mut *tx)
            .await?;
            let height = subtree_height(&node.path, below.iter().map(String::as_str));
            check_move(&node.path, height, parent.as_ref().map(|p| p.path.as_str()))
                .map_err(|e| StoreError::Refused("invalid_move", e.to_string()))?;
            let new_path = child_path(parent.as_ref().map(|p| p.path.as_str()), &node.id);
            sqlx::query("UPDATE categories SET parent_id = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2")
                .bind(self.tenant.as_str())
                .bind(id)
                .bind(parent.as_ref().map(|p| p.id.clone()))
                .bind(at)
                .execute(&mut *tx)
                .await
                .map_err(sibling_conflict(&node.name))?;
            sqlx::query(
                "UPDATE categories SET path = $3 || substr(path, length($2) + 1)
                 WHERE tenant_id = $1 AND path LIKE $2 || '%'",
            )
            .bind(self.tenant.as_str())
            .bind(&node.path)
            .bind(&new_path)
            .execute(&mut *tx)
            .await?;
        }
        if let Some(name) = &change.name {
            sqlx::query("UPDATE categories SET name = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2")
                .bind(self.tenant.as_str())
                .bind(id)
                .bind(name)
                .bind(at)
                .execute(&mut *tx)
                .await
                .map_err(sibling_conflict(name))?;
        }
        if let Some(position) = change.position {
            sqlx::query("UPDATE categories SET position = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2")
                .bind(self.tenant.as_str())
                .bind(id)
                .bind(position)
                .bind(at)
                .execute(&mut *tx)
                .await?;
        }
        let node = get(&mut tx, self.tenant, id).await?.ok_or(StoreError::NotFound("category"))?;
        tx.commit().await?;
        Ok(node)
    }

    /// Deletes a category that has no children; its products stay, unassigned from it.
    pub async fn delete(&self, id: &str) -> Result<()> {
        let mut tx = self.store.begin_write().await?;
        get(&mut tx, self.tenant, id).await?.ok_or(StoreError::NotFound("category"))?;
        let children: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM categories WHERE tenant_id = $1 AND parent_id = $2")
            .bind(self.tenant.as_str())
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        if children > 0 {
            return Err(StoreError::Refused("category_not_empty", format!("category {id:?} has {children} subcategories; move or delete them first")));
        }
        for sql in [
            "DELETE FROM product_categories WHERE tenant_id = $1 AND category_id = $2",
            "DELETE FROM categories WHERE tenant_id = $1 AND id = $2",
        ] {
            sqlx::query(sql).bind(self.tenant.as_str()).bind(id).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The id of the category at this path of names (top level first), creating the missing
    /// ones, as Magento's product import does. Two imports creating the same category at once
    /// both end with the one that won.
    pub async fn ensure_path(&self, names: &[String]) -> Result<String> {
        if names.is_empty() || names.len() > MAX_DEPTH {
            return Err(StoreError::Refused("invalid_category_path", format!("a category path has 1 to {MAX_DEPTH} names")));
        }
        match self.ensure_path_once(names).await {
            // Another writer created one of the names between our look-up and our insert: the
            // second attempt finds it.
            Err(StoreError::Conflict(_)) => self.ensure_path_once(names).await,
            other => other,
        }
    }

    async fn ensure_path_once(&self, names: &[String]) -> Result<String> {
        let mut tx = self.store.begin_write().await?;
        let mut parent: Option<String> = None;
        for name in names {
            let found: Option<String> = sqlx::query_scalar(
                "SELECT id FROM categories WHERE tenant_id = $1 AND COALESCE(parent_id, '') = $2 AND name = $3",
            )
            .bind(self.tenant.as_str())
            .bind(parent.clone().unwrap_or_default())
            .bind(name)
            .fetch_optional(&mut *tx)
            .await?;
            let id = match found {
                Some(id) => id,
                None => insert(&mut tx, self.tenant, name, parent.as_deref(), 0).await?.id,
            };
            parent = Some(id);
        }
        tx.commit().await?;
        parent.ok_or(StoreError::NotFound("category"))
    }
}

async fn insert(conn: &mut AnyConnection, tenant: &TenantId, name: &str, parent_id: Option<&str>, position: i64) -> Result<CategoryNode> {
    let parent = match parent_id {
        Some(pid) => Some(get(conn, tenant, pid).await?.ok_or_else(|| StoreError::Refused("unknown_parent", format!("unknown parent category {pid:?}")))?),
        None => None,
    };
    if parent.as_ref().is_some_and(|p| depth(&p.path) >= MAX_DEPTH) {
        return Err(StoreError::Refused("tree_too_deep", format!("categories nest at most {MAX_DEPTH} levels deep")));
    }
    let id = new_id("cat_");
    let path = child_path(parent.as_ref().map(|p| p.path.as_str()), &id);
    let at = now().millis();
    sqlx::query(
        "INSERT INTO categories (tenant_id, id, parent_id, name, position, path, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
    )
    .bind(tenant.as_str())
    .bind(&id)
    .bind(parent_id)
    .bind(name)
    .bind(position)
    .bind(&path)
    .bind(at)
    .execute(&mut *conn)
    .await
    .map_err(sibling_conflict(name))?;
    Ok(CategoryNode { id, parent_id: parent_id.map(str::to_owned), name: name.to_owned(), position, path })
}

fn sibling_conflict(name: &str) -> impl FnOnce(sqlx::Error) -> StoreError {
    StoreError::on_unique(format!("a category named {name:?} already exists at that place in the tree"))
}

async fn list(conn: &mut AnyConnection, tenant: &TenantId) -> Result<Vec<CategoryNode>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM categories WHERE tenant_id = $1 ORDER BY path")))
        .bind(tenant.as_str())
        .fetch_all(&mut *conn)
        .await?;
    rows.iter().map(from_row).collect()
}

async fn get(conn: &mut AnyConnection, tenant: &TenantId, id: &str) -> Result<Option<CategoryNode>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM categories WHERE tenant_id = $1 AND id = $2")))
        .bind(tenant.as_str())
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

fn from_row(row: &AnyRow) -> Result<CategoryNode> {
    Ok(CategoryNode {
        id: row.try_get("id")?,
        parent_id: row.try_get("parent_id")?,
        name: row.try_get("name")?,
        position: row.try_get("position")?,
        path: row.try_get("path")?,
    })
}
