//! The cart as checkout sees it: every line priced live through the pipeline, with what
//! shipping plugins need (weights) and what the order records (names, explanations, plugin
//! versions).

use std::collections::HashMap;

use axum::http::StatusCode;
use hanse_domain::plugin::PluginKind;
use hanse_store::{Audience, Product};
use rust_decimal::Decimal;
use serde_json::json;

use crate::error::{ApiError, ApiResult};
use crate::extract::SignedIn;
use crate::ordering::Orderable;
use crate::plugins::pricing::{PricedLine, price_with_entries};
use crate::state::AppState;
use crate::wire::plugin::StepOut;

/// One line ready to order.
pub struct QuoteLine {
    /// Price, quantity and explanation.
    pub priced: PricedLine,
    /// The product's name.
    pub name: String,
    /// Weight per unit, 1/10,000 of the tenant's unit.
    pub weight: Option<i64>,
}

impl QuoteLine {
    /// The explanation as an order records it.
    pub fn explanation(&self) -> serde_json::Value {
        json!(self.priced.explanation.iter().map(StepOut::from).collect::<Vec<_>>())
    }
}

/// The buyer's cart, priced.
pub struct Quote {
    /// Catalog, group and segments of the buyer's company.
    pub audience: Audience,
    /// Lines in cart order.
    pub lines: Vec<QuoteLine>,
    /// Sum of line totals.
    pub subtotal: Decimal,
    /// The pricing plugins that ran, as orders record them.
    pub pricing_plugins: Vec<serde_json::Value>,
}

/// Prices the buyer's cart. Refuses an empty cart (`cart_empty`) and a cart with lines the
/// buyer may not order as they are (`cart_has_problems`, each line with its outcome code).
/// Stock is not checked here: it is decided when the order reserves it.
pub async fn quote(state: &AppState, buyer: &SignedIn) -> ApiResult<Quote> {
    let tenant = &buyer.tenant;
    let audience = buyer.audience.clone();
    let items = state.store().cart(&tenant.id, &buyer.buyer.id, &buyer.membership.company_id).items().await?;
    if items.is_empty() {
        return Err(ApiError::new(StatusCode::CONFLICT, "cart_empty", "the cart is empty: add products before checking out"));
    }
    let skus: Vec<&str> = items.iter().map(|i| i.sku.as_str()).collect();
    let entries = async { Ok::<_, ApiError>(state.store().price_lists(&tenant.id).entries_for(&audience, &skus).await?) };
    let (orderable, entries) = tokio::try_join!(Orderable::load(state.store(), tenant, &audience, &skus), entries)?;
    let mut problems = Vec::new();
    let mut lines: Vec<(&Product, i64)> = Vec::with_capacity(items.len());
    for item in &items {
        match orderable.check_sale(&item.sku, item.quantity) {
            Ok(product) => lines.push((product, item.quantity)),
            Err(outcome) => problems.push((item.sku.as_str(), outcome)),
        }
    }
    if !problems.is_empty() {
        let details: Vec<serde_json::Value> = problems
            .iter()
            .map(|(sku, outcome)| json!({"sku": sku, "outcome": outcome.as_str(), "message": orderable.explain(sku, *outcome)}))
            .collect();
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "cart_has_problems",
            format!("{} cart line(s) cannot be ordered as they are; fix or remove them", problems.len()),
        )
        .with_details(json!({ "lines": details })));
    }
    let priced = price_with_entries(state.plugins(), state.store(), tenant, &audience, &lines, &entries).await?;
    let products: HashMap<&str, &Product> = lines.iter().map(|(p, _)| (p.draft.sku.as_str(), *p)).collect();
    let subtotal = priced.iter().map(|l| l.line_total).sum();
    let lines = priced
        .into_iter()
        .map(|priced| {
            let product = products.get(priced.sku.as_str());
            QuoteLine {
                name: product.map(|p| p.draft.name.clone()).unwrap_or_default(),
                weight: product.and_then(|p| p.draft.weight).map(|w| w.units()),
                priced,
            }
        })
        .collect();
    let plugins = state.plugins().active(state.store(), tenant).await?;
    let pricing_plugins = plugins.of(PluginKind::Pricing).iter().map(|p| p.stamp()).collect();
    Ok(Quote { audience, lines, subtotal, pricing_plugins })
}
