//! The pricing pipeline: the list price; then the lowest of it and every price-list entry that
//! applies to the buyer, the quantity and the moment (`hanse_domain::price_rules`); then every
//! enabled pricing plugin of the tenant in the merchant's order, each seeing the previous step's
//! prices. Pricing fails closed: a plugin that fails stops the whole pricing with an error
//! naming it, never a price without it.

use std::collections::HashMap;
use std::sync::Arc;

use axum::http::StatusCode;
use hanse_domain::plugin::PluginKind;
use hanse_domain::price_rules::{EntryRule, ListEntry, resolve};
use hanse_domain::product::{ProductStatus, Sku};
use hanse_runtime::types::{Attribute, PriceLine, PriceRequest};
use hanse_store::{Audience, Product, Store, Tenant, now};
use rust_decimal::Decimal;

use super::host::{PluginHost, call_context};
use super::limits::PluginLimits;
use super::replay;
use crate::error::ApiError;

/// One step that set a line's unit price.
#[derive(Debug, Clone)]
pub struct Step {
    /// `list_price`, `price_list` or `plugin`.
    pub source: &'static str,
    /// The plugin (id, version), for plugin steps.
    pub plugin: Option<(String, String)>,
    /// The price list (id, name), for price-list steps.
    pub price_list: Option<(String, String)>,
    /// The unit price after this step, 1/10,000 units.
    pub unit_price: i64,
    /// Why.
    pub reason: String,
}

/// A priced line.
#[derive(Debug, Clone)]
pub struct PricedLine {
    /// The product.
    pub sku: Sku,
    /// Units.
    pub quantity: i64,
    /// List price per unit, 1/10,000 units.
    pub list_price: i64,
    /// Final unit price, 1/10,000 units.
    pub unit_price: i64,
    /// Unit price times quantity, rounded to the currency's minor unit.
    pub line_total: Decimal,
    /// How the unit price was reached.
    pub explanation: Vec<Step>,
    /// Lower unit prices from larger quantities on, before plugins: (from quantity, unit price).
    pub tiers: Vec<(i64, i64)>,
}

/// Prices `lines` (SKU and quantity) for `tenant` as `audience` sees them. Unknown, inactive
/// and hidden SKUs are refused alike, with their line named, so the answer does not reveal
/// what the buyer's catalog hides.
pub async fn price_lines(
    host: &Arc<PluginHost>,
    store: &Store,
    tenant: &Tenant,
    audience: &Audience,
    lines: &[(Sku, i64)],
) -> Result<Vec<PricedLine>, ApiError> {
    let skus: Vec<Sku> = lines.iter().map(|(sku, _)| sku.clone()).collect();
    let products = store.products(&tenant.id).get_many_bare(&skus).await?;
    let names: Vec<&str> = lines.iter().map(|(sku, _)| sku.as_str()).collect();
    let shown = store.shared_catalogs(&tenant.id).access(&audience.catalog, &names).await?;
    let mut found = Vec::with_capacity(lines.len());
    for (i, (sku, quantity)) in lines.iter().enumerate() {
        let product = products
            .get(sku.as_str())
            .filter(|p| p.draft.status == ProductStatus::Active && shown.contains_key(sku.as_str()))
            .ok_or_else(|| ApiError::invalid_field(&format!("lines[{i}].sku"), format!("no product {sku} is for sale")))?;
        found.push((product, *quantity));
    }
    price_products(host, store, tenant, audience, &found).await
}

/// Prices products the caller has already found visible to `audience`.
pub async fn price_products(
    host: &Arc<PluginHost>,
    store: &Store,
    tenant: &Tenant,
    audience: &Audience,
    lines: &[(&Product, i64)],
) -> Result<Vec<PricedLine>, ApiError> {
    if lines.is_empty() {
        return Ok(Vec::new());
    }
    let skus: Vec<&str> = lines.iter().map(|(p, _)| p.draft.sku.as_str()).collect();
    let entries = store.price_lists(&tenant.id).entries_for(audience, &skus).await?;
    price_with_entries(host, store, tenant, audience, lines, &entries).await
}

