//! Inventory sources (warehouses) and what each holds of a SKU.

use hanse_store::{InventorySource, SourceQuantity};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Body of `POST /admin/v1/inventory/sources`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceIn {
    /// 1–64 lower-case letters, digits, `_` and `-`; unique within the tenant.
    #[schema(example = "berlin")]
    pub code: String,
    /// 1–100 characters.
    #[schema(example = "Berlin warehouse")]
    pub name: String,
    /// 0 to 1,000,000 (default 0): shipments take from lower numbers first, ties by code.
    #[serde(default)]
    pub priority: Option<i64>,
    /// ISO 3166-1 alpha-2 country code.
    #[serde(default)]
    pub country: Option<String>,
    /// Region or state.
    #[serde(default)]
    pub region: Option<String>,
    /// Postal code.
    #[serde(default)]
    pub postcode: Option<String>,
}

/// Body of `PATCH /admin/v1/inventory/sources/{code}`; absent fields stay as they are.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct SourcePatch {
    /// 1–100 characters.
    #[serde(default)]
    pub name: Option<String>,
    /// 0 to 1,000,000.
    #[serde(default)]
    pub priority: Option<i64>,
    /// `false` takes the source's units out of the salable quantity; `default` stays enabled.
    #[serde(default)]
    pub enabled: Option<bool>,
    /// ISO 3166-1 alpha-2 country code; empty clears it.
    #[serde(default)]
    pub country: Option<String>,
    /// Region or state; empty clears it.
    #[serde(default)]
    pub region: Option<String>,
    /// Postal code; empty clears it.
    #[serde(default)]
    pub postcode: Option<String>,
}

/// A source.
#[derive(Serialize, ToSchema)]
pub struct SourceOut {
    /// Code.
    #[schema(example = "berlin")]
    pub code: String,
    /// Name.
    pub name: String,
    /// Whether its units are salable and shipments take from it.
    pub enabled: bool,
    /// Lower is taken from first.
    pub priority: i64,
    /// ISO 3166-1 alpha-2 country code, or empty.
    pub country: String,
    /// Region, or empty.
    pub region: String,
    /// Postal code, or empty.
    pub postcode: String,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
}

impl From<&InventorySource> for SourceOut {
    fn from(s: &InventorySource) -> Self {
        SourceOut {
            code: s.code.clone(),
            name: s.name.clone(),
            enabled: s.enabled,
            priority: s.priority,
            country: s.country.clone(),
            region: s.region.clone(),
            postcode: s.postcode.clone(),
            created_at: s.created_at.to_string(),
            updated_at: s.updated_at.to_string(),
        }
    }
}

/// The tenant's sources, by priority then code.
#[derive(Serialize, ToSchema)]
pub struct SourceList {
    /// The sources.
    pub items: Vec<SourceOut>,
}

/// Body of `PUT /admin/v1/inventory/{sku}/sources/{code}`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceQuantitySet {
    /// Units the source holds: a whole number from 0 to 10^12.
    #[schema(example = 40)]
    pub quantity: i64,
}

/// What one source holds of a SKU.
#[derive(Serialize, ToSchema)]
pub struct SourceQuantityOut {
    /// The source's code.
    pub code: String,
    /// Units it holds.
    pub quantity: i64,
    /// Whether they count in the SKU's quantity (a disabled source's do not).
    pub enabled: bool,
}

impl From<&SourceQuantity> for SourceQuantityOut {
    fn from(s: &SourceQuantity) -> Self {
        SourceQuantityOut { code: s.code.clone(), quantity: s.quantity, enabled: s.enabled }
    }
}
