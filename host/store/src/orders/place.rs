//! Placing an order: one write transaction that claims the idempotency key, reserves the stock,
//! charges the company's credit, lets the caller authorize the payment, and writes the order,
//! its lines, history, invoice, events and the emptied cart. Any refusal or failure on the way
//! (a line out of stock, credit exceeded, a payment plugin that traps, a database error) drops
//! the transaction, and nothing of the order remains.
//!
//! The order row is written first: a second request with the same idempotency key waits on the
//! key's unique index (PostgreSQL) or on the write lock (SQLite) until the first one ends, then
//! finds its order instead of placing another. The buyer's cart lines are locked next (two
//! checkouts of one cart cannot both order it), then stock rows in SKU order, then the credit
//! line: every transaction takes its locks in the same order, so none deadlock.

use std::collections::HashSet;

use hanse_domain::credit::InsufficientCredit;
use hanse_domain::credit::format_amount;
use hanse_domain::currency::Currency;
use hanse_domain::order::{OrderStatus, PaymentStatus};
use hanse_domain::time::Timestamp;
use serde_json::json;
use sqlx::Row;

use super::{Order, OrderAddress, OrderLine, Orders};
use crate::companies;
use crate::db::WriteTx;
use crate::credit::{self, CreditNote};
use crate::ids::{new_id, now};
use crate::outbox;
use crate::segments;
use crate::rows::Dialect;
use crate::sql::{Batch, Bind, values_rows};
use crate::stock::{self, Moved, OutOfStock};
use crate::tenants::TenantId;
use crate::{Result, StoreError};

/// A priced line to order.
#[derive(Debug, Clone)]
pub struct NewLine {
    /// The product.
    pub sku: String,
    /// Its name.
    pub name: String,
    /// Units (≥ 1).
    pub quantity: i64,
    /// List price per unit, 1/10,000 units.
    pub list_price: i64,
    /// Unit price, 1/10,000 units.
    pub unit_price: i64,
    /// Line total, 1/10,000 units.
    pub line_total: i64,
    /// How the unit price was reached, JSON.
    pub explanation: serde_json::Value,
}

/// An order to place: everything the checkout worked out before the transaction.
#[derive(Debug, Clone)]
pub struct NewOrder {
    /// The ordering company.
    pub company_id: String,
    /// The buyer placing it.
    pub buyer_id: String,
    /// Currency.
    pub currency: Currency,
    /// Sum of line totals, 1/10,000 units.
    pub subtotal: i64,
    /// Shipping.
    pub shipping: i64,
    /// Tax.
    pub tax: i64,
    /// What the company pays.
    pub grand_total: i64,
    /// Shipping method code and label.
    pub shipping_method: (String, String),
    /// Destination.
    pub shipping_address: OrderAddress,
    /// Payment method code and label.
    pub payment_method: (String, String),
    /// Whether the grand total is charged to the company's credit.
    pub on_account: bool,
    /// The buyer's purchase order number (may be empty).
    pub po_number: String,
    /// The plugins that worked on it, JSON.
    pub plugins: serde_json::Value,
    /// The request's idempotency key.
    pub idempotency_key: Option<String>,
    /// A hash of the request, to tell a retry from a different request with the same key.
    pub request_hash: Option<String>,
    /// The lines (each SKU once), in cart order.
    pub lines: Vec<NewLine>,
    /// How it is paid, when that is known before it is written (authorized ahead): written with
    /// the order's row, so that [`Placing::finish`] with the same outcome does not write it
    /// again. `None`: the row says `pending` until then.
    pub payment: Option<PaymentOutcome>,
}

/// How the payment was settled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaymentOutcome {
    /// Authorized by a plugin, with its reference.
    Authorized(String),
    /// Accepted for settlement later, with a reference.
    Pending(String),
    /// Charged to the company's credit, with a reference.
    OnAccount(String),
    /// On credit terms: an invoice due `due_days` days from now.
    OnTerms {
        /// Reference.
        reference: String,
        /// Days until the invoice is due.
        due_days: u32,
    },
}

/// Why an order cannot be placed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// A line cannot be reserved.
    OutOfStock(OutOfStock),
    /// The credit does not cover the order.
    InsufficientCredit(InsufficientCredit),
    /// The cart no longer holds what was priced: another checkout ordered it, or it changed.
    CartChanged,
}

