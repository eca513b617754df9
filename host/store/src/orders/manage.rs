//! Moving an order through its statuses (`hanse_domain::order`), each move one transaction with
//! its compensations: a cancel gives back the unshipped stock and the credit; a shipment takes
//! its units out of their sources (and so out of stock on hand), compensates their reservations
//! and records what came from where (`shipment_sources`).

use hanse_domain::credit::{CreditOperation, format_amount};
use hanse_domain::inventory::ReservationReason;
use hanse_domain::order::{OrderAction, OrderStatus, PaymentStatus, Settlement};
use hanse_domain::time::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::AnyConnection;

use super::{Invoice, Order, Orders, Shipment, ShipmentSource, load};
use crate::companies;
use crate::db::WriteTx;
use crate::credit::{self, CreditNote};
use crate::ids::{new_id, now};
use crate::outbox;
use crate::rows::{Plan, fetch};
use crate::sql::{Batch, Bind, values_rows};
use crate::stock::{self, Compensation};
use crate::tenants::TenantId;
use crate::{Result, StoreError};

/// Units of one SKU in a shipment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShipLine {
    /// The product.
    pub sku: String,
    /// Units.
    pub quantity: i64,
}

/// A shipment to record.
#[derive(Debug, Clone, Default)]
pub struct ShipmentInput {
    /// Carrier.
    pub carrier: String,
    /// Tracking number.
    pub tracking: String,
    /// What ships; `None` ships everything not shipped yet.
    pub lines: Option<Vec<ShipLine>>,
    /// The source every line ships from; `None` takes each line from the enabled sources in
    /// priority order.
    pub source: Option<String>,
}

/// Appends a status change to an order's history.
pub(crate) async fn record_status(conn: &mut AnyConnection, tenant: &TenantId, order: &str, status: OrderStatus, actor: &str, comment: &str, at: i64) -> Result<()> {
    let mut batch = Batch::default();
    record_status_in(&mut batch, tenant, order, status, actor, comment, at);
    batch.run(conn).await
}

/// Adds [`record_status`]'s write to `batch`.
pub(crate) fn record_status_in(batch: &mut Batch, tenant: &TenantId, order: &str, status: OrderStatus, actor: &str, comment: &str, at: i64) {
    batch.push(
        "INSERT INTO order_history (tenant_id, id, order_id, status, actor, comment, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        vec![
            Bind::Text(tenant.as_str().to_owned()),
            Bind::Text(new_id("ohs_")),
            Bind::Text(order.to_owned()),
            Bind::Text(status.as_str().to_owned()),
            Bind::Text(actor.to_owned()),
            Bind::Text(comment.to_owned()),
            Bind::Int(at),
        ],
    );
}

const INVOICE_COLUMNS: &str = "id, order_id, company_id, amount, currency, due_at, status, paid_at, created_at";

#[derive(Deserialize)]
struct InvoiceRow {
    id: String,
    order_id: String,
    company_id: String,
    amount: i64,
    currency: String,
    due_at: i64,
    status: String,
    paid_at: Option<i64>,
    created_at: i64,
}

/// Invoices of `tenant` matching `condition` (on `$2`, ...), by due date.
pub(crate) async fn invoices(conn: &mut AnyConnection, tenant: &TenantId, condition: &str, binds: Vec<Bind>) -> Result<Vec<Invoice>> {
    let rest = format!("FROM invoices WHERE tenant_id = $1 AND {condition}");
    let mut all = vec![Bind::Text(tenant.as_str().to_owned())];
    all.extend(binds);
    let rows: Vec<InvoiceRow> = fetch(conn, INVOICE_COLUMNS, &rest, Some("due_at, id"), all, "invoices").await?;
    Ok(rows
        .into_iter()
        .map(|r| Invoice {
            id: r.id,
            order_id: r.order_id,
            company_id: r.company_id,
            amount: r.amount,
            currency: r.currency,
            due_at: Timestamp::from_millis(r.due_at),
            status: r.status,
            paid_at: r.paid_at.map(Timestamp::from_millis),
            created_at: Timestamp::from_millis(r.created_at),
        })
        .collect())
}

