//! Orders as buyers and merchants see them.

use hanse_domain::credit::format_amount;
use hanse_store::{CreditMemo, Invoice, Order, OrderDetail, Shipment, StatusChange};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::checkout::AddressOut;
use super::plugin::fixed4;

/// One line of an order.
#[derive(Serialize, ToSchema)]
pub struct OrderLineOut {
    /// The product.
    pub sku: String,
    /// Its name when ordered.
    pub name: String,
    /// Units.
    pub quantity: i64,
    /// Units shipped.
    pub quantity_shipped: i64,
    /// Units refunded by credit memos.
    pub quantity_refunded: i64,
    /// List price per unit (4 decimals).
    pub list_price: String,
    /// Unit price paid (4 decimals).
    pub unit_price: String,
    /// Line total.
    pub line_total: String,
    /// Sold beyond stock on hand (backorders).
    pub backordered: bool,
    /// How the unit price was reached: list price, price list, plugins with their versions.
    #[schema(value_type = Vec<Object>)]
    pub explanation: serde_json::Value,
}

/// How an order is paid.
#[derive(Serialize, ToSchema)]
pub struct PaymentOut {
    /// Method code.
    pub method: String,
    /// Its label.
    pub label: String,
    /// `authorized`, `pending`, `on_account` or `on_terms`.
    pub status: String,
    /// The payment's reference.
    pub reference: String,
}

/// How an order ships.
#[derive(Serialize, ToSchema)]
pub struct ShippingOut {
    /// Method code.
    pub method: String,
    /// Its label.
    pub label: String,
    /// Where.
    pub address: AddressOut,
}

/// A status change.
#[derive(Serialize, ToSchema)]
pub struct StatusChangeOut {
    /// New status.
    pub status: String,
    /// Who.
    pub actor: String,
    /// Why.
    pub comment: String,
    /// When (RFC 3339).
    pub at: String,
}

/// Units of a SKU in a shipment or a refund.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShipLineIo {
    /// The product.
    pub sku: String,
    /// Units.
    pub quantity: i64,
}

/// A shipment.
#[derive(Serialize, ToSchema)]
pub struct ShipmentOut {
    /// Id.
    pub id: String,
    /// Carrier.
    pub carrier: String,
    /// Tracking number.
    pub tracking: String,
    /// What it holds.
    pub lines: Vec<ShipLineIo>,
    /// Which source (warehouse) each SKU's units came from, in the order they were taken; the
    /// merchant's only (absent in the storefront).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sources: Option<Vec<ShipmentSourceOut>>,
    /// When (RFC 3339).
    pub created_at: String,
}

/// Units of a SKU a shipment took from one source.
#[derive(Serialize, ToSchema)]
pub struct ShipmentSourceOut {
    /// The product.
    pub sku: String,
    /// The source's code.
    pub source: String,
    /// Units.
    pub quantity: i64,
}

/// An invoice of an order on credit terms.
#[derive(Serialize, ToSchema)]
pub struct InvoiceOut {
    /// Id.
    pub id: String,
    /// The order.
    pub order_id: String,
    /// The company.
    pub company_id: String,
    /// Amount.
    pub amount: String,
    /// Currency.
    pub currency: String,
    /// Due (RFC 3339).
    pub due_at: String,
    /// `open`, `paid` or `canceled`.
    pub status: String,
    /// Whether it is open and past due.
    pub overdue: bool,
    /// When it was paid.
    pub paid_at: Option<String>,
    /// When it was raised.
    pub created_at: String,
}