/// What [`Orders::begin`] found.
pub enum Begun {
    /// A new order, in its transaction.
    Placing(Box<Placing>),
    /// The order already placed with this idempotency key, with the hash of its request.
    Existing(Box<Order>, Option<String>),
}

/// An order being placed. Dropping it without [`Placing::finish`] rolls everything back.
pub struct Placing {
    tx: WriteTx,
    tenant: TenantId,
    id: String,
    at: i64,
    order: NewOrder,
    moves: Vec<Moved>,
    /// What [`Placing::hold`] decided to write (stock ledger and sums, the credit line, its
    /// history and event), run with the order's own writes in [`Placing::finish`]: nothing in
    /// one reads what another writes, and the locks they need are held since `hold`.
    writes: Batch,
    /// Whether a segment of the tenant looks at order history.
    segments_on_history: bool,
    /// Whether every ordered line was in the cart as priced (and is now out of it).
    cart_complete: bool,
}

impl PaymentOutcome {
    /// The order's payment columns: status and reference.
    fn columns(&self) -> (PaymentStatus, &str) {
        match self {
            PaymentOutcome::Authorized(r) => (PaymentStatus::Authorized, r),
            PaymentOutcome::Pending(r) => (PaymentStatus::Pending, r),
            PaymentOutcome::OnAccount(r) => (PaymentStatus::OnAccount, r),
            PaymentOutcome::OnTerms { reference, .. } => (PaymentStatus::OnTerms, reference),
        }
    }
}

impl Orders<'_> {
    /// Starts placing `order`: opens the write transaction and claims the idempotency key. When
    /// the buyer already placed an order with the key, answers it instead.
    pub async fn begin(&self, order: NewOrder) -> Result<Begun> {
        let mut tx = self.store.begin_write().await?;
        // No look-up first: the key's unique index answers, and makes a concurrent request
        // with the same key wait for this one.
        let id = new_id("ord_");
        let at = now().millis();
        let address = serde_json::to_string(&order.shipping_address).map_err(|e| StoreError::corrupt("order address", e))?;
        let (payment, reference) = order.payment.as_ref().map_or((PaymentStatus::Pending, ""), PaymentOutcome::columns);
        // The same round trip takes the ordered lines out of the cart (a line another checkout
        // already ordered, or whose quantity changed meanwhile, is not there as it was priced:
        // `hold` refuses), and answers whether a segment looks at order history (the company's
        // segments are then refreshed when the order is written).
        let dialect = Dialect::of(&tx);
        let ordered: serde_json::Map<String, serde_json::Value> = order.lines.iter().map(|l| (l.sku.clone(), json!(l.quantity))).collect();
        let insert = "INSERT INTO orders (tenant_id, id, company_id, buyer_id, status, currency, subtotal, shipping, tax, grand_total,
                 shipping_method, shipping_label, shipping_address, payment_method, payment_label, payment_status, payment_reference,
                 po_number, plugins, idempotency_key, request_hash, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $22, $17, $18, $19, $20, $21, $21)";
        let delete = format!(
            "DELETE FROM cart_items WHERE tenant_id = $1 AND buyer_id = $4 AND company_id = $3
             AND EXISTS (SELECT 1 FROM {} o WHERE o.k = cart_items.sku AND o.v = cart_items.quantity)",
            dialect.key_numbers(23)
        );
        let on_history = format!("CAST(CASE WHEN EXISTS (SELECT 1 {}) THEN 1 ELSE 0 END AS BIGINT)", segments::ON_ORDER_HISTORY);
        // The order row goes in first: a concurrent request with the same key waits on the
        // key's index before it touches the cart.
        let sql = match dialect {
            // Rows: the insert's answer, then the count of lines the delete removed.
            Dialect::Sqlite => format!("{insert} RETURNING {on_history};\n{delete};\nSELECT CAST(changes() AS BIGINT)"),
            // One row: the answer and the count.
            Dialect::Postgres => format!("WITH removed AS ({delete} RETURNING 1) {insert} RETURNING {on_history}, (SELECT count(*) FROM removed)"),
        };
        let inserted = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(self.tenant.as_str())
        .bind(id.as_str())
        .bind(order.company_id.as_str())
        .bind(order.buyer_id.as_str())
        .bind(OrderStatus::Pending.as_str())
        .bind(order.currency.code())
        .bind(order.subtotal)
        .bind(order.shipping)
        .bind(order.tax)
        .bind(order.grand_total)
        .bind(order.shipping_method.0.as_str())
        .bind(order.shipping_method.1.as_str())
        .bind(address)
        .bind(order.payment_method.0.as_str())
        .bind(order.payment_method.1.as_str())
        .bind(payment.as_str())
        .bind(order.po_number.as_str())
        .bind(order.plugins.to_string())
        .bind(order.idempotency_key.as_deref())
        .bind(order.request_hash.as_deref())
        .bind(at)
        .bind(reference)
        .bind(serde_json::Value::Object(ordered).to_string())
        .fetch_all(&mut *tx)
        .await
        .and_then(|rows| {
            let number = |row: usize, column: usize| rows.get(row).ok_or(sqlx::Error::RowNotFound)?.try_get::<i64, _>(column);
            match dialect {
                Dialect::Sqlite => Ok((number(0, 0)?, number(1, 0)?)),
                Dialect::Postgres => Ok((number(0, 0)?, number(0, 1)?)),
            }
        });
        match (inserted, &order.idempotency_key) {
            (Ok((on_history, removed)), _) => Ok(Begun::Placing(Box::new(Placing {
                cart_complete: usize::try_from(removed).is_ok_and(|removed| removed == order.lines.len()),
                tx,
                tenant: self.tenant.clone(),
                id,
                at,
                order,
                moves: Vec::new(),
                writes: Batch::default(),
                segments_on_history: on_history != 0,
            }))),
            // Another request with the same key committed first.
            (Err(sqlx::Error::Database(e)), Some(key)) if e.is_unique_violation() => {
                drop(tx);
                self.existing(&order.buyer_id, key).await
            }
            (Err(e), _) => Err(e.into()),
        }
    }

    async fn existing(&self, buyer: &str, key: &str) -> Result<Begun> {
        let (order, hash) = self.by_key(buyer, key).await?.ok_or(StoreError::NotFound("order"))?;
        Ok(Begun::Existing(Box::new(order), hash))
    }
}

