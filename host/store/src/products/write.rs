//! Writing products: a plain insert for creation, and a batch writer for everything that
//! replaces (PUT, PATCH, imports) which plans the changes in memory and writes them with a few
//! multi-row statements, so a 1,000-row batch costs a handful of round trips, not thousands.

use std::collections::{BTreeSet, HashMap};

use hanse_domain::inventory::source::DEFAULT_SOURCE;
use hanse_domain::money::Weight;
use hanse_domain::product::{ProductDraft, StockQuantity};
use hanse_domain::time::Timestamp;
use sqlx::AnyConnection;

use super::{ImportOutcome, ImportRow, Product};
use crate::stock::{self, items, multiple_sources};
use crate::sql::{Bind, placeholders, values_rows};
use crate::tenants::TenantId;
use crate::{Result, StoreError};

/// Rows per multi-row statement. Far below both backends' parameter limits on purpose: binding
/// cost per parameter grows with the statement's parameter count on SQLite, so 100 rows per
/// statement imported 24,000 products in 1.3 s where 500 took 3.5 s (BENCHMARKS.md).
const ROWS_PER_STATEMENT: usize = 100;

/// What applying one row did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Applied {
    Created,
    Updated,
    Unchanged,
    /// Nothing written: the row sets the quantity of a SKU that a source other than `default`
    /// holds, so it would not say which warehouse holds what (`multiple_sources`).
    MultipleSources,
}

/// Inserts a new product (a unique violation is a conflict, never an overwrite).
pub(super) async fn insert(conn: &mut AnyConnection, tenant: &TenantId, draft: &ProductDraft, at: i64) -> Result<()> {
    let mut query = sqlx::query(
        "INSERT INTO products (tenant_id, sku, name, description, price, status, weight, attributes, search_text, created_at, updated_at,
             min_sale_qty, max_sale_qty, qty_increment)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    );
    for bind in product_binds(tenant, draft, at, at) {
        query = bind.bind(query);
    }
    query
        .execute(&mut *conn)
        .await
        .map_err(StoreError::on_unique(format!("a product with SKU {:?} already exists", draft.sku.as_str())))?;
    Ok(())
}

/// Applies `rows` over the stored products `existing` (keyed by SKU; updated in place to the
/// state after the rows) and reports what each row did, in order. Rows are applied in order, so
/// a SKU given twice ends as its last row says. Only what differs is written; a row identical to
/// the stored product writes nothing and keeps its `updated_at`. A quantity is what the
/// `default` source holds, and so the stock on hand: a row changing the quantity of a SKU that
/// another source holds is refused whole.
pub(super) async fn apply_rows(
    conn: &mut AnyConnection,
    tenant: &TenantId,
    rows: &[ImportRow],
    existing: &mut HashMap<String, Product>,
    at: i64,
) -> Result<Vec<Applied>> {
    let mut outcomes = Vec::with_capacity(rows.len());
    let stored_before: BTreeSet<String> = existing.keys().cloned().collect();
    let mut changed = BTreeSet::new();
    let mut categories_changed = BTreeSet::new();
    let mut stock_changed = BTreeSet::new();
    let restocked: Vec<&str> = rows
        .iter()
        .filter(|r| r.quantity.is_some_and(|q| existing.get(r.draft.sku.as_str()).is_some_and(|p| p.quantity != q.get())))
        .map(|r| r.draft.sku.as_str())
        .collect();
    // Their product and stock rows are locked before asking which other sources hold them, as
    // every writer of what sources hold does: none can add units elsewhere before this
    // transaction ends, not even to a SKU without a stock row yet.
    stock::lock_with_products(conn, tenant, &restocked).await?;
    let split = items::held_elsewhere(conn, tenant, &restocked).await?;
    for row in rows {
        let sku = row.draft.sku.as_str().to_owned();
        if row.quantity.is_some() && split.contains(&sku) {
            outcomes.push(Applied::MultipleSources);
            continue;
        }
        let before = existing.get(&sku);
        let after = merged(row, before, at);
        let outcome = match before {
            None => {
                if row.categories.as_ref().is_some_and(|c| !c.is_empty()) {
                    categories_changed.insert(sku.clone());
                }
                if row.quantity.is_some() {
                    stock_changed.insert(sku.clone());
                }
                Applied::Created
            }
            Some(before) => {
                let categories_differ = after.categories != before.categories;
                let stock_differs = after.quantity != before.quantity;
                if categories_differ {
                    categories_changed.insert(sku.clone());
                }
                if stock_differs {
                    stock_changed.insert(sku.clone());
                }
                if after.draft != before.draft || categories_differ || stock_differs {
                    Applied::Updated
                } else {
                    Applied::Unchanged
                }
            }
        };
        if outcome != Applied::Unchanged {
            changed.insert(sku.clone());
            existing.insert(sku, after);
        }
        outcomes.push(outcome);
    }
    let products: Vec<&Product> = changed.iter().filter_map(|s| existing.get(s)).collect();
    upsert_products(conn, tenant, &products).await?;
    let created: Vec<&str> = changed.iter().filter(|s| !stored_before.contains(*s)).map(String::as_str).collect();
    add_to_public_catalog(conn, tenant, &created).await?;
    let products: Vec<&Product> = categories_changed.iter().filter_map(|s| existing.get(s)).collect();
    let had_rows: Vec<&str> = categories_changed.iter().filter(|s| stored_before.contains(*s)).map(String::as_str).collect();
    replace_categories(conn, tenant, &products, &had_rows).await?;
    let products: Vec<&Product> = stock_changed.iter().filter_map(|s| existing.get(s)).collect();
    // As a stock change by hand: a SKU back in stock tells its subscribers, one falling to its
    // low-stock level says so.
    let quantities: Vec<(&str, i64)> = products.iter().map(|p| (p.draft.sku.as_str(), p.quantity)).collect();
    let moves = stock::restocked(conn, tenant, &quantities).await?;
    upsert_stock(conn, tenant, &products, at).await?;
    stock::announce(conn, tenant, &moves).await?;
    Ok(outcomes)
}

