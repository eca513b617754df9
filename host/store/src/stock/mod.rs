//! Stock per SKU and the append-only reservation ledger (Magento MSI's model), and what each
//! source (warehouse) holds of it.
//!
//! `stock_items.reserved` is the sum of the SKU's reservations, written in the same transaction
//! as each reservation; `salable = quantity + reserved − min_qty`. `stock_items.quantity` is
//! what the SKU's enabled sources hold together ([`items`]), written in the same transaction as
//! every change to what a source holds or to a source's `enabled`. A reservation reads the rows
//! it changes under their lock ([`Plan::Locked`], in SKU order so concurrent orders never
//! deadlock), decides with [`StockLevel::can_reserve`], and writes the ledger and the sums. Two
//! orders for the last unit can therefore never both get it, on either backend or across
//! replicas. Reservations stay per SKU, as Magento's do per stock: only shipments and refunds
//! that return units to stock touch sources, through [`compensate`]. [`Store::inventory_drift`]
//! proves the sums equal their ledger and their sources.

pub(crate) mod items;
mod ledger;

pub(crate) use self::ledger::announce;
use self::ledger::{write_moves, write_sums};

use std::collections::BTreeMap;

use hanse_domain::inventory::source::{DEFAULT_SOURCE, SourceCode, SourceStock, select_sources};
use hanse_domain::inventory::{Backorders, ReservationReason, StockLevel, check_threshold};
use hanse_domain::product::{Sku, StockQuantity};
use hanse_domain::time::Timestamp;
use serde::Deserialize;
use sqlx::AnyConnection;

use self::items::SourceRow;
use crate::ids::now;
use crate::rows::{Dialect, Plan, fetch, fetch_planned, key_set};
use crate::sql::{Batch, Bind};
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
    /// What each source holds, by source priority then code (sources that never held the SKU
    /// are left out).
    pub sources: Vec<SourceQuantity>,
}

/// What one source holds of a SKU.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceQuantity {
    /// The source.
    pub code: String,
    /// Units it holds.
    pub quantity: i64,
    /// Whether they count in the SKU's stock on hand.
    pub enabled: bool,
}

/// A change to a SKU's stock settings; `None` keeps the current value.
#[derive(Debug, Clone, Default)]
pub struct StockUpdate {
    /// Units `source` holds.
    pub quantity: Option<StockQuantity>,
    /// The source `quantity` is for. `None` means the SKU's one stock, in the `default` source:
    /// refused (`multiple_sources`) when another source holds units of the SKU, since the
    /// quantity would not say which warehouse holds what.
    pub source: Option<SourceCode>,
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
    /// No such source.
    UnknownSource,
    /// A quantity without a source for a SKU that several sources hold (the message says
    /// where to set it).
    MultipleSources(String),
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

/// Which running sum of a SKU drifts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DriftKind {
    /// `stock_items.reserved` differs from the sum of the reservation ledger.
    Reserved,
    /// `stock_items.quantity` differs from what the SKU's enabled sources hold.
    OnHand,
}

/// A SKU whose recorded reservations differ from its ledger, or whose stock on hand differs
/// from its sources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drift {
    /// The tenant.
    pub tenant_id: String,
    /// The product.
    pub sku: String,
    /// Which sum.
    pub kind: DriftKind,
    /// `stock_items.reserved` (or `quantity`), or 0 when the SKU has no stock row.
    pub recorded: i64,
    /// The sum of the ledger (or of the enabled sources' units).
    pub ledger: i64,
}

