//! Reading products back: rows, their categories and stock, decoded into domain types.

use std::collections::BTreeMap;

use hanse_domain::inventory::{Backorders, StockLevel};
use hanse_domain::money::{Price, Weight};
use hanse_domain::ordering::SaleQuantity;
use hanse_domain::product::{Attributes, ProductDraft, ProductStatus, Sku};
use hanse_domain::time::Timestamp;
use serde::Deserialize;
use sqlx::AnyConnection;

use super::Product;
use crate::rows::{Dialect, Plan, fetch, fetch_planned, key_set};
use crate::sql::Bind;
use crate::tenants::TenantId;
use crate::{Result, StoreError};

/// The product columns with stock, in [`ProductRow`]'s order.
pub(super) const COLUMNS: &str = "p.sku, p.name, p.description, p.price, p.status, p.weight, p.attributes,
        p.min_sale_qty, p.max_sale_qty, p.qty_increment, p.created_at, p.updated_at,
        COALESCE(s.quantity, 0), CASE WHEN s.sku IS NULL THEN 0 ELSE 1 END,
        COALESCE(s.reserved, 0), COALESCE(s.min_qty, 0), COALESCE(s.backorders, 'no')";

/// Products `p` with their stock `s`.
pub(super) const FROM: &str = "FROM products p LEFT JOIN stock_items s ON s.tenant_id = p.tenant_id AND s.sku = p.sku";

/// One product row as [`COLUMNS`] reads it.
#[derive(Deserialize)]
pub(super) struct ProductRow {
    sku: String,
    name: String,
    description: String,
    price: i64,
    status: String,
    weight: Option<i64>,
    attributes: String,
    min_sale_qty: i64,
    max_sale_qty: Option<i64>,
    qty_increment: i64,
    created_at: i64,
    updated_at: i64,
    quantity: i64,
    tracked: i64,
    reserved: i64,
    threshold: i64,
    backorders: String,
}

pub(super) async fn load_one(conn: &mut AnyConnection, tenant: &TenantId, sku: &str) -> Result<Product> {
    load(conn, tenant, &[sku], Plan::Kept).await?.pop().ok_or(StoreError::NotFound("product"))
}

/// Loads the products with these SKUs (missing ones are absent from the answer). An import,
/// which fills the tables it reads, asks for a [`Plan::Fresh`].
pub(super) async fn load(conn: &mut AnyConnection, tenant: &TenantId, skus: &[&str], plan: Plan) -> Result<Vec<Product>> {
    let products = load_bare(conn, tenant, skus, plan).await?;
    with_categories(conn, tenant, products, plan).await
}

/// Like [`load`], without the category assignments (left empty): for ordering and pricing,
/// which never read them.
pub(super) async fn load_bare(conn: &mut AnyConnection, tenant: &TenantId, skus: &[&str], plan: Plan) -> Result<Vec<Product>> {
    if skus.is_empty() {
        return Ok(Vec::new());
    }
    let rest = format!("{FROM} WHERE p.tenant_id = $1 AND {}", Dialect::of(conn).in_set("p.sku", 2));
    let binds = vec![Bind::Text(tenant.as_str().to_owned()), Bind::Text(key_set(skus))];
    let rows: Vec<ProductRow> = fetch_planned(conn, plan, COLUMNS, &rest, None, binds, "products").await?;
    rows.into_iter().map(product_from_row).collect()
}

/// Fills in the category assignments of `products`.
pub(super) async fn with_categories(conn: &mut AnyConnection, tenant: &TenantId, mut products: Vec<Product>, plan: Plan) -> Result<Vec<Product>> {
    if products.is_empty() {
        return Ok(products);
    }
    let skus: Vec<&str> = products.iter().map(|p| p.draft.sku.as_str()).collect();
    let rest = format!("FROM product_categories WHERE tenant_id = $1 AND {}", Dialect::of(conn).in_set("sku", 2));
    let binds = vec![Bind::Text(tenant.as_str().to_owned()), Bind::Text(key_set(&skus))];
    let rows: Vec<(String, String)> = fetch_planned(conn, plan, "sku, category_id", &rest, Some("sku, category_id"), binds, "product categories").await?;
    let mut by_sku: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (sku, category) in rows {
        by_sku.entry(sku).or_default().push(category);
    }
    for product in &mut products {
        product.categories = by_sku.remove(product.draft.sku.as_str()).unwrap_or_default();
    }
    Ok(products)
}

fn product_from_row(row: ProductRow) -> Result<Product> {
    let attributes: BTreeMap<String, String> = serde_json::from_str(&row.attributes).map_err(|e| StoreError::corrupt("product attributes", e))?;
    Ok(Product {
        draft: ProductDraft {
            sku: Sku::parse(&row.sku).map_err(|e| StoreError::corrupt("product sku", e))?,
            name: row.name,
            description: row.description,
            price: Price::from_units(row.price).map_err(|e| StoreError::corrupt("product price", e))?,
            status: ProductStatus::parse(&row.status).map_err(|e| StoreError::corrupt("product status", e))?,
            weight: row.weight.map(Weight::from_units).transpose().map_err(|e| StoreError::corrupt("product weight", e))?,
            attributes: Attributes::parse(attributes).map_err(|e| StoreError::corrupt("product attributes", e))?,
            sale: SaleQuantity::new(Some(row.min_sale_qty), row.max_sale_qty, Some(row.qty_increment)).map_err(|(field, e)| StoreError::corrupt(field, e))?,
        },
        categories: Vec::new(),
        quantity: row.quantity,
        stock_tracked: row.tracked == 1,
        stock: match row.tracked {
            1 => Some(StockLevel {
                on_hand: row.quantity,
                reserved: row.reserved,
                threshold: row.threshold,
                backorders: Backorders::parse(&row.backorders).map_err(|e| StoreError::corrupt("stock backorders", e))?,
            }),
            _ => None,
        },
        created_at: Timestamp::from_millis(row.created_at),
        updated_at: Timestamp::from_millis(row.updated_at),
    })
}

/// Reads `rest` (which selects from [`FROM`]) into products, in `order_by`'s order.
pub(super) async fn load_where(conn: &mut AnyConnection, rest: &str, order_by: &str, binds: Vec<Bind>) -> Result<Vec<Product>> {
    let rows: Vec<ProductRow> = fetch(conn, COLUMNS, rest, Some(order_by), binds, "products").await?;
    rows.into_iter().map(product_from_row).collect()
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
