//! Shipping rates: every enabled shipping plugin is asked, and their rates are merged. A plugin
//! that fails drops only its own rates (the failure is recorded with the call).

use hanse_domain::plugin::PluginKind;
use hanse_domain::time::Timestamp;
use hanse_runtime::types::{Address, RateRequest, ShippingLine};
use hanse_store::OrderAddress;
use rust_decimal::Decimal;

use super::quote::Quote;
use crate::error::ApiResult;
use crate::extract::SignedIn;
use crate::plugins::host::call_context;
use crate::plugins::limits::PluginLimits;
use crate::plugins::replay;
use crate::state::AppState;

/// A shipping option offered.
#[derive(Debug, Clone)]
pub struct OfferedRate {
    /// `<plugin id>:<rate code>`, unique among all offered.
    pub code: String,
    /// Shown to the buyer.
    pub label: String,
    /// Price, rounded to the currency.
    pub amount: Decimal,
    /// Days, if known.
    pub estimated_days: Option<u32>,
    /// The plugin that offered it, as an order records it.
    pub plugin: serde_json::Value,
}

/// The rates of every enabled shipping plugin for the quoted cart to `destination`.
pub async fn rates(state: &AppState, buyer: &SignedIn, quote: &Quote, destination: &OrderAddress, at: Timestamp) -> ApiResult<Vec<OfferedRate>> {
    let tenant = &buyer.tenant;
    let plugins = state.plugins().active(state.store(), tenant).await?;
    let limits = PluginLimits::of(tenant).apply().scaled_for_lines(quote.lines.len());
    let optional = |text: &str| (!text.is_empty()).then(|| text.to_owned());
    let mut offered = Vec::new();
    for plugin in plugins.of(PluginKind::Shipping) {
        let request = RateRequest {
            context: call_context(tenant, &quote.audience, plugin, at),
            lines: quote
                .lines
                .iter()
                .map(|l| ShippingLine { sku: l.priced.sku.to_string(), quantity: l.priced.quantity, unit_price: l.priced.unit_price, unit_weight: l.weight })
                .collect(),
            destination: Address {
                country: destination.country.clone(),
                region: optional(&destination.region),
                postcode: optional(&destination.postcode),
                city: optional(&destination.city),
            },
            subtotal: units(quote.subtotal),
        };
        let execution = state
            .plugins()
            .run(&tenant.id, plugin, &request, limits, async |runtime, loaded, request, limits| runtime.rates(loaded, request, limits).await, replay::rate_request_to_json)
            .await;
        match execution.outcome {
            Ok(rates) => offered.extend(rates.into_iter().map(|rate| OfferedRate {
                code: format!("{}:{}", plugin.id, rate.code),
                label: rate.label,
                amount: tenant.currency.round(Decimal::new(rate.amount, 4)),
                estimated_days: rate.estimated_days,
                plugin: plugin.stamp(),
            })),
            Err(error) => tracing::warn!(tenant = %tenant.slug, plugin = %plugin.id, %error, "shipping plugin failed; its rates are left out"),
        }
    }
    Ok(offered)
}

/// An exact decimal as 1/10,000 units (amounts here are far inside `i64`).
pub fn units(amount: Decimal) -> i64 {
    let scaled = (amount * Decimal::new(10_000, 0)).trunc();
    i64::try_from(scaled).unwrap_or(i64::MAX)
}
