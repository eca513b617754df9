//! Orders: placing one in a single transaction with its stock reservations and credit
//! ([`place`]), moving it through its statuses with compensations ([`manage`]), refunding it
//! with credit memos ([`refund`]), and reading them back.

mod manage;
mod place;
mod refund;

use hanse_domain::currency::Currency;
use hanse_domain::order::{LineUnits, OrderStatus, PaymentStatus, Progress};
use hanse_domain::time::Timestamp;
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;

pub use self::manage::{ShipLine, ShipmentInput};
pub use self::place::{Begun, NewLine, NewOrder, PaymentOutcome, Placing, Refusal};
pub use self::refund::{CreditMemo, CreditMemoLine, RefundInput};
use crate::rows::{Dialect, Plan, fetch, fetch_planned, key_set};
use crate::sql::Bind;
use crate::tenants::TenantId;
use crate::{Result, Store, StoreError};

/// Where an order goes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderAddress {
    /// Who receives it.
    pub name: String,
    /// Street and number.
    pub street: String,
    /// City.
    pub city: String,
    /// Region or state code.
    pub region: String,
    /// Postal code.
    pub postcode: String,
    /// ISO 3166-1 alpha-2 country.
    pub country: String,
    /// Phone.
    pub phone: String,
}

/// One line of an order: what was bought, at exactly which price, and why that price.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderLine {
    /// The product.
    pub sku: String,
    /// Its name when ordered.
    pub name: String,
    /// Units.
    pub quantity: i64,
    /// List price per unit, 1/10,000 units.
    pub list_price: i64,
    /// Unit price paid, 1/10,000 units.
    pub unit_price: i64,
    /// Line total, 1/10,000 units (rounded to the currency's minor unit).
    pub line_total: i64,
    /// Whether units were sold beyond stock on hand (backorders with notice).
    pub backordered: bool,
    /// The pricing steps (list price, price list, plugins with their versions), JSON.
    pub explanation: serde_json::Value,
    /// Units shipped so far.
    pub qty_shipped: i64,
    /// Units refunded so far.
    pub qty_refunded: i64,
}

impl OrderLine {
    /// Its units ordered, shipped and refunded.
    pub fn units(&self) -> LineUnits {
        LineUnits { ordered: self.quantity, shipped: self.qty_shipped, refunded: self.qty_refunded }
    }
}

/// A status change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    /// The new status.
    pub status: OrderStatus,
    /// Who: `merchant`, a buyer id, or `system`.
    pub actor: String,
    /// Why.
    pub comment: String,
    /// When.
    pub at: Timestamp,
}

/// A shipment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shipment {
    /// Id.
    pub id: String,
    /// Carrier.
    pub carrier: String,
    /// Tracking number.
    pub tracking: String,
    /// What it holds.
    pub lines: Vec<ShipLine>,
    /// Which sources the units came from (none for products whose stock is not managed, and
    /// for shipments made before sources existed).
    pub sources: Vec<ShipmentSource>,
    /// When.
    pub created_at: Timestamp,
}

/// Units of a SKU a shipment took from one source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShipmentSource {
    /// The product.
    pub sku: String,
    /// The source's code.
    pub source: String,
    /// Units.
    pub quantity: i64,
}

/// What an order on credit terms owes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invoice {
    /// Id.
    pub id: String,
    /// The order.
    pub order_id: String,
    /// The company.
    pub company_id: String,
    /// Amount, 1/10,000 units.
    pub amount: i64,
    /// Currency.
    pub currency: String,
    /// When it is due.
    pub due_at: Timestamp,
    /// `open`, `paid` or `canceled`.
    pub status: String,
    /// When it was paid.
    pub paid_at: Option<Timestamp>,
    /// When it was raised.
    pub created_at: Timestamp,
}

