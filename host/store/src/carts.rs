//! Carts: one per buyer per company, kept until ordered or emptied. Lines are by SKU; adding a
//! SKU already in the cart adds to its quantity. Every change checks the resulting quantity
//! inside the write transaction, so two concurrent adds cannot together pass a limit that each
//! alone respects.

use hanse_domain::time::Timestamp;

use crate::ids::now;
use crate::rows::fetch;
use crate::sql::{Bind, values_rows};
use crate::tenants::TenantId;
use crate::{Result, Store, StoreError};

/// One cart line as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CartItem {
    /// The product (it may since have been hidden, disabled or deleted).
    pub sku: String,
    /// Units.
    pub quantity: i64,
    /// When the SKU was first added.
    pub added_at: Timestamp,
}

/// The cart of one buyer in one company.
pub struct Cart<'a> {
    store: &'a Store,
    tenant: &'a TenantId,
    buyer: &'a str,
    company: &'a str,
}

impl Store {
    /// The cart of `buyer` acting for `company`.
    pub fn cart<'a>(&'a self, tenant: &'a TenantId, buyer: &'a str, company: &'a str) -> Cart<'a> {
        Cart { store: self, tenant, buyer, company }
    }
}

impl Cart<'_> {
    /// The cart's key, for `$1` (tenant), `$2` (buyer) and `$3` (company).
    fn key(&self) -> Vec<Bind> {
        vec![Bind::Text(self.tenant.as_str().to_owned()), Bind::Text(self.buyer.to_owned()), Bind::Text(self.company.to_owned())]
    }

    /// The lines, in the order they were first added.
    pub async fn items(&self) -> Result<Vec<CartItem>> {
        let mut conn = self.store.pool.acquire().await?;
        let rest = "FROM cart_items WHERE tenant_id = $1 AND buyer_id = $2 AND company_id = $3";
        let rows: Vec<(String, i64, i64)> = fetch(&mut conn, "sku, quantity, added_at", rest, Some("added_at, sku"), self.key(), "cart lines").await?;
        Ok(rows.into_iter().map(|(sku, quantity, added_at)| CartItem { sku, quantity, added_at: Timestamp::from_millis(added_at) }).collect())
    }

    /// Adds lines in order, in one transaction. For each, `check(sku, quantity in the cart
    /// afterwards)` decides; accepted lines are written, refused ones are not. Answers each
    /// line's decision in order. A SKU given twice counts its first addition for the second.
    pub async fn add<E>(&self, lines: &[(String, i64)], mut check: impl FnMut(&str, i64) -> Result<(), E>) -> Result<Vec<Result<i64, E>>> {
        let mut tx = self.store.begin_write().await?;
        let rest = "FROM cart_items WHERE tenant_id = $1 AND buyer_id = $2 AND company_id = $3";
        let rows: Vec<(String, i64)> = fetch(&mut tx, "sku, quantity", rest, None, self.key(), "cart lines").await?;
        let mut in_cart: std::collections::HashMap<String, i64> = rows.into_iter().collect();
        let mut outcomes = Vec::with_capacity(lines.len());
        let mut touched: Vec<&str> = Vec::new();
        for (sku, quantity) in lines {
            let total = in_cart.get(sku).copied().unwrap_or(0).saturating_add(*quantity);
            match check(sku, total) {
                Ok(()) => {
                    if !touched.contains(&sku.as_str()) {
                        touched.push(sku);
                    }
                    in_cart.insert(sku.clone(), total);
                    outcomes.push(Ok(total));
                }
                Err(e) => outcomes.push(Err(e)),
            }
        }
        let at = now().millis();
        let rows: Vec<(usize, &str)> = touched.iter().copied().enumerate().collect();
        for chunk in rows.chunks(100) {
            let sql = format!(
                "INSERT INTO cart_items (tenant_id, buyer_id, company_id, sku, quantity, added_at, updated_at) VALUES {}
                 ON CONFLICT (tenant_id, buyer_id, company_id, sku) DO UPDATE SET quantity = excluded.quantity, updated_at = excluded.updated_at",
                values_rows(chunk.len(), 7)
            );
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).persistent(false);
            for (i, sku) in chunk {
                // `added_at` plus the position keeps the input order among lines added together.
                let quantity = in_cart.get(*sku).copied().unwrap_or(0);
                query = query.bind(self.tenant.as_str()).bind(self.buyer).bind(self.company).bind(*sku).bind(quantity).bind(at + *i as i64).bind(at);
            }
            query.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(outcomes)
    }

    /// Sets a line's quantity after `check` accepts it; `not found` when the SKU is not in the
    /// cart.
    pub async fn set<E>(&self, sku: &str, quantity: i64, check: impl FnOnce(i64) -> Result<(), E>) -> Result<Result<(), E>> {
        let mut tx = self.store.begin_write().await?;
        let exists: Option<i64> = sqlx::query_scalar("SELECT quantity FROM cart_items WHERE tenant_id = $1 AND buyer_id = $2 AND company_id = $3 AND sku = $4")
            .bind(self.tenant.as_str())
            .bind(self.buyer)
            .bind(self.company)
            .bind(sku)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            return Err(StoreError::NotFound("cart line"));
        }
        if let Err(e) = check(quantity) {
            return Ok(Err(e));
        }
        sqlx::query("UPDATE cart_items SET quantity = $5, updated_at = $6 WHERE tenant_id = $1 AND buyer_id = $2 AND company_id = $3 AND sku = $4")
            .bind(self.tenant.as_str())
            .bind(self.buyer)
            .bind(self.company)
            .bind(sku)
            .bind(quantity)
            .bind(now().millis())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// Removes a line; `not found` when it is not there.
    pub async fn remove(&self, sku: &str) -> Result<()> {
        let done = sqlx::query("DELETE FROM cart_items WHERE tenant_id = $1 AND buyer_id = $2 AND company_id = $3 AND sku = $4")
            .bind(self.tenant.as_str())
            .bind(self.buyer)
            .bind(self.company)
            .bind(sku)
            .execute(self.store.writes())
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("cart line"));
        }
        Ok(())
    }

    /// Empties the cart; answers how many lines went.
    pub async fn clear(&self) -> Result<u64> {
        let done = sqlx::query("DELETE FROM cart_items WHERE tenant_id = $1 AND buyer_id = $2 AND company_id = $3")
            .bind(self.tenant.as_str())
            .bind(self.buyer)
            .bind(self.company)
            .execute(self.store.writes())
            .await?;
        Ok(done.rows_affected())
    }
}
