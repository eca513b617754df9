//! The product catalog of one tenant: products by SKU, their category assignments and stock.

use std::collections::{BTreeMap, HashMap};

use hanse_domain::money::{Price, Weight};
use hanse_domain::product::{Attributes, ProductDraft, ProductStatus, Sku, StockQuantity};
use hanse_domain::time::Timestamp;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::ids::now;
use crate::sql::{Bind, placeholders};
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
        draft
    }
}

/// What one import batch did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportOutcome {
    /// Products that did not exist.
    pub created: u64,
    /// Products that existed and changed.
    pub updated: u64,
    /// Products that existed exactly as given (nothing written, `updated_at` kept).
    pub unchanged: u64,
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

const SELECT: &str = "SELECT p.sku, p.name, p.description, p.price, p.status, p.weight, p.attributes,
        p.created_at, p.updated_at, COALESCE(s.quantity, 0) AS quantity
    FROM products p LEFT JOIN stock_items s ON s.tenant_id = p.tenant_id AND s.sku = p.sku";

impl Products<'_> {
    /// Creates a product; a conflict if the SKU exists.
    pub async fn create(&self, draft: &ProductDraft, categories: &[String], quantity: Option<StockQuantity>) -> Result<Product> {
        let mut tx = self.store.begin_write().await?;
        if !load(&mut tx, self.tenant, &[draft.sku.as_str()]).await?.is_empty() {
            return Err(StoreError::Conflict(format!("a product with SKU {:?} already exists", draft.sku.as_str())));
        }
        check_categories(&mut tx, self.tenant, categories).await?;
        let at = now().millis();
        insert(&mut tx, self.tenant, draft, at).await?;
        set_categories(&mut tx, self.tenant, draft.sku.as_str(), categories, false).await?;
        if let Some(q) = quantity {
            set_stock(&mut tx, self.tenant, draft.sku.as_str(), q, at).await?;
        }
        let product = load_one(&mut tx, self.tenant, draft.sku.as_str()).await?;
        tx.commit().await?;
        Ok(product)
    }

    /// Replaces an existing product's content, and its categories and stock where given.
    /// With `create_missing`, a missing SKU is created instead (PUT semantics); the flag in the
    /// answer says whether it was.
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
        let existing = load(&mut tx, self.tenant, &[draft.sku.as_str()]).await?.pop();
        if existing.is_none() && !create_missing {
            return Err(StoreError::NotFound("product"));
        }
        let row = ImportRow { draft: draft.clone(), keep: KeepFields::default(), categories: categories.map(<[String]>::to_vec), quantity };
        apply(&mut tx, self.tenant, &row, existing.as_ref(), now().millis()).await?;
        let product = load_one(&mut tx, self.tenant, draft.sku.as_str()).await?;
        tx.commit().await?;
        Ok((product, existing.is_none()))
    }

    /// The product with this SKU.
    pub async fn get(&self, sku: &Sku) -> Result<Option<Product>> {
        let mut conn = self.store.pool.acquire().await?;
        Ok(load(&mut conn, self.tenant, &[sku.as_str()]).await?.pop())
    }

    /// Deletes a product with its category assignments and stock.
    pub async fn delete(&self, sku: &Sku) -> Result<()> {
        let mut tx = self.store.begin_write().await?;
        for table in ["product_categories", "stock_items", "products"] {
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
        let mut sql = format!("{SELECT} WHERE p.tenant_id = $1");
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
        if let Some(after) = &filter.after_sku {
            let n = param(&mut binds, Bind::Text(after.clone()));
            sql += &format!(" AND p.sku > {n}");
        }
        let limit = param(&mut binds, Bind::Int(i64::from(filter.limit) + 1));
        sql += &format!(" ORDER BY p.sku LIMIT {limit}");

        let mut conn = self.store.pool.acquire().await?;
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for bind in binds {
            query = bind.bind(query);
        }
        let rows = query.fetch_all(&mut *conn).await?;
        let mut items = with_categories(&mut conn, self.tenant, rows).await?;
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
            load(&mut tx, self.tenant, &skus).await?.into_iter().map(|p| (p.draft.sku.as_str().to_owned(), p)).collect();
        let mut outcome = ImportOutcome::default();
        let at = now().millis();
        for row in rows {
            let before = existing.get(row.draft.sku.as_str());
            match apply(&mut tx, self.tenant, row, before, at).await? {
                Applied::Created => outcome.created += 1,
                Applied::Updated => outcome.updated += 1,
                Applied::Unchanged => outcome.unchanged += 1,
            }
            existing.insert(row.draft.sku.as_str().to_owned(), merged(row, before, at));
        }
        tx.commit().await?;
        Ok(outcome)
    }
}

enum Applied {
    Created,
    Updated,
    Unchanged,
}

