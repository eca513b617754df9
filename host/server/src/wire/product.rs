//! Products, as the admin and storefront APIs show them.

use std::collections::BTreeMap;

use hanse_domain::product::{ProductDraft, ProductInput, StockQuantity};
use hanse_domain::{FieldErrors, ValueError};
use hanse_store::Product;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::DecimalText;

/// Body of `POST /admin/v1/products` and `PUT /admin/v1/products/{sku}`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductBody {
    /// 1-64 letters, digits, `-`, `_`, `.`. Required for POST; for PUT it may be omitted and
    /// must match the path when given.
    #[schema(example = "BOLT-M8")]
    pub sku: Option<String>,
    /// Display name, required.
    #[schema(example = "M8 hex bolt")]
    pub name: String,
    /// Long text.
    #[serde(default)]
    pub description: Option<String>,
    /// List price per unit: a decimal string `>= 0` with at most 4 decimals.
    #[schema(value_type = String, example = "0.1250")]
    pub price: DecimalText,
    /// `active` (default) or `inactive`.
    #[serde(default)]
    #[schema(example = "active")]
    pub status: Option<String>,
    /// Weight per unit, a decimal string with at most 4 decimals.
    #[serde(default)]
    #[schema(value_type = Option<String>, example = "0.0125")]
    pub weight: Option<DecimalText>,
    /// Free-form attributes: lower-case codes to text values.
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
    /// Category ids to assign. PUT replaces the assignments only when given.
    #[serde(default)]
    pub categories: Option<Vec<String>>,
    /// Stock on hand, held by the `default` source. PUT changes it only when given; refused
    /// (`multiple_sources`) when another source holds the SKU.
    #[serde(default)]
    pub quantity: Option<i64>,
    /// Fewest units on one cart line (default 1).
    #[serde(default)]
    pub min_sale_quantity: Option<i64>,
    /// Most units on one cart line (default: no limit).
    #[serde(default)]
    pub max_sale_quantity: Option<i64>,
    /// A cart line must hold a multiple of this (default 1).
    #[serde(default)]
    pub quantity_increment: Option<i64>,
}

impl ProductBody {
    /// Validates the body for the SKU `sku`.
    pub fn parse(&self, sku: &str) -> Result<(ProductDraft, Option<StockQuantity>), FieldErrors> {
        let (min, max, increment) =
            (self.min_sale_quantity.map(|n| n.to_string()), self.max_sale_quantity.map(|n| n.to_string()), self.quantity_increment.map(|n| n.to_string()));
        let draft = ProductDraft::parse(ProductInput {
            sku,
            name: &self.name,
            description: self.description.as_deref(),
            price: &self.price.0,
            status: self.status.as_deref(),
            weight: self.weight.as_ref().map(|w| w.0.as_str()),
            attributes: self.attributes.clone(),
            min_sale_quantity: min.as_deref(),
            max_sale_quantity: max.as_deref(),
            quantity_increment: increment.as_deref(),
        });
        let quantity = self.quantity.map(StockQuantity::new).transpose();
        match (draft, quantity) {
            (Ok(d), Ok(q)) => Ok((d, q)),
            (draft, quantity) => {
                let mut errors = draft.err().unwrap_or_default();
                if let Err(e) = quantity {
                    errors.add("quantity", e);
                }
                Err(errors)
            }
        }
    }
}

