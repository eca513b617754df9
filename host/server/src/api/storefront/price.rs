//! Pricing lines for the buyer: list price, then the tenant's pricing plugins.

use axum::Json;
use axum::extract::State;
use hanse_domain::FieldErrors;
use hanse_domain::ordering::MAX_LINE_QUANTITY;
use hanse_domain::product::Sku;
use rust_decimal::Decimal;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{JsonBody, Shopper};
use crate::plugins::pricing::price_lines;
use crate::state::AppState;
use crate::wire::plugin::{PriceIn, PriceOut, PricedLineOut};

/// Most lines priced in one call.
pub const MAX_LINES: usize = 10_000;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(price))
}

/// Price lines for whoever asks (a signed-in buyer's company, or a guest at public prices): the
/// list price, the lowest applicable price-list entry, then every enabled pricing plugin in
/// order; each line explains every step. A SKU the buyer's catalog hides is refused exactly like
/// an unknown one. If a pricing plugin fails, nothing is priced (503 naming the plugin).
#[utoipa::path(
    post, path = "/price", tag = "storefront",
    params(("X-Tenant" = Option<String>, Header, description = "Tenant slug; else the host name decides")),
    request_body = PriceIn,
    security((), ("buyer_session" = [])),
    responses(
        (status = 200, body = PriceOut),
        (status = 401, description = "Guest browsing is off (`sign_in_required`) or the session is not valid", body = ErrorBody),
        (status = 422, description = "Bad lines, unknown or hidden SKU (`validation_failed`)", body = ErrorBody),
        (status = 503, description = "A pricing plugin failed (`pricing_plugin_failed`, details name it)", body = ErrorBody),
    )
)]
async fn price(shopper: Shopper, State(state): State<AppState>, JsonBody(body): JsonBody<PriceIn>) -> ApiResult<Json<PriceOut>> {
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
            if !(1..=MAX_LINE_QUANTITY).contains(&line.quantity) {
                errors.add(format!("lines[{i}].quantity"), format!("must be a whole number from 1 to {MAX_LINE_QUANTITY}"));
            }
            sku.map(|s| (s, line.quantity))
        })
        .collect();
    let lines: Vec<(Sku, i64)> = errors.finish(|| lines.into_iter().collect::<Option<Vec<_>>>())?;
    let tenant = &shopper.tenant;
    let priced = price_lines(state.plugins(), state.store(), tenant, &shopper.audience, &lines).await?;
    let subtotal: Decimal = priced.iter().map(|l| l.line_total).sum();
    Ok(Json(PriceOut {
        currency: tenant.currency.code().to_owned(),
        subtotal: tenant.currency.format(subtotal),
        lines: priced.iter().map(|line| PricedLineOut::new(line, &tenant.currency)).collect(),
    }))
}