/// [`price_products`] with the price-list entries that apply to `audience` for (at least)
/// these products already read, by SKU: a caller that knows the SKUs early reads them beside
/// the products.
pub async fn price_with_entries(
    host: &Arc<PluginHost>,
    store: &Store,
    tenant: &Tenant,
    audience: &Audience,
    lines: &[(&Product, i64)],
    entries: &HashMap<String, Vec<ListEntry>>,
) -> Result<Vec<PricedLine>, ApiError> {
    if lines.is_empty() {
        return Ok(Vec::new());
    }
    let at = now();
    let mut priced = Vec::with_capacity(lines.len());
    let mut attributes = Vec::with_capacity(lines.len());
    for (product, quantity) in lines {
        let list = product.draft.price;
        attributes.push(
            product.draft.attributes.as_map().iter().map(|(k, v)| Attribute { name: k.clone(), value: v.clone() }).collect::<Vec<_>>(),
        );
        let mut explanation = vec![Step { source: "list_price", plugin: None, price_list: None, unit_price: list.units(), reason: "list price".into() }];
        let applicable = entries.get(product.draft.sku.as_str()).map_or(&[][..], Vec::as_slice);
        let resolved = resolve(list, *quantity, at, applicable);
        if let Some(entry) = resolved.entry {
            let rule = match entry.rule {
                EntryRule::Fixed(price) => format!("fixed {price}"),
                EntryRule::PercentOff(percent) => format!("{}% off the list price", percent.value()),
            };
            let tier = if entry.min_quantity > 1 { format!(" from {} units", entry.min_quantity) } else { String::new() };
            explanation.push(Step {
                source: "price_list",
                plugin: None,
                price_list: Some((entry.list_id.clone(), entry.list_name.clone())),
                unit_price: resolved.unit_price.units(),
                reason: format!("price list {:?}: {rule}{tier}", entry.list_name),
            });
        }
        let mut tiers: Vec<(i64, i64)> = Vec::new();
        let mut breaks: Vec<i64> = applicable.iter().map(|e| e.min_quantity).filter(|q| q > quantity).collect();
        breaks.sort_unstable();
        breaks.dedup();
        let mut best = resolved.unit_price;
        for from in breaks {
            let tier = resolve(list, from, at, applicable).unit_price;
            if tier < best {
                tiers.push((from, tier.units()));
                best = tier;
            }
        }
        priced.push(PricedLine {
            sku: product.draft.sku.clone(),
            quantity: *quantity,
            list_price: list.units(),
            unit_price: resolved.unit_price.units(),
            line_total: Decimal::ZERO,
            explanation,
            tiers,
        });
    }

    let plugins = host.active(store, tenant).await?;
    let limits = PluginLimits::of(tenant).apply().scaled_for_lines(lines.len());
    for plugin in plugins.of(PluginKind::Pricing) {
        let request = PriceRequest {
            context: call_context(tenant, audience, plugin, at),
            lines: priced
                .iter()
                .zip(&attributes)
                .enumerate()
                .map(|(i, (line, attributes))| PriceLine {
                    line_id: i as u32,
                    sku: line.sku.to_string(),
                    quantity: line.quantity,
                    list_price: line.list_price,
                    unit_price: line.unit_price,
                    attributes: attributes.clone(),
                })
                .collect(),
        };
        let execution = host
            .run(&tenant.id, plugin, &request, limits, async |runtime, loaded, request, limits| runtime.price(loaded, request, limits).await, replay::price_request_to_json)
            .await;
        let changes = execution.outcome.map_err(|error| {
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "pricing_plugin_failed",
                format!("pricing plugin {} {} failed, so nothing was priced: {error}", plugin.id, plugin.version),
            )
            .with_details(serde_json::json!({
                "plugin": plugin.id.as_str(),
                "version": plugin.version.to_string(),
                "error": error.code(),
            }))
        })?;
        for change in changes {
            // The runtime checked that every line id exists and every price is valid.
            if let Some(line) = priced.get_mut(change.line_id as usize) {
                line.unit_price = change.unit_price;
                line.explanation.push(Step {
                    source: "plugin",
                    plugin: Some((plugin.id.to_string(), plugin.version.to_string())),
                    price_list: None,
                    unit_price: change.unit_price,
                    reason: change.reason,
                });
            }
        }
    }
    for line in &mut priced {
        let unit = Decimal::new(line.unit_price, 4);
        line.line_total = tenant.currency.round(unit * Decimal::from(line.quantity));
    }
    Ok(priced)
}
