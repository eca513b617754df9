//! Shared catalogs of one tenant: which products a company may see and buy. The public catalog
//! (id [`PUBLIC_CATALOG`]) serves guests and every company without a custom one; a company has at
//! most one custom catalog. A catalog shows the products assigned to it and every product in an
//! assigned category or below it, at request time (nothing to reindex).

use std::collections::{HashMap, HashSet};

use hanse_domain::time::Timestamp;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::ids::{new_id, now};
use crate::rows::{Dialect, fetch, key_set};
use crate::sql::{Bind, placeholders, values_rows};
use crate::tenants::TenantId;
use crate::{Result, Store, StoreError};

/// Id of every tenant's public catalog.
pub const PUBLIC_CATALOG: &str = "public";

/// Rows per multi-row statement.
const CHUNK: usize = 200;
/// From this many rows written at once, the planner's statistics are refreshed.
pub(crate) const BULK: usize = 1_000;

/// A shared catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedCatalog {
    /// `public`, or `cat_...` for custom ones.
    pub id: String,
    /// Unique within the tenant.
    pub name: String,
    /// Free text.
    pub description: String,
    /// `public` or `custom`.
    pub kind: String,
    /// Products assigned directly.
    pub product_count: i64,
    /// Categories assigned.
    pub category_count: i64,
    /// Companies assigned (the public catalog: those without a custom one).
    pub company_count: i64,
    /// When it was created.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
}

/// What a catalog lets its audience do with one product.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// See and buy.
    Buy,
    /// See, not buy.
    BrowseOnly,
}

/// The shared catalogs of one tenant.
pub struct SharedCatalogs<'a> {
    store: &'a Store,
    tenant: &'a TenantId,
}

impl Store {
    /// The shared catalogs of `tenant`.
    pub fn shared_catalogs<'a>(&'a self, tenant: &'a TenantId) -> SharedCatalogs<'a> {
        SharedCatalogs { store: self, tenant }
    }
}

const SELECT: &str = "SELECT c.id, c.name, c.description, c.kind, c.created_at, c.updated_at,
        (SELECT COUNT(*) FROM shared_catalog_products p WHERE p.tenant_id = c.tenant_id AND p.catalog_id = c.id) AS product_count,
        (SELECT COUNT(*) FROM shared_catalog_categories g WHERE g.tenant_id = c.tenant_id AND g.catalog_id = c.id) AS category_count,
        CASE WHEN c.kind = 'public'
            THEN (SELECT COUNT(*) FROM companies m WHERE m.tenant_id = c.tenant_id)
                 - (SELECT COUNT(*) FROM shared_catalog_companies a WHERE a.tenant_id = c.tenant_id)
            ELSE (SELECT COUNT(*) FROM shared_catalog_companies a WHERE a.tenant_id = c.tenant_id AND a.catalog_id = c.id)
        END AS company_count
    FROM shared_catalogs c";

fn taken(name: &str) -> String {
    format!("a shared catalog named {name:?} exists already")
}