/// Body of `PATCH /admin/v1/products/{sku}`; absent fields stay as they are.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductPatch {
    /// New name.
    #[serde(default)]
    pub name: Option<String>,
    /// New description.
    #[serde(default)]
    pub description: Option<String>,
    /// New list price (decimal string).
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub price: Option<DecimalText>,
    /// `active` or `inactive`.
    #[serde(default)]
    pub status: Option<String>,
    /// New weight (decimal string); `null` clears it.
    #[serde(default, deserialize_with = "super::nullable")]
    #[schema(value_type = Option<String>)]
    pub weight: Option<Option<DecimalText>>,
    /// Replaces all attributes.
    #[serde(default)]
    pub attributes: Option<BTreeMap<String, String>>,
    /// Replaces the category assignments.
    #[serde(default)]
    pub categories: Option<Vec<String>>,
    /// New stock on hand.
    #[serde(default)]
    pub quantity: Option<i64>,
    /// New minimum units per cart line.
    #[serde(default)]
    pub min_sale_quantity: Option<i64>,
    /// New maximum units per cart line; `null` removes the limit.
    #[serde(default, deserialize_with = "super::nullable")]
    pub max_sale_quantity: Option<Option<i64>>,
    /// New quantity increment.
    #[serde(default)]
    pub quantity_increment: Option<i64>,
}

impl ProductPatch {
    /// The product after applying this patch to `current`, validated as a whole.
    pub fn apply(&self, current: &ProductDraft) -> Result<(ProductDraft, Option<StockQuantity>), FieldErrors> {
        let price = DecimalText(current.price.to_string());
        let weight = current.weight.map(|w| DecimalText(w.to_string()));
        let body = ProductBody {
            sku: None,
            name: self.name.clone().unwrap_or_else(|| current.name.clone()),
            description: Some(self.description.clone().unwrap_or_else(|| current.description.clone())),
            price: self.price.clone().unwrap_or(price),
            status: Some(self.status.clone().unwrap_or_else(|| current.status.as_str().to_owned())),
            weight: self.weight.clone().unwrap_or(weight),
            attributes: self.attributes.clone().unwrap_or_else(|| current.attributes.as_map().clone()),
            categories: None,
            quantity: self.quantity,
            min_sale_quantity: Some(self.min_sale_quantity.unwrap_or(current.sale.min)),
            max_sale_quantity: self.max_sale_quantity.unwrap_or(current.sale.max),
            quantity_increment: Some(self.quantity_increment.unwrap_or(current.sale.increment)),
        };
        body.parse(current.sku.as_str())
    }
}

/// A product as the merchant sees it.
#[derive(Serialize, ToSchema)]
pub struct ProductOut {
    /// SKU.
    #[schema(example = "BOLT-M8")]
    pub sku: String,
    /// Display name.
    pub name: String,
    /// Long text.
    pub description: String,
    /// List price per unit, 4 decimals, in the tenant's currency.
    #[schema(example = "0.1250")]
    pub price: String,
    /// `active` or `inactive`.
    pub status: String,
    /// Weight per unit, 4 decimals.
    pub weight: Option<String>,
    /// Free-form attributes.
    pub attributes: BTreeMap<String, String>,
    /// Assigned category ids.
    pub categories: Vec<String>,
    /// Stock on hand.
    pub quantity: i64,
    /// Fewest units on one cart line.
    pub min_sale_quantity: i64,
    /// Most units on one cart line; null for no limit.
    pub max_sale_quantity: Option<i64>,
    /// A cart line holds a multiple of this.
    pub quantity_increment: i64,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339; moves when the product, its categories or its stock change.
    pub updated_at: String,
}

impl From<&Product> for ProductOut {
    fn from(p: &Product) -> Self {
        let d = &p.draft;
        ProductOut {
            sku: d.sku.to_string(),
            name: d.name.clone(),
            description: d.description.clone(),
            price: d.price.to_string(),
            status: d.status.as_str().to_owned(),
            weight: d.weight.map(|w| w.to_string()),
            attributes: d.attributes.as_map().clone(),
            categories: p.categories.clone(),
            quantity: p.quantity,
            min_sale_quantity: d.sale.min,
            max_sale_quantity: d.sale.max,
            quantity_increment: d.sale.increment,
            created_at: p.created_at.to_string(),
            updated_at: p.updated_at.to_string(),
        }
    }
}

