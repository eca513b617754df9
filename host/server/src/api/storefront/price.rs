//! Pricing lines for the buyer: list price, then the tenant's pricing plugins.

use axum::Json;
use axum::extract::State;
use hanse_domain::FieldErrors;
use hanse_domain::money::Fixed4;
use hanse_domain::product::Sku;
use rust_decimal::Decimal;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{JsonBody, StoreTenant};
use crate::plugins::pricing::price_lines;
use crate::state::AppState;
use crate::wire::plugin::{PriceIn, PriceOut, PricedLineOut, StepOut};

/// Most lines priced in one call.
pub const MAX_LINES: usize = 10_000;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(price))
}

fn fixed4(units: i64) -> String {
    Fixed4::from_units(units).map_or_else(|_| Decimal::new(units, 4).to_string(), |f| f.to_string())
}

/// Price cart lines: the list price, then every enabled pricing plugin in order; each line
/// explains every step. If a pricing plugin fails, nothing is priced (503 naming the plugin).
#[utoipa::path(
    post, path = "/price", tag = "storefront",
    params(("X-Tenant" = Option<String>, Header, description = "Tenant slug; else the host name decides")),
    request_body = PriceIn,
    responses(
        (status = 200, body = PriceOut),
        (status = 422, description = "Bad lines, unknown SKU (`validation_failed`)", body = ErrorBody),
        (status = 503, description = "A pricing plugin failed (`pricing_plugin_failed`, details name it)", body = ErrorBody),
    )
)]
async fn price(StoreTenant(tenant): StoreTenant, State(state): State<AppState>, JsonBody(body): JsonBody<PriceIn>) -> ApiResult<Json<PriceOut>> {
    let mut errors = FieldErrors::new();
    if body.lines.is_empty() || body.lines.len() > MAX_LINES {
        errors.add("lines", format!("must have 1 to {MAX_LINES} lines"));
    }
    let lines: Vec<Option<(Sku, i64)>> = body
        .lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let sku = errors.check(&format!("lines[{i}].sku"), Sku::parse(&line.sku));
            if !(1..=1_000_000_000).contains(&line.quantity) {
                errors.add(format!("lines[{i}].quantity"), "must be a whole number from 1 to 1000000000");
            }
            sku.map(|s| (s, line.quantity))
        })
        .collect();
    let lines: Vec<(Sku, i64)> = errors.finish(|| lines.into_iter().collect::<Option<Vec<_>>>())?;
    let priced = price_lines(state.plugins(), state.store(), &tenant, &lines).await?;
    let minor = tenant.currency.minor_units();
    let money = |d: Decimal| format!("{:.*}", minor as usize, d);
    let subtotal: Decimal = priced.iter().map(|l| l.line_total).sum();
    Ok(Json(PriceOut {
        currency: tenant.currency.code().to_owned(),
        subtotal: money(subtotal),
        lines: priced
            .into_iter()
            .map(|line| PricedLineOut {
                sku: line.sku.to_string(),
                quantity: line.quantity,
                list_price: fixed4(line.list_price),
                unit_price: fixed4(line.unit_price),
                line_total: money(line.line_total),
                explanation: line
                    .explanation
                    .into_iter()
                    .map(|step| StepOut {
                        source: step.source.to_owned(),
                        plugin: step.plugin.as_ref().map(|(id, _)| id.clone()),
                        version: step.plugin.map(|(_, v)| v),
                        unit_price: fixed4(step.unit_price),
                        reason: step.reason,
                    })
                    .collect(),
            })
            .collect(),
    }))
}