/// An order.
#[derive(Serialize, ToSchema)]
pub struct OrderOut {
    /// Id.
    #[schema(example = "ord_01k0...")]
    pub id: String,
    /// `pending`, `processing`, `shipped`, `complete`, `canceled` or `closed` (everything
    /// refunded).
    #[schema(example = "pending")]
    pub status: String,
    /// The company.
    pub company_id: String,
    /// The buyer who placed it.
    pub buyer_id: String,
    /// Currency.
    pub currency: String,
    /// Sum of the lines.
    pub subtotal: String,
    /// Shipping.
    pub shipping_amount: String,
    /// Tax.
    pub tax: String,
    /// What the company pays.
    #[schema(example = "300.00")]
    pub grand_total: String,
    /// What credit memos gave back.
    #[schema(example = "0.00")]
    pub refunded: String,
    /// The part of the shipping they gave back.
    pub shipping_refunded: String,
    /// How it ships.
    pub shipping: ShippingOut,
    /// How it is paid.
    pub payment: PaymentOut,
    /// The buyer's purchase order number.
    pub po_number: String,
    /// The lines.
    pub lines: Vec<OrderLineOut>,
    /// The plugins (id and version) that priced, shipped and took payment.
    #[schema(value_type = Object)]
    pub plugins: serde_json::Value,
    /// When it was placed (RFC 3339).
    pub created_at: String,
    /// When it last changed.
    pub updated_at: String,
    /// Status changes, oldest first (order detail only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history: Option<Vec<StatusChangeOut>>,
    /// Shipments (order detail only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shipments: Option<Vec<ShipmentOut>>,
    /// The invoice of an order on credit terms (order detail only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invoice: Option<InvoiceOut>,
}

impl From<&Order> for OrderOut {
    fn from(o: &Order) -> Self {
        let money = |units: i64| format_amount(units, o.currency);
        OrderOut {
            id: o.id.clone(),
            status: o.status.as_str().to_owned(),
            company_id: o.company_id.clone(),
            buyer_id: o.buyer_id.clone(),
            currency: o.currency.code().to_owned(),
            subtotal: money(o.subtotal),
            shipping_amount: money(o.shipping),
            tax: money(o.tax),
            grand_total: money(o.grand_total),
            refunded: money(o.refunded),
            shipping_refunded: money(o.shipping_refunded),
            shipping: ShippingOut { method: o.shipping_method.clone(), label: o.shipping_label.clone(), address: (&o.shipping_address).into() },
            payment: PaymentOut {
                method: o.payment_method.clone(),
                label: o.payment_label.clone(),
                status: o.payment_status.as_str().to_owned(),
                reference: o.payment_reference.clone(),
            },
            po_number: o.po_number.clone(),
            lines: o
                .lines
                .iter()
                .map(|l| OrderLineOut {
                    sku: l.sku.clone(),
                    name: l.name.clone(),
                    quantity: l.quantity,
                    quantity_shipped: l.qty_shipped,
                    quantity_refunded: l.qty_refunded,
                    list_price: fixed4(l.list_price),
                    unit_price: fixed4(l.unit_price),
                    line_total: money(l.line_total),
                    backordered: l.backordered,
                    explanation: l.explanation.clone(),
                })
                .collect(),
            plugins: o.plugins.clone(),
            created_at: o.created_at.to_string(),
            updated_at: o.updated_at.to_string(),
            history: None,
            shipments: None,
            invoice: None,
        }
    }
}

impl From<&OrderDetail> for OrderOut {
    fn from(d: &OrderDetail) -> Self {
        OrderOut {
            history: Some(d.history.iter().map(StatusChangeOut::from).collect()),
            shipments: Some(d.shipments.iter().map(ShipmentOut::from).collect()),
            invoice: d.invoice.as_ref().map(|i| InvoiceOut::new(i, hanse_store::now())),
            ..OrderOut::from(&d.order)
        }
    }
}

impl OrderOut {
    /// The order as its buyer sees it: without the warehouses its shipments came from, which
    /// are the merchant's business.
    pub fn for_buyer(mut self) -> Self {
        for shipment in self.shipments.iter_mut().flatten() {
            shipment.sources = None;
        }
        self
    }
}

impl From<&StatusChange> for StatusChangeOut {
    fn from(c: &StatusChange) -> Self {
        StatusChangeOut { status: c.status.as_str().to_owned(), actor: c.actor.clone(), comment: c.comment.clone(), at: c.at.to_string() }
    }
}