/// Counts outcomes.
/// Counts the outcomes of `rows`, and says why each refused row was.
pub(super) fn tally(rows: &[ImportRow], outcomes: &[Applied]) -> ImportOutcome {
    let mut tally = ImportOutcome::default();
    for (position, (row, outcome)) in rows.iter().zip(outcomes).enumerate() {
        match outcome {
            Applied::Created => tally.created += 1,
            Applied::Updated => tally.updated += 1,
            Applied::Unchanged => tally.unchanged += 1,
            Applied::MultipleSources => tally.refused.push((position, multiple_sources(row.draft.sku.as_str()))),
        }
    }
    tally
}

/// The stored state after `row` was applied over `before`.
fn merged(row: &ImportRow, before: Option<&Product>, at: i64) -> Product {
    Product {
        draft: before.map_or_else(|| row.draft.clone(), |b| row.keep.fill(&row.draft, &b.draft)),
        categories: row
            .categories
            .as_deref()
            .map(sorted)
            .or_else(|| before.map(|b| b.categories.clone()))
            .unwrap_or_default(),
        quantity: row.quantity.map(StockQuantity::get).or_else(|| before.map(|b| b.quantity)).unwrap_or(0),
        stock_tracked: row.quantity.is_some() || before.is_some_and(|b| b.stock_tracked),
        // Not read by the writer: the stock settings and reservations are not the import's.
        stock: before.and_then(|b| b.stock),
        created_at: before.map_or(Timestamp::from_millis(at), |b| b.created_at),
        updated_at: Timestamp::from_millis(at),
    }
}

/// Category ids sorted and without repeats, as stored.
pub(super) fn sorted(ids: &[String]) -> Vec<String> {
    let mut ids = ids.to_vec();
    ids.sort();
    ids.dedup();
    ids
}

fn product_binds(tenant: &TenantId, draft: &ProductDraft, created_at: i64, updated_at: i64) -> [Bind; 14] {
    [
        Bind::Text(tenant.as_str().to_owned()),
        Bind::Text(draft.sku.as_str().to_owned()),
        Bind::Text(draft.name.clone()),
        Bind::Text(draft.description.clone()),
        Bind::Int(draft.price.units()),
        Bind::Text(draft.status.as_str().to_owned()),
        Bind::OptInt(draft.weight.map(Weight::units)),
        Bind::Text(serde_json::to_string(draft.attributes.as_map()).unwrap_or_else(|_| "{}".to_owned())),
        // Lower-cased here, not in SQL, so search matches the same way on both backends.
        Bind::Text(format!("{} {}", draft.sku.as_str(), draft.name).to_lowercase()),
        Bind::Int(created_at),
        Bind::Int(updated_at),
        Bind::Int(draft.sale.min),
        Bind::OptInt(draft.sale.max),
        Bind::Int(draft.sale.increment),
    ]
}

