//! The tenant's tax table on the wire.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::DecimalText;

/// One rate.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaxRateIn {
    /// ISO 3166-1 alpha-2 country.
    #[schema(example = "US")]
    pub country: String,
    /// Region or state code; absent for the whole country.
    #[serde(default)]
    #[schema(example = "CA")]
    pub region: Option<String>,
    /// Percent, up to 4 decimals.
    #[schema(value_type = String, example = "7.25")]
    pub percent: DecimalText,
    /// Whether shipping is taxed too (default no).
    #[serde(default)]
    pub shipping: bool,
}

/// Body of `PUT /admin/v1/tax-rates`: the whole table.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TaxRatesIn {
    /// Every rate; the most specific for a destination wins (country and region, then country).
    pub rates: Vec<TaxRateIn>,
}

/// One rate.
#[derive(Serialize, ToSchema)]
pub struct TaxRateOut {
    /// Country.
    pub country: String,
    /// Region; empty for the whole country.
    pub region: String,
    /// Percent (4 decimals).
    pub percent: String,
    /// Whether shipping is taxed too.
    pub shipping: bool,
}

/// The tax table.
#[derive(Serialize, ToSchema)]
pub struct TaxRatesOut {
    /// By country and region.
    pub rates: Vec<TaxRateOut>,
}
