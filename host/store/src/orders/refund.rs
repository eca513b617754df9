//! Refunds: credit memos (Magento's), each one write transaction with its compensations.
//!
//! The order row is locked first, then the stock rows in SKU order, then the credit line: the
//! order every other transaction of an order takes, so none deadlock. The domain
//! ([`hanse_domain::order::refund`]) decides the memo from what was read under the lock; the
//! memo, its lines and the order's refunded counts are written with the compensations:
//! - refunded units not yet shipped end their reservation (`order_refunded`, +qty): they are
//!   salable again;
//! - refunded units that had shipped go back to stock on hand only when the merchant says so
//!   (`return_to_stock`, Magento's "Return to Stock"); damaged goods do not. They go back to the
//!   source the order's shipments took the SKU from first, or to `default` when none is
//!   recorded or that source no longer holds the SKU;
//! - the money goes back to the company's credit (history `refunded`), comes off the order's
//!   open invoice (canceled at zero), or, for a paid invoice or a payment a plugin took, is
//!   settled outside Hanse; the memo records which;
//! - the company's `order_total` (order-history segments) loses the memo's total.
//!
//! Events: `order.refunded`, `credit.changed` when the credit moved, `order.<status>` when the
//! status did, and the stock events of the units given back.

use std::collections::HashMap;

use hanse_domain::credit::{CreditOperation, format_amount};
use hanse_domain::currency::Currency;
use hanse_domain::inventory::ReservationReason;
use hanse_domain::order::{RefundLine, RefundRequest, Refundable, Settlement, refund};
use hanse_domain::time::Timestamp;
use serde::Deserialize;
use serde_json::json;

use super::manage::{give_back, record_status};
use super::{Order, Orders};
use crate::credit::CreditNote;
use crate::ids::{new_id, now};
use crate::outbox;
use crate::rows::fetch;
use crate::sql::{Bind, values_rows};
use crate::stock::{self, Compensation};
use crate::{Result, StoreError};

/// A refund to make.
#[derive(Debug, Clone, Default)]
pub struct RefundInput {
    /// What to refund: units, shipping, adjustment.
    pub request: RefundRequest,
    /// Whether refunded units that had shipped go back to stock on hand.
    pub return_to_stock: bool,
    /// Why (at most 500 characters; may be empty).
    pub comment: String,
}

/// Units of one line in a credit memo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditMemoLine {
    /// The product.
    pub sku: String,
    /// Units refunded.
    pub quantity: i64,
    /// Their share of the line total, 1/10,000 units.
    pub amount: i64,
    /// Units that had not shipped: their reservation was compensated.
    pub unshipped: i64,
    /// Units that had shipped and went back to stock: to the source the order's shipments took
    /// the SKU from first (its stock on hand while it is enabled), else to `default`.
    pub restocked: i64,
}

/// A credit memo: what one refund gave back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditMemo {
    /// Id (`cm_...`).
    pub id: String,
    /// The order.
    pub order_id: String,
    /// The company.
    pub company_id: String,
    /// Currency.
    pub currency: Currency,
    /// The lines, in the order's line order.
    pub lines: Vec<CreditMemoLine>,
    /// Sum of the lines' amounts, 1/10,000 units.
    pub subtotal: i64,
    /// The lines' share of the order's tax, 1/10,000 units.
    pub tax: i64,
    /// Shipping refunded, 1/10,000 units.
    pub shipping: i64,
    /// Adjustment refund (positive) or fee (negative), 1/10,000 units.
    pub adjustment: i64,
    /// What it gave back, 1/10,000 units.
    pub total: i64,
    /// Whether shipped units went back to stock on hand.
    pub return_to_stock: bool,
    /// Where the money went.
    pub settlement: Settlement,
    /// The invoice it came off (settlement `invoice`).
    pub invoice_id: Option<String>,
    /// Why.
    pub comment: String,
    /// Who.
    pub actor: String,
    /// When.
    pub created_at: Timestamp,
}

