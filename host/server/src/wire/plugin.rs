//! Plugins: registry packages, installs, executions, and pricing.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use hanse_store::{ExecutionRecord, PluginInstall, PluginPackage};

/// A package in the registry.
#[derive(Serialize, ToSchema)]
pub struct PackageOut {
    /// Plugin id.
    #[schema(example = "tier-pricing")]
    pub id: String,
    /// Semantic version.
    #[schema(example = "0.1.0")]
    pub version: String,
    /// `pricing`, `approval`, `shipping` or `payment`.
    pub kind: String,
    /// WIT package it targets.
    pub wit: String,
    /// What it does.
    pub description: String,
    /// SHA-256 of the component.
    pub sha256: String,
    /// Component size, bytes.
    pub size: i64,
    /// True for a tenant's private package.
    pub private: bool,
    /// JSON Schema of its configuration.
    #[schema(value_type = Object)]
    pub config_schema: Value,
    /// RFC 3339.
    pub created_at: String,
}

impl From<&PluginPackage> for PackageOut {
    fn from(p: &PluginPackage) -> Self {
        PackageOut {
            id: p.id.to_string(),
            version: p.version.to_string(),
            kind: p.kind.as_str().to_owned(),
            wit: p.wit.clone(),
            description: p.description.clone(),
            sha256: p.sha256.clone(),
            size: p.size,
            private: p.owner.is_some(),
            config_schema: crate::plugins::manifest::schema_of(&p.manifest),
            created_at: p.created_at.to_string(),
        }
    }
}

/// Packages, by id, newest version first.
#[derive(Serialize, ToSchema)]
pub struct PackageList {
    /// The packages.
    pub items: Vec<PackageOut>,
}

/// Body of `POST /admin/v1/plugins`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InstallIn {
    /// Plugin id from the registry (or the tenant's private packages).
    #[schema(example = "tier-pricing")]
    pub plugin: String,
    /// Version; the newest release when absent.
    #[serde(default)]
    pub version: Option<String>,
    /// Configuration, checked against the package's JSON Schema.
    #[serde(default)]
    #[schema(value_type = Object, example = json!({"tiers": [{"min_quantity": 10, "percent_off": "10"}]}))]
    pub config: Option<Value>,
}

/// Body of `PATCH /admin/v1/plugins/{id}`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InstallPatch {
    /// New configuration for the active version.
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub config: Option<Value>,
    /// Enable or disable.
    #[serde(default)]
    pub enabled: Option<bool>,
    /// Order among the tenant's plugins of the same kind (lower runs first).
    #[serde(default)]
    pub position: Option<i64>,
    /// Which calls keep their input for replay: `off` (the default), `failures` or `all`.
    /// Inputs hold customer data; keep them only while you need them.
    #[serde(default)]
    #[schema(example = "failures")]
    pub capture: Option<String>,
}

/// Body of `POST /admin/v1/plugins/{id}/activate`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActivateIn {
    /// The version to make active.
    pub version: String,
    /// Its configuration; the current one when absent (it must fit the new version's schema).
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub config: Option<Value>,
}

/// A plugin installed for the tenant.
#[derive(Serialize, ToSchema)]
pub struct InstallOut {
    /// Plugin id.
    pub plugin: String,
    /// Kind.
    pub kind: String,
    /// Active version.
    pub version: String,
    /// Its configuration.
    #[schema(value_type = Object)]
    pub config: Value,
    /// Whether it runs.
    pub enabled: bool,
    /// Order among plugins of its kind.
    pub position: i64,
    /// Which calls keep their input: `off`, `failures` or `all`.
    pub capture: String,
    /// The version `rollback` returns to.
    pub previous_version: Option<String>,
    /// True when it is the tenant's private package.
    pub private: bool,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
}

impl From<&PluginInstall> for InstallOut {
    fn from(i: &PluginInstall) -> Self {
        InstallOut {
            plugin: i.plugin_id.to_string(),
            kind: i.kind.as_str().to_owned(),
            version: i.version.to_string(),
            config: serde_json::from_str(&i.config).unwrap_or(Value::Null),
            enabled: i.enabled,
            position: i.position,
            capture: i.capture.as_str().to_owned(),
            previous_version: i.previous.as_ref().map(|(v, _)| v.to_string()),
            private: i.private,
            created_at: i.created_at.to_string(),
            updated_at: i.updated_at.to_string(),
        }
    }
}

/// The tenant's plugins.
#[derive(Serialize, ToSchema)]
pub struct InstallList {
    /// By kind, then position.
    pub items: Vec<InstallOut>,
}

/// One recorded call.
#[derive(Serialize, ToSchema)]
pub struct ExecutionOut {
    /// Execution id.
    #[schema(example = "exe_01JD4S3K5X0Q7Z9W2B6N8M4C1V")]
    pub id: String,
    /// Version that ran.
    pub version: String,
    /// Kind.
    pub kind: String,
    /// RFC 3339.
    pub started_at: String,
    /// Wall time, microseconds.
    pub duration_us: i64,
    /// Instructions used (wasmtime fuel).
    pub fuel: i64,
    /// `ok` or an error code (`plugin_trap`, `plugin_out_of_fuel`, `plugin_timeout`,
    /// `plugin_memory_limit`, `plugin_invalid_output`, `plugin_output_too_large`, ...).
    pub outcome: String,
    /// The error, when it failed.
    pub error: Option<String>,
    /// What the plugin logged: `[{"level": "info", "message": "..."}]`.
    #[schema(value_type = Vec<Object>)]
    pub logs: Value,
    /// Whether the input was kept (see `GET .../executions/{execution}`).
    pub input_captured: bool,
}

