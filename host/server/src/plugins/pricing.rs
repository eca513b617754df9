//! The pricing pipeline: list price, then every enabled pricing plugin of the tenant in the
//! merchant's order, each seeing the previous step's prices. Pricing fails closed: a plugin that
//! fails stops the whole pricing with an error naming it, never a price without it.

use std::sync::Arc;

use axum::http::StatusCode;
use hanse_domain::plugin::PluginKind;
use hanse_domain::product::{ProductStatus, Sku};
use hanse_runtime::types::{Attribute, Context, Customer, PriceLine, PriceRequest};
use hanse_store::{Store, Tenant, now};
use rust_decimal::Decimal;

use super::host::PluginHost;
use super::limits::PluginLimits;
use super::replay;
use crate::error::ApiError;

/// One step that set a line's unit price.
#[derive(Debug, Clone)]
pub struct Step {
    /// `list_price` or `plugin`.
    pub source: &'static str,
    /// The plugin, for plugin steps.
    pub plugin: Option<(String, String)>,
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
}

/// Prices `lines` (SKU and quantity) for `tenant`. Unknown or inactive SKUs are refused with
/// their line named.
pub async fn price_lines(
    host: &Arc<PluginHost>,
    store: &Store,
    tenant: &Tenant,
    lines: &[(Sku, i64)],
) -> Result<Vec<PricedLine>, ApiError> {
    let skus: Vec<Sku> = lines.iter().map(|(sku, _)| sku.clone()).collect();
    let products = store.products(&tenant.id).get_many(&skus).await?;
    let mut priced = Vec::with_capacity(lines.len());
    let mut attributes = Vec::with_capacity(lines.len());
    for (i, (sku, quantity)) in lines.iter().enumerate() {
        let product = products
            .get(sku.as_str())
            .filter(|p| p.draft.status == ProductStatus::Active)
            .ok_or_else(|| ApiError::invalid_field(&format!("lines[{i}].sku"), format!("no product {sku} is for sale")))?;
        let list = product.draft.price.units();
        attributes.push(
            product.draft.attributes.as_map().iter().map(|(k, v)| Attribute { name: k.clone(), value: v.clone() }).collect::<Vec<_>>(),
        );
        priced.push(PricedLine {
            sku: sku.clone(),
            quantity: *quantity,
            list_price: list,
            unit_price: list,
            line_total: Decimal::ZERO,
            explanation: vec![Step { source: "list_price", plugin: None, unit_price: list, reason: "list price".into() }],
        });
    }

    let plugins = host.active(store, tenant).await?;
    let limits = PluginLimits::of(tenant).apply().scaled_for_lines(lines.len());
    for plugin in plugins.of(PluginKind::Pricing) {
        let request = PriceRequest {
            context: Context {
                tenant: tenant.slug.to_string(),
                currency: tenant.currency.code().to_owned(),
                now: now().millis(),
                config: plugin.config.clone(),
                customer: Customer { company_id: None, customer_group: None, segments: vec![] },
            },
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
        let host_for_call = host.clone();
        let loaded = plugin.loaded.clone();
        let (execution, request) = tokio::task::spawn_blocking(move || {
            let execution = host_for_call.runtime().price(&loaded, &request, &limits);
            (execution, request)
        })
        .await
        .map_err(ApiError::internal)?;
        host.record(&tenant.id, plugin, &execution, || replay::price_request_to_json(&request));
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
