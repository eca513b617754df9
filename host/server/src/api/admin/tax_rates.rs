//! The tenant's tax table: a percentage per country, optionally per region.

use axum::Json;
use axum::extract::State;
use hanse_domain::FieldErrors;
use hanse_domain::company::profile::{parse_country, parse_optional_text};
use hanse_domain::tax::{TaxRate, parse_percent};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{AdminTenant, JsonBody};
use crate::state::AppState;
use crate::wire::tax::{TaxRateOut, TaxRatesIn, TaxRatesOut};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_rates, set_rates))
}

/// Most rates a table holds.
const MAX_RATES: usize = 5_000;

fn out(rates: &[TaxRate]) -> TaxRatesOut {
    TaxRatesOut {
        rates: rates
            .iter()
            .map(|r| TaxRateOut { country: r.country.clone(), region: r.region.clone(), percent: r.percent.to_string(), shipping: r.shipping })
            .collect(),
    }
}

/// The tax table.
#[utoipa::path(
    get, path = "/tax-rates", tag = "admin",
    responses((status = 200, body = TaxRatesOut), (status = 401, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn get_rates(AdminTenant(tenant): AdminTenant, State(state): State<AppState>) -> ApiResult<Json<TaxRatesOut>> {
    Ok(Json(out(&state.store().tax_rates(&tenant.id).list().await?)))
}

/// Replace the tax table. Checkout taxes the subtotal (and shipping where the rate says so)
/// at the rate of the destination's country and region, else of its country, else not at all;
/// tax is rounded once per order.
#[utoipa::path(
    put, path = "/tax-rates", tag = "admin",
    request_body = TaxRatesIn,
    responses((status = 200, body = TaxRatesOut), (status = 401, body = ErrorBody), (status = 409, description = "a country and region given twice", body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("admin_token" = []))
)]
async fn set_rates(AdminTenant(tenant): AdminTenant, State(state): State<AppState>, JsonBody(body): JsonBody<TaxRatesIn>) -> ApiResult<Json<TaxRatesOut>> {
    let mut errors = FieldErrors::new();
    if body.rates.len() > MAX_RATES {
        errors.add("rates", format!("at most {MAX_RATES} rates"));
    }
    let mut rates = Vec::with_capacity(body.rates.len());
    for (i, rate) in body.rates.iter().enumerate() {
        let country = match errors.check(&format!("rates[{i}].country"), parse_country(&rate.country)) {
            Some(c) if c.is_empty() => {
                errors.add(format!("rates[{i}].country"), "is required");
                None
            }
            other => other,
        };
        let region = errors.check(&format!("rates[{i}].region"), parse_optional_text(rate.region.as_deref().unwrap_or(""), 100));
        let percent = errors.check(&format!("rates[{i}].percent"), parse_percent(&rate.percent.0));
        if let (Some(country), Some(region), Some(percent)) = (country, region, percent) {
            rates.push(TaxRate { country, region: region.to_ascii_uppercase(), percent, shipping: rate.shipping });
        }
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let taxes = state.store().tax_rates(&tenant.id);
    taxes.replace(&rates).await?;
    Ok(Json(out(&taxes.list().await?)))
}