impl SharedCatalogs<'_> {
    /// Every catalog, the public one first, then by name.
    pub async fn list(&self) -> Result<Vec<SharedCatalog>> {
        let sql = format!("{SELECT} WHERE c.tenant_id = $1 ORDER BY CASE WHEN c.kind = 'public' THEN 0 ELSE 1 END, c.name, c.id");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(self.tenant.as_str()).fetch_all(&self.store.pool).await?;
        rows.iter().map(from_row).collect()
    }

    /// One catalog.
    pub async fn get(&self, id: &str) -> Result<Option<SharedCatalog>> {
        let sql = format!("{SELECT} WHERE c.tenant_id = $1 AND c.id = $2");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(self.tenant.as_str()).bind(id).fetch_optional(&self.store.pool).await?;
        row.as_ref().map(from_row).transpose()
    }

    /// Creates a custom catalog; the name must be free.
    pub async fn create(&self, name: &str, description: &str) -> Result<SharedCatalog> {
        let id = new_id("cat_");
        sqlx::query(
            "INSERT INTO shared_catalogs (tenant_id, id, name, description, kind, created_at, updated_at)
             VALUES ($1, $2, $3, $4, 'custom', $5, $5)",
        )
        .bind(self.tenant.as_str())
        .bind(&id)
        .bind(name)
        .bind(description)
        .bind(now().millis())
        .execute(self.store.writes())
        .await
        .map_err(StoreError::on_unique(taken(name)))?;
        self.get(&id).await?.ok_or(StoreError::NotFound("shared catalog"))
    }

    /// Renames or redescribes a catalog.
    pub async fn update(&self, id: &str, name: Option<&str>, description: Option<&str>) -> Result<SharedCatalog> {
        let current = self.get(id).await?.ok_or(StoreError::NotFound("shared catalog"))?;
        let name = name.unwrap_or(&current.name);
        sqlx::query("UPDATE shared_catalogs SET name = $3, description = $4, updated_at = $5 WHERE tenant_id = $1 AND id = $2")
            .bind(self.tenant.as_str())
            .bind(id)
            .bind(name)
            .bind(description.unwrap_or(&current.description))
            .bind(now().millis())
            .execute(self.store.writes())
            .await
            .map_err(StoreError::on_unique(taken(name)))?;
        self.get(id).await?.ok_or(StoreError::NotFound("shared catalog"))
    }

    /// Deletes a custom catalog; its companies fall back to the public one, and price lists lose
    /// it as a target. The public catalog stays (`public_catalog`).
    pub async fn delete(&self, id: &str) -> Result<()> {
        if id == PUBLIC_CATALOG {
            return Err(StoreError::Refused("public_catalog", "the public catalog cannot be deleted".into()));
        }
        let mut tx = self.store.begin_write().await?;
        sqlx::query("DELETE FROM price_list_targets WHERE tenant_id = $1 AND kind = 'shared_catalog' AND target_id = $2")
            .bind(self.tenant.as_str())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        for table in ["shared_catalog_products", "shared_catalog_categories", "shared_catalog_companies"] {
            let sql = format!("DELETE FROM {table} WHERE tenant_id = $1 AND catalog_id = $2");
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(self.tenant.as_str()).bind(id).execute(&mut *tx).await?;
        }
        let done = sqlx::query("DELETE FROM shared_catalogs WHERE tenant_id = $1 AND id = $2")
            .bind(self.tenant.as_str())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("shared catalog"));
        }
        tx.commit().await?;
        Ok(())
    }

    /// Changes which products a catalog assigns directly: `replace` drops every assignment
    /// first; `add` assigns (purchasable unless in `browse_only`); `remove` unassigns. Unknown
    /// SKUs are refused (`unknown_sku`, naming them) and nothing changes.
    pub async fn change_products(&self, id: &str, replace: bool, add: &[String], browse_only: &HashSet<String>, remove: &[String]) -> Result<SharedCatalog> {
        let mut tx = self.store.begin_write().await?;
        touch(&mut tx, self.tenant, id).await?;
        let mut named: Vec<&str> = add.iter().chain(remove).map(String::as_str).collect();
        named.sort_unstable();
        named.dedup();
        let known = existing_skus(&mut tx, self.tenant, &named).await?;
        let unknown: Vec<&str> = named.iter().copied().filter(|s| !known.contains(*s)).take(20).collect();
        if !unknown.is_empty() {
            return Err(StoreError::Refused("unknown_sku", format!("no such products: {}", unknown.join(", "))));
        }
        if replace {
            sqlx::query("DELETE FROM shared_catalog_products WHERE tenant_id = $1 AND catalog_id = $2")
                .bind(self.tenant.as_str())
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        for chunk in remove.chunks(CHUNK) {
            let sql = format!("DELETE FROM shared_catalog_products WHERE tenant_id = $1 AND catalog_id = $2 AND sku IN ({})", placeholders(3, chunk.len()));
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).persistent(false).bind(self.tenant.as_str()).bind(id);
            for sku in chunk {
                query = query.bind(sku.as_str());
            }
            query.execute(&mut *tx).await?;
        }
        for chunk in add.chunks(CHUNK) {
            let sql = format!(
                "INSERT INTO shared_catalog_products (tenant_id, catalog_id, sku, purchasable) VALUES {}
                 ON CONFLICT (tenant_id, catalog_id, sku) DO UPDATE SET purchasable = excluded.purchasable",
                values_rows(chunk.len(), 4)
            );
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).persistent(false);
            for sku in chunk {
                query = query.bind(self.tenant.as_str()).bind(id).bind(sku.as_str()).bind(i64::from(!browse_only.contains(sku)));
            }
            query.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        if add.len() + remove.len() >= BULK {
            self.store.analyze(&["shared_catalog_products"]).await?;
        }
        self.get(id).await?.ok_or(StoreError::NotFound("shared catalog"))
    }

    /// A page of the products a catalog assigns directly, by SKU: `(sku, purchasable)`.
    pub async fn products(&self, id: &str, after: Option<&str>, limit: u32) -> Result<(Vec<(String, bool)>, Option<String>)> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT sku, purchasable FROM shared_catalog_products WHERE tenant_id = $1 AND catalog_id = $2 AND sku > $3 ORDER BY sku LIMIT $4",
        )
        .bind(self.tenant.as_str())
        .bind(id)
        .bind(after.unwrap_or(""))
        .bind(i64::from(limit) + 1)
        .fetch_all(&self.store.pool)
        .await?;
        let mut items: Vec<(String, bool)> = rows.into_iter().map(|(sku, p)| (sku, p == 1)).collect();
        let next = (items.len() > limit as usize).then(|| {
            items.truncate(limit as usize);
            items.last().map(|(s, _)| s.clone())
        });
        Ok((items, next.flatten()))
    }

    /// Replaces the categories a catalog assigns; unknown ids are refused (`unknown_category`).
    pub async fn set_categories(&self, id: &str, categories: &[String]) -> Result<SharedCatalog> {
        let mut tx = self.store.begin_write().await?;
        touch(&mut tx, self.tenant, id).await?;
        let mut ids = categories.to_vec();
        ids.sort();
        ids.dedup();
        crate::products::check_categories(&mut tx, self.tenant, &ids).await?;
        sqlx::query("DELETE FROM shared_catalog_categories WHERE tenant_id = $1 AND catalog_id = $2")
            .bind(self.tenant.as_str())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        for chunk in ids.chunks(CHUNK) {
            let sql = format!("INSERT INTO shared_catalog_categories (tenant_id, catalog_id, category_id) VALUES {}", values_rows(chunk.len(), 3));
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).persistent(false);
            for category in chunk {
                query = query.bind(self.tenant.as_str()).bind(id).bind(category.as_str());
            }
            query.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        self.get(id).await?.ok_or(StoreError::NotFound("shared catalog"))
    }

    /// The category ids a catalog assigns, sorted.
    pub async fn categories(&self, id: &str) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar("SELECT category_id FROM shared_catalog_categories WHERE tenant_id = $1 AND catalog_id = $2 ORDER BY category_id")
            .bind(self.tenant.as_str())
            .bind(id)
            .fetch_all(&self.store.pool)
            .await?)
    }

    /// Makes `companies` exactly the companies of a custom catalog: they move here from any
    /// other catalog, and companies it had that are not named go back to the public one. For
    /// the public catalog, the named companies leave their custom catalogs. Unknown companies
    /// are refused (`unknown_company`).
    pub async fn set_companies(&self, id: &str, companies: &[String]) -> Result<SharedCatalog> {
        let mut tx = self.store.begin_write().await?;
        touch(&mut tx, self.tenant, id).await?;
        let mut ids = companies.to_vec();
        ids.sort();
        ids.dedup();
        for chunk in ids.chunks(CHUNK) {
            let sql = format!("SELECT id FROM companies WHERE tenant_id = $1 AND id IN ({})", placeholders(2, chunk.len()));
            let mut query = sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql)).persistent(false).bind(self.tenant.as_str());
            for company in chunk {
                query = query.bind(company.as_str());
            }
            let found: HashSet<String> = query.fetch_all(&mut *tx).await?.into_iter().collect();
            let missing: Vec<&str> = chunk.iter().map(String::as_str).filter(|c| !found.contains(*c)).collect();
            if !missing.is_empty() {
                return Err(StoreError::Refused("unknown_company", format!("no such companies: {}", missing.join(", "))));
            }
        }
        if id != PUBLIC_CATALOG {
            sqlx::query("DELETE FROM shared_catalog_companies WHERE tenant_id = $1 AND catalog_id = $2")
                .bind(self.tenant.as_str())
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        for chunk in ids.chunks(CHUNK) {
            let sql = format!("DELETE FROM shared_catalog_companies WHERE tenant_id = $1 AND company_id IN ({})", placeholders(2, chunk.len()));
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).persistent(false).bind(self.tenant.as_str());
            for company in chunk {
                query = query.bind(company.as_str());
            }
            query.execute(&mut *tx).await?;
            if id != PUBLIC_CATALOG {
                let sql = format!("INSERT INTO shared_catalog_companies (tenant_id, company_id, catalog_id) VALUES {}", values_rows(chunk.len(), 3));
                let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).persistent(false);
                for company in chunk {
                    query = query.bind(self.tenant.as_str()).bind(company.as_str()).bind(id);
                }
                query.execute(&mut *tx).await?;
            }
        }
        tx.commit().await?;
        self.get(id).await?.ok_or(StoreError::NotFound("shared catalog"))
    }

    /// The ids of a catalog's companies, sorted (the public catalog: those without a custom one).
    pub async fn companies(&self, id: &str) -> Result<Vec<String>> {
        let sql = if id == PUBLIC_CATALOG {
            "SELECT m.id FROM companies m WHERE m.tenant_id = $1 AND $2 = $2 AND NOT EXISTS
                (SELECT 1 FROM shared_catalog_companies a WHERE a.tenant_id = m.tenant_id AND a.company_id = m.id) ORDER BY m.id"
        } else {
            "SELECT company_id FROM shared_catalog_companies WHERE tenant_id = $1 AND catalog_id = $2 ORDER BY company_id"
        };
        Ok(sqlx::query_scalar(sql).bind(self.tenant.as_str()).bind(id).fetch_all(&self.store.pool).await?)
    }

    /// The catalog a company sees.
    pub async fn of_company(&self, company_id: &str) -> Result<String> {
        let id: Option<String> = sqlx::query_scalar("SELECT catalog_id FROM shared_catalog_companies WHERE tenant_id = $1 AND company_id = $2")
            .bind(self.tenant.as_str())
            .bind(company_id)
            .fetch_optional(&self.store.pool)
            .await?;
        Ok(id.unwrap_or_else(|| PUBLIC_CATALOG.to_owned()))
    }

    /// What catalog `id` lets its audience do with each of `skus`; SKUs it does not show are
    /// absent. A direct assignment decides; otherwise a product in an assigned category (or
    /// below one) can be bought.
    pub async fn access(&self, id: &str, skus: &[&str]) -> Result<HashMap<String, Access>> {
        let mut conn = self.store.pool.acquire().await?;
        access(&mut conn, self.tenant, id, skus).await
    }
}