/// Gives `amount` of `order`'s payment back where it came from, in the caller's transaction:
/// to the company's credit (payment on account, history `operation`), or off the order's open
/// invoice (net terms: reduced by `amount`, canceled at zero); a paid invoice or a payment a
/// plugin took is settled outside Hanse. The company's order-history counters lose `amount`
/// and `orders` orders. Answers where the money went, and the invoice it came off.
pub(super) async fn give_back(
    conn: &mut AnyConnection,
    tenant: &TenantId,
    order: &Order,
    amount: i64,
    orders: i64,
    operation: CreditOperation,
    note: CreditNote<'_>,
) -> Result<(Settlement, Option<String>)> {
    let mut invoice = None;
    match order.payment_status {
        PaymentStatus::OnAccount => {
            credit::give_back(conn, tenant, &order.company_id, amount, operation, note).await?;
        }
        PaymentStatus::OnTerms => {
            // Conditional on `open`, so an invoice paid meanwhile is left alone (the refund is
            // then settled outside).
            invoice = sqlx::query_scalar(
                "UPDATE invoices SET amount = CASE WHEN amount > $3 THEN amount - $3 ELSE 0 END,
                     status = CASE WHEN amount > $3 THEN status ELSE 'canceled' END
                 WHERE tenant_id = $1 AND order_id = $2 AND status = 'open' RETURNING id",
            )
            .bind(tenant.as_str())
            .bind(order.id.as_str())
            .bind(amount)
            .fetch_optional(&mut *conn)
            .await?;
        }
        PaymentStatus::Authorized | PaymentStatus::Pending => {}
    }
    companies::count_order(conn, tenant, &order.company_id, -orders, -amount).await?;
    Ok((Settlement::of(order.payment_status, invoice.is_some()), invoice))
}