async fn upsert_products(conn: &mut AnyConnection, tenant: &TenantId, products: &[&Product]) -> Result<()> {
    for chunk in products.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO products (tenant_id, sku, name, description, price, status, weight, attributes, search_text, created_at, updated_at,
                 min_sale_qty, max_sale_qty, qty_increment)
             VALUES {}
             ON CONFLICT (tenant_id, sku) DO UPDATE SET name = excluded.name, description = excluded.description,
                 price = excluded.price, status = excluded.status, weight = excluded.weight,
                 attributes = excluded.attributes, search_text = excluded.search_text, updated_at = excluded.updated_at,
                 min_sale_qty = excluded.min_sale_qty, max_sale_qty = excluded.max_sale_qty, qty_increment = excluded.qty_increment",
            values_rows(chunk.len(), 14)
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for p in chunk {
            for bind in product_binds(tenant, &p.draft, p.created_at.millis(), p.updated_at.millis()) {
                query = bind.bind(query);
            }
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Replaces the category assignments of `products`; `stored_skus` are those among them that
/// existed before (only they can have assignments to delete).
async fn replace_categories(conn: &mut AnyConnection, tenant: &TenantId, products: &[&Product], stored_skus: &[&str]) -> Result<()> {
    for chunk in stored_skus.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "DELETE FROM product_categories WHERE tenant_id = $1 AND sku IN ({})",
            placeholders(2, chunk.len())
        );
        // Not prepared: a plan cached while the table was small would scan it whole later.
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).persistent(false).bind(tenant.as_str());
        for sku in chunk {
            query = query.bind(*sku);
        }
        query.execute(&mut *conn).await?;
    }
    let pairs: Vec<(&str, &str)> = products
        .iter()
        .flat_map(|p| p.categories.iter().map(move |c| (p.draft.sku.as_str(), c.as_str())))
        .collect();
    for chunk in pairs.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO product_categories (tenant_id, sku, category_id) VALUES {}",
            values_rows(chunk.len(), 3)
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (sku, category) in chunk {
            query = query.bind(tenant.as_str()).bind(*sku).bind(*category);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Writes the stock on hand of `products`, and what the `default` source holds, which is the
/// same: no other source holds them.
async fn upsert_stock(conn: &mut AnyConnection, tenant: &TenantId, products: &[&Product], at: i64) -> Result<()> {
    for chunk in products.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO stock_items (tenant_id, sku, quantity, updated_at) VALUES {}
             ON CONFLICT (tenant_id, sku) DO UPDATE SET quantity = excluded.quantity, updated_at = excluded.updated_at",
            values_rows(chunk.len(), 4)
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for p in chunk {
            query = query.bind(tenant.as_str()).bind(p.draft.sku.as_str()).bind(p.quantity).bind(at);
        }
        query.execute(&mut *conn).await?;
    }
    let held: Vec<(&str, &str, i64)> = products.iter().map(|p| (p.draft.sku.as_str(), DEFAULT_SOURCE, p.quantity)).collect();
    items::write(conn, tenant, &held).await
}

/// Shows new products in the public catalog, as Magento does; the merchant narrows it later.
pub(super) async fn add_to_public_catalog(conn: &mut AnyConnection, tenant: &TenantId, skus: &[&str]) -> Result<()> {
    for chunk in skus.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO shared_catalog_products (tenant_id, catalog_id, sku, purchasable) VALUES {} ON CONFLICT DO NOTHING",
            values_rows(chunk.len(), 4)
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for sku in chunk {
            query = query.bind(tenant.as_str()).bind(crate::PUBLIC_CATALOG).bind(*sku).bind(1_i64);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Refuses category ids that do not exist in this tenant, naming them.
pub(crate) async fn check_categories(conn: &mut AnyConnection, tenant: &TenantId, ids: &[impl AsRef<str>]) -> Result<()> {
    for chunk in ids.chunks(ROWS_PER_STATEMENT) {
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
