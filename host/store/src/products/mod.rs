//! The product catalog of one tenant: products by SKU, their category assignments and stock.

mod read;
mod write;

use std::collections::HashMap;

use hanse_domain::inventory::StockLevel;
use hanse_domain::product::{ProductDraft, ProductStatus, Sku, StockQuantity};
use hanse_domain::time::Timestamp;

use crate::rows::Plan;
use self::read::{FROM, escape_like, load, load_bare, load_one, load_where, with_categories};
use self::write::{add_to_public_catalog, apply_rows, insert, tally};
pub(crate) use self::write::check_categories;
use crate::ids::now;
use crate::sql::Bind;
use crate::tenants::TenantId;
use crate::{Result, Store, StoreError};

/// A product as stored, with its categories and stock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    /// What the merchant stated.
    pub draft: ProductDraft,
    /// Ids of the categories it is assigned to, sorted.
    pub categories: Vec<String>,
    /// Stock on hand (0 when never set).
    pub quantity: i64,
    /// Whether stock was ever set; a product without stock is not limited by it.
    pub stock_tracked: bool,
    /// What orders may still take, when stock is tracked: on hand, reservations, threshold and
    /// backorders.
    pub stock: Option<StockLevel>,
    /// When it was created.
    pub created_at: Timestamp,
    /// When the product, its categories or its stock last changed.
    pub updated_at: Timestamp,
}

/// Which products a listing returns. Every filter is optional; they combine with AND.
#[derive(Debug, Clone, Default)]
pub struct ProductFilter {
    /// SKUs starting with this text (case-sensitive).
    pub sku_prefix: Option<String>,
    /// Products in this category or any category below it.
    pub category: Option<String>,
    /// Only products with this status.
    pub status: Option<ProductStatus>,
    /// Only products changed at or after this time.
    pub updated_since: Option<Timestamp>,
    /// Case-insensitive text that must occur in the SKU or the name.
    pub text: Option<String>,
    /// Only products this shared catalog shows.
    pub catalog: Option<String>,
    /// Continue after this SKU (the previous page's `next_cursor`).
    pub after_sku: Option<String>,
    /// Page size.
    pub limit: u32,
}

/// One page of a listing.
#[derive(Debug, Clone)]
pub struct ProductPage {
    /// The products, ordered by SKU.
    pub items: Vec<Product>,
    /// The SKU to continue after, when there are more.
    pub next_after: Option<String>,
}

/// One row of a bulk import: the product, and optionally its categories and stock.
#[derive(Debug, Clone)]
pub struct ImportRow {
    /// The product's content.
    pub draft: ProductDraft,
    /// Fields the source did not carry: for an existing product they keep their stored value
    /// instead of the draft's default.
    pub keep: KeepFields,
    /// Category ids to assign (replacing the current ones); `None` leaves them as they are.
    pub categories: Option<Vec<String>>,
    /// Stock to set; `None` leaves it as it is.
    pub quantity: Option<StockQuantity>,
}

/// Which optional product fields an import row leaves as stored (its file had no such column).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KeepFields {
    /// Keep the stored description.
    pub description: bool,
    /// Keep the stored status.
    pub status: bool,
    /// Keep the stored weight.
    pub weight: bool,
    /// Keep the stored attributes.
    pub attributes: bool,
    /// Keep the stored sale quantity rules.
    pub sale: bool,
}

impl KeepFields {
    fn fill(self, draft: &ProductDraft, before: &ProductDraft) -> ProductDraft {
        let mut draft = draft.clone();
        if self.description {
            draft.description.clone_from(&before.description);
        }
        if self.status {
            draft.status = before.status;
        }
        if self.weight {
            draft.weight = before.weight;
        }
        if self.attributes {
            draft.attributes = before.attributes.clone();
        }
        if self.sale {
            draft.sale = before.sale;
        }
        draft
    }
}

/// What one import batch did.
#[derive(Debug, Default)]
pub struct ImportOutcome {
    /// Products that did not exist.
    pub created: u64,
    /// Products that existed and changed.
    pub updated: u64,
    /// Products that existed exactly as given (nothing written, `updated_at` kept).
    pub unchanged: u64,
    /// Rows refused whole: their position in the batch, and why. A row is refused when it
    /// changes the quantity of a SKU that a source other than `default` holds
    /// (`multiple_sources`).
    pub refused: Vec<(usize, StoreError)>,
}

/// Products of one tenant.
pub struct Products<'a> {
    store: &'a Store,
    tenant: &'a TenantId,
}

impl Store {
    /// The catalog of `tenant`.
    pub fn products<'a>(&'a self, tenant: &'a TenantId) -> Products<'a> {
        Products { store: self, tenant }
    }
}

