//! Putting products in a cart by SKU and quantity: which lines a buyer may add (the one check
//! the cart, quick order and requisition lists share), and the quick-order CSV format.

pub mod csv;

use std::collections::HashMap;

use axum::http::StatusCode;
use hanse_domain::ordering::LineOutcome;
use hanse_domain::product::{ProductStatus, Sku};
use hanse_store::{Access, Audience, Product, Store, Tenant};
use serde_json::json;

use crate::error::ApiError;

/// The products a set of lines names, with what the buyer's catalog allows for each.
pub struct Orderable {
    products: HashMap<String, Product>,
    access: HashMap<String, Access>,
}

impl Orderable {
    /// Loads the products among `skus` (invalid SKUs are simply not found).
    pub async fn load(store: &Store, tenant: &Tenant, audience: &Audience, skus: &[&str]) -> Result<Self, ApiError> {
        let mut parsed: Vec<Sku> = skus.iter().filter_map(|s| Sku::parse(s).ok()).collect();
        parsed.sort();
        parsed.dedup();
        let names: Vec<&str> = parsed.iter().map(Sku::as_str).collect();
        // Two independent reads, on two connections at once.
        let (products, catalogs) = (store.products(&tenant.id), store.shared_catalogs(&tenant.id));
        let (products, access) = tokio::try_join!(products.get_many_bare(&parsed), catalogs.access(&audience.catalog, &names))?;
        Ok(Orderable { products, access })
    }

    /// The product, when the buyer's catalog shows it (whatever its status).
    pub fn shown(&self, sku: &str) -> Option<&Product> {
        self.products.get(sku).filter(|_| self.access.contains_key(sku))
    }

    /// Whether `total` units of `sku` may be in the buyer's cart: the SKU must be shown by the
    /// catalog (else `failed_sku`, as if it did not exist), enabled, purchasable, within the
    /// product's sale quantities, and salable (or backorderable) when the product tracks stock.
    pub fn check(&self, sku: &str, total: i64) -> Result<&Product, LineOutcome> {
        let product = self.check_sale(sku, total)?;
        if product.stock.is_some_and(|level| !level.can_reserve(total)) {
            return Err(LineOutcome::FailedOutOfStock);
        }
        Ok(product)
    }

    /// [`Orderable::check`] without the stock: what a cart line must respect. The cart holds
    /// what the buyer wants; stock is promised only when an order reserves it.
    pub fn check_sale(&self, sku: &str, total: i64) -> Result<&Product, LineOutcome> {
        let product = self.check_product(sku)?;
        product.draft.sale.check(total).map_err(LineOutcome::from)?;
        Ok(product)
    }

    /// Whether the buyer may buy `sku` at all, whatever the quantity.
    pub fn check_product(&self, sku: &str) -> Result<&Product, LineOutcome> {
        let product = self.shown(sku).ok_or(LineOutcome::FailedSku)?;
        if product.draft.status != ProductStatus::Active {
            return Err(LineOutcome::FailedDisabled);
        }
        if self.access.get(sku) != Some(&Access::Buy) {
            return Err(LineOutcome::FailedPermissions);
        }
        Ok(product)
    }

    /// A sentence for a refused line.
    pub fn explain(&self, sku: &str, outcome: LineOutcome) -> String {
        let rules = self.products.get(sku).map(|p| p.draft.sale.describe()).unwrap_or_default();
        match outcome {
            LineOutcome::Added => format!("{sku} added"),
            LineOutcome::FailedSku => format!("no product {sku} in your catalog"),
            LineOutcome::FailedDisabled => format!("{sku} is not sold at the moment"),
            LineOutcome::FailedPermissions => format!("your catalog shows {sku} but your company cannot buy it"),
            LineOutcome::FailedQtyInvalid => "the quantity must be a whole number from 1 up".to_owned(),
            LineOutcome::FailedQtyIncrement | LineOutcome::FailedQtyRange => format!("{sku} is sold {rules} per order line"),
            LineOutcome::FailedOutOfStock => format!("not enough {sku} in stock"),
        }
    }

    /// The single-line answer for a refused line: the HTTP error the cart endpoints give.
    pub fn refusal(&self, sku: &str, outcome: LineOutcome) -> ApiError {
        let message = self.explain(sku, outcome);
        let (status, code) = match outcome {
            LineOutcome::FailedSku | LineOutcome::Added => return ApiError::not_found("product"),
            LineOutcome::FailedDisabled => (StatusCode::CONFLICT, "product_disabled"),
            LineOutcome::FailedPermissions => (StatusCode::FORBIDDEN, "not_purchasable"),
            LineOutcome::FailedQtyInvalid => (StatusCode::UNPROCESSABLE_ENTITY, "quantity_invalid"),
            LineOutcome::FailedQtyIncrement => (StatusCode::UNPROCESSABLE_ENTITY, "quantity_increment"),
            LineOutcome::FailedQtyRange => (StatusCode::UNPROCESSABLE_ENTITY, "quantity_range"),
            LineOutcome::FailedOutOfStock => (StatusCode::CONFLICT, "out_of_stock"),
        };
        ApiError::new(status, code, message).with_details(json!({ "sku": sku, "outcome": outcome.as_str() }))
    }
}
