//! Stock per SKU and the append-only reservation ledger (Magento MSI's model).
//!
//! `stock_items.reserved` is the sum of the SKU's reservations, written in the same transaction
//! as each reservation; `salable = quantity + reserved − min_qty`. A reservation reads the rows
//! it changes under their lock ([`Plan::Locked`], in SKU order so concurrent orders never
//! deadlock), decides with [`StockLevel::can_reserve`], and writes the ledger and the sums. Two
//! orders for the last unit can therefore never both get it, on either backend or across
//! replicas. [`Store::inventory_drift`] proves the sums equal their ledger.

use std::collections::BTreeMap;

use hanse_domain::inventory::{Backorders, ReservationReason, StockLevel, came_back_in_stock, check_threshold, fell_to_low_stock};
use hanse_domain::product::{Sku, StockQuantity};
use hanse_domain::time::Timestamp;
use serde::Deserialize;
use serde_json::json;
use sqlx::AnyConnection;

use crate::ids::{new_id, now};
use crate::outbox;
use crate::rows::{Dialect, Plan, fetch, fetch_planned, key_set};
use crate::sql::{Bind, values_rows};
use crate::tenants::TenantId;
use crate::{Result, Store, StoreError};

/// The stock of one SKU.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockRecord {
    /// The product.
    pub sku: String,
    /// On hand, reservations, threshold and backorders; `None` when stock is not managed for
    /// the product (never set): it is then not limited by stock.
    pub level: Option<StockLevel>,
    /// Low-stock level, if any.
    pub notify_qty: Option<i64>,
}

/// A change to a SKU's stock settings; `None` keeps the current value.
#[derive(Debug, Clone, Default)]
pub struct StockUpdate {
    /// Units on hand.
    pub quantity: Option<StockQuantity>,
    /// Out-of-stock threshold.
    pub threshold: Option<i64>,
    /// Backorders.
    pub backorders: Option<Backorders>,
    /// Low-stock level; `Some(None)` clears it.
    pub notify_qty: Option<Option<i64>>,
}

/// What a bulk import did with one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StockRowOutcome {
    /// Written.
    Updated,
    /// Already as stored: nothing written.
    Unchanged,
    /// No such product.
    UnknownSku,
    /// The settings do not fit together (a negative threshold without backorders).
    Invalid(String),
}

/// One entry of the reservation ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reservation {
    /// Id.
    pub id: String,
    /// The product.
    pub sku: String,
    /// Units: negative takes, positive gives back.
    pub quantity: i64,
    /// Why.
    pub reason: ReservationReason,
    /// The order, if any.
    pub order_id: Option<String>,
    /// When.
    pub created_at: Timestamp,
}

/// A line that cannot be reserved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutOfStock {
    /// The product.
    pub sku: String,
    /// Units asked for.
    pub requested: i64,
    /// Units salable at the time.
    pub salable: i64,
}

/// A SKU whose recorded reservations differ from its ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drift {
    /// The tenant.
    pub tenant_id: String,
    /// The product.
    pub sku: String,
    /// `stock_items.reserved`, or 0 when the SKU has no stock row.
    pub recorded: i64,
    /// The sum of the ledger.
    pub ledger: i64,
}

/// A reservation or compensation written for one SKU: the level before and after.
#[derive(Debug, Clone)]
pub(crate) struct Moved {
    pub sku: String,
    pub before: StockLevel,
    pub after: StockLevel,
    pub notify_qty: Option<i64>,
}

/// The columns of [`LevelRow`].
const LEVEL_COLUMNS: &str = "sku, quantity, reserved, min_qty, backorders, notify_qty";

#[derive(Deserialize)]
struct LevelRow {
    sku: String,
    quantity: i64,
    reserved: i64,
    min_qty: i64,
    backorders: String,
    notify_qty: Option<i64>,
}