/// Writes `row` over `before` (the stored state, if any), touching only what differs.
async fn apply(conn: &mut AnyConnection, tenant: &TenantId, row: &ImportRow, before: Option<&Product>, at: i64) -> Result<Applied> {
    let sku = row.draft.sku.as_str();
    let Some(before) = before else {
        insert(conn, tenant, &row.draft, at).await?;
        if let Some(ids) = &row.categories {
            set_categories(conn, tenant, sku, ids, false).await?;
        }
        if let Some(q) = row.quantity {
            set_stock(conn, tenant, sku, q, at).await?;
        }
        return Ok(Applied::Created);
    };
    let draft = row.keep.fill(&row.draft, &before.draft);
    let mut changed = false;
    if draft != before.draft {
        update(conn, tenant, &draft, at).await?;
        changed = true;
    }
    if let Some(ids) = &row.categories {
        if sorted(ids) != before.categories {
            set_categories(conn, tenant, sku, ids, true).await?;
            changed = true;
        }
    }
    if let Some(q) = row.quantity {
        if q.get() != before.quantity {
            set_stock(conn, tenant, sku, q, at).await?;
            changed = true;
        }
    }
    if !changed {
        return Ok(Applied::Unchanged);
    }
    if draft == before.draft {
        touch(conn, tenant, sku, at).await?;
    }
    Ok(Applied::Updated)
}

/// The stored state after `row` was applied over `before`.
fn merged(row: &ImportRow, before: Option<&Product>, at: i64) -> Product {
    Product {
        draft: before.map_or_else(|| row.draft.clone(), |b| row.keep.fill(&row.draft, &b.draft)),
        categories: row.categories.as_deref().map(sorted).or_else(|| before.map(|b| b.categories.clone())).unwrap_or_default(),
        quantity: row.quantity.map(StockQuantity::get).or_else(|| before.map(|b| b.quantity)).unwrap_or(0),
        created_at: before.map_or(Timestamp::from_millis(at), |b| b.created_at),
        updated_at: Timestamp::from_millis(at),
    }
}

fn sorted(ids: &[String]) -> Vec<String> {
    let mut ids = ids.to_vec();
    ids.sort();
    ids.dedup();
    ids
}

fn search_text(draft: &ProductDraft) -> String {
    format!("{} {}", draft.sku.as_str(), draft.name).to_lowercase()
}

fn attributes_json(draft: &ProductDraft) -> String {
    serde_json::to_string(draft.attributes.as_map()).unwrap_or_else(|_| "{}".to_owned())
}

async fn insert(conn: &mut AnyConnection, tenant: &TenantId, draft: &ProductDraft, at: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO products (tenant_id, sku, name, description, price, status, weight, attributes, search_text, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
    )
    .bind(tenant.as_str())
    .bind(draft.sku.as_str())
    .bind(&draft.name)
    .bind(&draft.description)
    .bind(draft.price.units())
    .bind(draft.status.as_str())
    .bind(draft.weight.map(Weight::units))
    .bind(attributes_json(draft))
    .bind(search_text(draft))
    .bind(at)
    .execute(&mut *conn)
    .await
    .map_err(StoreError::on_unique(format!("a product with SKU {:?} already exists", draft.sku.as_str())))?;
    Ok(())
}

