//! Stock on hand per SKU: a single quantity for now; reservations and sources build on it.

use hanse_domain::product::{Sku, StockQuantity};

use crate::ids::now;
use crate::products::set_stock;
use crate::tenants::TenantId;
use crate::{Result, Store, StoreError};

/// Stock of one tenant.
pub struct Stock<'a> {
    store: &'a Store,
    tenant: &'a TenantId,
}

impl Store {
    /// Stock of `tenant`.
    pub fn stock<'a>(&'a self, tenant: &'a TenantId) -> Stock<'a> {
        Stock { store: self, tenant }
    }
}

impl Stock<'_> {
    /// Stock on hand for a product; 0 when never set.
    pub async fn get(&self, sku: &Sku) -> Result<i64> {
        let quantity: Option<Option<i64>> = sqlx::query_scalar(
            "SELECT s.quantity FROM products p
             LEFT JOIN stock_items s ON s.tenant_id = p.tenant_id AND s.sku = p.sku
             WHERE p.tenant_id = $1 AND p.sku = $2",
        )
        .bind(self.tenant.as_str())
        .bind(sku.as_str())
        .fetch_optional(&self.store.pool)
        .await?;
        quantity.map(|q| q.unwrap_or(0)).ok_or(StoreError::NotFound("product"))
    }

    /// Sets stock on hand for an existing product; the product's `updated_at` moves too.
    pub async fn set(&self, sku: &Sku, quantity: StockQuantity) -> Result<()> {
        let mut tx = self.store.begin_write().await?;
        let at = now().millis();
        let done = sqlx::query("UPDATE products SET updated_at = $3 WHERE tenant_id = $1 AND sku = $2")
            .bind(self.tenant.as_str())
            .bind(sku.as_str())
            .bind(at)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("product"));
        }
        set_stock(&mut tx, self.tenant, sku.as_str(), quantity, at).await?;
        tx.commit().await?;
        Ok(())
    }
}