impl LevelRow {
    fn level(&self) -> Result<StockLevel> {
        Ok(StockLevel {
            on_hand: self.quantity,
            reserved: self.reserved,
            threshold: self.min_qty,
            backorders: Backorders::parse(&self.backorders).map_err(|e| StoreError::corrupt("stock backorders", e))?,
        })
    }
}

/// Reads the stock rows of `skus` that exist; locked until the transaction ends when `plan`
/// says so.
async fn levels(conn: &mut AnyConnection, tenant: &TenantId, skus: &[&str], plan: Plan) -> Result<BTreeMap<String, (StockLevel, Option<i64>)>> {
    if skus.is_empty() {
        return Ok(BTreeMap::new());
    }
    let rest = format!("FROM stock_items WHERE tenant_id = $1 AND {}", Dialect::of(conn).in_set("sku", 2));
    let binds = vec![Bind::Text(tenant.as_str().to_owned()), Bind::Text(key_set(skus))];
    let rows: Vec<LevelRow> = fetch_planned(conn, plan, LEVEL_COLUMNS, &rest, Some("sku"), binds, "stock").await?;
    rows.into_iter().map(|row| Ok((row.sku.clone(), (row.level()?, row.notify_qty)))).collect()
}

/// Takes `lines` (SKU, units; each SKU once) for `order_id`: every line whose product manages
/// stock must be reservable, or nothing is written and the first line that is not is answered.
/// Lines of products that do not manage stock pass untouched.
pub(crate) async fn reserve(
    conn: &mut AnyConnection,
    tenant: &TenantId,
    lines: &[(&str, i64)],
    order_id: &str,
) -> Result<std::result::Result<Vec<Moved>, OutOfStock>> {
    let skus: Vec<&str> = lines.iter().map(|(sku, _)| *sku).collect();
    let found = levels(conn, tenant, &skus, Plan::Locked).await?;
    let mut moves = Vec::with_capacity(found.len());
    for (sku, quantity) in lines {
        let Some((level, notify_qty)) = found.get(*sku) else { continue };
        if !level.can_reserve(*quantity) {
            return Ok(Err(OutOfStock { sku: (*sku).to_owned(), requested: *quantity, salable: level.salable() }));
        }
        let after = StockLevel { reserved: level.reserved - quantity, ..*level };
        moves.push(Moved { sku: (*sku).to_owned(), before: *level, after, notify_qty: *notify_qty });
    }
    write_moves(conn, tenant, &moves, ReservationReason::OrderPlaced, Some(order_id)).await?;
    Ok(Ok(moves))
}

/// What an order gives back of one SKU: units whose reservation ends, and a change of stock on
/// hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Compensation<'a> {
    /// The product.
    pub sku: &'a str,
    /// Units whose reservation is compensated (+qty in the ledger).
    pub release: i64,
    /// Units added to stock on hand: negative when a shipment takes them out, positive when a
    /// refund returns shipped units to stock.
    pub on_hand: i64,
}

