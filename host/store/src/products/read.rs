//! Reading products back: rows, their categories and stock, decoded into domain types.

use std::collections::BTreeMap;

use hanse_domain::money::{Price, Weight};
use hanse_domain::ordering::SaleQuantity;
use hanse_domain::product::{Attributes, ProductDraft, ProductStatus, Sku};
use hanse_domain::time::Timestamp;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::Product;
use crate::sql::placeholders;
use crate::tenants::TenantId;
use crate::{Result, StoreError};

/// The product columns with stock, from `products p` joined to `stock_items s`.
pub(super) const SELECT: &str = "SELECT p.sku, p.name, p.description, p.price, p.status, p.weight, p.attributes,
        p.min_sale_qty, p.max_sale_qty, p.qty_increment,
        p.created_at, p.updated_at, COALESCE(s.quantity, 0) AS quantity, CASE WHEN s.sku IS NULL THEN 0 ELSE 1 END AS tracked
    FROM products p LEFT JOIN stock_items s ON s.tenant_id = p.tenant_id AND s.sku = p.sku";

pub(super) async fn load_one(conn: &mut AnyConnection, tenant: &TenantId, sku: &str) -> Result<Product> {
    load(conn, tenant, &[sku]).await?.pop().ok_or(StoreError::NotFound("product"))
}

/// Loads the products with these SKUs (missing ones are absent from the answer).
///
/// Multi-key loads are not kept as prepared statements: PostgreSQL would reuse a plan made while
/// a bulk import had only just begun filling the tables (sequential scans over "small" tables),
/// and every later batch would pay a full scan. Planned afresh, they use the primary key.
pub(super) async fn load(conn: &mut AnyConnection, tenant: &TenantId, skus: &[&str]) -> Result<Vec<Product>> {
    let rows = load_rows(conn, tenant, skus).await?;
    with_categories(conn, tenant, rows).await
}

/// Like [`load`], without the category assignments (left empty): for ordering and pricing,
/// which never read them.
pub(super) async fn load_bare(conn: &mut AnyConnection, tenant: &TenantId, skus: &[&str]) -> Result<Vec<Product>> {
    load_rows(conn, tenant, skus).await?.iter().map(product_from_row).collect()
}

async fn load_rows(conn: &mut AnyConnection, tenant: &TenantId, skus: &[&str]) -> Result<Vec<AnyRow>> {
    let mut rows = Vec::with_capacity(skus.len());
    for chunk in skus.chunks(500) {
        let sql = format!("{SELECT} WHERE p.tenant_id = $1 AND p.sku IN ({})", placeholders(2, chunk.len()));
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).persistent(chunk.len() == 1).bind(tenant.as_str());
        for sku in chunk {
            query = query.bind(*sku);
        }
        rows.extend(query.fetch_all(&mut *conn).await?);
    }
    Ok(rows)
}

pub(super) async fn with_categories(conn: &mut AnyConnection, tenant: &TenantId, rows: Vec<AnyRow>) -> Result<Vec<Product>> {
    let mut products = rows.iter().map(product_from_row).collect::<Result<Vec<_>>>()?;
    let mut by_sku: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let skus: Vec<String> = products.iter().map(|p| p.draft.sku.as_str().to_owned()).collect();
    for chunk in skus.chunks(500) {
        let sql = format!(
            "SELECT sku, category_id FROM product_categories WHERE tenant_id = $1 AND sku IN ({}) ORDER BY sku, category_id",
            placeholders(2, chunk.len())
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).persistent(chunk.len() == 1).bind(tenant.as_str());
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
            sale: SaleQuantity::new(Some(row.try_get("min_sale_qty")?), row.try_get("max_sale_qty")?, Some(row.try_get("qty_increment")?))
                .map_err(|(field, e)| StoreError::corrupt(field, e))?,
        },
        categories: Vec::new(),
        quantity: row.try_get("quantity")?,
        stock_tracked: row.try_get::<i64, _>("tracked")? == 1,
        created_at: Timestamp::from_millis(row.try_get("created_at")?),
        updated_at: Timestamp::from_millis(row.try_get("updated_at")?),
    })
}


/// Escapes `%`, `_` and `\` for a `LIKE ... ESCAPE '\'` pattern.
pub(super) fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