/// An order.
#[derive(Debug, Clone, PartialEq)]
pub struct Order {
    /// Id (`ord_...`).
    pub id: String,
    /// The company that ordered.
    pub company_id: String,
    /// The buyer who placed it.
    pub buyer_id: String,
    /// Where it stands.
    pub status: OrderStatus,
    /// Currency.
    pub currency: Currency,
    /// Sum of the line totals, 1/10,000 units.
    pub subtotal: i64,
    /// Shipping, 1/10,000 units.
    pub shipping: i64,
    /// Tax, 1/10,000 units.
    pub tax: i64,
    /// What the company pays, 1/10,000 units.
    pub grand_total: i64,
    /// What credit memos gave back, 1/10,000 units.
    pub refunded: i64,
    /// The part of the shipping they gave back, 1/10,000 units.
    pub shipping_refunded: i64,
    /// Shipping method code.
    pub shipping_method: String,
    /// Its label.
    pub shipping_label: String,
    /// Destination.
    pub shipping_address: OrderAddress,
    /// Payment method code.
    pub payment_method: String,
    /// Its label.
    pub payment_label: String,
    /// Where the payment stands.
    pub payment_status: PaymentStatus,
    /// The payment's reference.
    pub payment_reference: String,
    /// The buyer's purchase order number.
    pub po_number: String,
    /// The plugins (id, version) that priced, shipped and took payment, JSON.
    pub plugins: serde_json::Value,
    /// When it was placed.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
    /// The lines, in cart order.
    pub lines: Vec<OrderLine>,
}

impl Order {
    /// Where its units stand, as the status machine needs it.
    pub fn progress(&self) -> Progress {
        Progress::of(self.lines.iter().map(OrderLine::units), self.shipping_refunded >= self.shipping)
    }
}

/// An order with its history, shipments and invoice.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderDetail {
    /// The order.
    pub order: Order,
    /// Status changes, oldest first.
    pub history: Vec<StatusChange>,
    /// Shipments, oldest first.
    pub shipments: Vec<Shipment>,
    /// The invoice of an order on credit terms.
    pub invoice: Option<Invoice>,
}

/// Which orders a listing returns; filters combine with AND.
#[derive(Debug, Clone, Default)]
pub struct OrderFilter {
    /// One company's.
    pub company_id: Option<String>,
    /// Placed by one of these buyers (an empty list matches nothing).
    pub buyer_ids: Option<Vec<String>>,
    /// In this status.
    pub status: Option<OrderStatus>,
    /// Older than this order id (the previous page's last).
    pub before: Option<String>,
    /// At most this many (1 to 200).
    pub limit: i64,
}

pub(crate) const ORDER_COLUMNS: &str = "id, company_id, buyer_id, status, currency, subtotal, shipping, tax, grand_total,
    refunded, shipping_refunded, shipping_method, shipping_label, shipping_address, payment_method, payment_label, payment_status, payment_reference,
    po_number, plugins, created_at, updated_at";

#[derive(Deserialize)]
pub(crate) struct OrderRow {
    id: String,
    company_id: String,
    buyer_id: String,
    status: String,
    currency: String,
    subtotal: i64,
    shipping: i64,
    tax: i64,
    grand_total: i64,
    refunded: i64,
    shipping_refunded: i64,
    shipping_method: String,
    shipping_label: String,
    shipping_address: String,
    payment_method: String,
    payment_label: String,
    payment_status: String,
    payment_reference: String,
    po_number: String,
    plugins: String,
    created_at: i64,
    updated_at: i64,
}

impl OrderRow {
    fn into_order(self, lines: Vec<OrderLine>) -> Result<Order> {
        let corrupt = |what: &str| {
            let what = what.to_owned();
            move |e: hanse_domain::ValueError| StoreError::corrupt(&what, e)
        };
        Ok(Order {
            status: OrderStatus::parse(&self.status).map_err(corrupt("order status"))?,
            currency: Currency::parse(&self.currency).map_err(corrupt("order currency"))?,
            payment_status: PaymentStatus::parse(&self.payment_status).map_err(corrupt("payment status"))?,
            shipping_address: serde_json::from_str(&self.shipping_address).map_err(|e| StoreError::corrupt("order address", e))?,
            plugins: serde_json::from_str(&self.plugins).map_err(|e| StoreError::corrupt("order plugins", e))?,
            id: self.id,
            company_id: self.company_id,
            buyer_id: self.buyer_id,
            subtotal: self.subtotal,
            shipping: self.shipping,
            tax: self.tax,
            grand_total: self.grand_total,
            refunded: self.refunded,
            shipping_refunded: self.shipping_refunded,
            shipping_method: self.shipping_method,
            shipping_label: self.shipping_label,
            payment_method: self.payment_method,
            payment_label: self.payment_label,
            payment_reference: self.payment_reference,
            po_number: self.po_number,
            created_at: Timestamp::from_millis(self.created_at),
            updated_at: Timestamp::from_millis(self.updated_at),
            lines,
        })
    }
}