impl Placing {
    /// The new order's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Reserves every line's stock and, for payment on account, charges the grand total to the
    /// company's credit. Answers the credit available before the charge (`None` when not on
    /// account), or why the order cannot be placed (then drop this to roll back).
    pub async fn hold(&mut self) -> Result<std::result::Result<Option<i64>, Refusal>> {
        // The ordered lines left the cart with the order row (`Orders::begin`).
        if !self.cart_complete {
            return Ok(Err(Refusal::CartChanged));
        }
        let mut lines: Vec<(&str, i64)> = self.order.lines.iter().map(|l| (l.sku.as_str(), l.quantity)).collect();
        lines.sort_unstable();
        match stock::reserve(&mut self.tx, &mut self.writes, &self.tenant, &lines, &self.id).await? {
            Ok(moves) => self.moves = moves,
            Err(out) => return Ok(Err(Refusal::OutOfStock(out))),
        }
        if !self.order.on_account {
            return Ok(Ok(None));
        }
        let note = CreditNote { actor: &self.order.buyer_id, order_id: Some(&self.id), reference: &self.order.po_number, comment: "" };
        match credit::purchase(&mut self.tx, &mut self.writes, &self.tenant, &self.order.company_id, self.order.grand_total, note).await? {
            Ok(account) => Ok(Ok(Some(account.line.available() + self.order.grand_total))),
            Err(refused) => Ok(Err(Refusal::InsufficientCredit(refused))),
        }
    }