/// A reservation or compensation written for one SKU: the level before and after, and what
/// each source gave (negative) or got back (positive), in the order they were taken.
#[derive(Debug, Clone)]
pub(crate) struct Moved {
    pub sku: String,
    pub before: StockLevel,
    pub after: StockLevel,
    pub notify_qty: Option<i64>,
    pub sources: Vec<(String, i64)>,
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

/// What setting the stock on hand of `quantities` (SKU, units) moves, read before it is
/// written, for [`announce`] once it is. A SKU without a stock row yet moves nothing: a product
/// that did not manage stock could be ordered without limit, so nobody waits for it.
pub(crate) async fn restocked(conn: &mut AnyConnection, tenant: &TenantId, quantities: &[(&str, i64)]) -> Result<Vec<Moved>> {
    let skus: Vec<&str> = quantities.iter().map(|(sku, _)| *sku).collect();
    let found = levels(conn, tenant, &skus, Plan::Locked).await?;
    Ok(quantities
        .iter()
        .filter_map(|(sku, on_hand)| {
            let (before, notify_qty) = found.get(*sku)?;
            let after = StockLevel { on_hand: *on_hand, ..*before };
            Some(Moved { sku: (*sku).to_owned(), before: *before, after, notify_qty: *notify_qty, sources: Vec::new() })
        })
        .collect())
}

/// Locks the stock rows of `skus` that exist, in SKU order, until the transaction ends.
pub(crate) async fn lock(conn: &mut AnyConnection, tenant: &TenantId, skus: &[&str]) -> Result<()> {
    levels(conn, tenant, skus, Plan::Locked).await.map(|_| ())
}

/// Locks the product rows of `skus` (sorted or not), then their stock rows, until the
/// transaction ends. Taken by every writer that may write a SKU's first stock row or delete it:
/// a SKU without one has no stock row to lock, so two first writes (to two sources, or a
/// product's quantity and a source's) would each miss the other's units. Orders never lock
/// products, so the order sources → products → stock rows cannot cross theirs.
pub(crate) async fn lock_with_products(conn: &mut AnyConnection, tenant: &TenantId, skus: &[&str]) -> Result<()> {
    if skus.is_empty() {
        return Ok(());
    }
    let rest = format!("FROM products WHERE tenant_id = $1 AND {}", Dialect::of(conn).in_set("sku", 2));
    let binds = vec![Bind::Text(tenant.as_str().to_owned()), Bind::Text(key_set(skus))];
    let _: Vec<(String,)> = fetch_planned(conn, Plan::Locked, "sku", &rest, Some("sku"), binds, "products").await?;
    lock(conn, tenant, skus).await
}

/// Takes `lines` (SKU, units; each SKU once) for `order_id`: every line whose product manages
/// stock must be reservable, or nothing is written and the first line that is not is answered.
/// Lines of products that do not manage stock pass untouched. The rows are locked here; the
/// ledger entries and sums go into `writes`, which the caller runs in the same transaction with
/// the rest of the order's writes (one round trip for all of them).
pub(crate) async fn reserve(
    conn: &mut AnyConnection,
    writes: &mut Batch,
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
        moves.push(Moved { sku: (*sku).to_owned(), before: *level, after, notify_qty: *notify_qty, sources: Vec::new() });
    }
    ledger::moves_in(writes, Dialect::of(conn), tenant, &moves, ReservationReason::OrderPlaced, Some(order_id));
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
    /// Units added to their source, and so to stock on hand while it is enabled: negative when
    /// a shipment takes them out, positive when a refund returns shipped units to stock.
    pub on_hand: i64,
    /// The source they leave or return to. Units taken out without one come from the enabled
    /// sources by priority ([`select_sources`]); units returned go to `default` when this
    /// source does not hold the SKU (any more).
    pub source: Option<&'a str>,
}