/// See [`SharedCatalogs::access`].
pub(crate) async fn access(conn: &mut AnyConnection, tenant: &TenantId, catalog: &str, skus: &[&str]) -> Result<HashMap<String, Access>> {
    let mut found = HashMap::with_capacity(skus.len());
    if skus.is_empty() {
        return Ok(found);
    }
    let dialect = Dialect::of(conn);
    let binds = || vec![Bind::Text(tenant.as_str().to_owned()), Bind::Text(catalog.to_owned()), Bind::Text(key_set(skus))];
    let rest = format!("FROM shared_catalog_products WHERE tenant_id = $1 AND catalog_id = $2 AND {}", dialect.in_set("sku", 3));
    let direct: Vec<(String, i64)> = fetch(conn, "sku, purchasable", &rest, None, binds(), "catalog products").await?;
    for (sku, purchasable) in direct {
        found.insert(sku, if purchasable == 1 { Access::Buy } else { Access::BrowseOnly });
    }
    // Only SKUs not assigned directly need the categories (a catalog without categories
    // answers this from its index at once). Usually every SKU ordered is assigned.
    if found.len() < skus.len() {
        // Products under one of the catalog's categories (at any depth) are shown and buyable.
        let rest = format!(
            "FROM product_categories pc
               JOIN categories c ON c.tenant_id = pc.tenant_id AND c.id = pc.category_id
               JOIN shared_catalog_categories g ON g.tenant_id = pc.tenant_id AND g.catalog_id = $2
               JOIN categories a ON a.tenant_id = g.tenant_id AND a.id = g.category_id
             WHERE pc.tenant_id = $1 AND {} AND substr(c.path, 1, length(a.path)) = a.path",
            dialect.in_set("pc.sku", 3)
        );
        let below: Vec<(String,)> = fetch(conn, "pc.sku", &rest, None, binds(), "catalog categories").await?;
        for (sku,) in below {
            found.entry(sku).or_insert(Access::Buy);
        }
    }
    Ok(found)
}