/// Records what shipment `shipment_id` of `order` took from which source, each SKU's sources in
/// the order they were taken.
async fn write_sources(conn: &mut AnyConnection, tenant: &TenantId, order: &str, shipment_id: &str, sources: &[ShipmentSource]) -> Result<()> {
    let numbered: Vec<(usize, &ShipmentSource)> = sources.iter().enumerate().collect();
    for chunk in numbered.chunks(100) {
        let sql = format!(
            "INSERT INTO shipment_sources (tenant_id, shipment_id, order_id, sku, source_code, position, quantity) VALUES {}",
            values_rows(chunk.len(), 7)
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).persistent(chunk.len() <= 10);
        for (position, taken) in chunk {
            query = query
                .bind(tenant.as_str())
                .bind(shipment_id)
                .bind(order)
                .bind(taken.sku.as_str())
                .bind(taken.source.as_str())
                .bind(*position as i64)
                .bind(taken.quantity);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

impl Orders<'_> {
    /// Reads an order under its lock, in a new write transaction.
    pub(super) async fn locked(&self, id: &str) -> Result<(WriteTx, Order)> {
        let mut tx = self.store.begin_write().await?;
        let order = load(&mut tx, self.tenant, &[id], Plan::Locked).await?.pop().ok_or(StoreError::NotFound("order"))?;
        Ok((tx, order))
    }

    /// Writes the new status, its history entry and an `order.<action>` event.
    pub(super) async fn moved(&self, conn: &mut AnyConnection, order: &Order, status: OrderStatus, actor: &str, comment: &str, at: i64) -> Result<()> {
        sqlx::query("UPDATE orders SET status = $3, updated_at = $4 WHERE tenant_id = $1 AND id = $2")
            .bind(self.tenant.as_str())
            .bind(order.id.as_str())
            .bind(status.as_str())
            .bind(at)
            .execute(&mut *conn)
            .await?;
        record_status(conn, self.tenant, &order.id, status, actor, comment, at).await?;
        let payload = json!({ "order_id": order.id, "company_id": order.company_id, "status": status.as_str(), "previous": order.status.as_str() });
        outbox::event(conn, self.tenant, &format!("order.{status}"), &payload).await?;
        Ok(())
    }

    /// `pending` → `processing`.
    pub async fn process(&self, id: &str, actor: &str, comment: &str) -> Result<Order> {
        self.simple(id, OrderAction::Process, actor, comment).await
    }

    /// `shipped` → `complete`.
    pub async fn complete(&self, id: &str, actor: &str, comment: &str) -> Result<Order> {
        self.simple(id, OrderAction::Complete, actor, comment).await
    }

    async fn simple(&self, id: &str, action: OrderAction, actor: &str, comment: &str) -> Result<Order> {
        let (mut tx, order) = self.locked(id).await?;
        let status = order.status.after(action, order.progress()).map_err(|e| StoreError::Refused("order_transition_refused", e.to_string()))?;
        let at = now().millis();
        self.moved(&mut tx, &order, status, actor, comment, at).await?;
        tx.commit().await?;
        Ok(Order { status, updated_at: Timestamp::from_millis(at), ..order })
    }

    /// Cancels an order nothing of which has shipped: the reservations of the units not
    /// refunded yet are compensated, and what credit memos have not given back yet is reverted
    /// to the credit paid on account or taken off the open invoice (which is then canceled),
    /// all in one transaction.
    pub async fn cancel(&self, id: &str, actor: &str, comment: &str) -> Result<Order> {
        let (mut tx, order) = self.locked(id).await?;
        let status = order.status.after(OrderAction::Cancel, order.progress()).map_err(|e| StoreError::Refused("order_not_cancelable", e.to_string()))?;
        let mut lines: Vec<Compensation<'_>> = order
            .lines
            .iter()
            .map(|l| Compensation { sku: &l.sku, release: l.units().to_ship(), on_hand: 0, source: None })
            .filter(|c| c.release > 0)
            .collect();
        lines.sort_unstable_by_key(|c| c.sku);
        let moves = stock::compensate(&mut tx, self.tenant, &lines, &order.id, ReservationReason::OrderCanceled).await?;
        let note = CreditNote { actor, order_id: Some(&order.id), reference: &order.po_number, comment };
        give_back(&mut tx, self.tenant, &order, order.grand_total - order.refunded, 1, CreditOperation::Reverted, note).await?;
        let at = now().millis();
        self.moved(&mut tx, &order, status, actor, comment, at).await?;
        stock::announce(&mut tx, self.tenant, &moves).await?;
        tx.commit().await?;
        Ok(Order { status, updated_at: Timestamp::from_millis(at), ..order })
    }

    /// Records a shipment: its units leave their sources (the one `input` names, else the
    /// enabled ones by priority) and so stock on hand, and their reservations are compensated;
    /// the order becomes `shipped` when every unit has shipped or been refunded, else
    /// `processing`. Refused when a line ships more than is left of it (units neither shipped
    /// nor refunded) or names a SKU twice (`shipment_quantity_invalid`), the sources do not hold
    /// the units (`insufficient_stock`), or the source named does not exist (`unknown_source`)
    /// or is disabled (`source_disabled`).
    pub async fn ship(&self, id: &str, input: &ShipmentInput, actor: &str) -> Result<(Order, Shipment)> {
        let (mut tx, mut order) = self.locked(id).await?;
        let wanted: Vec<ShipLine> = match &input.lines {
            Some(lines) => lines.clone(),
            None => order
                .lines
                .iter()
                .filter(|l| l.units().to_ship() > 0)
                .map(|l| ShipLine { sku: l.sku.clone(), quantity: l.units().to_ship() })
                .collect(),
        };
        if wanted.is_empty() {
            return Err(StoreError::Refused("shipment_quantity_invalid", "nothing is left to ship".into()));
        }
        let mut seen = std::collections::HashSet::new();
        for ship in &wanted {
            // Each SKU once: the stock of a SKU is moved once per transaction.
            if !seen.insert(ship.sku.as_str()) {
                return Err(StoreError::Refused("shipment_quantity_invalid", format!("{} is named twice", ship.sku)));
            }
            let Some(line) = order.lines.iter_mut().find(|l| l.sku == ship.sku) else {
                return Err(StoreError::Refused("shipment_quantity_invalid", format!("the order has no line {}", ship.sku)));
            };
            let left = line.units().to_ship();
            if ship.quantity < 1 || ship.quantity > left {
                return Err(StoreError::Refused(
                    "shipment_quantity_invalid",
                    format!("{} units of {} cannot ship: {} of {} are left", ship.quantity, ship.sku, left, line.quantity),
                ));
            }
            line.qty_shipped += ship.quantity;
        }
        let status = order.status.after(OrderAction::Ship, order.progress()).map_err(|e| StoreError::Refused("order_transition_refused", e.to_string()))?;
        let source = input.source.as_deref();
        let mut lines: Vec<Compensation<'_>> =
            wanted.iter().map(|l| Compensation { sku: &l.sku, release: l.quantity, on_hand: -l.quantity, source }).collect();
        lines.sort_unstable_by_key(|c| c.sku);
        let moves = stock::compensate(&mut tx, self.tenant, &lines, &order.id, ReservationReason::ShipmentCreated).await?;
        // What came from where, in the shipment's line order and each line's take order.
        let sources: Vec<ShipmentSource> = wanted
            .iter()
            .filter_map(|ship| moves.iter().find(|m| m.sku == ship.sku))
            .flat_map(|m| m.sources.iter().map(|(code, delta)| ShipmentSource { sku: m.sku.clone(), source: code.clone(), quantity: -delta }))
            .collect();
        let at = now().millis();
        for ship in &wanted {
            sqlx::query("UPDATE order_lines SET qty_shipped = qty_shipped + $4 WHERE tenant_id = $1 AND order_id = $2 AND sku = $3")
                .bind(self.tenant.as_str())
                .bind(order.id.as_str())
                .bind(ship.sku.as_str())
                .bind(ship.quantity)
                .execute(&mut *tx)
                .await?;
        }
        let shipment_id = new_id("shp_");
        let shipped = serde_json::to_string(&wanted).map_err(|e| StoreError::corrupt("shipment lines", e))?;
        sqlx::query("INSERT INTO shipments (tenant_id, id, order_id, carrier, tracking, lines, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(self.tenant.as_str())
            .bind(shipment_id.as_str())
            .bind(order.id.as_str())
            .bind(input.carrier.as_str())
            .bind(input.tracking.as_str())
            .bind(shipped)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        write_sources(&mut tx, self.tenant, &order.id, &shipment_id, &sources).await?;
        if status != order.status {
            self.moved(&mut tx, &order, status, actor, &format!("shipment {shipment_id}"), at).await?;
        }
        let payload = json!({
            "order_id": order.id, "shipment_id": shipment_id, "carrier": input.carrier, "tracking": input.tracking, "lines": wanted, "sources": sources,
        });
        outbox::event(&mut tx, self.tenant, "shipment.created", &payload).await?;
        tx.commit().await?;
        order.status = status;
        order.updated_at = Timestamp::from_millis(at);
        let shipment = Shipment {
            id: shipment_id,
            carrier: input.carrier.clone(),
            tracking: input.tracking.clone(),
            lines: wanted,
            sources,
            created_at: Timestamp::from_millis(at),
        };
        Ok((order, shipment))
    }

    /// Invoices of orders on credit terms: the open ones due before `due_before` when given
    /// (the overdue list), else all, by due date.
    pub async fn invoices(&self, due_before: Option<Timestamp>, company: Option<&str>) -> Result<Vec<Invoice>> {
        let mut conn = self.store.pool.acquire().await?;
        let (condition, binds) = match (due_before, company) {
            (Some(at), Some(c)) => ("status = 'open' AND due_at < $2 AND company_id = $3", vec![Bind::Int(at.millis()), Bind::Text(c.to_owned())]),
            (Some(at), None) => ("status = 'open' AND due_at < $2", vec![Bind::Int(at.millis())]),
            (None, Some(c)) => ("company_id = $2", vec![Bind::Text(c.to_owned())]),
            (None, None) => ("1 = 1", vec![]),
        };
        invoices(&mut conn, self.tenant, condition, binds).await
    }

    /// Marks an open invoice paid (`invoice_not_open` otherwise).
    pub async fn pay_invoice(&self, id: &str, actor: &str) -> Result<Invoice> {
        let mut tx = self.store.begin_write().await?;
        let mut found = invoices(&mut tx, self.tenant, "id = $2", vec![Bind::Text(id.to_owned())]).await?;
        let mut invoice = found.pop().ok_or(StoreError::NotFound("invoice"))?;
        if invoice.status != "open" {
            return Err(StoreError::Refused("invoice_not_open", format!("the invoice is {}", invoice.status)));
        }
        let at = now();
        // Only an invoice still open: a cancel or refund that committed since it was read has
        // canceled or reduced it, and must not be overwritten (the read above takes no lock).
        // The amount paid is the one the update saw (a refund may have reduced it).
        let paid: Option<i64> = sqlx::query_scalar(
            "UPDATE invoices SET status = 'paid', paid_at = $3 WHERE tenant_id = $1 AND id = $2 AND status = 'open' RETURNING amount",
        )
        .bind(self.tenant.as_str())
        .bind(id)
        .bind(at.millis())
        .fetch_optional(&mut *tx)
        .await?;
        let Some(amount) = paid else {
            return Err(StoreError::Refused("invoice_not_open", "the invoice was canceled meanwhile".into()));
        };
        invoice.amount = amount;
        let currency = hanse_domain::currency::Currency::parse(&invoice.currency).map_err(|e| StoreError::corrupt("invoice currency", e))?;
        let payload = json!({ "invoice_id": id, "order_id": invoice.order_id, "amount": format_amount(invoice.amount, currency), "actor": actor });
        outbox::event(&mut tx, self.tenant, "invoice.paid", &payload).await?;
        tx.commit().await?;
        invoice.status = "paid".into();
        invoice.paid_at = Some(at);
        Ok(invoice)
    }
}