impl From<&ExecutionRecord> for ExecutionOut {
    fn from(r: &ExecutionRecord) -> Self {
        ExecutionOut {
            id: r.id.clone(),
            version: r.version.clone(),
            kind: r.kind.as_str().to_owned(),
            started_at: r.started_at.to_string(),
            duration_us: r.duration_us,
            fuel: r.fuel,
            outcome: r.outcome.clone(),
            error: r.error.clone(),
            logs: serde_json::from_str(&r.logs).unwrap_or(Value::Array(vec![])),
            input_captured: r.input_captured,
        }
    }
}

/// One recorded call with what it ran on.
#[derive(Serialize, ToSchema)]
pub struct ExecutionDetail {
    /// The record.
    #[serde(flatten)]
    pub execution: ExecutionOut,
    /// The input, in the shape `hanse plugin run --input` reads; `null` when not captured.
    #[schema(value_type = Option<Object>)]
    pub input: Option<Value>,
    /// The configuration the call ran with (for `hanse plugin run --config`); `null` when not
    /// captured.
    #[schema(value_type = Option<Object>)]
    pub config: Option<Value>,
}

impl From<&ExecutionRecord> for ExecutionDetail {
    fn from(r: &ExecutionRecord) -> Self {
        let json = |text: &str| serde_json::from_str(text).unwrap_or(Value::Null);
        ExecutionDetail {
            execution: r.into(),
            input: r.captured.as_ref().map(|c| json(&c.input)),
            config: r.captured.as_ref().map(|c| json(&c.config)),
        }
    }
}

/// Recent calls, newest first.
#[derive(Serialize, ToSchema)]
pub struct ExecutionList {
    /// At most 100.
    pub items: Vec<ExecutionOut>,
    /// Calls of the plugin recorded in all; the newest 1,000 are kept, older ones are overwritten.
    pub recorded: i64,
}

/// Body of `POST /store/v1/price`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PriceIn {
    /// The lines, 1 to 10,000.
    pub lines: Vec<PriceLineIn>,
}

/// One line to price.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PriceLineIn {
    /// SKU.
    #[schema(example = "WIDGET")]
    pub sku: String,
    /// Units, 1 to 10^9.
    #[schema(example = 10)]
    pub quantity: i64,
}

/// A priced cart.
#[derive(Serialize, ToSchema)]
pub struct PriceOut {
    /// ISO 4217 code of every amount.
    pub currency: String,
    /// The lines, in request order.
    pub lines: Vec<PricedLineOut>,
    /// Sum of line totals.
    #[schema(example = "90.00")]
    pub subtotal: String,
}

/// A priced line.
#[derive(Serialize, ToSchema)]
pub struct PricedLineOut {
    /// SKU.
    pub sku: String,
    /// Units.
    pub quantity: i64,
    /// List price per unit (4 decimals).
    #[schema(example = "10.0000")]
    pub list_price: String,
    /// Final price per unit (4 decimals).
    #[schema(example = "9.0000")]
    pub unit_price: String,
    /// Unit price times quantity, rounded to the currency's minor unit.
    #[schema(example = "90.00")]
    pub line_total: String,
    /// How the unit price was reached, step by step.
    pub explanation: Vec<StepOut>,
}

/// One pricing step.
#[derive(Serialize, ToSchema)]
pub struct StepOut {
    /// `list_price`, `price_list` or `plugin`.
    pub source: String,
    /// The plugin, for plugin steps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plugin: Option<String>,
    /// The plugin's version, for plugin steps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The price list's id, for price-list steps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price_list: Option<String>,
    /// The price list's name, for price-list steps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price_list_name: Option<String>,
    /// Unit price after the step (4 decimals).
    pub unit_price: String,
    /// Why.
    pub reason: String,
}

impl From<&crate::plugins::pricing::Step> for StepOut {
    fn from(step: &crate::plugins::pricing::Step) -> Self {
        StepOut {
            source: step.source.to_owned(),
            plugin: step.plugin.as_ref().map(|(id, _)| id.clone()),
            version: step.plugin.as_ref().map(|(_, v)| v.clone()),
            price_list: step.price_list.as_ref().map(|(id, _)| id.clone()),
            price_list_name: step.price_list.as_ref().map(|(_, name)| name.clone()),
            unit_price: fixed4(step.unit_price),
            reason: step.reason.clone(),
        }
    }
}

/// A 1/10,000 amount as a 4-decimal string.
pub fn fixed4(units: i64) -> String {
    hanse_domain::money::Fixed4::from_units(units).map_or_else(|_| rust_decimal::Decimal::new(units, 4).to_string(), |f| f.to_string())
}

impl PricedLineOut {
    /// The wire form of a priced line, totals in `currency`.
    pub fn new(line: &crate::plugins::pricing::PricedLine, currency: &hanse_domain::currency::Currency) -> Self {
        PricedLineOut {
            sku: line.sku.to_string(),
            quantity: line.quantity,
            list_price: fixed4(line.list_price),
            unit_price: fixed4(line.unit_price),
            line_total: currency.format(line.line_total),
            explanation: line.explanation.iter().map(StepOut::from).collect(),
        }
    }
}