    /// Writes the rest of the order with how it was paid, queues the events, and commits.
    pub async fn finish(mut self, payment: PaymentOutcome) -> Result<Order> {
        let (tenant, id, at) = (self.tenant.clone(), self.id.clone(), self.at);
        let backordered: HashSet<&str> = self
            .moves
            .iter()
            .filter(|m| self.order.lines.iter().any(|l| l.sku == m.sku && m.before.backordered(l.quantity)))
            .map(|m| m.sku.as_str())
            .collect();
        let lines: Vec<OrderLine> = self
            .order
            .lines
            .iter()
            .map(|l| OrderLine {
                sku: l.sku.clone(),
                name: l.name.clone(),
                quantity: l.quantity,
                list_price: l.list_price,
                unit_price: l.unit_price,
                line_total: l.line_total,
                backordered: backordered.contains(l.sku.as_str()),
                explanation: l.explanation.clone(),
                qty_shipped: 0,
                qty_refunded: 0,
            })
            .collect();
        // Every write below, and those `hold` decided, reads nothing the others write: one
        // round trip.
        let mut batch = std::mem::take(&mut self.writes);
        for (chunk_index, chunk) in lines.chunks(100).enumerate() {
            let sql = format!(
                "INSERT INTO order_lines (tenant_id, order_id, position, sku, name, quantity, list_price, unit_price, line_total, backordered, explanation) VALUES {}",
                values_rows(chunk.len(), 11)
            );
            let mut binds = Vec::with_capacity(chunk.len() * 11);
            for (i, l) in chunk.iter().enumerate() {
                binds.extend([
                    Bind::Text(tenant.as_str().to_owned()),
                    Bind::Text(id.clone()),
                    Bind::Int((chunk_index * 100 + i) as i64),
                    Bind::Text(l.sku.clone()),
                    Bind::Text(l.name.clone()),
                    Bind::Int(l.quantity),
                    Bind::Int(l.list_price),
                    Bind::Int(l.unit_price),
                    Bind::Int(l.line_total),
                    Bind::Int(i64::from(l.backordered)),
                    Bind::Text(l.explanation.to_string()),
                ]);
            }
            batch.push(&sql, binds);
        }
        let (status, reference) = payment.columns();
        let reference = reference.to_owned();
        if self.order.payment.as_ref() != Some(&payment) {
            batch.push(
                "UPDATE orders SET payment_status = $3, payment_reference = $4 WHERE tenant_id = $1 AND id = $2",
                vec![Bind::Text(tenant.as_str().to_owned()), Bind::Text(id.clone()), Bind::Text(status.as_str().to_owned()), Bind::Text(reference.clone())],
            );
        }
        super::manage::record_status_in(&mut batch, &tenant, &id, OrderStatus::Pending, &self.order.buyer_id, "placed", at);
        let mut invoice = None;
        if let PaymentOutcome::OnTerms { due_days, .. } = payment {
            let due_at = at + i64::from(due_days) * 86_400_000;
            let invoice_id = new_id("inv_");
            batch.push(
                "INSERT INTO invoices (tenant_id, id, order_id, company_id, amount, currency, due_at, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8)",
                vec![
                    Bind::Text(tenant.as_str().to_owned()),
                    Bind::Text(invoice_id.clone()),
                    Bind::Text(id.clone()),
                    Bind::Text(self.order.company_id.clone()),
                    Bind::Int(self.order.grand_total),
                    Bind::Text(self.order.currency.code().to_owned()),
                    Bind::Int(due_at),
                    Bind::Int(at),
                ],
            );
            invoice = Some(json!({ "id": invoice_id, "due_at": Timestamp::from_millis(due_at).to_string() }));
        }
        let currency = self.order.currency;
        let payload = json!({
            "order_id": id,
            "company_id": self.order.company_id,
            "buyer_id": self.order.buyer_id,
            "currency": currency.code(),
            "grand_total": format_amount(self.order.grand_total, currency),
            "payment_method": self.order.payment_method.0,
            "lines": lines.iter().map(|l| json!({"sku": l.sku, "quantity": l.quantity})).collect::<Vec<_>>(),
            "invoice": invoice,
        });
        outbox::event_in(&mut batch, &tenant, "order.placed", &payload);
        companies::count_order_in(&mut batch, &tenant, &self.order.company_id, 1, self.order.grand_total);
        batch.run(&mut self.tx).await?;
        if self.segments_on_history {
            companies::refresh_segments(&mut self.tx, &tenant, &self.order.company_id).await?;
        }
        stock::announce(&mut self.tx, &tenant, &self.moves).await?;
        self.tx.commit().await?;
        let order = self.order;
        Ok(Order {
            id,
            company_id: order.company_id,
            buyer_id: order.buyer_id,
            status: OrderStatus::Pending,
            currency: order.currency,
            subtotal: order.subtotal,
            shipping: order.shipping,
            tax: order.tax,
            grand_total: order.grand_total,
            refunded: 0,
            shipping_refunded: 0,
            shipping_method: order.shipping_method.0,
            shipping_label: order.shipping_method.1,
            shipping_address: order.shipping_address,
            payment_method: order.payment_method.0,
            payment_label: order.payment_method.1,
            payment_status: status,
            payment_reference: reference,
            po_number: order.po_number,
            plugins: order.plugins,
            created_at: Timestamp::from_millis(at),
            updated_at: Timestamp::from_millis(at),
            lines,
        })
    }
}