/// A page of products for the merchant.
#[derive(Serialize, ToSchema)]
pub struct ProductList {
    /// Products ordered by SKU.
    pub items: Vec<ProductOut>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// A product as buyers see it, at their price.
#[derive(Serialize, ToSchema)]
pub struct StoreProductOut {
    /// SKU.
    #[schema(example = "BOLT-M8")]
    pub sku: String,
    /// Display name.
    pub name: String,
    /// Long text.
    pub description: String,
    /// The buyer's unit price at the minimum sale quantity, 4 decimals, after price lists and
    /// pricing plugins.
    #[schema(example = "0.1250")]
    pub price: String,
    /// The list price per unit, 4 decimals.
    pub list_price: String,
    /// ISO 4217 code of the prices.
    #[schema(example = "USD")]
    pub currency: String,
    /// How `price` was reached: the list price, then the price list or plugin that set it.
    pub explanation: Vec<crate::wire::plugin::StepOut>,
    /// Lower unit prices from larger quantities on (price lists only, before plugins).
    pub tier_prices: Vec<TierPriceOut>,
    /// Whether the buyer's catalog lets the company buy it (some catalogs only show a product).
    pub purchasable: bool,
    /// Fewest units on one cart line.
    pub min_sale_quantity: i64,
    /// Most units on one cart line; null for no limit.
    pub max_sale_quantity: Option<i64>,
    /// A cart line holds a multiple of this.
    pub quantity_increment: i64,
    /// Weight per unit, 4 decimals.
    pub weight: Option<String>,
    /// Free-form attributes.
    pub attributes: BTreeMap<String, String>,
    /// Category ids.
    pub categories: Vec<String>,
    /// Whether stock is on hand (or the product does not track stock).
    pub in_stock: bool,
}

/// A quantity break.
#[derive(Serialize, ToSchema)]
pub struct TierPriceOut {
    /// From this many units on.
    pub min_quantity: i64,
    /// This unit price, 4 decimals.
    pub unit_price: String,
}

impl StoreProductOut {
    /// The buyer's view of `p`, priced by `line`.
    pub fn new(p: &Product, purchasable: bool, line: &crate::plugins::pricing::PricedLine, currency: &str) -> Self {
        use crate::wire::plugin::{StepOut, fixed4};
        let d = &p.draft;
        StoreProductOut {
            sku: d.sku.to_string(),
            name: d.name.clone(),
            description: d.description.clone(),
            price: fixed4(line.unit_price),
            list_price: d.price.to_string(),
            currency: currency.to_owned(),
            explanation: line.explanation.iter().map(StepOut::from).collect(),
            tier_prices: line.tiers.iter().map(|(from, unit)| TierPriceOut { min_quantity: *from, unit_price: fixed4(*unit) }).collect(),
            purchasable,
            min_sale_quantity: d.sale.min,
            max_sale_quantity: d.sale.max,
            quantity_increment: d.sale.increment,
            weight: d.weight.map(|w| w.to_string()),
            attributes: d.attributes.as_map().clone(),
            categories: p.categories.clone(),
            in_stock: p.stock.is_none_or(|level| level.can_reserve(1)),
        }
    }
}

/// A page of products for buyers.
#[derive(Serialize, ToSchema)]
pub struct StoreProductList {
    /// Products ordered by SKU.
    pub items: Vec<StoreProductOut>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// Query of `GET /admin/v1/products`.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AdminListQuery {
    /// Page size, 1-200 (default 50).
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// SKUs starting with this text (case-sensitive).
    pub sku_prefix: Option<String>,
    /// Category id: products in it or anywhere below it.
    pub category: Option<String>,
    /// `active` or `inactive`.
    pub status: Option<String>,
    /// RFC 3339: products changed at or after this time.
    pub updated_since: Option<String>,
    /// Text in the SKU or name (case-insensitive).
    pub q: Option<String>,
}

/// Query of `GET /store/v1/products`.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StoreListQuery {
    /// Page size, 1-200 (default 50).
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Category id: products in it or anywhere below it.
    pub category: Option<String>,
    /// Text in the SKU or name (case-insensitive).
    pub q: Option<String>,
}

