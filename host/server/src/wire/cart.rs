//! The cart and quick order, as the storefront shows them.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::plugin::StepOut;

/// Body of `POST /store/v1/cart/items`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CartItemIn {
    /// The product.
    #[schema(example = "BOLT-M8")]
    pub sku: String,
    /// Units to add (added to what the cart holds already).
    #[schema(example = 3)]
    pub quantity: i64,
}

/// Body of `PATCH /store/v1/cart/items/{sku}`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CartItemPatch {
    /// The line's new quantity.
    pub quantity: i64,
}

/// A buyer's cart, priced live.
#[derive(Serialize, ToSchema)]
pub struct CartOut {
    /// ISO 4217 code of every amount.
    pub currency: String,
    /// Lines in the order they were first added.
    pub lines: Vec<CartLineOut>,
    /// Sum of the totals of lines without a problem.
    #[schema(example = "200.00")]
    pub subtotal: String,
    /// Units over all lines.
    pub item_count: i64,
    /// Lines with a problem (they count in no total until it is fixed).
    pub problems: usize,
    /// Set when pricing failed (a pricing plugin): every line is then `unpriceable`.
    pub pricing_error: Option<PricingErrorOut>,
}

/// Why the cart could not be priced.
#[derive(Serialize, ToSchema)]
pub struct PricingErrorOut {
    /// Stable code (`pricing_plugin_failed`).
    pub code: String,
    /// What happened.
    pub message: String,
}

/// One cart line.
#[derive(Serialize, ToSchema)]
pub struct CartLineOut {
    /// SKU.
    pub sku: String,
    /// Product name; null when the product is no longer available.
    pub name: Option<String>,
    /// Units.
    pub quantity: i64,
    /// Unit price, 4 decimals; null when the line cannot be priced.
    pub unit_price: Option<String>,
    /// Unit price times quantity in the currency's decimals; null when not priced.
    pub line_total: Option<String>,
    /// How the unit price was reached.
    pub explanation: Vec<StepOut>,
    /// What keeps the line from being ordered, if anything: `unavailable` (hidden from the
    /// company's catalog or deleted), `disabled`, `not_purchasable`, `quantity_invalid`,
    /// `quantity_increment`, `quantity_range`, `out_of_stock`, `unpriceable`.
    pub problem: Option<String>,
    /// The problem in words.
    pub message: Option<String>,
}

/// Body of `POST /store/v1/quick-order` as JSON (CSV is the other form).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuickOrderIn {
    /// Up to 10,000 lines.
    pub items: Vec<QuickOrderItemIn>,
}

/// One requested line; the quantity may be a number or a string, and a bad one answers
/// `failed_qty_invalid` for its line rather than refusing the request.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuickOrderItemIn {
    /// The product.
    pub sku: String,
    /// Units.
    #[schema(value_type = Object)]
    pub quantity: serde_json::Value,
}

/// What a quick order did, line by line.
#[derive(Serialize, ToSchema)]
pub struct QuickOrderOut {
    /// One per requested line, in input order.
    pub lines: Vec<LineOutcomeOut>,
    /// Lines added.
    pub added: usize,
    /// Lines refused.
    pub failed: usize,
}

/// The outcome of one requested line.
#[derive(Serialize, ToSchema)]
pub struct LineOutcomeOut {
    /// 1-based position among the requested lines.
    pub line: usize,
    /// The SKU as given.
    pub sku: String,
    /// The quantity, when it was a whole number.
    pub quantity: Option<i64>,
    /// `added`, `failed_sku`, `failed_permissions`, `failed_disabled`, `failed_qty_invalid`,
    /// `failed_qty_increment`, `failed_qty_range` or `failed_out_of_stock`.
    #[schema(example = "added")]
    pub outcome: String,
    /// The outcome in words.
    pub message: String,
}