/// Writes `lines` of `order_id` with compensating reservations: a cancel or a refund of units
/// not shipped (back to salable), a shipment (the units also leave stock on hand, so the
/// salable quantity does not move) or a refund that returns shipped units to stock on hand.
/// Refused (nothing written) when stock on hand does not hold units to take out. SKUs without
/// a stock row are skipped.
pub(crate) async fn compensate(
    conn: &mut AnyConnection,
    tenant: &TenantId,
    lines: &[Compensation<'_>],
    order_id: &str,
    reason: ReservationReason,
) -> Result<std::result::Result<Vec<Moved>, OutOfStock>> {
    let skus: Vec<&str> = lines.iter().map(|l| l.sku).collect();
    let found = levels(conn, tenant, &skus, Plan::Locked).await?;
    let mut moves = Vec::with_capacity(found.len());
    for line in lines {
        let Some((level, notify_qty)) = found.get(line.sku) else { continue };
        if level.on_hand + line.on_hand < 0 {
            // Units sold on backorder must arrive before they can leave.
            return Ok(Err(OutOfStock { sku: line.sku.to_owned(), requested: -line.on_hand, salable: level.on_hand }));
        }
        let after = StockLevel { reserved: level.reserved + line.release, on_hand: level.on_hand + line.on_hand, ..*level };
        moves.push(Moved { sku: line.sku.to_owned(), before: *level, after, notify_qty: *notify_qty });
    }
    write_moves(conn, tenant, &moves, reason, Some(order_id)).await?;
    Ok(Ok(moves))
}

/// Appends the ledger entries of `moves` and writes the new sums (and stock on hand) in two
/// statements, whatever the number of SKUs. A move of stock on hand alone (shipped units
/// returned by a refund) has no ledger entry: reservations did not change.
async fn write_moves(conn: &mut AnyConnection, tenant: &TenantId, moves: &[Moved], reason: ReservationReason, order_id: Option<&str>) -> Result<()> {
    if moves.is_empty() {
        return Ok(());
    }
    let at = now().millis();
    let entries: Vec<&Moved> = moves.iter().filter(|m| m.after.reserved != m.before.reserved).collect();
    for chunk in entries.chunks(100) {
        let sql = format!(
            "INSERT INTO stock_reservations (tenant_id, id, sku, quantity, reason, order_id, created_at) VALUES {}",
            values_rows(chunk.len(), 7)
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).persistent(chunk.len() <= 10);
        for m in chunk {
            query = query
                .bind(tenant.as_str())
                .bind(new_id("rsv_"))
                .bind(m.sku.as_str())
                .bind(m.after.reserved - m.before.reserved)
                .bind(reason.as_str())
                .bind(order_id)
                .bind(at);
        }
        query.execute(&mut *conn).await?;
    }
    // {"sku": [reserved, on hand], ...}: the new values, set in one statement.
    let values: serde_json::Map<String, serde_json::Value> =
        moves.iter().map(|m| (m.sku.clone(), json!([m.after.reserved, m.after.on_hand]))).collect();
    // The key set ($4) makes the rows to change an index lookup; joined on `v.key` alone both
    // backends scanned every stock row of the tenant (30 ms per order at 20,000 SKUs on SQLite).
    let dialect = Dialect::of(conn);
    let keys = dialect.in_set("stock_items.sku", 4);
    let set = match dialect {
        Dialect::Sqlite => format!(
            "UPDATE stock_items SET reserved = json_extract(v.value, '$[0]'), quantity = json_extract(v.value, '$[1]'), updated_at = $3
             FROM json_each($2) AS v WHERE stock_items.tenant_id = $1 AND {keys} AND stock_items.sku = v.key"
        ),
        Dialect::Postgres => format!(
            "UPDATE stock_items SET reserved = (v.value->>0)::bigint, quantity = (v.value->>1)::bigint, updated_at = $3
             FROM json_each($2::json) AS v WHERE stock_items.tenant_id = $1 AND {keys} AND stock_items.sku = v.key"
        ),
    };
    let skus: Vec<&str> = moves.iter().map(|m| m.sku.as_str()).collect();
    sqlx::query(sqlx::AssertSqlSafe(set))
        .bind(tenant.as_str())
        .bind(serde_json::Value::Object(values).to_string())
        .bind(at)
        .bind(key_set(&skus))
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Writes the events a stock change causes, in the caller's transaction: `stock.low` when a
/// SKU's salable quantity falls to its low-stock level, and the back-in-stock messages of its
/// subscribers (who are then forgotten) when it comes back.
pub(crate) async fn announce(conn: &mut AnyConnection, tenant: &TenantId, moves: &[Moved]) -> Result<()> {
    for m in moves {
        let (before, after) = (m.before.salable(), m.after.salable());
        if fell_to_low_stock(before, after, m.notify_qty) {
            let payload = json!({ "sku": m.sku, "salable_quantity": after, "notify_quantity": m.notify_qty });
            outbox::event(conn, tenant, "stock.low", &payload).await?;
        }
        if came_back_in_stock(before, after) {
            let emails: Vec<String> = sqlx::query_scalar("DELETE FROM stock_alerts WHERE tenant_id = $1 AND sku = $2 RETURNING email")
                .bind(tenant.as_str())
                .bind(m.sku.as_str())
                .fetch_all(&mut *conn)
                .await?;
            for email in emails {
                let payload = json!({ "sku": m.sku, "salable_quantity": after });
                outbox::enqueue(conn, tenant, "stock.back_in_stock", &email, &payload).await?;
            }
        }
    }
    Ok(())
}

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

    /// Every SKU, in every tenant, whose recorded reservations differ from the sum of its
    /// ledger: empty when the books balance.
    pub async fn inventory_drift(&self) -> Result<Vec<Drift>> {
        let mut conn = self.pool.acquire().await?;
        // Grouped in a subquery: on SQLite `fetch` aggregates the outer rows into one value.
        let rest = "FROM (SELECT tenant_id, sku, CAST(SUM(recorded) AS BIGINT) AS recorded, CAST(SUM(ledger) AS BIGINT) AS ledger
                 FROM (SELECT tenant_id, sku, reserved AS recorded, 0 AS ledger FROM stock_items
                       UNION ALL SELECT tenant_id, sku, 0, quantity FROM stock_reservations) t
                 GROUP BY tenant_id, sku HAVING SUM(recorded) <> SUM(ledger)) d";
        let rows: Vec<(String, String, i64, i64)> = fetch(
            &mut conn,
            "tenant_id, sku, recorded, ledger",
            rest,
            Some("tenant_id, sku"),
            Vec::new(),
            "stock drift",
        )
        .await?;
        Ok(rows.into_iter().map(|(tenant_id, sku, recorded, ledger)| Drift { tenant_id, sku, recorded, ledger }).collect())
    }
}