impl Products<'_> {
    /// Creates a product; a conflict if the SKU exists.
    pub async fn create(&self, draft: &ProductDraft, categories: &[String], quantity: Option<StockQuantity>) -> Result<Product> {
        let mut tx = self.store.begin_write().await?;
        if !load(&mut tx, self.tenant, &[draft.sku.as_str()], Plan::Kept).await?.is_empty() {
            return Err(StoreError::Conflict(format!("a product with SKU {:?} already exists", draft.sku.as_str())));
        }
        check_categories(&mut tx, self.tenant, categories).await?;
        let at = now().millis();
        insert(&mut tx, self.tenant, draft, at).await?;
        add_to_public_catalog(&mut tx, self.tenant, &[draft.sku.as_str()]).await?;
        // The row exists now; categories and stock go through the same writer as every update.
        let bare = Product { draft: draft.clone(), categories: Vec::new(), quantity: 0, stock_tracked: false, stock: None, created_at: Timestamp::from_millis(at), updated_at: Timestamp::from_millis(at) };
        let mut existing = HashMap::from([(draft.sku.as_str().to_owned(), bare)]);
        let row = ImportRow { draft: draft.clone(), keep: KeepFields::default(), categories: Some(categories.to_vec()), quantity };
        apply_rows(&mut tx, self.tenant, std::slice::from_ref(&row), &mut existing, at).await?;
        let product = load_one(&mut tx, self.tenant, draft.sku.as_str()).await?;
        tx.commit().await?;
        Ok(product)
    }

    /// Replaces an existing product's content, and its categories and stock where given.
    /// With `create_missing`, a missing SKU is created instead (PUT semantics); the flag in the
    /// answer says whether it was. A new quantity is refused (`multiple_sources`) when a source
    /// other than `default` holds the SKU.
    pub async fn save(
        &self,
        draft: &ProductDraft,
        categories: Option<&[String]>,
        quantity: Option<StockQuantity>,
        create_missing: bool,
    ) -> Result<(Product, bool)> {
        let mut tx = self.store.begin_write().await?;
        if let Some(ids) = categories {
            check_categories(&mut tx, self.tenant, ids).await?;
        }
        let mut existing: HashMap<String, Product> =
            load(&mut tx, self.tenant, &[draft.sku.as_str()], Plan::Kept).await?.into_iter().map(|p| (p.draft.sku.as_str().to_owned(), p)).collect();
        let created = existing.is_empty();
        if created && !create_missing {
            return Err(StoreError::NotFound("product"));
        }
        let row = ImportRow { draft: draft.clone(), keep: KeepFields::default(), categories: categories.map(<[String]>::to_vec), quantity };
        let rows = std::slice::from_ref(&row);
        let outcomes = apply_rows(&mut tx, self.tenant, rows, &mut existing, now().millis()).await?;
        if let Some((_, refusal)) = tally(rows, &outcomes).refused.pop() {
            return Err(refusal);
        }
        let product = load_one(&mut tx, self.tenant, draft.sku.as_str()).await?;
        tx.commit().await?;
        Ok((product, created))
    }

    /// The product with this SKU.
    pub async fn get(&self, sku: &Sku) -> Result<Option<Product>> {
        let mut conn = self.store.pool.acquire().await?;
        Ok(load(&mut conn, self.tenant, &[sku.as_str()], Plan::Kept).await?.pop())
    }

    /// The products with these SKUs, by SKU, loaded in a few batched queries (missing SKUs are
    /// absent).
    pub async fn get_many(&self, skus: &[Sku]) -> Result<HashMap<String, Product>> {
        let mut conn = self.store.pool.acquire().await?;
        let skus: Vec<&str> = skus.iter().map(Sku::as_str).collect();
        Ok(load(&mut conn, self.tenant, &skus, Plan::Kept).await?.into_iter().map(|p| (p.draft.sku.as_str().to_owned(), p)).collect())
    }

    /// Which of `skus` exist.
    pub async fn existing(&self, skus: &[&str]) -> Result<std::collections::HashSet<String>> {
        let mut conn = self.store.pool.acquire().await?;
        crate::shared_catalogs::existing_skus(&mut conn, self.tenant, skus).await
    }

    /// Like [`Products::get_many`] but without category assignments (`categories` is empty):
    /// one query fewer, for ordering and pricing.
    pub async fn get_many_bare(&self, skus: &[Sku]) -> Result<HashMap<String, Product>> {
        let mut conn = self.store.pool.acquire().await?;
        let skus: Vec<&str> = skus.iter().map(Sku::as_str).collect();
        Ok(load_bare(&mut conn, self.tenant, &skus, Plan::Kept).await?.into_iter().map(|p| (p.draft.sku.as_str().to_owned(), p)).collect())
    }

    /// Deletes a product with its category assignments and stock: what every source held of
    /// it, its reservation ledger and back-in-stock subscriptions. Orders keep their lines; a
    /// later shipment, cancel or refund of them moves no stock of a SKU that is gone, so the
    /// ledger of a SKU created again under the same name starts empty.
    pub async fn delete(&self, sku: &Sku) -> Result<()> {
        let mut tx = self.store.begin_write().await?;
        // Locked in the order every writer of stock takes, before any row goes: deleting
        // `source_items` first would lock them ahead of the stock row, the reverse of a shipment.
        crate::stock::lock_with_products(&mut tx, self.tenant, &[sku.as_str()]).await?;
        for table in ["product_categories", "source_items", "stock_items", "stock_reservations", "stock_alerts", "shared_catalog_products", "price_list_entries", "products"] {
            let sql = format!("DELETE FROM {table} WHERE tenant_id = $1 AND sku = $2");
            let done = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(self.tenant.as_str())
                .bind(sku.as_str())
                .execute(&mut *tx)
                .await?;
            if table == "products" && done.rows_affected() == 0 {
                return Err(StoreError::NotFound("product"));
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// A page of products matching `filter`, ordered by SKU.
    pub async fn list(&self, filter: &ProductFilter) -> Result<ProductPage> {
        let mut binds = vec![Bind::Text(self.tenant.as_str().to_owned())];
        // The page's SKUs are chosen in a subquery, so that the limit counts products.
        let mut sql = "SELECT p.sku FROM products p WHERE p.tenant_id = $1".to_owned();
        let param = |binds: &mut Vec<Bind>, value: Bind| {
            binds.push(value);
            format!("${}", binds.len())
        };
        if let Some(prefix) = &filter.sku_prefix {
            let n = param(&mut binds, Bind::Text(prefix.clone()));
            sql += &format!(" AND substr(p.sku, 1, length({n})) = {n}");
        }
        if let Some(status) = filter.status {
            let n = param(&mut binds, Bind::Text(status.as_str().to_owned()));
            sql += &format!(" AND p.status = {n}");
        }
        if let Some(since) = filter.updated_since {
            let n = param(&mut binds, Bind::Int(since.millis()));
            sql += &format!(" AND p.updated_at >= {n}");
        }
        if let Some(text) = &filter.text {
            let n = param(&mut binds, Bind::Text(format!("%{}%", escape_like(&text.to_lowercase()))));
            sql += &format!(" AND p.search_text LIKE {n} ESCAPE '\\'");
        }
        if let Some(category) = &filter.category {
            let t = param(&mut binds, Bind::Text(self.tenant.as_str().to_owned()));
            let c = param(&mut binds, Bind::Text(category.clone()));
            // The category and everything below it: a prefix match on materialized paths.
            sql += &format!(
                " AND EXISTS (SELECT 1 FROM product_categories pc
                    JOIN categories c ON c.tenant_id = pc.tenant_id AND c.id = pc.category_id
                    WHERE pc.tenant_id = p.tenant_id AND pc.sku = p.sku
                      AND c.path LIKE (SELECT path FROM categories WHERE tenant_id = {t} AND id = {c}) || '%')"
            );
        }
        if let Some(catalog) = &filter.catalog {
            let n = param(&mut binds, Bind::Text(catalog.clone()));
            sql += &format!(" AND {}", crate::shared_catalogs::shows_product(&n));
        }
        if let Some(after) = &filter.after_sku {
            let n = param(&mut binds, Bind::Text(after.clone()));
            sql += &format!(" AND p.sku > {n}");
        }
        let limit = param(&mut binds, Bind::Int(i64::from(filter.limit) + 1));
        sql += &format!(" ORDER BY p.sku LIMIT {limit}");

        let rest = format!("{FROM} WHERE p.tenant_id = $1 AND p.sku IN ({sql})");
        let mut conn = self.store.pool.acquire().await?;
        let products = load_where(&mut conn, &rest, "p.sku", binds).await?;
        let mut items = with_categories(&mut conn, self.tenant, products, Plan::Kept).await?;
        let next_after = if items.len() > filter.limit as usize {
            items.truncate(filter.limit as usize);
            items.last().map(|p| p.draft.sku.as_str().to_owned())
        } else {
            None
        };
        Ok(ProductPage { items, next_after })
    }

    /// Applies one batch of import rows in one transaction: creates missing SKUs, updates
    /// changed ones, and leaves identical ones untouched, so re-running an import writes
    /// nothing. A SKU given twice in a batch ends as its last row says.
    pub async fn import(&self, rows: &[ImportRow]) -> Result<ImportOutcome> {
        let mut tx = self.store.begin_write().await?;
        let mut wanted: Vec<&str> = rows.iter().flat_map(|r| r.categories.iter().flatten().map(String::as_str)).collect();
        wanted.sort_unstable();
        wanted.dedup();
        check_categories(&mut tx, self.tenant, &wanted).await?;
        let skus: Vec<&str> = rows.iter().map(|r| r.draft.sku.as_str()).collect();
        let mut existing: HashMap<String, Product> =
            load(&mut tx, self.tenant, &skus, Plan::Fresh).await?.into_iter().map(|p| (p.draft.sku.as_str().to_owned(), p)).collect();
        let outcomes = apply_rows(&mut tx, self.tenant, rows, &mut existing, now().millis()).await?;
        tx.commit().await?;
        Ok(tally(rows, &outcomes))
    }
}