impl From<&Shipment> for ShipmentOut {
    fn from(s: &Shipment) -> Self {
        ShipmentOut {
            id: s.id.clone(),
            carrier: s.carrier.clone(),
            tracking: s.tracking.clone(),
            lines: s.lines.iter().map(|l| ShipLineIo { sku: l.sku.clone(), quantity: l.quantity }).collect(),
            sources: Some(s.sources.iter().map(|t| ShipmentSourceOut { sku: t.sku.clone(), source: t.source.clone(), quantity: t.quantity }).collect()),
            created_at: s.created_at.to_string(),
        }
    }
}

impl InvoiceOut {
    /// The wire form of `invoice` as of `now`.
    pub fn new(invoice: &Invoice, now: hanse_domain::time::Timestamp) -> Self {
        let amount = hanse_domain::currency::Currency::parse(&invoice.currency)
            .map_or_else(|_| fixed4(invoice.amount), |c| format_amount(invoice.amount, c));
        InvoiceOut {
            id: invoice.id.clone(),
            order_id: invoice.order_id.clone(),
            company_id: invoice.company_id.clone(),
            amount,
            currency: invoice.currency.clone(),
            due_at: invoice.due_at.to_string(),
            status: invoice.status.clone(),
            overdue: invoice.status == "open" && invoice.due_at < now,
            paid_at: invoice.paid_at.map(|t| t.to_string()),
            created_at: invoice.created_at.to_string(),
        }
    }
}

/// A page of orders, newest first.
#[derive(Serialize, ToSchema)]
pub struct OrderPage {
    /// The orders.
    pub orders: Vec<OrderOut>,
    /// Pass as `before` for the next page; absent on the last.
    pub next: Option<String>,
}

/// Filters of an order listing.
#[derive(Deserialize, IntoParams, Default)]
#[serde(deny_unknown_fields)]
pub struct OrderQuery {
    /// Only this status.
    pub status: Option<String>,
    /// Only this company's (merchant listing).
    pub company_id: Option<String>,
    /// The previous page's `next`.
    pub before: Option<String>,
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<i64>,
}

/// Body of the merchant's status actions: an optional comment for the history.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct OrderActionIn {
    /// Why.
    #[serde(default)]
    pub comment: Option<String>,
}

/// Body of `POST /admin/v1/orders/{id}/shipments`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShipmentIn {
    /// Carrier.
    #[schema(example = "UPS")]
    pub carrier: String,
    /// Tracking number.
    #[serde(default)]
    pub tracking: Option<String>,
    /// What ships; absent ships everything not shipped yet.
    #[serde(default)]
    pub lines: Option<Vec<ShipLineIo>>,
    /// The source (warehouse) every line ships from; absent takes each line from the enabled
    /// sources in priority order, each giving what it holds.
    #[serde(default)]
    #[schema(example = "berlin")]
    pub source: Option<String>,
}

/// Answer of `POST /admin/v1/orders/{id}/shipments`.
#[derive(Serialize, ToSchema)]
pub struct ShipmentCreated {
    /// The shipment's id.
    pub shipment_id: String,
    /// The shipment, with the sources its units came from.
    pub shipment: ShipmentOut,
    /// The order after it.
    pub order: OrderOut,
}

/// Invoices, by due date.
#[derive(Serialize, ToSchema)]
pub struct InvoicesOut {
    /// The invoices.
    pub invoices: Vec<InvoiceOut>,
}

/// Filters of the invoice listing.
#[derive(Deserialize, IntoParams, Default)]
#[serde(deny_unknown_fields)]
pub struct InvoiceQuery {
    /// Only open invoices past their due date.
    pub overdue: Option<bool>,
    /// Only this company's.
    pub company_id: Option<String>,
}