const LINE_COLUMNS: &str = "order_id, sku, name, quantity, list_price, unit_price, line_total, backordered, explanation, qty_shipped, qty_refunded";

#[derive(Deserialize)]
struct LineRow {
    order_id: String,
    sku: String,
    name: String,
    quantity: i64,
    list_price: i64,
    unit_price: i64,
    line_total: i64,
    backordered: i64,
    explanation: String,
    qty_shipped: i64,
    qty_refunded: i64,
}

/// Reads orders by id with their lines, in the order of `ids`; missing ones are skipped.
/// `plan` may lock the order rows (not the lines) until the transaction ends.
pub(crate) async fn load(conn: &mut AnyConnection, tenant: &TenantId, ids: &[&str], plan: Plan) -> Result<Vec<Order>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let dialect = Dialect::of(conn);
    let binds = || vec![Bind::Text(tenant.as_str().to_owned()), Bind::Text(key_set(ids))];
    let rest = format!("FROM orders WHERE tenant_id = $1 AND {}", dialect.in_set("id", 2));
    let rows: Vec<OrderRow> = fetch_planned(conn, plan, ORDER_COLUMNS, &rest, Some("id"), binds(), "orders").await?;
    let rest = format!("FROM order_lines WHERE tenant_id = $1 AND {}", dialect.in_set("order_id", 2));
    let lines: Vec<LineRow> = fetch(conn, LINE_COLUMNS, &rest, Some("order_id, position"), binds(), "order lines").await?;
    let mut by_order: std::collections::HashMap<String, Vec<OrderLine>> = std::collections::HashMap::new();
    for l in lines {
        by_order.entry(l.order_id).or_default().push(OrderLine {
            sku: l.sku,
            name: l.name,
            quantity: l.quantity,
            list_price: l.list_price,
            unit_price: l.unit_price,
            line_total: l.line_total,
            backordered: l.backordered == 1,
            explanation: serde_json::from_str(&l.explanation).map_err(|e| StoreError::corrupt("order line explanation", e))?,
            qty_shipped: l.qty_shipped,
            qty_refunded: l.qty_refunded,
        });
    }
    let mut orders: std::collections::HashMap<String, Order> = std::collections::HashMap::new();
    for row in rows {
        let lines = by_order.remove(&row.id).unwrap_or_default();
        let order = row.into_order(lines)?;
        orders.insert(order.id.clone(), order);
    }
    Ok(ids.iter().filter_map(|id| orders.remove(*id)).collect())
}

/// The orders of one tenant.
pub struct Orders<'a> {
    store: &'a Store,
    tenant: &'a TenantId,
}

impl Store {
    /// The orders of `tenant`.
    pub fn orders<'a>(&'a self, tenant: &'a TenantId) -> Orders<'a> {
        Orders { store: self, tenant }
    }
}