async fn update(conn: &mut AnyConnection, tenant: &TenantId, draft: &ProductDraft, at: i64) -> Result<()> {
    sqlx::query(
        "UPDATE products SET name = $3, description = $4, price = $5, status = $6, weight = $7, attributes = $8,
             search_text = $9, updated_at = $10
         WHERE tenant_id = $1 AND sku = $2",
    )
    .bind(tenant.as_str())
    .bind(draft.sku.as_str())
    .bind(&draft.name)
    .bind(&draft.description)
    .bind(draft.price.units())
    .bind(draft.status.as_str())
    .bind(draft.weight.map(Weight::units))
    .bind(attributes_json(draft))
    .bind(search_text(draft))
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

async fn touch(conn: &mut AnyConnection, tenant: &TenantId, sku: &str, at: i64) -> Result<()> {
    sqlx::query("UPDATE products SET updated_at = $3 WHERE tenant_id = $1 AND sku = $2")
        .bind(tenant.as_str())
        .bind(sku)
        .bind(at)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

async fn set_categories(conn: &mut AnyConnection, tenant: &TenantId, sku: &str, ids: &[String], replace: bool) -> Result<()> {
    if replace {
        sqlx::query("DELETE FROM product_categories WHERE tenant_id = $1 AND sku = $2")
            .bind(tenant.as_str())
            .bind(sku)
            .execute(&mut *conn)
            .await?;
    }
    for id in sorted(ids) {
        sqlx::query("INSERT INTO product_categories (tenant_id, sku, category_id) VALUES ($1, $2, $3)")
            .bind(tenant.as_str())
            .bind(sku)
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Sets the stock on hand for a SKU that exists.
pub(crate) async fn set_stock(conn: &mut AnyConnection, tenant: &TenantId, sku: &str, quantity: StockQuantity, at: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO stock_items (tenant_id, sku, quantity, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant_id, sku) DO UPDATE SET quantity = excluded.quantity, updated_at = excluded.updated_at",
    )
    .bind(tenant.as_str())
    .bind(sku)
    .bind(quantity.get())
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Refuses category ids that do not exist in this tenant, naming them.
async fn check_categories(conn: &mut AnyConnection, tenant: &TenantId, ids: &[impl AsRef<str>]) -> Result<()> {
    for chunk in ids.chunks(500) {
        let sql = format!("SELECT id FROM categories WHERE tenant_id = $1 AND id IN ({})", placeholders(2, chunk.len()));
        let mut query = sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql)).bind(tenant.as_str());
        for id in chunk {
            query = query.bind(id.as_ref());
        }
        let found: std::collections::HashSet<String> = query.fetch_all(&mut *conn).await?.into_iter().collect();
        let missing: Vec<&str> = chunk.iter().map(AsRef::as_ref).filter(|id| !found.contains(*id)).collect();
        if !missing.is_empty() {
            return Err(StoreError::Refused("unknown_category", format!("unknown categories: {}", missing.join(", "))));
        }
    }
    Ok(())
}

async fn load_one(conn: &mut AnyConnection, tenant: &TenantId, sku: &str) -> Result<Product> {
    load(conn, tenant, &[sku]).await?.pop().ok_or(StoreError::NotFound("product"))
}

/// Loads the products with these SKUs (missing ones are absent from the answer).
async fn load(conn: &mut AnyConnection, tenant: &TenantId, skus: &[&str]) -> Result<Vec<Product>> {
    let mut rows = Vec::with_capacity(skus.len());
    for chunk in skus.chunks(500) {
        let sql = format!("{SELECT} WHERE p.tenant_id = $1 AND p.sku IN ({})", placeholders(2, chunk.len()));
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(tenant.as_str());
        for sku in chunk {
            query = query.bind(*sku);
        }
        rows.extend(query.fetch_all(&mut *conn).await?);
    }
    with_categories(conn, tenant, rows).await
}

async fn with_categories(conn: &mut AnyConnection, tenant: &TenantId, rows: Vec<AnyRow>) -> Result<Vec<Product>> {
    let mut products = rows.iter().map(product_from_row).collect::<Result<Vec<_>>>()?;
    let mut by_sku: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let skus: Vec<String> = products.iter().map(|p| p.draft.sku.as_str().to_owned()).collect();
    for chunk in skus.chunks(500) {
        let sql = format!(
            "SELECT sku, category_id FROM product_categories WHERE tenant_id = $1 AND sku IN ({}) ORDER BY sku, category_id",
            placeholders(2, chunk.len())
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(tenant.as_str());
        for sku in chunk {
            query = query.bind(sku.as_str());
        }
        for row in query.fetch_all(&mut *conn).await? {
            by_sku.entry(row.try_get("sku")?).or_default().push(row.try_get("category_id")?);
        }
    }
    for product in &mut products {
        product.categories = by_sku.remove(product.draft.sku.as_str()).unwrap_or_default();
    }
    Ok(products)
}

fn product_from_row(row: &AnyRow) -> Result<Product> {
    let sku: String = row.try_get("sku")?;
    let status: String = row.try_get("status")?;
    let attributes: String = row.try_get("attributes")?;
    let attributes: BTreeMap<String, String> = serde_json::from_str(&attributes).map_err(|e| StoreError::corrupt("product attributes", e))?;
    Ok(Product {
        draft: ProductDraft {
            sku: Sku::parse(&sku).map_err(|e| StoreError::corrupt("product sku", e))?,
            name: row.try_get("name")?,
            description: row.try_get("description")?,
            price: Price::from_units(row.try_get("price")?).map_err(|e| StoreError::corrupt("product price", e))?,
            status: ProductStatus::parse(&status).map_err(|e| StoreError::corrupt("product status", e))?,
            weight: row.try_get::<Option<i64>, _>("weight")?.map(Weight::from_units).transpose().map_err(|e| StoreError::corrupt("product weight", e))?,
            attributes: Attributes::parse(attributes).map_err(|e| StoreError::corrupt("product attributes", e))?,
        },
        categories: Vec::new(),
        quantity: row.try_get("quantity")?,
        created_at: Timestamp::from_millis(row.try_get("created_at")?),
        updated_at: Timestamp::from_millis(row.try_get("updated_at")?),
    })
}

/// Escapes `%`, `_` and `\` for a `LIKE ... ESCAPE '\'` pattern.
fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