/// Page size from the query: default 50, at most 200.
pub fn page_limit(limit: Option<u32>) -> Result<u32, ValueError> {
    match limit {
        None => Ok(50),
        Some(n @ 1..=200) => Ok(n),
        Some(n) => Err(ValueError::new(format!("limit must be from 1 to 200, got {n}"))),
    }
}

/// Stock of one SKU: on hand, reserved by orders not yet shipped, and what can still be sold.
#[derive(Serialize, ToSchema)]
pub struct StockOut {
    /// SKU.
    pub sku: String,
    /// Whether stock is managed for the product; an unmanaged product is never out of stock.
    pub managed: bool,
    /// Stock on hand: what the enabled sources hold together.
    pub quantity: i64,
    /// What each source holds, by priority then code (sources that never held the SKU are left
    /// out).
    pub sources: Vec<super::source::SourceQuantityOut>,
    /// Sum of the reservation ledger: orders placed and not yet shipped or canceled (≤ 0).
    pub reserved: i64,
    /// quantity + reserved − out_of_stock_threshold (`null` when not managed).
    #[schema(example = 5)]
    pub salable_quantity: Option<i64>,
    /// Units kept back (Magento's `min_qty`); negative limits backorders.
    pub out_of_stock_threshold: i64,
    /// `no`, `allow` or `allow_notify`.
    pub backorders: String,
    /// Low-stock level: `stock.low` is queued when the salable quantity falls to it.
    pub notify_quantity: Option<i64>,
}

impl From<&hanse_store::StockRecord> for StockOut {
    fn from(r: &hanse_store::StockRecord) -> Self {
        let level = r.level.as_ref();
        StockOut {
            sku: r.sku.clone(),
            managed: level.is_some(),
            quantity: level.map_or(0, |l| l.on_hand),
            sources: r.sources.iter().map(Into::into).collect(),
            reserved: level.map_or(0, |l| l.reserved),
            salable_quantity: level.map(|l| l.salable()),
            out_of_stock_threshold: level.map_or(0, |l| l.threshold),
            backorders: level.map_or("no", |l| l.backorders.as_str()).to_owned(),
            notify_quantity: r.notify_qty,
        }
    }
}

/// Body of `PUT /admin/v1/inventory/{sku}`: absent fields keep their value; the first call
/// starts managing the product's stock.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct StockSet {
    /// Stock on hand, held by the `default` source: a whole number from 0 to 10^12. Refused
    /// (`multiple_sources`) when another source holds the SKU: set each source's quantity then.
    #[serde(default)]
    #[schema(example = 5)]
    pub quantity: Option<i64>,
    /// Out-of-stock threshold; negative only with backorders.
    #[serde(default)]
    pub out_of_stock_threshold: Option<i64>,
    /// `no`, `allow` or `allow_notify`.
    #[serde(default)]
    pub backorders: Option<String>,
    /// Low-stock level; `null` clears it.
    #[serde(default, deserialize_with = "super::nullable")]
    #[schema(value_type = Option<i64>)]
    pub notify_quantity: Option<Option<i64>>,
}

/// One entry of a SKU's reservation ledger.
#[derive(Serialize, ToSchema)]
pub struct ReservationOut {
    /// Id.
    pub id: String,
    /// Units: negative takes, positive gives back.
    pub quantity: i64,
    /// `order_placed`, `order_canceled`, `shipment_created` or `order_refunded`.
    pub reason: String,
    /// The order.
    pub order_id: Option<String>,
    /// When (RFC 3339).
    pub created_at: String,
}

/// A SKU's newest reservations.
#[derive(Serialize, ToSchema)]
pub struct ReservationsOut {
    /// Newest first.
    pub reservations: Vec<ReservationOut>,
}