const MEMO_COLUMNS: &str =
    "id, order_id, company_id, currency, subtotal, tax, shipping, adjustment, total, return_to_stock, settlement, invoice_id, comment, actor, created_at";

#[derive(Deserialize)]
struct MemoRow {
    id: String,
    order_id: String,
    company_id: String,
    currency: String,
    subtotal: i64,
    tax: i64,
    shipping: i64,
    adjustment: i64,
    total: i64,
    return_to_stock: i64,
    settlement: String,
    invoice_id: Option<String>,
    comment: String,
    actor: String,
    created_at: i64,
}

const MEMO_LINE_COLUMNS: &str = "memo_id, sku, quantity, amount, unshipped, restocked";

#[derive(Deserialize)]
struct MemoLineRow {
    memo_id: String,
    sku: String,
    quantity: i64,
    amount: i64,
    unshipped: i64,
    restocked: i64,
}

impl Orders<'_> {
    /// Refunds part or all of an order with a credit memo, in one transaction with its
    /// compensations (see the module). Refused, with nothing written, when the order is
    /// canceled or closed (`order_not_refundable`), names a SKU it does not have
    /// (`unknown_sku`), asks more than is left to refund (`refund_exceeds_order`), or names
    /// nothing, a SKU twice or an adjustment fee beyond what is refunded (`refund_invalid`).
    pub async fn refund(&self, id: &str, input: &RefundInput, actor: &str) -> Result<(Order, CreditMemo)> {
        let (mut tx, mut order) = self.locked(id).await?;
        let lines: Vec<RefundLine> = order.lines.iter().map(|l| RefundLine { sku: l.sku.clone(), units: l.units(), line_total: l.line_total }).collect();
        let refundable = Refundable {
            status: order.status,
            currency: order.currency,
            lines: &lines,
            subtotal: order.subtotal,
            shipping: order.shipping,
            tax: order.tax,
            grand_total: order.grand_total,
            shipping_refunded: order.shipping_refunded,
            refunded: order.refunded,
        };
        let memo = refund(&refundable, &input.request).map_err(|e| StoreError::Refused(e.code(), e.to_string()))?;
        let memo_id = new_id("cm_");
        let at = now().millis();

        let returned = input.return_to_stock && memo.lines.iter().any(|l| l.shipped() > 0);
        let shipped_from = if returned { self.first_sources(&mut tx, &order.id).await? } else { HashMap::new() };
        let mut compensations: Vec<Compensation<'_>> = memo
            .lines
            .iter()
            .map(|l| Compensation {
                sku: &l.sku,
                release: l.unshipped,
                on_hand: if input.return_to_stock { l.shipped() } else { 0 },
                source: shipped_from.get(l.sku.as_str()).map(String::as_str),
            })
            .filter(|c| c.release > 0 || c.on_hand > 0)
            .collect();
        compensations.sort_unstable_by_key(|c| c.sku);
        let moves = stock::compensate(&mut tx, self.tenant, &compensations, &order.id, ReservationReason::OrderRefunded).await?;
        let note = CreditNote { actor, order_id: Some(&order.id), reference: &memo_id, comment: &input.comment };
        let (settlement, invoice_id) = give_back(&mut tx, self.tenant, &order, memo.total, 0, CreditOperation::Refunded, note).await?;

        // Each memo line with the position of its order line.
        let memo_lines: Vec<(i64, CreditMemoLine)> = {
            let positions: HashMap<&str, usize> = order.lines.iter().enumerate().map(|(i, l)| (l.sku.as_str(), i)).collect();
            let restocked: HashMap<&str, i64> = moves.iter().map(|m| (m.sku.as_str(), m.sources.iter().map(|(_, units)| units).sum())).collect();
            memo.lines
                .iter()
                .map(|l| {
                    let line = CreditMemoLine {
                        sku: l.sku.clone(),
                        quantity: l.quantity,
                        amount: l.amount,
                        unshipped: l.unshipped,
                        restocked: restocked.get(l.sku.as_str()).copied().unwrap_or(0),
                    };
                    (positions.get(l.sku.as_str()).copied().unwrap_or_default() as i64, line)
                })
                .collect()
        };
        let written = CreditMemo {
            id: memo_id.clone(),
            order_id: order.id.clone(),
            company_id: order.company_id.clone(),
            currency: order.currency,
            lines: memo_lines.iter().map(|(_, l)| l.clone()).collect(),
            subtotal: memo.subtotal,
            tax: memo.tax,
            shipping: memo.shipping,
            adjustment: memo.adjustment,
            total: memo.total,
            return_to_stock: input.return_to_stock,
            settlement,
            invoice_id,
            comment: input.comment.clone(),
            actor: actor.to_owned(),
            created_at: Timestamp::from_millis(at),
        };
        self.write_memo(&mut tx, &written, &memo_lines).await?;
        for line in &written.lines {
            sqlx::query("UPDATE order_lines SET qty_refunded = qty_refunded + $4 WHERE tenant_id = $1 AND order_id = $2 AND sku = $3")
                .bind(self.tenant.as_str())
                .bind(order.id.as_str())
                .bind(line.sku.as_str())
                .bind(line.quantity)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("UPDATE orders SET refunded = refunded + $3, shipping_refunded = shipping_refunded + $4, updated_at = $5 WHERE tenant_id = $1 AND id = $2")
            .bind(self.tenant.as_str())
            .bind(order.id.as_str())
            .bind(memo.total)
            .bind(memo.shipping)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        let history = if input.comment.is_empty() { format!("credit memo {memo_id}") } else { format!("credit memo {memo_id}: {}", input.comment) };
        if memo.status == order.status {
            record_status(&mut tx, self.tenant, &order.id, order.status, actor, &history, at).await?;
        } else {
            self.moved(&mut tx, &order, memo.status, actor, &history, at).await?;
        }
        let money = |units: i64| format_amount(units, order.currency);
        let payload = json!({
            "order_id": order.id,
            "company_id": order.company_id,
            "credit_memo_id": memo_id,
            "currency": order.currency.code(),
            "lines": written.lines.iter().map(|l| json!({"sku": l.sku, "quantity": l.quantity, "amount": money(l.amount), "restocked": l.restocked})).collect::<Vec<_>>(),
            "subtotal": money(memo.subtotal),
            "tax": money(memo.tax),
            "shipping": money(memo.shipping),
            "adjustment": money(memo.adjustment),
            "total": money(memo.total),
            "settlement": settlement.as_str(),
            "invoice_id": written.invoice_id,
            "status": memo.status.as_str(),
        });
        outbox::event(&mut tx, self.tenant, "order.refunded", &payload).await?;
        stock::announce(&mut tx, self.tenant, &moves).await?;
        tx.commit().await?;

        for (position, line) in &memo_lines {
            if let Some(l) = order.lines.get_mut(*position as usize) {
                l.qty_refunded += line.quantity;
            }
        }
        order.refunded += memo.total;
        order.shipping_refunded += memo.shipping;
        order.status = memo.status;
        order.updated_at = Timestamp::from_millis(at);
        Ok((order, written))
    }

    /// The source each SKU of `order` was first shipped from.
    async fn first_sources(&self, conn: &mut sqlx::AnyConnection, order: &str) -> Result<HashMap<String, String>> {
        let binds = vec![Bind::Text(self.tenant.as_str().to_owned()), Bind::Text(order.to_owned())];
        let rest = "FROM shipment_sources WHERE tenant_id = $1 AND order_id = $2";
        let taken: Vec<(String, String)> = fetch(conn, "sku, source_code", rest, Some("shipment_id, position"), binds, "shipment sources").await?;
        let mut first = HashMap::new();
        for (sku, source) in taken {
            first.entry(sku).or_insert(source);
        }
        Ok(first)
    }

    async fn write_memo(&self, conn: &mut sqlx::AnyConnection, memo: &CreditMemo, lines: &[(i64, CreditMemoLine)]) -> Result<()> {
        sqlx::query(
            "INSERT INTO credit_memos (tenant_id, id, order_id, company_id, currency, subtotal, tax, shipping, adjustment, total,
                 return_to_stock, settlement, invoice_id, comment, actor, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
        )
        .bind(self.tenant.as_str())
        .bind(memo.id.as_str())
        .bind(memo.order_id.as_str())
        .bind(memo.company_id.as_str())
        .bind(memo.currency.code())
        .bind(memo.subtotal)
        .bind(memo.tax)
        .bind(memo.shipping)
        .bind(memo.adjustment)
        .bind(memo.total)
        .bind(i64::from(memo.return_to_stock))
        .bind(memo.settlement.as_str())
        .bind(memo.invoice_id.as_deref())
        .bind(memo.comment.as_str())
        .bind(memo.actor.as_str())
        .bind(memo.created_at.millis())
        .execute(&mut *conn)
        .await?;
        for chunk in lines.chunks(100) {
            let sql = format!(
                "INSERT INTO credit_memo_lines (tenant_id, memo_id, order_id, position, sku, quantity, amount, unshipped, restocked) VALUES {}",
                values_rows(chunk.len(), 9)
            );
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).persistent(chunk.len() <= 10);
            for (position, l) in chunk {
                query = query
                    .bind(self.tenant.as_str())
                    .bind(memo.id.as_str())
                    .bind(memo.order_id.as_str())
                    .bind(*position)
                    .bind(l.sku.as_str())
                    .bind(l.quantity)
                    .bind(l.amount)
                    .bind(l.unshipped)
                    .bind(l.restocked);
            }
            query.execute(&mut *conn).await?;
        }
        Ok(())
    }

    /// The credit memos of an order, oldest first (`not found` when there is no such order).
    pub async fn credit_memos(&self, order_id: &str) -> Result<Vec<CreditMemo>> {
        let mut conn = self.store.pool.acquire().await?;
        let exists: Option<i64> = sqlx::query_scalar("SELECT 1 FROM orders WHERE tenant_id = $1 AND id = $2")
            .bind(self.tenant.as_str())
            .bind(order_id)
            .fetch_optional(&mut *conn)
            .await?;
        if exists.is_none() {
            return Err(StoreError::NotFound("order"));
        }
        let binds = || vec![Bind::Text(self.tenant.as_str().to_owned()), Bind::Text(order_id.to_owned())];
        let rest = "FROM credit_memos WHERE tenant_id = $1 AND order_id = $2";
        let memos: Vec<MemoRow> = fetch(&mut conn, MEMO_COLUMNS, rest, Some("id"), binds(), "credit memos").await?;
        let rest = "FROM credit_memo_lines WHERE tenant_id = $1 AND order_id = $2";
        let lines: Vec<MemoLineRow> = fetch(&mut conn, MEMO_LINE_COLUMNS, rest, Some("memo_id, position"), binds(), "credit memo lines").await?;
        memos
            .into_iter()
            .map(|m| {
                Ok(CreditMemo {
                    lines: lines
                        .iter()
                        .filter(|l| l.memo_id == m.id)
                        .map(|l| CreditMemoLine { sku: l.sku.clone(), quantity: l.quantity, amount: l.amount, unshipped: l.unshipped, restocked: l.restocked })
                        .collect(),
                    currency: Currency::parse(&m.currency).map_err(|e| StoreError::corrupt("credit memo currency", e))?,
                    settlement: Settlement::parse(&m.settlement).map_err(|e| StoreError::corrupt("credit memo settlement", e))?,
                    id: m.id,
                    order_id: m.order_id,
                    company_id: m.company_id,
                    subtotal: m.subtotal,
                    tax: m.tax,
                    shipping: m.shipping,
                    adjustment: m.adjustment,
                    total: m.total,
                    return_to_stock: m.return_to_stock == 1,
                    invoice_id: m.invoice_id,
                    comment: m.comment,
                    actor: m.actor,
                    created_at: Timestamp::from_millis(m.created_at),
                })
            })
            .collect()
    }
}