impl Orders<'_> {
    /// An order with its lines.
    pub async fn get(&self, id: &str) -> Result<Order> {
        let mut conn = self.store.pool.acquire().await?;
        load(&mut conn, self.tenant, &[id], Plan::Kept).await?.pop().ok_or(StoreError::NotFound("order"))
    }

    /// An order with its lines, history, shipments and invoice.
    pub async fn detail(&self, id: &str) -> Result<OrderDetail> {
        let mut conn = self.store.pool.acquire().await?;
        let order = load(&mut conn, self.tenant, &[id], Plan::Kept).await?.pop().ok_or(StoreError::NotFound("order"))?;
        let history: Vec<(String, String, String, i64)> = sqlx::query_as(
            "SELECT status, actor, comment, created_at FROM order_history WHERE tenant_id = $1 AND order_id = $2 ORDER BY id",
        )
        .bind(self.tenant.as_str())
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        let history = history
            .into_iter()
            .map(|(status, actor, comment, at)| {
                Ok(StatusChange {
                    status: OrderStatus::parse(&status).map_err(|e| StoreError::corrupt("order history status", e))?,
                    actor,
                    comment,
                    at: Timestamp::from_millis(at),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let shipments: Vec<(String, String, String, String, i64)> = sqlx::query_as(
            "SELECT id, carrier, tracking, lines, created_at FROM shipments WHERE tenant_id = $1 AND order_id = $2 ORDER BY id",
        )
        .bind(self.tenant.as_str())
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
        let binds = vec![Bind::Text(self.tenant.as_str().to_owned()), Bind::Text(id.to_owned())];
        let rest = "FROM shipment_sources WHERE tenant_id = $1 AND order_id = $2";
        let taken: Vec<(String, String, String, i64)> =
            fetch(&mut conn, "shipment_id, sku, source_code, quantity", rest, Some("shipment_id, position"), binds, "shipment sources").await?;
        let shipments = shipments
            .into_iter()
            .map(|(id, carrier, tracking, lines, at)| {
                let sources = taken
                    .iter()
                    .filter(|(shipment, ..)| *shipment == id)
                    .map(|(_, sku, source, quantity)| ShipmentSource { sku: sku.clone(), source: source.clone(), quantity: *quantity })
                    .collect();
                Ok(Shipment {
                    lines: serde_json::from_str(&lines).map_err(|e| StoreError::corrupt("shipment lines", e))?,
                    id,
                    carrier,
                    tracking,
                    sources,
                    created_at: Timestamp::from_millis(at),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let invoice = manage::invoices(&mut conn, self.tenant, "order_id = $2", vec![Bind::Text(id.to_owned())]).await?.pop();
        Ok(OrderDetail { order, history, shipments, invoice })
    }

    /// The order a buyer placed with an idempotency key, with the hash of the request that
    /// carried it.
    pub async fn by_key(&self, buyer_id: &str, key: &str) -> Result<Option<(Order, Option<String>)>> {
        let found: Option<(String, Option<String>)> =
            sqlx::query_as("SELECT id, request_hash FROM orders WHERE tenant_id = $1 AND buyer_id = $2 AND idempotency_key = $3")
                .bind(self.tenant.as_str())
                .bind(buyer_id)
                .bind(key)
                .fetch_optional(&self.store.pool)
                .await?;
        match found {
            Some((id, hash)) => Ok(Some((self.get(&id).await?, hash))),
            None => Ok(None),
        }
    }

    /// Orders matching `filter`, newest first, with their lines.
    pub async fn list(&self, filter: &OrderFilter) -> Result<Vec<Order>> {
        let mut conn = self.store.pool.acquire().await?;
        let mut conditions = vec!["tenant_id = $1".to_owned()];
        let mut binds = vec![Bind::Text(self.tenant.as_str().to_owned())];
        let mut push = |condition: &dyn Fn(usize) -> String, bind: Bind| {
            binds.push(bind);
            conditions.push(condition(binds.len()));
        };
        let dialect = Dialect::of(&conn);
        if let Some(company) = &filter.company_id {
            push(&|n| format!("company_id = ${n}"), Bind::Text(company.clone()));
        }
        if let Some(buyers) = &filter.buyer_ids {
            push(&|n| dialect.in_set("buyer_id", n), Bind::Text(key_set(buyers)));
        }
        if let Some(status) = filter.status {
            push(&|n| format!("status = ${n}"), Bind::Text(status.as_str().to_owned()));
        }
        if let Some(before) = &filter.before {
            push(&|n| format!("id < ${n}"), Bind::Text(before.clone()));
        }
        // Order ids grow with time, so newest first is by id, which also pages.
        let rest = format!("FROM orders WHERE {} ORDER BY id DESC LIMIT {}", conditions.join(" AND "), filter.limit.clamp(1, 200));
        let ids: Vec<String> = {
            let mut query = sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(format!("SELECT id {rest}")));
            for bind in binds {
                query = match bind {
                    Bind::Text(v) => query.bind(v),
                    Bind::OptText(v) => query.bind(v),
                    Bind::Int(v) => query.bind(v),
                    Bind::OptInt(v) => query.bind(v),
                };
            }
            query.fetch_all(&mut *conn).await?
        };
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        load(&mut conn, self.tenant, &ids, Plan::Kept).await
    }
}