/// Writes `lines` of `order_id` with compensating reservations: a cancel or a refund of units
/// not shipped (back to salable), a shipment (the units also leave their sources and so stock
/// on hand: the salable quantity does not move) or a refund that returns shipped units to a
/// source. Refused, with nothing written, when a source does not hold the units to take out
/// (`insufficient_stock`), or a shipment names a source that does not exist
/// (`unknown_source`) or is disabled (`source_disabled`). SKUs without a stock row are skipped.
pub(crate) async fn compensate(
    conn: &mut AnyConnection,
    tenant: &TenantId,
    lines: &[Compensation<'_>],
    order_id: &str,
    reason: ReservationReason,
) -> Result<Vec<Moved>> {
    let skus: Vec<&str> = lines.iter().map(|l| l.sku).collect();
    let found = levels(conn, tenant, &skus, Plan::Locked).await?;
    // Sources are read once the stock rows are locked: enabling or disabling a source locks the
    // same rows, so what is read here holds until the commit.
    let moving: Vec<&str> = lines.iter().filter(|l| l.on_hand != 0 && found.contains_key(l.sku)).map(|l| l.sku).collect();
    let (sources, held) = if moving.is_empty() {
        (Vec::new(), BTreeMap::new())
    } else {
        (items::sources(conn, tenant).await?, items::held(conn, tenant, &moving).await?)
    };
    let nothing = BTreeMap::new();
    let mut moves = Vec::with_capacity(found.len());
    let mut written: Vec<(&str, String, i64)> = Vec::new();
    for line in lines {
        let Some((level, notify_qty)) = found.get(line.sku) else { continue };
        let holds = held.get(line.sku).unwrap_or(&nothing);
        let deltas = source_deltas(line, level, &sources, holds)?;
        let mut on_hand = level.on_hand;
        for (code, delta) in &deltas {
            if sources.iter().any(|s| s.code == *code && s.enabled()) {
                on_hand += delta;
            }
            written.push((line.sku, code.clone(), holds.get(code).copied().unwrap_or(0) + delta));
        }
        let after = StockLevel { reserved: level.reserved + line.release, on_hand, ..*level };
        moves.push(Moved { sku: line.sku.to_owned(), before: *level, after, notify_qty: *notify_qty, sources: deltas });
    }
    let written: Vec<(&str, &str, i64)> = written.iter().map(|(sku, code, quantity)| (*sku, code.as_str(), *quantity)).collect();
    items::write(conn, tenant, &written).await?;
    write_moves(conn, tenant, &moves, reason, Some(order_id)).await?;
    Ok(moves)
}

/// What each source gives (negative) or gets back (positive) of `line`, given what the
/// tenant's `sources` hold of its SKU (`holds`); refused when a source would hold less than
/// nothing.
fn source_deltas(line: &Compensation<'_>, level: &StockLevel, sources: &[SourceRow], holds: &BTreeMap<String, i64>) -> Result<Vec<(String, i64)>> {
    let held = |code: &str| holds.get(code).copied().unwrap_or(0);
    let short = |message: String| Err(StoreError::Refused("insufficient_stock", message));
    if line.on_hand > 0 {
        let code = line.source.filter(|code| holds.contains_key(*code)).unwrap_or(DEFAULT_SOURCE);
        return Ok(vec![(code.to_owned(), line.on_hand)]);
    }
    if line.on_hand == 0 {
        return Ok(Vec::new());
    }
    let wanted = -line.on_hand;
    if let Some(code) = line.source {
        let Some(source) = sources.iter().find(|s| s.code == code) else {
            return Err(StoreError::Refused("unknown_source", format!("there is no source {code:?}")));
        };
        if !source.enabled() {
            return Err(StoreError::Refused("source_disabled", format!("source {code} is disabled: nothing ships from it")));
        }
        if held(code) < wanted {
            return short(format!("{wanted} units of {} cannot ship from {code}: it holds {}", line.sku, held(code)));
        }
        return Ok(vec![(code.to_owned(), line.on_hand)]);
    }
    let stocks: Vec<SourceStock<'_>> =
        sources.iter().map(|s| SourceStock { code: &s.code, priority: s.priority, enabled: s.enabled(), quantity: held(&s.code) }).collect();
    let takes = select_sources(wanted, &stocks);
    // Units sold on backorder must arrive before they can leave: the first source takes what
    // no source holds, and would then hold less than nothing.
    if takes.is_empty() || takes.iter().any(|t| held(t.code) < t.quantity) {
        return short(format!("{wanted} units of {} cannot ship: {} are on hand", line.sku, level.on_hand));
    }
    Ok(takes.into_iter().map(|t| (t.code.to_owned(), -t.quantity)).collect())
}

/// Moves the units source `code` holds into the stock on hand of their SKUs (`enabled`) or out
/// of it, with the events that causes: run when the source is enabled or disabled, after its
/// row was locked. The stock rows of every SKU it has a row for are locked, even those it holds
/// none of: a refund returning units to it then waits for this change, or this one for it.
pub(crate) async fn source_toggled(conn: &mut AnyConnection, tenant: &TenantId, code: &str, enabled: bool) -> Result<()> {
    let rows = items::of_source(conn, tenant, code).await?;
    let skus: Vec<&str> = rows.iter().map(|(sku, _)| sku.as_str()).collect();
    let found = levels(conn, tenant, &skus, Plan::Locked).await?;
    // Read again under the locks: a shipment or refund may have moved units meanwhile. No row
    // can have appeared: adding units to this source takes its row's lock, held here.
    let held = items::of_source(conn, tenant, code).await?;
    let sign = if enabled { 1 } else { -1 };
    let moves: Vec<Moved> = held
        .iter()
        .filter(|(_, quantity)| *quantity != 0)
        .filter_map(|(sku, quantity)| {
            let (level, notify_qty) = found.get(sku)?;
            let after = StockLevel { on_hand: level.on_hand + sign * quantity, ..*level };
            Some(Moved { sku: sku.clone(), before: *level, after, notify_qty: *notify_qty, sources: Vec::new() })
        })
        .collect();
    write_sums(conn, tenant, &moves, now().millis()).await?;
    announce(conn, tenant, &moves).await
}

/// Locks the stock rows of every SKU source `code` has a row for (its row locked already), and
/// says what it holds: a source can be deleted only when it holds nothing.
pub(crate) async fn lock_source_stock(conn: &mut AnyConnection, tenant: &TenantId, code: &str) -> Result<Vec<(String, i64)>> {
    let held = items::of_source(conn, tenant, code).await?;
    let skus: Vec<&str> = held.iter().map(|(sku, _)| sku.as_str()).collect();
    lock(conn, tenant, &skus).await?;
    // Read again under the locks: a shipment may have taken units meanwhile.
    items::of_source(conn, tenant, code).await
}

/// The refusal of a quantity that does not say which source it is for, for a SKU that a source
/// other than `default` holds.
pub(crate) fn multiple_sources(sku: &str) -> StoreError {
    StoreError::Refused(
        "multiple_sources",
        format!("several sources hold {sku}: set what each holds with PUT /admin/v1/inventory/{sku}/sources/{{code}}"),
    )
}

/// Locks the sources other than `default` that `updates` name, in code order; whether each that
/// exists is enabled.
async fn lock_named_sources(conn: &mut AnyConnection, tenant: &TenantId, updates: &[StockUpdate]) -> Result<BTreeMap<String, bool>> {
    let mut codes: Vec<&str> = updates.iter().filter_map(|u| u.source.as_ref()).filter(|c| !c.is_default()).map(SourceCode::as_str).collect();
    codes.sort_unstable();
    codes.dedup();
    items::lock_sources(conn, tenant, &codes).await
}

/// The rows of `pairs` (`tenant_id, sku, recorded, ledger`, each row giving to one of the two
/// sums) whose SKU's two sums differ, by tenant and SKU.
async fn differing(conn: &mut AnyConnection, pairs: &str, what: &str) -> Result<Vec<(String, String, i64, i64)>> {
    // Grouped in a subquery: on SQLite `fetch` aggregates the outer rows into one value.
    let rest = format!(
        "FROM (SELECT tenant_id, sku, CAST(SUM(recorded) AS BIGINT) AS recorded, CAST(SUM(ledger) AS BIGINT) AS ledger
               FROM ({pairs}) t GROUP BY tenant_id, sku HAVING SUM(recorded) <> SUM(ledger)) d"
    );
    fetch(conn, "tenant_id, sku, recorded, ledger", &rest, Some("tenant_id, sku"), Vec::new(), what).await
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
    /// ledger, or whose stock on hand differs from what its enabled sources hold: empty when the
    /// books balance. By tenant, SKU and kind.
    pub async fn inventory_drift(&self) -> Result<Vec<Drift>> {
        let mut conn = self.pool.acquire().await?;
        let reserved = differing(&mut conn, "SELECT tenant_id, sku, reserved AS recorded, 0 AS ledger FROM stock_items
                 UNION ALL SELECT tenant_id, sku, 0, quantity FROM stock_reservations", "stock drift")
        .await?;
        let on_hand = differing(
            &mut conn,
            "SELECT tenant_id, sku, quantity AS recorded, 0 AS ledger FROM stock_items
             UNION ALL SELECT i.tenant_id, i.sku, 0, i.quantity FROM source_items i
                 JOIN inventory_sources s ON s.tenant_id = i.tenant_id AND s.code = i.source_code WHERE s.enabled = 1",
            "source drift",
        )
        .await?;
        let mut drift: Vec<Drift> = reserved
            .into_iter()
            .map(|(tenant_id, sku, recorded, ledger)| Drift { tenant_id, sku, kind: DriftKind::Reserved, recorded, ledger })
            .chain(on_hand.into_iter().map(|(tenant_id, sku, recorded, ledger)| Drift { tenant_id, sku, kind: DriftKind::OnHand, recorded, ledger }))
            .collect();
        drift.sort_by(|a, b| (&a.tenant_id, &a.sku, a.kind).cmp(&(&b.tenant_id, &b.sku, b.kind)));
        Ok(drift)
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
        let binds = vec![Bind::Text(self.tenant.as_str().to_owned()), Bind::Text(sku.as_str().to_owned())];
        let rest = "FROM source_items i JOIN inventory_sources s ON s.tenant_id = i.tenant_id AND s.code = i.source_code
                    WHERE i.tenant_id = $1 AND i.sku = $2";
        let sources: Vec<(String, i64, i64)> = fetch(conn, "i.source_code, i.quantity, s.enabled", rest, Some("s.priority, i.source_code"), binds, "source items").await?;
        let sources = sources.into_iter().map(|(code, quantity, enabled)| SourceQuantity { code, quantity, enabled: enabled == 1 }).collect();
        Ok(StockRecord { sku: sku.to_string(), level, notify_qty, sources })
    }

    /// Changes a product's stock settings, or what one source holds of it (starting to manage
    /// its stock when it was not), and writes the events the change causes. The product's
    /// `updated_at` moves too. `not found` for an unknown product or source.
    pub async fn update(&self, sku: &Sku, update: StockUpdate) -> Result<StockRecord> {
        let mut tx = self.store.begin_write().await?;
        let sources = lock_named_sources(&mut tx, self.tenant, std::slice::from_ref(&update)).await?;
        lock_with_products(&mut tx, self.tenant, &[sku.as_str()]).await?;
        self.apply(&mut tx, sku, &update, &sources).await?;
        let record = self.read(&mut tx, sku, Plan::Kept).await?;
        tx.commit().await?;
        Ok(record)
    }

    /// Applies many changes in one transaction (a bulk import): each row's outcome in order. A
    /// row for an unknown product or source, with settings that do not fit together, or with a
    /// quantity but no source for a SKU several sources hold, is refused alone.
    pub async fn import(&self, rows: &[(Sku, StockUpdate)]) -> Result<Vec<StockRowOutcome>> {
        let mut tx = self.store.begin_write().await?;
        // The sources named, then every product and stock row in SKU order, before any row is
        // applied: the order every writer of stock locks in, so an import never deadlocks with
        // an order.
        let updates: Vec<StockUpdate> = rows.iter().map(|(_, update)| update.clone()).collect();
        let sources = lock_named_sources(&mut tx, self.tenant, &updates).await?;
        let mut skus: Vec<&str> = rows.iter().map(|(sku, _)| sku.as_str()).collect();
        skus.sort_unstable();
        skus.dedup();
        lock_with_products(&mut tx, self.tenant, &skus).await?;
        let mut outcomes = Vec::with_capacity(rows.len());
        for (sku, update) in rows {
            outcomes.push(match self.apply(&mut tx, sku, update, &sources).await {
                Ok(true) => StockRowOutcome::Updated,
                Ok(false) => StockRowOutcome::Unchanged,
                Err(StoreError::NotFound("source")) => StockRowOutcome::UnknownSource,
                Err(StoreError::NotFound(_)) => StockRowOutcome::UnknownSku,
                Err(StoreError::Refused("multiple_sources", message)) => StockRowOutcome::MultipleSources(message),
                Err(StoreError::Refused(_, message)) => StockRowOutcome::Invalid(message),
                Err(other) => return Err(other),
            });
        }
        tx.commit().await?;
        Ok(outcomes)
    }

    /// One change inside `conn`'s write transaction, with the sources it may name locked
    /// (`sources`: whether each is enabled); whether it changed anything. Refusals (`not found`,
    /// `invalid_stock_settings`, `multiple_sources`) happen before anything is written.
    async fn apply(&self, conn: &mut AnyConnection, sku: &Sku, update: &StockUpdate, sources: &BTreeMap<String, bool>) -> Result<bool> {
        let current = self.read(conn, sku, Plan::Locked).await?;
        let before = current.level.unwrap_or(StockLevel { on_hand: 0, reserved: 0, threshold: 0, backorders: Backorders::No });
        let mut on_hand = before.on_hand;
        let mut item = None;
        if let Some(quantity) = update.quantity.map(StockQuantity::get) {
            let code = update.source.as_ref().map_or(DEFAULT_SOURCE, SourceCode::as_str);
            if update.source.is_none() && current.sources.iter().any(|s| s.code != DEFAULT_SOURCE && s.quantity > 0) {
                return Err(multiple_sources(sku.as_str()));
            }
            let enabled = if code == DEFAULT_SOURCE { true } else { *sources.get(code).ok_or(StoreError::NotFound("source"))? };
            let held = current.sources.iter().find(|s| s.code == code).map_or(0, |s| s.quantity);
            if enabled {
                on_hand += quantity - held;
            }
            if quantity != held {
                item = Some((code, quantity));
            }
        }
        let after = StockLevel {
            on_hand,
            reserved: before.reserved,
            threshold: update.threshold.unwrap_or(before.threshold),
            backorders: update.backorders.unwrap_or(before.backorders),
        };
        check_threshold(after.threshold, after.backorders).map_err(|e| StoreError::Refused("invalid_stock_settings", e.to_string()))?;
        let notify_qty = update.notify_qty.unwrap_or(current.notify_qty);
        if current.level == Some(after) && current.notify_qty == notify_qty && item.is_none() {
            return Ok(false);
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
        if let Some((code, quantity)) = item {
            items::write(conn, self.tenant, &[(sku.as_str(), code, quantity)]).await?;
        }
        sqlx::query("UPDATE products SET updated_at = $3 WHERE tenant_id = $1 AND sku = $2")
            .bind(self.tenant.as_str())
            .bind(sku.as_str())
            .bind(at)
            .execute(&mut *conn)
            .await?;
        // A product that did not manage stock could be ordered without limit: nobody waits.
        let was = if current.level.is_some() { before } else { after };
        announce(conn, self.tenant, &[Moved { sku: sku.to_string(), before: was, after, notify_qty, sources: Vec::new() }]).await?;
        Ok(true)
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
            .execute(self.store.writes())
            .await?;
        Ok(())
    }
}