impl Stock<'_> {
    /// The stock of a product (`not found` when there is no such product).
    pub async fn get(&self, sku: &Sku) -> Result<StockRecord> {
        let mut conn = self.store.pool.acquire().await?;
        self.read(&mut conn, sku, Plan::Kept).await
    }

    async fn read(&self, conn: &mut AnyConnection, sku: &Sku, plan: Plan) -> Result<StockRecord> {
        let exists: Option<i64> = sqlx::query_scalar("SELECT 1 FROM products WHERE tenant_id = $1 AND sku = $2")
            .bind(self.tenant.as_str())
            .bind(sku.as_str())
            .fetch_optional(&mut *conn)
            .await?;
        if exists.is_none() {
            return Err(StoreError::NotFound("product"));
        }
        let found = levels(conn, self.tenant, &[sku.as_str()], plan).await?;
        let (level, notify_qty) = found.get(sku.as_str()).map_or((None, None), |(l, n)| (Some(*l), *n));
        Ok(StockRecord { sku: sku.to_string(), level, notify_qty })
    }

    /// Changes a product's stock settings (starting to manage its stock when it was not), and
    /// writes the events the change causes. The product's `updated_at` moves too.
    pub async fn update(&self, sku: &Sku, update: StockUpdate) -> Result<StockRecord> {
        let mut tx = self.store.begin_write().await?;
        let (record, _) = self.apply(&mut tx, sku, &update).await?;
        tx.commit().await?;
        Ok(record)
    }

    /// Applies many changes in one transaction (a bulk import): each row's outcome in order. A
    /// row for an unknown product or with settings that do not fit together is refused alone.
    pub async fn import(&self, rows: &[(Sku, StockUpdate)]) -> Result<Vec<StockRowOutcome>> {
        let mut tx = self.store.begin_write().await?;
        let mut outcomes = Vec::with_capacity(rows.len());
        for (sku, update) in rows {
            outcomes.push(match self.apply(&mut tx, sku, update).await {
                Ok((_, true)) => StockRowOutcome::Updated,
                Ok((_, false)) => StockRowOutcome::Unchanged,
                Err(StoreError::NotFound(_)) => StockRowOutcome::UnknownSku,
                Err(StoreError::Refused(_, message)) => StockRowOutcome::Invalid(message),
                Err(other) => return Err(other),
            });
        }
        tx.commit().await?;
        Ok(outcomes)
    }

    /// One change inside `conn`'s write transaction; whether it changed anything. Refusals
    /// (`not found`, `invalid_stock_settings`) happen before anything is written.
    async fn apply(&self, conn: &mut AnyConnection, sku: &Sku, update: &StockUpdate) -> Result<(StockRecord, bool)> {
        let current = self.read(conn, sku, Plan::Locked).await?;
        let before = current.level.unwrap_or(StockLevel { on_hand: 0, reserved: 0, threshold: 0, backorders: Backorders::No });
        let after = StockLevel {
            on_hand: update.quantity.map_or(before.on_hand, StockQuantity::get),
            reserved: before.reserved,
            threshold: update.threshold.unwrap_or(before.threshold),
            backorders: update.backorders.unwrap_or(before.backorders),
        };
        check_threshold(after.threshold, after.backorders).map_err(|e| StoreError::Refused("invalid_stock_settings", e.to_string()))?;
        let notify_qty = update.notify_qty.unwrap_or(current.notify_qty);
        let record = StockRecord { sku: sku.to_string(), level: Some(after), notify_qty };
        if current.level == Some(after) && current.notify_qty == notify_qty {
            return Ok((record, false));
        }
        let at = now().millis();
        sqlx::query(
            "INSERT INTO stock_items (tenant_id, sku, quantity, min_qty, backorders, notify_qty, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (tenant_id, sku) DO UPDATE SET quantity = excluded.quantity, min_qty = excluded.min_qty,
                 backorders = excluded.backorders, notify_qty = excluded.notify_qty, updated_at = excluded.updated_at",
        )
        .bind(self.tenant.as_str())
        .bind(sku.as_str())
        .bind(after.on_hand)
        .bind(after.threshold)
        .bind(after.backorders.as_str())
        .bind(notify_qty)
        .bind(at)
        .execute(&mut *conn)
        .await?;
        sqlx::query("UPDATE products SET updated_at = $3 WHERE tenant_id = $1 AND sku = $2")
            .bind(self.tenant.as_str())
            .bind(sku.as_str())
            .bind(at)
            .execute(&mut *conn)
            .await?;
        // A product that did not manage stock could be ordered without limit: nobody waits.
        let was = if current.level.is_some() { before } else { after };
        announce(conn, self.tenant, &[Moved { sku: sku.to_string(), before: was, after, notify_qty }]).await?;
        Ok((record, true))
    }

    /// The newest reservations of a SKU, newest first.
    pub async fn reservations(&self, sku: &Sku, limit: i64) -> Result<Vec<Reservation>> {
        let rows: Vec<(String, String, i64, String, Option<String>, i64)> = sqlx::query_as(
            "SELECT id, sku, quantity, reason, order_id, created_at FROM stock_reservations
             WHERE tenant_id = $1 AND sku = $2 ORDER BY id DESC LIMIT $3",
        )
        .bind(self.tenant.as_str())
        .bind(sku.as_str())
        .bind(limit)
        .fetch_all(&self.store.pool)
        .await?;
        rows.into_iter()
            .map(|(id, sku, quantity, reason, order_id, created_at)| {
                Ok(Reservation {
                    id,
                    sku,
                    quantity,
                    reason: ReservationReason::parse(&reason).map_err(|e| StoreError::corrupt("reservation reason", e))?,
                    order_id,
                    created_at: Timestamp::from_millis(created_at),
                })
            })
            .collect()
    }

    /// Asks to be told at `email` when `sku` is salable again (once; asking again is no
    /// change).
    pub async fn subscribe(&self, sku: &Sku, email: &str) -> Result<()> {
        sqlx::query("INSERT INTO stock_alerts (tenant_id, sku, email, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING")
            .bind(self.tenant.as_str())
            .bind(sku.as_str())
            .bind(email)
            .bind(now().millis())
            .execute(&self.store.pool)
            .await?;
        Ok(())
    }
}