/// Body of `POST /admin/v1/orders/{id}/refunds`: a credit memo. Without `lines`, everything not
/// refunded yet is, shipping included (Magento's default memo).
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct RefundIn {
    /// Units per SKU to refund (each SKU once).
    #[serde(default)]
    pub lines: Option<Vec<ShipLineIo>>,
    /// Shipping to refund; absent: all that is left when `lines` is absent, else none.
    #[serde(default)]
    #[schema(example = "5.00")]
    pub shipping: Option<String>,
    /// An adjustment: positive refunds more ("adjustment refund"), negative keeps a fee back
    /// ("adjustment fee").
    #[serde(default)]
    #[schema(example = "-10.00")]
    pub adjustment: Option<String>,
    /// Put refunded units that had shipped back into stock on hand (Magento's "Return to
    /// Stock"); units not shipped yet are always given back to salable.
    #[serde(default)]
    pub return_to_stock: Option<bool>,
    /// Why.
    #[serde(default)]
    pub comment: Option<String>,
}

/// Units of a SKU in a credit memo.
#[derive(Serialize, ToSchema)]
pub struct CreditMemoLineOut {
    /// The product.
    pub sku: String,
    /// Units refunded.
    pub quantity: i64,
    /// Their share of the line total.
    pub amount: String,
    /// Units that had not shipped: their stock reservation was given back.
    pub unshipped: i64,
    /// Units that had shipped and went back to stock: to the source the order's shipments took
    /// the SKU from first (its stock on hand while it is enabled), else to `default`.
    pub restocked: i64,
}

/// A credit memo: what one refund gave back.
#[derive(Serialize, ToSchema)]
pub struct CreditMemoOut {
    /// Id.
    #[schema(example = "cm_01k0...")]
    pub id: String,
    /// The order.
    pub order_id: String,
    /// The company.
    pub company_id: String,
    /// Currency.
    pub currency: String,
    /// The lines refunded.
    pub lines: Vec<CreditMemoLineOut>,
    /// Sum of the lines.
    pub subtotal: String,
    /// The lines' share of the order's tax (all of what is left in the memo that refunds the
    /// last unit).
    pub tax: String,
    /// Shipping refunded.
    pub shipping: String,
    /// Adjustment: refund (positive) or fee (negative).
    pub adjustment: String,
    /// What the memo gave back: subtotal + tax + shipping + adjustment.
    #[schema(example = "36.00")]
    pub total: String,
    /// Whether shipped units went back to stock on hand.
    pub return_to_stock: bool,
    /// Where the money went: `credit` (payment on account, credit history `refunded`),
    /// `invoice` (off the open invoice, canceled at zero) or `offline` (a paid invoice or a
    /// plugin's payment: settled outside Hanse).
    pub settlement: String,
    /// The invoice it came off.
    pub invoice_id: Option<String>,
    /// Why.
    pub comment: String,
    /// Who.
    pub actor: String,
    /// When (RFC 3339).
    pub created_at: String,
}

impl From<&CreditMemo> for CreditMemoOut {
    fn from(m: &CreditMemo) -> Self {
        let money = |units: i64| format_amount(units, m.currency);
        CreditMemoOut {
            id: m.id.clone(),
            order_id: m.order_id.clone(),
            company_id: m.company_id.clone(),
            currency: m.currency.code().to_owned(),
            lines: m
                .lines
                .iter()
                .map(|l| CreditMemoLineOut { sku: l.sku.clone(), quantity: l.quantity, amount: money(l.amount), unshipped: l.unshipped, restocked: l.restocked })
                .collect(),
            subtotal: money(m.subtotal),
            tax: money(m.tax),
            shipping: money(m.shipping),
            adjustment: money(m.adjustment),
            total: money(m.total),
            return_to_stock: m.return_to_stock,
            settlement: m.settlement.as_str().to_owned(),
            invoice_id: m.invoice_id.clone(),
            comment: m.comment.clone(),
            actor: m.actor.clone(),
            created_at: m.created_at.to_string(),
        }
    }
}

/// Answer of `POST /admin/v1/orders/{id}/refunds`.
#[derive(Serialize, ToSchema)]
pub struct RefundCreated {
    /// The memo.
    pub credit_memo: CreditMemoOut,
    /// The order after it.
    pub order: OrderOut,
}

/// An order's credit memos, oldest first.
#[derive(Serialize, ToSchema)]
pub struct CreditMemosOut {
    /// The memos.
    pub credit_memos: Vec<CreditMemoOut>,
}
