//! What each source holds of a SKU (`source_items`), and the sources as stock sees them.
//!
//! A SKU's `stock_items.quantity` is what its enabled sources hold together. Every writer of a
//! SKU's rows here has locked the SKU's stock row first (in SKU order), and one that may add
//! units to a source other than `default`, or changes a source's `enabled`, has locked that
//! source's row before (in code order): so a source cannot be disabled or deleted between the
//! moment a writer reads it enabled and its commit, on either backend. `default` is never
//! locked: it can be neither disabled nor deleted.

use std::collections::{BTreeMap, HashSet};

use hanse_domain::inventory::source::DEFAULT_SOURCE;
use serde::Deserialize;
use sqlx::AnyConnection;

use crate::Result;
use crate::rows::{Dialect, Plan, fetch, fetch_planned, key_set};
use crate::sql::{Bind, values_rows};
use crate::tenants::TenantId;

/// Rows per multi-row statement.
const ROWS_PER_STATEMENT: usize = 100;

/// A source as stock sees it.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct SourceRow {
    pub code: String,
    pub enabled: i64,
    pub priority: i64,
}

impl SourceRow {
    pub(crate) fn enabled(&self) -> bool {
        self.enabled == 1
    }
}

/// Every source of `tenant`, by priority then code.
pub(crate) async fn sources(conn: &mut AnyConnection, tenant: &TenantId) -> Result<Vec<SourceRow>> {
    let binds = vec![Bind::Text(tenant.as_str().to_owned())];
    fetch(conn, "code, enabled, priority", "FROM inventory_sources WHERE tenant_id = $1", Some("priority, code"), binds, "sources").await
}

/// Locks the sources `codes` (sorted, each once) until the transaction ends; whether each that
/// exists is enabled.
pub(crate) async fn lock_sources(conn: &mut AnyConnection, tenant: &TenantId, codes: &[&str]) -> Result<BTreeMap<String, bool>> {
    if codes.is_empty() {
        return Ok(BTreeMap::new());
    }
    let rest = format!("FROM inventory_sources WHERE tenant_id = $1 AND {}", Dialect::of(conn).in_set("code", 2));
    let binds = vec![Bind::Text(tenant.as_str().to_owned()), Bind::Text(key_set(codes))];
    let rows: Vec<SourceRow> = fetch_planned(conn, Plan::Locked, "code, enabled, priority", &rest, Some("code"), binds, "sources").await?;
    Ok(rows.into_iter().map(|r| (r.code.clone(), r.enabled())).collect())
}

/// What the sources hold of `skus`: SKU → source code → units.
pub(crate) async fn held(conn: &mut AnyConnection, tenant: &TenantId, skus: &[&str]) -> Result<BTreeMap<String, BTreeMap<String, i64>>> {
    let mut held: BTreeMap<String, BTreeMap<String, i64>> = BTreeMap::new();
    if skus.is_empty() {
        return Ok(held);
    }
    let rest = format!("FROM source_items WHERE tenant_id = $1 AND {}", Dialect::of(conn).in_set("sku", 2));
    let binds = vec![Bind::Text(tenant.as_str().to_owned()), Bind::Text(key_set(skus))];
    let rows: Vec<(String, String, i64)> = fetch(conn, "sku, source_code, quantity", &rest, None, binds, "source items").await?;
    for (sku, code, quantity) in rows {
        held.entry(sku).or_default().insert(code, quantity);
    }
    Ok(held)
}

/// What source `code` holds, by SKU (units 0 included).
pub(crate) async fn of_source(conn: &mut AnyConnection, tenant: &TenantId, code: &str) -> Result<Vec<(String, i64)>> {
    let binds = vec![Bind::Text(tenant.as_str().to_owned()), Bind::Text(code.to_owned())];
    fetch(conn, "sku, quantity", "FROM source_items WHERE tenant_id = $1 AND source_code = $2", Some("sku"), binds, "source items").await
}

/// Which of `skus` a source other than `default` holds units of: their stock is split, so "the
/// SKU's quantity" no longer says which warehouse holds it.
pub(crate) async fn held_elsewhere(conn: &mut AnyConnection, tenant: &TenantId, skus: &[&str]) -> Result<HashSet<String>> {
    if skus.is_empty() {
        return Ok(HashSet::new());
    }
    let rest = format!(
        "FROM source_items WHERE tenant_id = $1 AND {} AND source_code <> $3 AND quantity > 0",
        Dialect::of(conn).in_set("sku", 2)
    );
    let binds = vec![Bind::Text(tenant.as_str().to_owned()), Bind::Text(key_set(skus)), Bind::Text(DEFAULT_SOURCE.to_owned())];
    let rows: Vec<(String,)> = fetch(conn, "sku", &rest, None, binds, "source items").await?;
    Ok(rows.into_iter().map(|(sku,)| sku).collect())
}

/// Sets what sources hold: `(sku, source code, units)`, each pair once.
pub(crate) async fn write(conn: &mut AnyConnection, tenant: &TenantId, items: &[(&str, &str, i64)]) -> Result<()> {
    for chunk in items.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO source_items (tenant_id, sku, source_code, quantity) VALUES {}
             ON CONFLICT (tenant_id, source_code, sku) DO UPDATE SET quantity = excluded.quantity",
            values_rows(chunk.len(), 4)
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).persistent(chunk.len() <= 10);
        for (sku, code, quantity) in chunk {
            query = query.bind(tenant.as_str()).bind(*sku).bind(*code).bind(*quantity);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}