/// The SQL condition "product `p` is shown by the catalog bound at `$n`", for listings.
pub(crate) fn shows_product(n: &str) -> String {
    format!(
        "(EXISTS (SELECT 1 FROM shared_catalog_products sp WHERE sp.tenant_id = p.tenant_id AND sp.catalog_id = {n} AND sp.sku = p.sku)
          OR EXISTS (SELECT 1 FROM product_categories pc
               JOIN categories c ON c.tenant_id = pc.tenant_id AND c.id = pc.category_id
               JOIN shared_catalog_categories g ON g.tenant_id = pc.tenant_id AND g.catalog_id = {n}
               JOIN categories a ON a.tenant_id = g.tenant_id AND a.id = g.category_id
             WHERE pc.tenant_id = p.tenant_id AND pc.sku = p.sku AND substr(c.path, 1, length(a.path)) = a.path))"
    )
}

async fn touch(conn: &mut AnyConnection, tenant: &TenantId, id: &str) -> Result<()> {
    let done = sqlx::query("UPDATE shared_catalogs SET updated_at = $3 WHERE tenant_id = $1 AND id = $2")
        .bind(tenant.as_str())
        .bind(id)
        .bind(now().millis())
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound("shared catalog"));
    }
    Ok(())
}

/// Which of `skus` exist as products.
pub(crate) async fn existing_skus(conn: &mut AnyConnection, tenant: &TenantId, skus: &[&str]) -> Result<HashSet<String>> {
    if skus.is_empty() {
        return Ok(HashSet::new());
    }
    let rest = format!("FROM products WHERE tenant_id = $1 AND {}", Dialect::of(conn).in_set("sku", 2));
    let rows: Vec<(String,)> = fetch(conn, "sku", &rest, None, vec![Bind::Text(tenant.as_str().to_owned()), Bind::Text(key_set(skus))], "products").await?;
    Ok(rows.into_iter().map(|(sku,)| sku).collect())
}

fn from_row(row: &AnyRow) -> Result<SharedCatalog> {
    Ok(SharedCatalog {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        description: row.try_get("description")?,
        kind: row.try_get("kind")?,
        product_count: row.try_get("product_count")?,
        category_count: row.try_get("category_count")?,
        company_count: row.try_get("company_count")?,
        created_at: Timestamp::from_millis(row.try_get("created_at")?),
        updated_at: Timestamp::from_millis(row.try_get("updated_at")?),
    })
}
